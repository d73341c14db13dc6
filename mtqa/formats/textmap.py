"""Tie a unit's human text to the characters of the file it came from.

Markup formats show the checks a text that is not a slice of the file: tags
are gone, `&amp;` became `&`, a line break plus indentation became one space,
an inline code span became a placeholder. A `TextMap` remembers, piece by
piece, where each character of the unit text came from, so that

- a finding's offset maps back to line:column in the original file, and
- a corrected unit text is written back by replacing only the file characters
  behind the characters that changed: tags, attributes, comments, entities
  that did not change and whitespace layout stay exactly as they were.

Pieces come in three kinds: VERBATIM (the text equals the file characters one
to one), ATOMIC (one or more text characters stand for a file span, e.g. an
entity or a collapsed whitespace run; edited as a whole) and PROTECTED (a
placeholder for something the checks must not change: inline code, an XLIFF
`<ph/>`, a printf placeholder, a line break in Markdown; a change that would
rewrite one is refused whole).
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass
from typing import Callable, Iterable

from mtqa.findings import Document
from mtqa.spans import first_come

VERBATIM, ATOMIC, PROTECTED = "verbatim", "atomic", "protected"
# What a unit text shows in place of an inline object the checks must skip
# (inline code, a standalone XLIFF code). U+FFFC is Unicode's own "object
# replacement character"; checks treat it as an opaque word.
PLACEHOLDER = "\ufffc"

Escape = Callable[[str], str]


def _identity(text: str) -> str:
    return text


class LineIndex:
    """Turn a character offset of a decoded file into 1-based line:column."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        position = text.find("\n")
        while position != -1:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


@dataclass
class Piece:
    start: int  # offsets in the unit text
    end: int
    src_start: int  # offsets in the decoded file
    src_end: int
    kind: str
    escape: Escape = _identity  # how new text is spelled at this place of the file

    def source_of(self, offset: int) -> int:
        """File offset where the text character at `offset` begins."""
        if self.kind == VERBATIM:
            return self.src_start + (offset - self.start)
        return self.src_start

    def source_after(self, offset: int) -> int:
        """File offset just after the text character at `offset`."""
        if self.kind == VERBATIM:
            return self.src_start + (offset - self.start) + 1
        return self.src_end


@dataclass(frozen=True)
class SourceEdit:
    start: int
    end: int
    replacement: str


class TextMapBuilder:
    """Accumulate the pieces of one unit in text order."""

    def __init__(self, lines: LineIndex, anchor: int = 0) -> None:
        self.lines = lines
        self.anchor = anchor  # file offset reported for an empty unit
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def _add(self, text: str, src_start: int, src_end: int, kind: str, escape: Escape) -> None:
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        if (
            kind == VERBATIM
            and last is not None
            and last.kind == VERBATIM
            and last.src_end == src_start
            and last.escape is escape
        ):
            last.end += len(text)
            last.src_end = src_end
        else:
            self.pieces.append(Piece(self.length, self.length + len(text), src_start, src_end, kind, escape))
        self.parts.append(text)
        self.length += len(text)

    def verbatim(self, text: str, src_start: int, escape: Escape = _identity) -> None:
        self._add(text, src_start, src_start + len(text), VERBATIM, escape)

    def atomic(self, text: str, src_start: int, src_end: int, escape: Escape = _identity) -> None:
        self._add(text, src_start, src_end, ATOMIC, escape)

    def protected(self, text: str, src_start: int, src_end: int) -> None:
        self._add(text, src_start, src_end, PROTECTED, _identity)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def last_char(self) -> str:
        for part in reversed(self.parts):
            if part:
                return part[-1]
        return ""

    def is_empty(self) -> bool:
        return self.length == 0

    def trim_trailing(self, chars: str = " ") -> None:
        """Drop trailing whitespace (never protected pieces) from the unit."""
        text = self.text
        while self.pieces:
            piece = self.pieces[-1]
            segment = text[piece.start : piece.end]
            stripped = segment.rstrip(chars)
            if stripped == segment or piece.kind == PROTECTED:
                break
            if not stripped:
                self.pieces.pop()
                continue
            if piece.kind == VERBATIM:
                cut = len(segment) - len(stripped)
                piece.end -= cut
                piece.src_end -= cut
            break
        end = self.pieces[-1].end if self.pieces else 0
        self.parts = [text[:end]]
        self.length = end

    def build(self) -> "TextMap":
        return TextMap(self.text, list(self.pieces), self.lines, self.anchor)


