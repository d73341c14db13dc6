"""Pairing of quotation marks and brackets within a paragraph.

A stray space next to a quote mark can only be repaired once we know whether
the mark opens or closes: `will " no desire . "` has a space on both sides of
both marks. Pairing answers that. Everything here is deliberately timid: a
paragraph whose marks do not pair cleanly, or whose context contradicts the
pairing, gets no repair at all, because a wrong "fix" on correct text is
worse than a missed one. Unpaired marks are reported (no fix), except where
news style leaves them open on purpose: a quotation that runs on into the
next paragraph, which then opens again with a quote mark.

Functions return `SpacingEdit`s; `mtqa.checks.spacing` turns them into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from mtqa.checks.spacing_lang import Profile

_HSPACE = " \t\u00a0\u202f\u2009"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A mark after these may still open a quotation (`(“`, `—"`).
_OPEN_CONTEXT = frozenset("([{<\u2014\u2013-/\u00ab\u201e\u201c\u2018\u201a\u300c\u300e\uff08:")
# A mark before these may still close one (`",`, `").`).
_CLOSE_CONTEXT = frozenset(",.;:!?)]}>\u2026\u2014\u2013-'\u2019\u201d\u00bb\u3001\u3002")
_NEVER_CLOSES = frozenset("\u201e\u201a")
_BRACKETS = {"(": ")", "[": "]", "{": "}", "\uff08": "\uff09", "\u3010": "\u3011", "\u3014": "\u3015"}
_CLOSING_BRACKETS = {close: open_ for open_, close in _BRACKETS.items()}
_BRACKET_CHARS = re.compile("[" + re.escape("".join(_BRACKETS) + "".join(_CLOSING_BRACKETS)) + "]")
# `1)`, `a)`, `iv)` as list markers, and emoticons: brackets that pair with nothing.
_LIST_MARKER = re.compile(r"(?:^|(?<=[\s(]))(?:\d{1,3}|[^\W\d_]{1,2}|[ivxIVX]{1,4}|\d{1,2}[^\W\d_])\)")
_EMOTICON = re.compile(r"[:;=]['-]?[()]|\([:;]")
_BRACKET_RUN = re.compile(r"\){2,}|\({2,}")
# Full-width and ASCII brackets pair with each other (`（YUV)` is a glyph slip, not a stray).
_SAME_BRACKET = {"\uff08": "(", "\uff09": ")"}


@dataclass(frozen=True)
class SpacingEdit:
    """A repair (replacement is a string) or a flag (replacement is None)."""

    kind: str
    start: int
    end: int
    replacement: str | None
    message: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated blocks if the text has any, else lines.

    Quotations may span hard-wrapped lines of one paragraph, but news text
    with one paragraph a line has no blank lines at all.
    """
    if _BLANK_LINE.search(text):
        spans = []
        position = 0
        for match in _BLANK_LINE.finditer(text):
            spans.append((position, match.start()))
            position = match.end()
        spans.append((position, len(text)))
    else:
        spans = []
        position = 0
        for line in text.split("\n"):
            spans.append((position, position + len(line)))
            position += len(line) + 1
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _starts_with_quote(text: str, span: tuple[int, int], marks: str) -> bool:
    stripped = text[span[0] : span[1]].lstrip(" \t\u2014\u2013-")
    return bool(stripped) and stripped[0] in marks


@dataclass
class _Mark:
    index: int
    open_like: bool
    close_like: bool


def _classify(text: str, index: int, start: int, end: int) -> _Mark:
    """Open-like: `␣"word`; close-like: `word"␣`. At a paragraph edge the edge decides."""
    before = text[index - 1] if index > start else ""
    after = text[index + 1] if index + 1 < end else ""
    if not before and after:
        return _Mark(index, open_like=True, close_like=False)
    if not after and before:
        return _Mark(index, open_like=False, close_like=True)
    before_gap = not before or before.isspace() or before in _OPEN_CONTEXT
    after_gap = not after or after.isspace() or after in _CLOSE_CONTEXT
    return _Mark(index, open_like=before_gap and not after_gap, close_like=after_gap and not before_gap)


def _space_after(text: str, index: int, end: int) -> int:
    """End of the horizontal-space run after `index` (== index + 1 if none)."""
    position = index + 1
    while position < end and text[position] in _HSPACE:
        position += 1
    return position


def _space_before(text: str, index: int, start: int) -> int:
    """Start of the horizontal-space run before `index` (== index if none)."""
    position = index
    while position > start and text[position - 1] in _HSPACE:
        position -= 1
    return position


