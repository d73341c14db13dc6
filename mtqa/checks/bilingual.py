"""The translation against its source: numbers, links and placeholders, and
translations that are no translation.

Active for every unit that carries a source (JSONL `source`, XLIFF and PO
units, the HTTP API's `source`). What only the source reveals is what hurts
a newsroom most: `33 soldiers` become `34`, a link points elsewhere, a
placeholder vanished, the "translation" is the source pasted in. Bilingual QA
tools (Xbench, Okapi CheckMate, pofilter) check the same things.

- `bilingual.number`: a number of the source is not in the target, or the
  target has one the source has not. Numbers are read the way each language
  writes them (mtqa/bilingual/numbers.py). When exactly one is missing and
  one is new, the finding is at the new one and names the source's.
- `bilingual.token`: a link, e-mail address, handle, hashtag or placeholder
  of the source is missing or changed (mtqa/bilingual/tokens.py).
- `bilingual.untranslated`: the target is the source, unchanged (three words
  or more, letters in them).
- `bilingual.empty`: the source has text and the target has none.
- `bilingual.omission` / `bilingual.addition`: a source sentence with no
  translation, a target sentence with no source, from a length alignment of
  the sentences (mtqa/bilingual/omissions.py).

All flag only: what the translation should say is the translator's call.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from functools import lru_cache
from typing import Callable, Iterator

from mtqa.bilingual import names as name_reading
from mtqa.bilingual import numbers as number_reading
from mtqa.bilingual.number_pairing import (
    changed_pairs,
    converted_units,
    nearest_pairs,
    pair_equal_numbers,
    split_at_group_spaces,
)
from mtqa.bilingual import meaning, omissions
from mtqa.bilingual import tokens as token_reading
from mtqa.findings import Finding, TextUnit
from mtqa.languages import rule_language
from mtqa.rules import DISPLAY_ONLY, CheckContext, Example, define_rule, make_finding, register_check

define_rule(
    "bilingual.number",
    category="Accuracy/Mistranslation",
    severity="major",
    description="A number of the source is missing or changed in the translation (read locale-aware).",
    why="A wrong number (33 soldiers become 34) is the error that hurts a newsroom most, and only the "
    "source shows it.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("Soldiers killed 34 people.", source="Soldaten töteten 33 Menschen.", source_lang="de"),
        Example("The council approved 5 laws.", source="Der Rat verabschiedete 3 Gesetze.", source_lang="de"),
    ],
    clean=[
        Example("The vote was 1,000.5 in favour.", source="Die Abstimmung ergab 1.000,5 dafür.", source_lang="de"),
        Example("Three people died on Monday.", source="Drei Menschen starben am Montag.", source_lang="de"),
    ],
)
define_rule(
    "bilingual.token",
    category="Accuracy/Mistranslation",
    severity="major",
    description="A link, e-mail address, handle, hashtag or placeholder of the source is missing or changed.",
    why="A changed link points readers elsewhere; a lost placeholder breaks the CMS template.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("Read more at https://example.org/b now.", source="Mehr unter https://example.org/a jetzt.",
                source_lang="de"),
        Example("Hello, welcome back.", source="Hallo {name}, willkommen zurück.", source_lang="de"),
    ],
    clean=[
        Example("Write to press@example.org today.", source="Schreiben Sie heute an press@example.org.",
                source_lang="de"),
        Example("Hello {name}, welcome back.", source="Hallo {name}, willkommen zurück.", source_lang="de"),
    ],
)
define_rule(
    "bilingual.name",
    category="Accuracy/Mistranslation",
    severity="major",
    description="A name of the source is replaced by another in the translation (Latin-script texts, "
    "exonyms such as Praha/Prague left alone; opt-in: select it by name).",
    why="A changed name (the minister Babiš becomes Zeman, Camilla becomes Kate) puts words in the wrong "
    "person's mouth; only the source shows it.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("On Monday the minister Jana Novak met Peter Smith in the capital.", lang="en",
                source="V pondělí se ministryně Jana Nováková setkala s Petrem Hallem v hlavním městě.",
                source_lang="cs"),
        Example("Le ministre Jean Dupont a rencontré lundi Anna Martin.", lang="fr",
                source="On Monday minister John Dupont met Anna Martin.", source_lang="en"),
    ],
    clean=[
        Example("On Monday the minister Jana Novak met Peter Hall in Prague.", lang="en",
                source="V pondělí se ministryně Jana Nováková setkala s Petrem Hallem v Praze.",
                source_lang="cs"),
        Example("Le ministre John Dupont a rencontré lundi Anna Martin à Londres.", lang="fr",
                source="On Monday minister John Dupont met Anna Martin in London.", source_lang="en"),
    ],
    # Institutions' names are translated word by word (`Fakultní nemocnice`,
    # `Faculty Hospital`), which pairs with a changed name too often to be on
    # by default: on WMT22 references (lines 500+) it added 1.3-2.0 alarms
    # per 1,000 words in cs-en, en-cs and en-hr.
    opt_in=True,
)
define_rule(
    "bilingual.untranslated",
    category="Accuracy/Untranslated text",
    severity="major",
    description="The translation is the source, unchanged.",
    why="A unit the MT system passed through untouched is published in the source language.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("Die Polizei sperrte die Straße.", source="Die Polizei sperrte die Straße.", source_lang="de"),
        Example("Der Rat tagt am Montag in Berlin.", source="Der Rat tagt am Montag in Berlin.", source_lang="de"),
    ],
    clean=[
        Example("The police closed the street.", source="Die Polizei sperrte die Straße.", source_lang="de"),
        Example("BBC News reported it.", source="BBC News berichtete darüber.", source_lang="de"),
    ],
)
define_rule(
    "bilingual.empty",
    category="Accuracy/Omission",
    severity="major",
    description="The source has text and the translation has none.",
    why="A unit left empty drops the source's sentence from the published article.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("", source="Die Polizei sperrte die Straße.", source_lang="de"),
        Example("   ", source="Der Rat tagt am Montag.", source_lang="de"),
    ],
    clean=[
        Example("The police closed the street.", source="Die Polizei sperrte die Straße.", source_lang="de"),
        Example("", source="", source_lang="de"),
    ],
)

define_rule(
    "bilingual.omission",
    category="Accuracy/Omission",
    severity="major",
    description="A sentence of the source has no translation (found by aligning sentences by length, "
    "names and numbers, and by meaning where the fluency model is prepared).",
    why="A dropped sentence is invisible in the translation alone: the article reads well and says less.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The council met on Monday. It will meet again in March.",
                source="Der Rat tagte am Montag. Nach stundenlanger Debatte verabschiedete er das umstrittene "
                       "Haushaltsgesetz mit knapper Mehrheit. Er tagt im März wieder.", source_lang="de"),
        Example("La police a fermé la rue. Les habitants ont été évacués dans la nuit.", lang="fr",
                source="The police closed the street. A gas pipe had burst under the old market hall on Sunday "
                       "afternoon, the fire brigade said. Residents were evacuated during the night.",
                source_lang="en"),
    ],
    clean=[
        Example("The council met on Monday. After hours of debate it passed the disputed budget law by a "
                "narrow majority. It will meet again in March.",
                source="Der Rat tagte am Montag. Nach stundenlanger Debatte verabschiedete er das umstrittene "
                       "Haushaltsgesetz mit knapper Mehrheit. Er tagt im März wieder.", source_lang="de"),
        Example("The council met on Monday and, after hours of debate, passed the disputed budget law.",
                source="Der Rat tagte am Montag. Nach stundenlanger Debatte verabschiedete er das "
                       "umstrittene Haushaltsgesetz.", source_lang="de"),
    ],
)
define_rule(
    "bilingual.addition",
    category="Accuracy/Addition",
    severity="major",
    description="A sentence of the translation has no counterpart in the source.",
    why="Text the source does not have was made up by the MT system (a hallucination) or pasted from "
    "elsewhere.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The council met on Monday. The mayor, who was re-elected last year with a large majority, "
                "did not attend the session. It will meet again in March.",
                source="Der Rat tagte am Montag. Er tagt im März wieder.", source_lang="de"),
        Example("La police a fermé la rue. Selon les pompiers, une conduite de gaz avait éclaté sous "
                "l'ancienne halle dimanche après-midi. Les habitants ont été évacués dans la nuit.", lang="fr",
                source="The police closed the street. Residents were evacuated during the night.",
                source_lang="en"),
    ],
    clean=[
        Example("The council met on Monday. It will meet again in March.",
                source="Der Rat tagte am Montag. Er tagt im März wieder.", source_lang="de"),
        Example("The council met on Monday. It passed the budget. It will meet again in March.",
                source="Der Rat tagte am Montag und verabschiedete den Haushalt. Er tagt im März wieder.",
                source_lang="de"),
    ],
)

MIN_COPY_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]+")


@register_check("bilingual.number", "bilingual.token", "bilingual.name", "bilingual.untranslated",
                "bilingual.empty", "bilingual.omission", "bilingual.addition")
def check_bilingual(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    source = unit.source
    if not source or not source.strip():
        return
    if not unit.text.strip():
        yield make_finding("bilingual.empty", unit, 0, len(unit.text), "No translation: the source has text")
        return
    if _may_be_a_copy(unit.text, source) and _normalised(unit.text) == _normalised(source) \
            and _word_count(source) >= MIN_COPY_WORDS:
        yield _with_source(
            make_finding("bilingual.untranslated", unit, 0, len(unit.text),
                         "The translation is the source, unchanged"), 0, len(source), source)
        return  # its numbers and tokens are the source's, trivially
    gaps = omissions.gaps(source, unit.text, unit.source_lang, context.language,
                          vectors=meaning.token_vectors())
    # The numbers and links of a sentence reported as dropped are not missing twice over.
    kept = _blanked(source, [gap.source for gap in gaps if gap.source is not None])
    yield from _numbers(unit, kept, context)
    yield from _tokens(unit, kept)
    if context.wants("bilingual.name"):  # opt-in, and the costliest of the family: not read while off
        yield from _names(unit, kept, context)
    yield from _gaps(unit, source, gaps)


def _names(unit: TextUnit, source: str, context: CheckContext) -> Iterator[Finding]:
    """A name of the source that the translation lacks, where the translation
    has a name the source lacks at about the same place: the name changed.
    A name dropped or added alone is not reported (translators use a
    pronoun, or name who is meant)."""
    if not (name_reading.readable(unit.source_lang) and name_reading.readable(context.language)):
        return
    # The source's side may be any capitalised word (a sentence may open
    # with the name that changed); the translation's must be a name.
    wanted = name_reading.names(source, unit.source_lang, anywhere=True)
    found = name_reading.names(unit.text, context.language)
    if not wanted or not found:
        return
    source_stems = {name_reading.stem(word) for word in _WORDS.findall(source)}
    target_stems = {name_reading.stem(word) for word in _WORDS.findall(unit.text)}
    missing = [name for name in wanted if name.stem not in target_stems
               and not name_reading.in_a_translated_phrase(source, name, target_stems)]
    extra = [name for name in found if name.stem not in source_stems
             and not name_reading.in_a_translated_phrase(unit.text, name, source_stems)]
    # A word translated by its cognate (`Muzeum`, `Museum`) is no changed name.
    for was, now in nearest_pairs(missing, extra, len(source), len(unit.text),
                                  accept=lambda was, now: not name_reading.same_word(was.text, now.text)):
        yield _with_source(make_finding(
            "bilingual.name", unit, now.start, now.end, f"Name {now.text!r} where the source has {was.text!r}",
            [was.text]), was.start, was.end, source)


def _blanked(text: str, spans: list) -> str:
    """`text` with the spans replaced by spaces (offsets kept)."""
    if not spans:
        return text
    characters = list(text)
    for span in spans:
        characters[span.start:span.end] = " " * (span.end - span.start)
    return "".join(characters)


def _gaps(unit: TextUnit, source: str, gaps: list[omissions.Gap]) -> Iterator[Finding]:
    for gap in gaps:
        if gap.kind == "omission":
            assert gap.source is not None
            where = "here" if gap.start == gap.end else "around here (the lengths leave the place open)"
            yield _with_source(make_finding(
                "bilingual.omission", unit, gap.start, gap.end,
                f"The source's sentence {_quote(gap.source.text)} has no translation {where}",
            ), gap.source.start, gap.source.end, source)
        else:
            yield make_finding("bilingual.addition", unit, gap.start, gap.end,
                               "This sentence has no counterpart in the source")


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _word_count(text: str) -> float:
    """Words, counting two Chinese or Japanese characters as one (no spaces there)."""
    cjk = len(_CJK.findall(text))
    return len(_WORDS.findall(_CJK.sub(" ", text))) + cjk / 2


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _may_be_a_copy(text: str, source: str) -> bool:
    """A cheap necessary condition of `_normalised` equality: the same first
    words, without case (nearly every translation differs there already)."""
    return [w.casefold() for w in text.split(None, 8)[:8]] == [w.casefold() for w in source.split(None, 8)[:8]]


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _numbers(unit: TextUnit, source: str, context: CheckContext) -> Iterator[Finding]:
    source_language = unit.source_lang
    target_language = context.language
    wanted = number_reading.numbers(source, source_language)
    found = number_reading.numbers(unit.text, target_language)
    if not wanted and not found:
        return
    # The numbers each side spells out (`three` for `3`), read only when a
    # number is left unmatched: in most articles every number matches, and
    # reading every word for number words was a third of the bilingual pass.
    # A number word both sides spell out (`dvě` and `two`) is their own
    # pair: only the words one side has beyond the other's account for a
    # digit of the other (`(2) ... dvě` against `(3) ... two` is a change).
    # The other side's words are read only when this side has the number's.
    spelled: dict[bool, Counter] = {}
    beyond: dict[bool, Counter] = {}
    screens: dict[bool, Callable[[frozenset[float]], bool]] = {}

    def spelled_on(target: bool) -> Counter:
        if target not in spelled:
            text, language = (unit.text, target_language) if target else (source, source_language)
            spelled[target] = Counter(number_reading.spelled_values(text, language))
        return spelled[target]

    writes_cjk = {side: (rule_language(language) or "") in _CJK_LANGUAGES  # CJK numerals write any number
                  for side, language in ((True, target_language), (False, source_language))}

    def spelled_out(number: number_reading.Number, target: bool) -> bool:
        """Whether `target` (or the source) spells out this number of the other side."""
        if not (writes_cjk[target] or _may_be_spelled(number.values)):
            return False
        if target not in screens:
            text, language = (unit.text, target_language) if target else (source, source_language)
            screens[target] = number_reading.spelling_screen(text, language)
        if not screens[target](number.values):
            return False  # no word of these values there: the text's words need not be read
        here = spelled_on(target)
        if not here or not any(here[value] > 0 for value in number.values):
            return False
        if target not in beyond:
            beyond[target] = spelled_on(target) - spelled_on(not target)
        return _spelled_out(number, beyond[target])

    # Numbers that may come and go (`COVID-19`, the 24 of `24 hours`) pair
    # last: the `24 vehicles` of the source is the target's `24 vehicles`,
    # not its `past 24 hours` (for `минулу добу`, the past day).
    loose_wanted = {id(n) for n in wanted if _may_come_and_go(source, n)}
    loose_found = {index for index, n in enumerate(found) if _may_come_and_go(unit.text, n)}
    if loose_wanted or loose_found:
        plain_found = [index for index in range(len(found)) if index not in loose_found]
        used_plain, left = pair_equal_numbers([n for n in wanted if id(n) not in loose_wanted],
                                               [found[index] for index in plain_found])
        used = {plain_found[index] for index in used_plain}
        left_ids = {id(n) for n in left} | loose_wanted
        rest_found = [index for index in range(len(found)) if index not in used]
        used_rest, unmatched = pair_equal_numbers([n for n in wanted if id(n) in left_ids],
                                                   [found[index] for index in rest_found])
        used |= {rest_found[index] for index in used_rest}
    else:
        used, unmatched = pair_equal_numbers(wanted, found)
    missing = [number for number in unmatched if not spelled_out(number, target=True)]
    extra = [number for index, number in enumerate(found)
             if index not in used and not spelled_out(number, target=False)]
    if missing and extra:
        missing, extra = split_at_group_spaces(missing, extra)
        missing, extra = converted_units(missing, extra, source, unit.text)
    # A lone `1` comes and goes with the article (`a month later`, `1か月後`).
    not_one_missing = [n for n in missing if number_reading.digits_of(n.text) != "1"]
    not_one_extra = [n for n in extra if number_reading.digits_of(n.text) != "1"]
    if len(not_one_missing) == 1 and len(not_one_extra) == 1:
        missing, extra = not_one_missing, not_one_extra
    if len(missing) == 1 and len(extra) == 1:  # one number changed: `33` became `34`, `1` became `2`
        pairs = [(missing[0], extra[0])]
    else:
        pairs = changed_pairs(missing, extra, len(source), len(unit.text))
    for was, now in pairs:
        yield _with_source(make_finding(
            "bilingual.number", unit, now.start, now.end,
            f"Number {now.text!r} where the source has {was.text!r}", [was.text],
        ), was.start, was.end, source)
    paired = {id(number) for pair in pairs for number in pair}
    not_one_missing = [n for n in not_one_missing if id(n) not in paired]
    not_one_extra = [n for n in not_one_extra if id(n) not in paired]
    # A lone small number is as often a translator's way of putting it as
    # an error (`over 6 decades` -> `more than sixty years`, `24/7` -> `rund um die
    # Uhr`, `a fortnight` -> `2週間`): only a number that changed into another,
    # and lone numbers of two digits or more, are reported.
    # The same for the number of a code or name (`COVID-19` is `新冠`, `G7` is `Большая семерка`).
    extra = [n for n in not_one_extra
             if not _small(n) and not _in_a_code(unit.text, n) and not _round_the_clock(unit.text, n)]
    missing = [n for n in not_one_missing
               if not _small(n) and not _in_a_code(source, n) and not _round_the_clock(source, n)]
    for number in extra:
        yield make_finding("bilingual.number", unit, number.start, number.end,
                           f"Number {number.text!r} is not in the source")
    for number in missing:
        yield _with_source(make_finding(
            "bilingual.number", unit, 0, 0, f"The source's number {number.text!r} is missing from the translation",
        ), number.start, number.end, source)


def _small(number: number_reading.Number) -> bool:
    """A number written with one digit (`7`, `５`)."""
    digits = number_reading.digits_of(number.text)
    return len(digits) == 1


_LETTER_BEFORE = re.compile(r"[^\W\d_]-?$")
# `24/7`, `24 hours a day`, `２４時間体制`: translators write `rund um die Uhr`,
# `round the clock`, and the other way round.
_HOURS_AFTER = re.compile(r"\s*(?:/\s*7|[-\s]?(?:h|hours?|hrs?|Stunden|heures|horas|ore|час\w*|hodin\w*|sati"
                          r"|годин\w*|godzin\w*)(?![^\W\d_])|\s*(?:小时|小時|時間|时))", re.IGNORECASE)


_CJK_LANGUAGES = {"zh", "ja", "ko"}


@lru_cache(maxsize=4096)  # the same numbers come back (years, counts)
def _may_be_spelled(values: frozenset[float]) -> bool:
    """Whether the other side may write a number of these values in words:
    the words read are 0-20, the tens, 100 and 1000, months and Roman
    numerals (CJK numerals, which write any number, are the caller's case)."""
    return any(value.is_integer() and 0 <= value <= 1000 for value in values)


def _may_come_and_go(text: str, number: number_reading.Number) -> bool:
    """A number a translation may leave out or add: of a code, or the 24
    of `24 hours`."""
    return _in_a_code(text, number) or _round_the_clock(text, number)


def _round_the_clock(text: str, number: number_reading.Number) -> bool:
    """Whether a lone number is the 24 of `24/7` or `24 hours`."""
    return number_reading.digits_of(number.text) == "24" and bool(_HOURS_AFTER.match(text, number.end))


def _in_a_code(text: str, number: number_reading.Number) -> bool:
    """Whether the number is written onto letters (`COVID-19`, `G7`, `MH17`)."""
    start = number.start
    if not start or not (text[start - 1].isalnum() or text[start - 1] == "-"):
        return False  # nearly every number: what the pattern needs right before it is not there
    return bool(_LETTER_BEFORE.search(text, max(0, start - 2), start))


def _spelled_out(number: number_reading.Number, spelled: Counter) -> bool:
    """Whether the other side spells this number out (`three` for `3`); the
    spelled word is used up."""
    if not spelled:
        return False  # nearly every text: no number spelled out
    value = next((value for value in number.values if spelled[value] > 0), None)
    if value is None:
        return False
    spelled[value] -= 1
    return True


def _tokens(unit: TextUnit, source: str) -> Iterator[Finding]:
    wanted, found = token_reading.tokens(source), token_reading.tokens(unit.text)
    if not wanted and not found:
        return
    missing, extra = token_reading.unmatched(wanted, found)
    by_kind: dict[str, deque] = defaultdict(deque)  # a changed token: a missing and a new one of one kind
    for token in missing:
        by_kind[token.kind].append(token)
    pairs, unpaired = [], []
    for token in extra:
        if by_kind[token.kind]:
            pairs.append((by_kind[token.kind].popleft(), token))
        else:
            unpaired.append(token)
    extra = unpaired
    paired = {id(was) for was, _ in pairs}
    missing = [token for token in missing if id(token) not in paired]
    for was, now in pairs:
        yield _with_source(make_finding(
            "bilingual.token", unit, now.start, now.end,
            f"{_describe(now.kind)} {now.text!r} where the source has {was.text!r}", [was.text],
        ), was.start, was.end, source)
    for token in extra:
        if token.kind in ("hashtag", "handle"):
            continue  # added for the target audience: not an error by itself
        yield make_finding("bilingual.token", unit, token.start, token.end,
                           f"{_describe(token.kind)} {token.text!r} is not in the source")
    for token in missing:
        yield _with_source(make_finding(
            "bilingual.token", unit, 0, 0,
            f"The source's {_describe(token.kind).lower()} {token.text!r} is missing from the translation",
        ), token.start, token.end, source)


def _describe(kind: str) -> str:
    return {"url": "Link", "email": "E-mail address", "placeholder": "Placeholder", "handle": "Handle",
            "hashtag": "Hashtag"}.get(kind, kind)


def _with_source(finding: Finding, start: int, end: int, source: str) -> Finding:
    finding.source_start, finding.source_end, finding.source_text = start, end, source[start:end]
    return finding


__all__ = ["check_bilingual"]
