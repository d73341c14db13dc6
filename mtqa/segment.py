"""Sentence segmentation with offsets.

Checks that reason about sentences (language, fluency) need spans they can map
back to the unit text; a light rule-based splitter is enough for news prose and
keeps offsets exact.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Span(NamedTuple):
    """A stretch of a text and where it lies. (A named tuple: immutable, and
    made several times faster than a frozen dataclass; the bilingual
    alignment makes one per sentence and paragraph of both sides.)"""

    start: int
    end: int
    text: str


# A sentence ends at terminal punctuation (optionally followed by closing
# quotes/brackets) before whitespace, or at a CJK full stop, or at a newline.
_BOUNDARY = re.compile(
    r"""(?<=[.!?…])(?P<closers>[\"'”’»)\]]*)\s+(?=[^\s\da-z])"""  # Latin-style: '. Next'
    r"""|(?<=[。！？])"""  # CJK: no space follows
    r"""|\n+""",
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|Nr|Abs|Art|bzw|ca|Dr|Hr|Fr|etc|z\.B|u\.a|S|M|Mme|Mlle|p|pp|St)\.|\b[A-Z]\.)$"
)
# German writes the day of a date as an ordinal (`am 12. Mai`, `im 19.
# Jahrhundert`); the capitalised word after it would otherwise start a
# sentence. Only German month names (and `Jahrhundert`) follow: `rose to
# 12. Police said` still ends at the number.
_DAY = re.compile(r"(?<!\d)\d{1,2}\.$")
_MONTH = re.compile(r"(?:Januar|Jänner|Februar|Feber|März|April|Mai|Juni|Juli|August|September|Oktober|November"
                    r"|Dezember|Jahrhunderts?|Jahrtausends?)\b")
# The abbreviation test reads only a sentence's last characters (the
# longest abbreviation, `Mlle.`, and the character before it, which `\b`
# sees even before the search's start): a search over the whole sentence
# cost a scan of every sentence to its end.
_ABBREVIATION_TAIL = 8


def sentences(text: str) -> list[Span]:
    """Split into sentence spans; whitespace between sentences is dropped."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group("closers") or "")
        if "\n" not in match.group() and _ABBREVIATION.search(text, max(start, end - _ABBREVIATION_TAIL), end):
            continue
        if "\n" not in match.group() and _DAY.search(text, max(start, end - 4), end) \
                and _MONTH.match(text, match.end()):
            continue  # `am 12. Mai`: a German date, its day written as an ordinal
        _append(spans, text, start, end)
        start = match.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))


_WORD = re.compile(r"\w+", re.UNICODE)


def word_count(text: str) -> int:
    """Words for per-1,000-word rates; CJK text counts characters / 2."""
    words = len(_WORD.findall(text))
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return max(words, cjk // 2)