class _Neighbours:
    """Whether a paragraph's loose ends are excused by the paragraphs around it.

    A unit that is one paragraph may be one segment of a longer text (a
    sentence of a CMS export, an HTML <p>): a quotation may have begun before
    it or go on after it, so its loose ends are not errors.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], marks: str) -> None:
        self.text = text
        self.spans = spans
        self.marks = marks
        self.single = len(spans) == 1

    def trailing_open_ok(self, number: int) -> bool:
        """An unclosed quote at the end is news style if the next paragraph reopens it."""
        if number + 1 >= len(self.spans):
            return False
        return _starts_with_quote(self.text, self.spans[number + 1], self.marks)


def straight_quotes(
    text: str, spans: list[tuple[int, int]], profile: Profile, tokenized: frozenset[int] = frozenset()
) -> Iterator[SpacingEdit]:
    """Repair `" text "` to `"text"` by pairing straight double quotes.

    In a tokenized paragraph an odd quote is read the way a detokenizer
    reads it: the one left over opens a quotation that goes on after the
    paragraph, or (at the very end) closes one that began before it.
    """
    neighbours = _Neighbours(text, spans, '"\u201c\u201e\u00ab\u00bb\u201d')
    previous_open = False
    for number, (start, end) in enumerate(spans):
        first = text.find('"', start, end)
        if first < 0:
            previous_open = False
            continue
        marks = []
        index = first
        while index >= 0:
            before = text[index - 1] if index > start else ""
            after = text[index + 1] if index + 1 < end else ""
            if not (before.isalnum() and after.isalnum()) or _opens_after_prefix(text, index, end):
                marks.append(_classify(text, index, start, end))
            index = text.find('"', index + 1, end)
        if len(marks) % 2:
            inches = [m for m in marks if m.index > start and text[m.index - 1].isdigit() and not m.open_like]
            if len(inches) == 1:
                marks.remove(inches[0])
        if len(marks) % 2:
            edit, previous_open = _unpaired(text, marks, number, neighbours, previous_open)
            if edit:
                yield edit
            if start in tokenized and not profile.spaced_straight_quotes:
                yield from _tokenized_odd_quotes(text, marks, start, end)
            elif len(marks) == 1 and not profile.spaced_straight_quotes:
                yield from _lone_spaced_quote(text, marks[0].index, start, end)
            continue
        previous_open = False
        if not marks:
            continue
        opening = marks[0::2]
        closing = marks[1::2]
        if any(m.close_like for m in opening) or any(m.open_like for m in closing):
            continue  # the context contradicts the pairing: leave it to a human
        if profile.spaced_straight_quotes:
            continue
        for open_mark, close_mark in zip(opening, closing):
            yield from _inner_spaces(text, open_mark.index, close_mark.index, "quote-inner", "quotation marks")


def _tokenized_odd_quotes(text: str, marks: list[_Mark], start: int, end: int) -> Iterator[SpacingEdit]:
    if any(m.open_like or m.close_like for m in marks[1:-1]):
        return  # a tokenizer leaves spaces on both sides; a mark with one-sided context is typed text
    last = marks[-1]
    if _space_after(text, last.index, end) < end:
        paired, leftover, left = marks[:-1], last, False  # `dass " die Misshandlung ...`
    else:
        paired, leftover, left = marks[1:], marks[0], True  # `... so . "` closing a quotation
    yield from _attach(text, leftover.index, start, end, left=left, kind="quote-inner")
    for open_mark, close_mark in zip(paired[0::2], paired[1::2]):
        yield from _inner_spaces(text, open_mark.index, close_mark.index, "quote-inner", "quotation marks")


_ENDS_A_SENTENCE = ".!?,;…"


def _lone_spaced_quote(text: str, index: int, start: int, end: int) -> Iterator[SpacingEdit]:
    """A paragraph's only quote, spaced on both sides as a tokenizer leaves
    it, of a quotation that spans lines: `erklärte : " Wir werden` opens
    one (after a colon or at the start), `beginnen . "` and `morgen . "
    Dann` close one (after the end of a sentence), and so does `Alles " ,
    sagte sie` (a word, then punctuation). Anything else (an inch mark
    `6 " tall`, a quote between words) is left alone."""
    before = _space_before(text, index, start)
    after = _space_after(text, index, end)
    spaced_before = before < index or index == start
    spaced_after = after > index + 1 or index + 1 == end
    if not (spaced_before and spaced_after) or (before == index and after == index + 1):
        return
    previous = text[before - 1] if before > start else ""
    following = text[after] if after < end else ""
    if previous and previous in _ENDS_A_SENTENCE and before < index:
        yield from _attach(text, index, start, end, left=True, kind="quote-inner")  # closes: `. "` -> `."`
    elif previous.isalpha() and before < index and following and following in _ENDS_A_SENTENCE:
        # closes before the reporting clause: `Alles " , sagte sie` -> `Alles ", sagte sie`
        yield from _attach(text, index, start, end, left=True, kind="quote-inner")
    elif (not previous or previous == ":") and after < end and text[after].isalpha():
        yield from _attach(text, index, start, end, left=False, kind="quote-inner")  # opens: `: " Wir` -> `: "Wir`


_WORD_TAIL = re.compile(r"\w{3,}")


def _opens_after_prefix(text: str, index: int, end: int) -> bool:
    """`ו"להפריע"`: a quote after a one-letter Hebrew prefix, unlike the gershayim of `צה"ל`."""
    return _WORD_TAIL.match(text, index + 1, end) is not None


def _unpaired(
    text: str, marks: list[_Mark], number: int, neighbours: _Neighbours, previous_open: bool
) -> tuple[SpacingEdit | None, bool]:
    """Flag an odd quote unless news style explains it; also say if we end open.

    A unit of one paragraph may be a sentence of a longer quotation, so its
    odd quote is never an error. In an article, a paragraph may leave a
    quotation open when the next one reopens it, and the paragraph after an
    open one may close it.
    """
    last, first = marks[-1], marks[0]
    if neighbours.single:
        return None, last.open_like
    if neighbours.trailing_open_ok(number) and not last.close_like:
        return None, True
    if previous_open and first.close_like:
        return None, False
    if last.open_like:
        culprit = last
    elif first.close_like:
        culprit = first
    else:
        culprit = next((m for m in marks if not (m.open_like or m.close_like)), last)
    edit = SpacingEdit(
        "unbalanced-quote",
        culprit.index,
        culprit.index + 1,
        None,
        "Quotation mark without a partner in this paragraph",
    )
    return edit, False


def _inner_spaces(text: str, open_index: int, close_index: int, kind: str, what: str) -> Iterator[SpacingEdit]:
    """Edits removing spaces just inside a matched pair (never emptying it)."""
    after_open = _space_after(text, open_index, close_index)
    if after_open > open_index + 1 and after_open < close_index:
        mark = text[open_index]
        yield SpacingEdit(kind, open_index, after_open, mark, f"Space after the opening {what}")
    before_close = _space_before(text, close_index, open_index + 1)
    if before_close < close_index and before_close > after_open:
        mark = text[close_index]
        yield SpacingEdit(kind, before_close, close_index + 1, mark, f"Space before the closing {what}")


def curly_quotes(text: str, spans: list[tuple[int, int]], profile: Profile) -> Iterator[SpacingEdit]:
    """Pair the language's typographic quotes; repair inner spaces, flag strays."""
    if not profile.quotes:
        return
    chars = profile.openers | profile.closers
    finder = re.compile("[" + re.escape("".join(sorted(chars))) + "]")
    foreign = re.compile(
        "[" + re.escape("".join(sorted(set("\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d") - chars))) + "]"
    )
    neighbours = _Neighbours(text, spans, "".join(sorted(profile.openers)) + '"')
    previous_open = False
    for number, (start, end) in enumerate(spans):
        found = list(finder.finditer(text, start, end))
        if not found:
            previous_open = False
            continue
        stack: list[int] = []
        pairs: list[tuple[int, int]] = []
        stray_closers: list[int] = []
        for match in found:
            index = match.start()
            mark = text[index]
            if stack and mark in profile.quotes[text[stack[-1]]]:
                pairs.append((stack.pop(), index))
            elif mark in profile.quotes:
                stack.append(index)
            else:
                stray_closers.append(index)
        if not stack and not stray_closers:
            previous_open = False
            for open_index, close_index in pairs:
                if text[open_index] in profile.spaced_quotes or text[close_index] in profile.spaced_quotes:
                    continue
                yield from _inner_spaces(text, open_index, close_index, "quote-inner", "quotation mark")
            continue
        toggled = _toggle_pairs(text, [match.start() for match in found], start, end)
        if toggled is not None:
            # Balanced, only with the wrong glyph somewhere (`“Rumours“`): pair by position.
            previous_open = False
            for open_index, close_index in toggled:
                if text[open_index] in profile.spaced_quotes or text[close_index] in profile.spaced_quotes:
                    continue
                yield from _inner_spaces(text, open_index, close_index, "quote-inner", "quotation mark")
            continue
        if foreign.search(text, start, end):
            previous_open = False
            continue  # mixed conventions (an English quote in German text): don't guess
        if neighbours.single:
            continue  # one sentence of a longer quotation, maybe: its loose ends prove nothing
        excused_close = len(stray_closers) == 1 and not stack and previous_open
        excused_open = len(stack) == 1 and not stray_closers and neighbours.trailing_open_ok(number)
        previous_open = bool(stack)
        culprits = [] if excused_close else stray_closers
        culprits += [] if excused_open else stack
        for index in sorted(culprits):
            yield SpacingEdit(
                "unbalanced-quote",
                index,
                index + 1,
                None,
                f"Quotation mark {text[index]} without a partner in this paragraph",
            )


