"""Helpers shared by the format tests: positions found independently of mtqa."""

from __future__ import annotations

from pathlib import Path

from mtqa.formats import format_for
from mtqa.formats.base import ReadOptions
from mtqa.pipeline import Options, check_document

FIXTURES = Path(__file__).parent / "fixtures"
CORPORA = Path(__file__).parent.parent / "corpora" / "formats"


def where(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the n-th occurrence of `needle` in raw file text."""
    position = -1
    for _ in range(occurrence + 1):
        position = text.index(needle, position + 1)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


def run(data: bytes, name: str, **options):
    """Read, check (no model) and write back; returns (document, result, output bytes)."""
    fmt = format_for(name)
    document = fmt.read(data, name, ReadOptions())
    result = check_document(document, Options(use_model=False, **options))
    return document, result, fmt.write(document, result.fixed_units)
