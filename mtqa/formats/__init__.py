"""Input formats. Each maps a file to text units and writes fixes back.

`FORMATS` is the registry the CLI consults; a format is chosen from the file
extension unless `--input-format` names one.
"""

from __future__ import annotations

from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.findings import Document
from mtqa.formats.base import Format, ReadOptions
from mtqa.formats.plain import PlainText
from mtqa.gc_pause import collection_paused

FORMATS: dict[str, Format] = {"text": PlainText()}


def register(format_: Format) -> None:
    FORMATS[format_.name] = format_


def _load_optional() -> None:
    """Formats with optional dependencies register themselves if importable.

    HTML and PO need only the standard library; Markdown needs markdown-it-py
    and XLIFF defusedxml (the `formats` extra). A missing package leaves its
    format out instead of breaking plain-text checks.
    """
    if "html" in FORMATS:
        return
    from mtqa.formats.html import Html
    from mtqa.formats.po import Po

    register(Html())
    register(Po())
    try:
        from mtqa.formats.markdown import Markdown
    except ImportError:
        pass
    else:
        register(Markdown())
    try:
        from mtqa.formats.xliff import Xliff
    except ImportError:
        pass
    else:
        register(Xliff())


# Formats whose package is an optional extra, by extension: without it such a
# file must be refused with the way to read it, never checked as plain text
# (its markup would read as prose, and a fix would be written back as text).
OPTIONAL_FORMATS: dict[str, tuple[str, str]] = {
    **{ext: ("Markdown", "markdown-it-py") for ext in (".md", ".markdown", ".mdown", ".mkd")},
    **{ext: ("XLIFF", "defusedxml") for ext in (".xlf", ".xliff", ".xlf2")},
}


def known_extensions() -> set[str]:
    """Every extension mtqa reads (a directory is walked for these), the
    optional formats' included so that a missing extra is reported, not skipped."""
    _load_optional()
    return {ext for f in FORMATS.values() for ext in f.extensions if ext} | set(OPTIONAL_FORMATS) | {".jsonl"}


def format_for(path: str, override: str | None = None) -> Format:
    _load_optional()
    if override:
        if override not in FORMATS:
            raise MtqaError(f"unknown input format {override!r} (known: {', '.join(sorted(FORMATS))}, jsonl)")
        return FORMATS[override]
    suffix = Path(path).suffix.lower()
    for format_ in FORMATS.values():
        if suffix and suffix in format_.extensions:
            return format_
    if suffix in OPTIONAL_FORMATS:
        name, package = OPTIONAL_FORMATS[suffix]
        raise MtqaError(f"{path}: reading {name} needs {package}: pip install 'mtqa[formats]'")
    return FORMATS["text"]


def read_document(format_: Format, data: bytes, source: str, options: ReadOptions) -> Document:
    """`format_.read`, with the cyclic collector paused (mtqa/gc_pause.py).

    A reader builds objects per tag, entity and run of text, all alive until
    the document is built, and the collector walked them again each time
    they outgrew a generation: reading 1 MB of HTML took 14-17x as long as
    100 KB, 7.5x with the pause."""
    with collection_paused():
        return format_.read(data, source, options)


__all__ = ["FORMATS", "Format", "ReadOptions", "format_for", "read_document", "register"]
