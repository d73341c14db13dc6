"""Where a finding lies in its file, in the terms each output format wants.

Findings carry a start line:column in the original file and code-point
offsets in their unit; SARIF, GitHub annotations and the HTML report also
need the end of the span and the unit the offsets refer to. Computing that in
one place keeps the formats from disagreeing about the same finding.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from mtqa.findings import DocumentResult, Finding, TextUnit


@dataclass(frozen=True)
class Region:
    """1-based lines and columns; `end_column` is exclusive (as in SARIF)."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


def jsonl_record(result: DocumentResult) -> tuple[str, int] | None:
    """(JSONL file, line) of a result read from a record of a JSONL export:
    annotations point there (the record id is no file), at the record's line."""
    meta = getattr(result.document, "meta", None) or {}
    if "jsonl" in meta and "line" in meta:
        return str(meta["jsonl"]), int(meta["line"])
    return None


def unit_of(result: DocumentResult, finding: Finding) -> TextUnit | None:
    """The checked unit a finding's offsets refer to."""
    if finding.unit is not None:
        for unit in result.units:
            if unit.id == finding.unit:
                return unit
    if len(result.units) == 1:
        return result.units[0]
    return None


def span_text(finding: Finding, unit: TextUnit | None) -> str:
    """The flagged text; taken from the unit when the offsets fit it."""
    if unit is not None and 0 <= finding.start <= finding.end <= len(unit.text):
        return unit.text[finding.start : finding.end]
    return finding.text


def region(finding: Finding, unit: TextUnit | None) -> Region:
    """Start and end of the finding in the original file.

    The start comes from the finding (the pipeline mapped it into the file).
    The end is the start advanced over the flagged text, which is exact for
    plain text and any span without markup; for markup formats the unit's
    own file mapping places the end after the span's last character.
    """
    if finding.line is not None and finding.column is not None:
        line, column = finding.line, finding.column
    elif unit is not None and unit.position is not None:
        line, column = unit.position(finding.start)
    elif unit is not None:
        before = unit.text[: finding.start]
        newlines = before.count("\n")
        line = unit.line + newlines
        if newlines:
            column = len(before) - before.rfind("\n")
        else:
            column = unit.column + len(before)
    else:
        line, column = 1, 1
    if unit is not None and unit.position is not None and finding.end > finding.start:
        end_line, last_column = unit.position(finding.end - 1)
        return Region(line, column, end_line, last_column + 1)
    text = span_text(finding, unit)
    newlines = text.count("\n")
    if newlines:
        end_line = line + newlines
        end_column = len(text) - text.rfind("\n")
    else:
        end_line = line
        end_column = column + len(text)
    return Region(line, column, end_line, end_column)


def is_plain(result: DocumentResult) -> bool:
    """A document whose one unit is the whole file, character for character."""
    meta = result.document.meta if result.document is not None else {}
    if meta.get("format") not in (None, "text") or len(result.units) != 1:
        return False
    unit = result.units[0]
    return unit.line == 1 and unit.column == 1 and unit.position is None


@lru_cache(maxsize=8)
def _line_starts(source: str) -> tuple[int, ...]:
    starts = [0]
    position = source.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = source.find("\n", position + 1)
    return tuple(starts)


def file_span(result: DocumentResult, finding: Finding, unit: TextUnit | None) -> tuple[int, int] | None:
    """File offsets [start, end) of the finding, when the file holds exactly the flagged text there.

    Only then can a tool replace characters of the file by offset (SARIF
    fixes); inside markup a flagged `'` may be `&#39;` in the file.
    """
    if is_plain(result):
        if unit is not None and 0 <= finding.start <= finding.end <= len(unit.text):
            return finding.start, finding.end
        return None
    source = result.document.meta.get("source") if result.document is not None else None
    if not isinstance(source, str):
        return None
    where = region(finding, unit)
    starts = _line_starts(source)
    if not 1 <= where.start_line <= len(starts):
        return None
    start = starts[where.start_line - 1] + where.start_column - 1
    text = span_text(finding, unit)
    end = start + len(text)
    return (start, end) if source[start:end] == text else None


def artifact_uri(document_id: str) -> str:
    """A URI reference for a document id (a path, `<stdin>` or a JSONL id).

    Relative paths stay relative (code-scanning UIs resolve them against the
    repository root); absolute ones become file: URIs; anything else is
    percent-encoded so it is still a valid URI reference.
    """
    path = document_id
    if "\\" in path and PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_uri()
    path = path.replace("\\", "/")
    if path.startswith("/"):
        return PurePosixPath(posixpath.normpath(path)).as_uri()
    return quote(path, safe="/-._~!$&'()*+,;=@")
