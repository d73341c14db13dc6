"""Unified diff of each document's original and corrected text.

A reviewer reads the proposed fixes the way they read any change, and
`patch -p1` or `git apply` can apply it: paths are a/ID and b/ID, and a last
line without a newline is marked the way diff(1) marks it. For markup formats
(HTML, Markdown, XLIFF, PO) the diff is of the whole file as `mtqa fix` would
write it, so the patch applies to the file and shows that markup stays put.
"""

from __future__ import annotations

import difflib

from mtqa.errors import MtqaError
from mtqa.findings import DocumentResult
from mtqa.formats import FORMATS
from mtqa.report import ReportContext, register

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    """Split at line feeds only: str.splitlines would also split at U+2028 or
    form feeds, which diff(1) and patch(1) treat as ordinary characters."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified(original: str, fixed: str, name: str) -> str:
    """One file's diff ('' when nothing changed)."""
    if original == fixed:
        return ""
    pieces = []
    for line in difflib.unified_diff(_lines(original), _lines(fixed), f"a/{name}", f"b/{name}"):
        if line.startswith(("---", "+++")):
            pieces.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            pieces.append(line)
        else:
            pieces.append(line + "\n" + NO_NEWLINE)
    return "".join(pieces)


def file_texts(result: DocumentResult) -> tuple[str, str]:
    """(original, fixed) text of the whole file where the format can write it back."""
    document = result.document
    meta = document.meta if document is not None else {}
    source, name = meta.get("source"), meta.get("format")
    if document is not None and isinstance(source, str) and name:
        writer = FORMATS.get(name)
        if writer is not None:
            try:
                fixed = writer.write(document, result.fixed_units)
                return source, fixed.decode(meta.get("encoding", "utf-8"))
            except (MtqaError, ValueError, UnicodeDecodeError):
                pass  # fall back to the checked text
    return result.original_text, result.fixed_text


@register("diff")
def render_diff(results: list[DocumentResult], context: ReportContext) -> str:
    pieces = []
    for result in results:
        if not result.error:
            original, fixed = file_texts(result)
            pieces.append(unified(original, fixed, result.id.replace("\\", "/")))
    return "".join(pieces)