def _toggle_pairs(text: str, indices: list[int], start: int, end: int) -> list[tuple[int, int]] | None:
    """Pair marks first-second, third-fourth... if every mark's context says so."""
    if len(indices) % 2:
        return None
    marks = [_classify(text, index, start, end) for index in indices]
    if not all(m.open_like for m in marks[0::2]) or not all(m.close_like for m in marks[1::2]):
        return None
    if any(text[m.index] in _NEVER_CLOSES for m in marks[1::2]):
        return None  # `„unterzeichnetes „`: a wrong glyph, not only a stray space
    return [(a.index, b.index) for a, b in zip(marks[0::2], marks[1::2])]


def brackets(text: str, spans: list[tuple[int, int]], tokenized: frozenset[int] = frozenset()) -> Iterator[SpacingEdit]:
    """Repair `( text )` to `(text)`; flag brackets that pair with nothing.

    In a tokenized paragraph (`tokenized` holds paragraph starts) even an
    unpaired bracket got its space from the tokenizer: `illiterate ) ,`.
    """
    for start, end in spans:
        found = list(_BRACKET_CHARS.finditer(text, start, end))
        if not found:
            continue
        loose = _loose_brackets(text, start, end)
        stack: list[int] = []
        pairs: list[tuple[int, int]] = []
        strays: list[int] = []
        for match in found:
            index = match.start()
            mark = _SAME_BRACKET.get(text[index], text[index])
            pending = bool(stack) and _SAME_BRACKET.get(text[stack[-1]], text[stack[-1]]) == _CLOSING_BRACKETS.get(mark)
            if index in loose and not pending:
                continue  # `a)` list marker or `:)` with nothing open: not a bracket
            if mark in _BRACKETS:
                if index in loose:
                    continue  # `:(`
                stack.append(index)
            elif pending:
                pairs.append((stack.pop(), index))
            else:
                strays.append(index)
        if start in tokenized:
            for index in strays:
                yield from _attach(text, index, start, end, left=True)
            for index in stack:
                yield from _attach(text, index, start, end, left=False)
        if len(spans) == 1:
            # One segment of a longer text: a bracket may have opened before it
            # (closers before any opener) or close after it (openers after any closer).
            first_open = min([index for index, _ in pairs] + stack, default=end)
            last_close = max([index for _, index in pairs] + strays, default=start)
            strays = [index for index in strays if index > first_open]
            stack = [index for index in stack if index < last_close]
        strays.extend(stack)
        for index in sorted(strays):
            yield SpacingEdit(
                "unbalanced-bracket",
                index,
                index + 1,
                None,
                f"Bracket {text[index]} without a partner in this paragraph",
            )
        if strays and start not in tokenized:
            continue
        for open_index, close_index in pairs:
            yield from _inner_spaces(text, open_index, close_index, "bracket-inner", "bracket")


