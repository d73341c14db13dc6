"""HTML/XML entities that leaked into text.

MT pipelines escape text before translation (Moses escapes `'` as `&apos;`,
`|` as `&#124;`), escape it twice (`&amp;quot;`), or let the model treat the
entity as words and space it out (`Ma & # 39; arrat`). All of them mean one
character; the fix is that character, joined back where the garbling split a
word.
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from typing import Iterator

from mtqa.findings import Finding, TextUnit
from mtqa.rules import SAFE, CheckContext, Example, define_rule, make_finding, register_check
from mtqa.spans import ClaimedSpans

CATEGORY = "Fluency/Character encoding"

define_rule(
    "entities.literal",
    category=CATEGORY,
    severity="major",
    description="An HTML entity such as &#39;, &eacute; or &nbsp; appears literally in the text.",
    why="The reader sees the code, not the character: `the company&#39;s` on the published page.",
    fix=SAFE,
    examples=[
        Example("The company&#39;s profits rose.", "The company's profits rose."),
        Example("Le caf&eacute; a rouvert.", "Le café a rouvert.", lang="fr"),
    ],
    clean=[
        Example("AT&T and R&D are fine; so is Q&A."),
        Example("Fish & chips cost more this year."),
    ],
)
define_rule(
    "entities.double-escaped",
    category=CATEGORY,
    severity="major",
    description="An entity was escaped twice (&amp;quot;, &amp;#39;).",
    why="A pipeline escaped the text twice; the page shows `&quot;` where a quotation mark belongs.",
    fix=SAFE,
    examples=[
        Example("It was Ma&amp;#39;arrat.", "It was Ma'arrat."),
        Example("The &amp;quot;deal&amp;quot; failed.", 'The "deal" failed.'),
    ],
    clean=[
        Example("Tom & Jerry & friends."),
        Example("The deal failed."),
    ],
)
define_rule(
    "entities.garbled",
    category=CATEGORY,
    severity="major",
    description="An entity was split by spaces during translation (Ma & # 39; arrat).",
    why="MT tokenised an entity it should have kept whole; the name or quotation is broken for the reader.",
    fix=SAFE,
    examples=[
        Example("Troops entered Ma & # 39; arrat on Sunday.", "Troops entered Ma'arrat on Sunday."),
        Example("The rebels & quot; won & quot; the day.", 'The rebels "won" the day.'),
    ],
    clean=[
        Example("Smith & Sons opened a shop; # 39 was its number."),
        Example("Rock & roll is here to stay."),
    ],
)
define_rule(
    "entities.moses-escape",
    category=CATEGORY,
    severity="major",
    description="A Moses tokenizer escape (&quot;, &apos;, &amp;, &#124;, &#91;, &#93;, &lt;, &gt;) left in the output.",
    why="The MT system's tokenizer escaped the text and nothing undid it: the page shows the codes.",
    fix=SAFE,
    examples=[
        Example("It &apos;s a deal.", "It's a deal."),
        Example('He said &quot;no&quot; to the deal.', 'He said "no" to the deal.'),
        Example("Use the pipe &#124; here.", "Use the pipe | here."),
    ],
    clean=[
        Example("It's a deal."),
        Example('He said "no" to the deal.'),
    ],
)

# Named entities an MT system plausibly garbles; a bare `& T ;` is not one.
_COMMON_NAMES = (
    "quot|apos|amp|lt|gt|nbsp|mdash|ndash|hellip|lsquo|rsquo|ldquo|rdquo|laquo|raquo|"
    "bdquo|sbquo|eacute|egrave|agrave|aacute|ccedil|uuml|ouml|auml|szlig|euro|pound|copy|reg|deg"
)
_MOSES = {"&apos;", "&#124;", "&#91;", "&#93;", "&lt;", "&gt;", "&quot;", "&amp;"}

# `&amp;` followed by an entity body: escaped twice (possibly three times).
_DOUBLE = re.compile(r"&(?:amp;)+(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A well-formed entity.
_LITERAL = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Spaced-out forms: `& # 39;`, `& #39 ;`, `&# 39 ;`, `& quot ;`, `&amp; # 39;`.
_GARBLED = re.compile(
    r"&(?:\s*amp\s*;)?(?:\s*#\s*(?P<num>\d{2,5})|\s*#\s*[xX]\s*(?P<hex>[0-9a-fA-F]{2,4})|\s*(?P<name>"
    + _COMMON_NAMES
    + r"))\s*;"
)

_APOSTROPHES = {"'", "\u2019"}
# What may follow an apostrophe inside the same word (English clitics).
_CLITIC = re.compile(r"(?:s|t|re|ve|ll|d|m)\b", re.IGNORECASE)


def _decode(entity: str) -> str | None:
    """The character an entity stands for, or None if it isn't one."""
    decoded = html.unescape(entity)
    if decoded == entity:
        return None
    if "\ufffd" in decoded:
        # `&#0;`, `&#9999999;`, `&#xD800;` (and `&#65533;` itself): no
        # character; decoded, they would be U+FFFD, a lost character that
        # `fix` itself would create. Flagged, not decoded (check_entities).
        return None
    return decoded


