"""Apply accepted suggestions to text.

Kept apart from the checks so that the report can show every suggestion while
only the safe ones (mechanical, or model ones above a confidence bar) change
the text, and so that the edit set is provably non-overlapping.
"""

from __future__ import annotations

from typing import Iterable

from mtqa.findings import Finding


def is_applied(finding: Finding, min_confidence: float) -> bool:
    """Mechanical fixes always apply; model suggestions only when confident."""
    if not finding.suggestions:
        return False
    if finding.origin == "rule":
        return finding.autofix
    return finding.autofix and finding.confidence >= min_confidence


def select_edits(findings: Iterable[Finding], min_confidence: float = 0.9) -> list[Finding]:
    """Pick a non-overlapping set of findings to apply, earliest first.

    Findings arrive sorted by (start, priority), so when two overlap the one
    from the higher-priority family (or the earlier one) wins.
    """
    chosen: list[Finding] = []
    last_end = -1
    for finding in findings:
        if not is_applied(finding, min_confidence):
            continue
        if finding.start < last_end:
            continue
        # Two insertions at the same point would both apply; keep one.
        if chosen and finding.start == finding.end == chosen[-1].end == chosen[-1].start:
            continue
        chosen.append(finding)
        last_end = max(finding.end, finding.start)
    return chosen


def apply_edits(text: str, edits: Iterable[Finding]) -> str:
    """Splice the first suggestion of each edit into the text."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda f: (f.start, f.end)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.suggestions[0])
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)
