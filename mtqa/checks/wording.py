"""Calques and false friends of MT in English: a source language's idiom
put word for word into English (`in the frame of` for `im Rahmen` / `dans le
cadre de`, `since three years` for `seit drei Jahren`, `discussed about` for
`discuté de`), or a word that looks like the source's and means something
else (`became a letter` for `bekam einen Brief`).

What the fluency model misses because each word is likely enough, a
pattern sees: these phrasings are rare in edited English and common in
weak MT (LanguageTool keeps rules of the same kind). Each pattern is written
narrowly, with the native phrasings it could be mistaken for left out
(`in the frame of mind`, `was informed that`, `since two years ago`,
`the answer to the question`), and every one was checked against the
clean English news and the WMT22 English references.

`wording.calque` is suggested, never applied: the idiom depends on what the
source meant. `wording.calque-grammar` (a calque that breaks English
grammar, with one repair) is applied by `mtqa fix --unsafe-fixes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from mtqa.findings import Finding, TextUnit
from mtqa.rules import DISPLAY_ONLY, UNSAFE, CheckContext, Example, define_rule, make_finding, register_check

define_rule(
    "wording.calque",
    category="Style/Awkward",
    severity="minor",
    description="A calque or false friend of MT: another language's idiom word for word in English "
    "(in the frame of, the police informed that, became a letter, assisted at the meeting).",
    why="Each word is English, so spelling and grammar checks pass it; a reader stumbles, and a false "
    "friend says something else (became a letter: received one).",
    fix=DISPLAY_ONLY,
    languages=("en",),
    examples=[
        Example("In the frame of the talks, both sides agreed to a ceasefire."),
        Example("The police informed that the road was closed."),
    ],
    clean=[
        Example("He was informed that the talks had failed, and in that frame of mind he left."),
        Example("She has lived there since two years ago; the answer to the question is no."),
    ],
)
define_rule(
    "wording.calque-grammar",
    category="Fluency/Grammar",
    severity="minor",
    description="A calque that breaks English grammar, with one repair (since three years, discussed about, "
    "explained me that, the three last): applied with --unsafe-fixes.",
    why="The repair is the English construction the source's grammar pushed aside; it is unsafe only "
    "because a writer may have meant something else (since three years ago).",
    fix=UNSAFE,
    languages=("en",),
    examples=[
        Example("The mayor lives in the city since three years."),
        Example("The two delegations discussed about the border in the three last days."),
    ],
    clean=[
        Example("She has lived there since two years ago; the answer to the question is no."),
        Example("They discussed the border in the last three days and explained to me that it was closed."),
    ],
)

_NUMBER_WORDS = r"(?:\d+|a few|a couple of|several|many|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_SPANS = r"(?:years|months|weeks|days|hours|decades)"
_PASSIVE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "getting",
                      "keep", "keeps", "kept", "well", "not", "fully", "duly", "also"})
_WORD_BEFORE = re.compile(r"([\w'-]+)[\s-]+$")


def _passive(text: str, match: re.Match) -> bool:
    """`was informed that`, `well-informed that`: the person informed is the subject."""
    before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return bool(before) and _folded(before.group(1)) in _PASSIVE


@dataclass(frozen=True)
class Calque:
    """A pattern, its message, and the idiom it suggests for a match.
    `needs`: words of which every match holds one, case-folded (the text
    is searched only where one stands: a search per pattern over every
    English text was a third of the mechanical check's time)."""

    needs: tuple[str, ...]
    pattern: re.Pattern
    message: str
    suggest: Callable[[re.Match], str]
    unless: Callable[[str, re.Match], bool] | None = None  # a native phrasing the pattern also matches
    rule: str = "wording.calque"  # wording.calque-grammar: one repair, applied with --unsafe-fixes


def _keep_case(written: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if written[:1].isupper() else replacement


def _past(verb: str, present: str, past: str, third: str) -> str:
    """The replacement verb in the form of the written one."""
    if verb.endswith("ed") or verb in ("made", "became"):
        return past
    if verb.endswith("s"):
        return third
    return present


CALQUES: tuple[Calque, ...] = (
    Calque(("in the frame of",),
           re.compile(r"\bin the frame of\b(?! mind\b| reference\b)", re.IGNORECASE),
           "'in the frame of' is a calque (im Rahmen, dans le cadre de)",
           lambda m: _keep_case(m.group(), "as part of")),
    Calque(("inform",),
           re.compile(r"\b(inform|informs|informed) that\b", re.IGNORECASE),
           "'inform' needs an object ('informed reporters that'); without one it is a calque",
           lambda m: _keep_case(m.group(), _past(_folded(m.group(1)), "say", "said", "says") + " that"), _passive),
    Calque(("since ",),
           re.compile(rf"\bsince ({_NUMBER_WORDS}) ({_SPANS})\b(?! (?:ago|prior|before|earlier|later|back|after)\b)",
                      re.IGNORECASE),
           "a length of time takes 'for' (seit, depuis): 'since' needs a point in time",
           lambda m: _keep_case(m.group(), f"for {m.group(1)} {m.group(2)}"), rule="wording.calque-grammar"),
    Calque(("since long",),
           re.compile(r"\bsince long(?=[.,;:!?)]|$)", re.IGNORECASE),
           "'since long' is a calque (depuis longtemps, seit langem)",
           lambda m: _keep_case(m.group(), "for a long time")),
    Calque(("photo", "picture"),
           re.compile(r"\b(make|makes|making|made) (a|some|several|many) (photos?|pictures?|photographs?)\b",
                      re.IGNORECASE),
           "photos are taken in English, not made (ein Foto machen, faire une photo)",
           lambda m: _keep_case(m.group(), {"make": "take", "makes": "takes", "making": "taking",
                                            "made": "took"}[_folded(m.group(1))] + f" {m.group(2)} {m.group(3)}"), rule="wording.calque-grammar"),
    Calque((" last", " first", " next"),
           re.compile(r"\bthe (two|three|four|five|six|seven|eight|nine|ten|\d+) (last|first|next)\b",
                      re.IGNORECASE),
           "English puts the number after 'last', 'first', 'next' (les trois derniers)",
           lambda m: _keep_case(m.group(), f"the {m.group(2)} {m.group(1)}"), rule="wording.calque-grammar"),
    Calque(("occasion of",),
           re.compile(r"\bat the occasion of\b", re.IGNORECASE),
           "'at the occasion of' is a calque (à l'occasion de)",
           lambda m: _keep_case(m.group(), "on the occasion of")),
    Calque(("in function of",),
           re.compile(r"\bin function of\b", re.IGNORECASE),
           "'in function of' is a calque (en fonction de)",
           lambda m: _keep_case(m.group(), "depending on")),
    Calque(("the most part of",),
           re.compile(r"\b(for )?the most part of\b", re.IGNORECASE),
           "'the most part of' is a calque (la plupart de)",
           lambda m: _keep_case(m.group(), ("for " if m.group(1) else "") + "most of"), rule="wording.calque-grammar"),
    Calque(("in the aim of",),
           re.compile(r"\bin the aim of\b", re.IGNORECASE),
           "'in the aim of' is a calque (dans le but de)",
           lambda m: _keep_case(m.group(), "with the aim of")),
    Calque(("assist",),
           re.compile(r"\b(assist|assists|assisted|assisting) (?:at|to) (the|a|an) (meeting|ceremony|conference|"
                      r"concert|match|funeral|wedding|session|mass|event|performance|show|summit)\b", re.IGNORECASE),
           "'assist at' is a false friend (assister à): it means 'attend'",
           lambda m: _keep_case(m.group(), {"assist": "attend", "assists": "attends", "assisted": "attended",
                                            "assisting": "attending"}[_folded(m.group(1))]
                                + f" {m.group(2)} {m.group(3)}")),
    Calque(("become", "became", "becoming"),
           re.compile(r"\b(become|becomes|became|becoming) (a|an|the|my|his|her|their|our|your) (letter|call|"
                      r"message|reply|e-?mail|parcel|package|visa)\b(?! (?:service|box|carrier|centre|center)\b)",
                      re.IGNORECASE),
           "'become' is a false friend (bekommen): it means 'receive'",
           lambda m: _keep_case(m.group(), {"become": "receive", "becomes": "receives", "became": "received",
                                            "becoming": "receiving"}[_folded(m.group(1))]
                                + f" {m.group(2)} {m.group(3)}")),
    Calque(("in the optic",),
           re.compile(r"\bin the optics? of\b", re.IGNORECASE),
           "'in the optic of' is a calque (dans l'optique de)",
           lambda m: _keep_case(m.group(), "with a view to")),
    Calque(("on the long term",),
           re.compile(r"\bon the long term\b", re.IGNORECASE),
           "'on the long term' is a calque (à long terme, op lange termijn)",
           lambda m: _keep_case(m.group(), "in the long term")),
    Calque(("discuss",),
           re.compile(r"\b(discuss|discusses|discussed|discussing) about\b", re.IGNORECASE),
           "'discuss' takes no 'about' (discuter de, diskutieren über)",
           lambda m: _keep_case(m.group(), m.group(1)), rule="wording.calque-grammar"),
    Calque(("explain",),
           re.compile(r"\b(explain|explains|explained|explaining) (me|him|her|us|them) (that|how|why|what)\b",
                      re.IGNORECASE),
           "'explain' takes 'to' before the person (erklärte mir, m'a expliqué)",
           lambda m: _keep_case(m.group(), f"{m.group(1)} to {m.group(2)} {m.group(3)}"), rule="wording.calque-grammar"),
    Calque(("answered to ",),
           re.compile(r"\b(answered) to (the|a|his|her|their|our|this|that|these) (questions?|calls?|letters?|"
                      r"requests?|criticism)\b", re.IGNORECASE),
           "'answer' takes no 'to' as a verb (répondre à, antworten auf)",
           lambda m: _keep_case(m.group(), f"{m.group(1)} {m.group(2)} {m.group(3)}"), rule="wording.calque-grammar"),
    Calque(("in the last time",),
           re.compile(r"\bin the last time\b(?! (?:period|frame|window|slot)\b)", re.IGNORECASE),
           "'in the last time' is a calque (in letzter Zeit, ces derniers temps)",
           lambda m: _keep_case(m.group(), "recently")),
)


def _folded(text: str) -> str:
    """The text case-folded as the patterns' IGNORECASE reads it: every
    character it takes for an ASCII letter folds to that letter, but for
    `İ` and `ı`, which it takes for `i`. (The words a pattern matched are
    looked up folded too: `aſsisted`, with a long s, matches and once
    raised a KeyError in its `.lower()` form.)"""
    if "İ" in text or "ı" in text:
        text = text.replace("İ", "i").replace("ı", "i")
    return text.casefold()


@register_check("wording.calque", "wording.calque-grammar")
def check_calques(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    text = unit.text
    if len(text) < 12:
        return
    folded = _folded(text)
    for calque in CALQUES:
        if not any(word in folded for word in calque.needs):
            continue
        for match in calque.pattern.finditer(text):
            if calque.unless is not None and calque.unless(text, match):
                continue
            suggestion = calque.suggest(match)
            if suggestion == match.group():
                continue
            yield make_finding(calque.rule, unit, match.start(), match.end(), calque.message, [suggestion])


__all__ = ["CALQUES", "Calque", "check_calques"]