class TextMap:
    """The finished map of one unit: positions and write-back edits."""

    def __init__(self, text: str, pieces: list[Piece], lines: LineIndex, anchor: int = 0) -> None:
        self.text = text
        self.pieces = pieces
        self.lines = lines
        self.anchor = anchor
        self._starts = [piece.start for piece in pieces]

    def _piece_at(self, offset: int) -> Piece | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        piece = self.pieces[index]
        return piece if piece.start <= offset < piece.end else None

    def source_offset(self, offset: int) -> int:
        """File offset of the text character at `offset` (the end maps to after the last)."""
        if not self.pieces:
            return self.anchor
        if offset >= len(self.text):
            return self.pieces[-1].src_end
        piece = self._piece_at(max(offset, 0))
        return piece.source_of(offset) if piece else self.pieces[0].src_start

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the original file of text offset `offset`."""
        return self.lines.position(self.source_offset(offset))

    def edits(self, new_text: str) -> list[SourceEdit]:
        """File edits that turn this unit's text into `new_text`, markup untouched."""
        if new_text == self.text:
            return []
        matcher = difflib.SequenceMatcher(None, self.text, new_text, autojunk=False)
        result: list[SourceEdit] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                result.extend(self._edit(i1, i2, new_text[j1:j2]))
        return result

    def _edit(self, i1: int, i2: int, replacement: str) -> Iterable[SourceEdit]:
        old = self.text
        # An atomic piece (an entity, a collapsed whitespace run) is rewritten whole.
        first = self._piece_at(i1) if i1 < len(old) else None
        if first is not None and first.kind == ATOMIC and first.start < i1:
            replacement = old[first.start : i1] + replacement
            if i2 == i1:
                replacement += old[i1 : first.end]
                i2 = first.end
            i1 = first.start
        last = self._piece_at(i2 - 1) if i2 > i1 else None
        if last is not None and last.kind == ATOMIC and last.end > i2:
            replacement += old[i2 : last.end]
            i2 = last.end
        if i1 == i2:
            anchor = self._insertion_point(i1)
            if anchor is None:
                return []
            position, escape = anchor
            return [SourceEdit(position, position, escape(replacement))]
        covered = [piece for piece in self.pieces if piece.end > i1 and piece.start < i2]
        if any(piece.kind == PROTECTED for piece in covered):
            return []  # the change would rewrite a placeholder or line break: refuse it whole
        spans: list[tuple[int, int, Escape]] = []
        for piece in covered:
            lo, hi = max(i1, piece.start), min(i2, piece.end)
            start, end = piece.source_of(lo), piece.source_after(hi - 1)
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end, spans[-1][2])
            else:
                spans.append((start, end, piece.escape))
        if not spans:
            return []
        edits = [SourceEdit(spans[0][0], spans[0][1], spans[0][2](replacement))]
        edits.extend(SourceEdit(start, end, "") for start, end, _ in spans[1:])
        return edits

    def _insertion_point(self, offset: int) -> tuple[int, Escape] | None:
        """Where new text goes: after the preceding editable character, else before the next."""
        if offset > 0:
            before = self._piece_at(offset - 1)
            if before is not None and before.kind != PROTECTED:
                return before.source_after(offset - 1), before.escape
        after = self._piece_at(offset) if offset < len(self.text) else None
        if after is not None and after.kind != PROTECTED:
            return after.source_of(offset), after.escape
        return None


def apply_source_edits(source: str, edits: Iterable[SourceEdit]) -> str:
    """Apply non-overlapping file edits; an edit overlapping an earlier one is dropped."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    out: list[str] = []
    cursor = 0
    for edit in first_come(ordered, lambda edit: (edit.start, edit.end), one_insertion_per_point=False):
        out.append(source[cursor : edit.start])
        out.append(edit.replacement)
        cursor = edit.end
    out.append(source[cursor:])
    return "".join(out)


def write_back(document: Document, fixed_units: list[str]) -> bytes:
    """Apply each unit's changes to the original characters; everything else stays."""
    source: str = document.meta["source"]
    maps: list[TextMap] = document.meta["maps"]
    if len(fixed_units) != len(maps):
        raise ValueError(f"{document.id}: got {len(fixed_units)} fixed units for {len(maps)} units")
    edits = [edit for text_map, fixed in zip(maps, fixed_units) for edit in text_map.edits(fixed)]
    return apply_source_edits(source, edits).encode(document.meta.get("encoding", "utf-8"))
