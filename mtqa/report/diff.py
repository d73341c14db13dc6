"""Unified diff of each document's original and corrected text.

A reviewer reads the proposed fixes the way they read any change, and
`patch -p1` or `git apply` can apply it: paths are a/ID and b/ID, and a last
line without a newline is marked the way diff(1) marks it.
"""

from __future__ import annotations

import difflib

from mtqa.findings import DocumentResult
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


@register("diff")
def render_diff(results: list[DocumentResult], context: ReportContext) -> str:
    return "".join(unified(r.original_text, r.fixed_text, r.id.replace("\\", "/")) for r in results if not r.error)
