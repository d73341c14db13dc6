"""Inline suppression markers: an editor switches a rule off where it is wrong.

Newsroom files are edited by people who cannot touch the CI configuration, so
a finding that is right to ignore (a brand written `AT&amp;T` on purpose, a
quoted piece of code) must be silenced in the file itself, next to the text.
Every format uses the same words inside its own comment syntax:

    mtqa: ignore RULE[, RULE ...]        the next element / unit only
    mtqa: ignore                         every rule, next element / unit only
    mtqa: ignore-file RULE[, RULE ...]   the whole file
    mtqa: ignore-file                    every rule, the whole file

RULE is any pattern `--ignore` accepts (`entities`, `entities.*`,
`entities.garbled`). Where the marker goes, per format:

- HTML and Markdown: a comment `<!-- mtqa: ignore entities.literal -->`; it
  applies to the next element (HTML: the next start tag and everything inside
  it, including its `alt`/`title` attributes; Markdown: the next block).
- XLIFF 1.2 / 2.0: a `<note>mtqa: ignore RULE</note>` in the unit (1.2
  `<trans-unit>`, 2.0 `<unit>`/`<notes>`) applies to that unit; an XML comment
  `<!-- mtqa: ignore RULE -->` applies to the next unit, and any note or
  comment with `ignore-file` to the whole file.
- PO: a translator comment `# mtqa: ignore RULE` above the entry applies to
  that entry; `# mtqa: ignore-file RULE` in the header entry's comments (or
  any entry) to the whole file.
- Plain text: a line of its own `mtqa: ignore-file RULE` (optionally after
  `#` or `//`) applies to the whole text; plain text has no elements, so there
  is no per-element form. (The plain-text reader calls `plain_text_ignores`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALL_RULES = ("*",)

_MARKER = re.compile(
    r"^\s*mtqa\s*:\s*(?P<scope>ignore-file|ignore)(?=\s|$)(?P<rules>[^\n]*)$",
    re.IGNORECASE,
)
_PLAIN_LINE = re.compile(r"^[ \t]*(?:#|//)?[ \t]*(mtqa\s*:\s*ignore-file\b[^\n]*)$", re.MULTILINE | re.IGNORECASE)
_RULE = re.compile(r"^[A-Za-z0-9_*?.\[\]-]+$")


@dataclass(frozen=True)
class Marker:
    """A parsed marker: which rules, and whether for the file or the next unit."""

    rules: tuple[str, ...]
    whole_file: bool


def parse_marker(text: str) -> Marker | None:
    """The marker a comment/note holds, or None if it holds none.

    Anything after the rule list that is not a rule id (an explanation the
    editor wrote, after `--`) is ignored, so `mtqa: ignore entities -- brand
    name` works.
    """
    match = _MARKER.match(text.strip())
    if not match:
        return None
    words = match.group("rules").split("--", 1)[0].replace(",", " ").split()
    rules = tuple(word for word in words if _RULE.match(word))
    return Marker(rules=rules or ALL_RULES, whole_file=match.group("scope").lower() == "ignore-file")


def plain_text_ignores(text: str) -> tuple[str, ...]:
    """Rules switched off for a whole plain-text file by its marker lines."""
    rules: list[str] = []
    for match in _PLAIN_LINE.finditer(text):
        marker = parse_marker(match.group(1))
        if marker is not None:
            rules.extend(marker.rules)
    return tuple(dict.fromkeys(rules))


def merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """Union of rule tuples, order kept, no duplicates."""
    return tuple(dict.fromkeys(rule for group in groups for rule in group))