def _attach(
    text: str, index: int, start: int, end: int, *, left: bool, kind: str = "bracket-inner"
) -> Iterator[SpacingEdit]:
    """Join a tokenizer-spaced mark to its word: `word )` -> `word)`, `( word` -> `(word`."""
    mark = text[index]
    if left:
        gap = _space_before(text, index, start)
        if start < gap < index:
            yield SpacingEdit(kind, gap, index + 1, mark, f"Space before {mark!r}")
    else:
        gap = _space_after(text, index, end)
        if index + 1 < gap < end:
            yield SpacingEdit(kind, index, gap, mark, f"Space after {mark!r}")


def _loose_brackets(text: str, start: int, end: int) -> set[int]:
    """Brackets that may pair with nothing: list markers `1)` `а)`, emoticons `:)` `)))`."""
    loose: set[int] = set()
    segment = text[start:end]
    if ")" in segment:
        for match in _LIST_MARKER.finditer(segment):
            loose.add(start + match.end() - 1)
    if ":" in segment or ";" in segment or "=" in segment:
        for match in _EMOTICON.finditer(segment):
            bracket = match.start() if segment[match.start()] == "(" else match.end() - 1
            loose.add(start + bracket)
    if "))" in segment or "((" in segment:
        for match in _BRACKET_RUN.finditer(segment):
            loose.update(range(start + match.start(), start + match.end()))
    return loose