def _decode_garbled(match: re.Match[str]) -> str | None:
    if match.group("num"):
        code = int(match.group("num"))
        if not 32 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code)
    if match.group("hex"):
        return chr(int(match.group("hex"), 16))
    name = match.group("name") + ";"
    return html5.get(name)


def _word_before(text: str, position: int) -> str:
    match = re.search(r"\w+$", text[:position])
    return match.group() if match else ""


def _absorb_spaces(text: str, start: int, end: int, char: str, garbled: bool = False) -> tuple[int, int, str]:
    """Widen the span over spaces the garbling introduced around an apostrophe.

    `Ma & # 39; arrat` -> `Ma'arrat`, `Assad & # 39; s` -> `Assad's`, but
    `players & # 39; union` keeps its space -> `players' union`.
    """
    if char not in _APOSTROPHES:
        return start, end, char
    left = start
    while left > 0 and text[left - 1] == " ":
        left -= 1
    right = end
    while right < len(text) and text[right] == " ":
        right += 1
    letter_left = left > 0 and text[left - 1].isalpha()
    letter_right = right < len(text) and text[right].isalpha()
    if not (letter_left and letter_right):
        return start, end, char
    rest = text[right:]
    clitic = bool(_CLITIC.match(rest))
    if not garbled and (right == end) != (left == start) and not clitic:
        # An intact entity spaced on one side only (`say &#39;yes&#39; now`) is
        # a quote mark whose spacing is the writer's, not the garbling's.
        return start, end, char
    joins_right = clitic or not _word_before(text, left).lower().endswith("s")
    if joins_right:
        return left, right, char
    return left, end, char


@register_check("entities.double-escaped", "entities.garbled", "entities.literal", "entities.moses-escape")
def check_entities(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    text = unit.text
    if "&" not in text:
        return
    taken = ClaimedSpans()

    for match in _DOUBLE.finditer(text):
        entity = match.group()
        once = html.unescape(entity)
        decoded = html.unescape(once)
        while "&" in decoded and html.unescape(decoded) != decoded:
            decoded = html.unescape(decoded)
        if decoded == once:
            continue
        if "\ufffd" in decoded:  # `&amp;#0;`: no character under the escapes (see _decode)
            taken.add(match.start(), match.end())
            yield make_finding("entities.double-escaped", unit, match.start(), match.end(),
                               f"Double-escaped entity {entity} stands for no character, or for a lost one", [])
            continue
        start, end, replacement = _absorb_spaces(text, match.start(), match.end(), decoded)
        taken.add(start, end)
        yield make_finding(
            "entities.double-escaped",
            unit,
            start,
            end,
            f"Double-escaped entity {entity} stands for {decoded!r}",
            [replacement],
        )

    for match in _GARBLED.finditer(text):
        if not taken.free(match.start(), match.end()):
            continue
        raw = match.group()
        if _LITERAL.fullmatch(raw):
            continue  # not spaced out: reported as literal below
        decoded = _decode_garbled(match)
        if decoded is None:
            continue
        start, end, replacement = _absorb_spaces(text, match.start(), match.end(), decoded, garbled=True)
        taken.add(start, end)
        yield make_finding(
            "entities.garbled",
            unit,
            start,
            end,
            f"Garbled HTML entity {raw!r} for {_describe(decoded)}",
            [replacement],
        )

    for match in _LITERAL.finditer(text):
        if not taken.free(match.start(), match.end()):
            continue
        entity = match.group()
        decoded = _decode(entity)
        if decoded is None:
            if entity[1] == "#" and html.unescape(entity) != entity:
                taken.add(match.start(), match.end())
                yield make_finding(  # `&#0;`: flagged for an editor, with nothing to put there
                    "entities.literal", unit, match.start(), match.end(),
                    f"Literal HTML entity {entity} stands for no character, or for a lost one", [],
                )
            continue
        rule = "entities.moses-escape" if entity in _MOSES else "entities.literal"
        start, end, replacement = _absorb_spaces(text, match.start(), match.end(), decoded)
        taken.add(start, end)
        kind = "Moses escape" if rule == "entities.moses-escape" else "HTML entity"
        yield make_finding(
            rule,
            unit,
            start,
            end,
            f"Literal {kind} {entity} for {_describe(decoded)}",
            [replacement],
        )


def _describe(char: str) -> str:
    names = {
        "'": "an apostrophe",
        "\u2019": "an apostrophe",
        '"': "a double quote",
        "&": "an ampersand",
        "<": "a less-than sign",
        ">": "a greater-than sign",
        "|": "a vertical bar",
        "[": "an opening bracket",
        "]": "a closing bracket",
        "\u00a0": "a no-break space",
    }
    return names.get(char, repr(char))
