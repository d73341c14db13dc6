"""Tokens a translation must carry over unchanged: links, addresses,
handles, hashtags and placeholders.

`https://example.org/a`, `press@example.org`, `@handle`, `#Hashtag`,
`{name}`, `{{var}}`, `%s`, `%1$d`, `%(name)s`, `#PRS_ORG#` (the anonymised
names of WMT test data). A translation keeps the same set, each as often:
a link that points elsewhere or a placeholder that vanished breaks the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_URL = r"(?P<url>(?:https?://|www\.)[^\s<>\"“”«»]+)"
_EMAIL = r"(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_PLACEHOLDER = (r"(?P<placeholder>#[A-Z][A-Z0-9_]*#|\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}"
                r"|(?<![\w%])%(?:\d+\$)?[-+0#]?\d*(?:\.\d+)?[sdifuxXeEgGc](?![^\W\d_])|%\([\w]+\)[sdif])")
_HANDLE = r"(?P<handle>(?<![\w@])@\w{2,})"
_HASHTAG = r"(?P<hashtag>(?<![\w#&])#[^\W\d_]\w*)"
_TOKEN = re.compile("|".join((_URL, _EMAIL, _PLACEHOLDER, _HANDLE, _HASHTAG)))
# Without `@` in the text there is no address or handle, and the address
# pattern, tried at every word, is most of the cost.
# Each of these starts with one of `h w # { %`: the look-ahead lets the
# pattern skip every other position at once (a WMT22 article: 3.7x faster).
_TOKEN_WITHOUT_AT = re.compile("(?=[hw#{%])(?:" + "|".join((_URL, _PLACEHOLDER, _HASHTAG)) + ")")
_TRAILING = ".,;:!?)]}'’\""  # punctuation that ends a sentence, not a link


@dataclass(frozen=True)
class Token:
    kind: str  # url, email, placeholder, handle, hashtag
    start: int
    end: int
    text: str


_MARKS = ("://", "www.", "@", "#", "{", "%")  # every token holds one of these


def tokens(text: str) -> list[Token]:
    """The carried-over tokens of a text, in order."""
    if not any(mark in text for mark in _MARKS):
        return []  # most sentences: no need to run the pattern over them
    found = []
    for match in (_TOKEN if "@" in text else _TOKEN_WITHOUT_AT).finditer(text):
        kind = match.lastgroup or "url"
        start, end = match.span()
        if kind == "url":
            while end > start and text[end - 1] in _TRAILING:
                end -= 1
        found.append(Token(kind, start, end, text[start:end]))
    return found


def unmatched(source: list[Token], target: list[Token]) -> tuple[list[Token], list[Token]]:
    """Source tokens the target lacks and target tokens the source lacks
    (hashtags compared without case: `#brexit` is `#Brexit`)."""
    return _lacking(source, target), _lacking(target, source)


def _key(token: Token) -> str:
    return token.text.casefold() if token.kind == "hashtag" else token.text


def _lacking(tokens: list[Token], others: list[Token]) -> list[Token]:
    """The tokens of `tokens` that `others` does not hold as often."""
    left = Counter(_key(t) for t in others)
    lacking = []
    for token in tokens:
        if left[_key(token)] > 0:
            left[_key(token)] -= 1
        else:
            lacking.append(token)
    return lacking


__all__ = ["Token", "tokens", "unmatched"]
