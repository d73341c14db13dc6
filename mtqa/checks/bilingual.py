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

import bisect
import re
from collections import Counter, defaultdict, deque
from functools import lru_cache
from typing import Iterator

from mtqa.bilingual import names as name_reading
from mtqa.bilingual import numbers as number_reading
from mtqa.bilingual import omissions
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
    # `Faculty Hospital`; `White House`, `Bijela kuća`), which pairs with a
    # changed name too often to be on by default: on WMT22 references of
    # Latin-script pairs it drew 1-2.5 alarms per 1,000 words in cs-en,
    # en-cs and en-hr.
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
    "names and numbers).",
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
    if _normalised(unit.text) == _normalised(source) and _word_count(source) >= MIN_COPY_WORDS:
        yield _with_source(
            make_finding("bilingual.untranslated", unit, 0, len(unit.text),
                         "The translation is the source, unchanged"), 0, len(source), source)
        return  # its numbers and tokens are the source's, trivially
    gaps = omissions.gaps(source, unit.text, unit.source_lang, context.language)
    # The numbers and links of a sentence reported as dropped are not missing twice over.
    kept = _blanked(source, [gap.source for gap in gaps if gap.source is not None])
    yield from _numbers(unit, kept, context)
    yield from _tokens(unit, kept)
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
    source_stems = {name_reading.key(word)[:name_reading.STEM_LETTERS] for word in _WORDS.findall(source)}
    target_stems = {name_reading.key(word)[:name_reading.STEM_LETTERS] for word in _WORDS.findall(unit.text)}
    missing = [name for name in wanted if name.key[:name_reading.STEM_LETTERS] not in target_stems]
    extra = [name for name in found if name.key[:name_reading.STEM_LETTERS] not in source_stems]
    # The nearest free name of the translation by place, found by bisection
    # over the free ones (_Free): linear in thousands of names.
    places = [now.start / max(1, len(unit.text)) for now in extra]
    free = _Free()
    free.size(len(extra))
    for was in missing:
        place = was.start / max(1, len(source))
        at = bisect.bisect_left(places, place)
        candidates = [(abs(places[index] - place), index) for index in (free.left(at - 1), free.right(at))
                      if index is not None]
        if not candidates:
            break
        distance, index = min(candidates)
        now = extra[index]
        if distance > PAIRING_REACH or name_reading.same_word(was.text, now.text):
            continue  # far apart, or a word translated by its cognate (`Muzeum`, `Museum`)
        free.take(index)
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

    def spelled_on(target: bool) -> Counter:
        if target not in spelled:
            text, language = (unit.text, target_language) if target else (source, source_language)
            spelled[target] = Counter(number_reading.spelled_values(text, language))
        return spelled[target]

    def spelled_out(number: number_reading.Number, target: bool) -> bool:
        """Whether `target` (or the source) spells out this number of the other side."""
        if not _may_be_spelled(number, target_language if target else source_language):
            return False
        if not any(spelled_on(target)[value] > 0 for value in number.values):
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
        used_plain, left = _pair_equal_numbers([n for n in wanted if id(n) not in loose_wanted],
                                               [found[index] for index in plain_found])
        used = {plain_found[index] for index in used_plain}
        left_ids = {id(n) for n in left} | loose_wanted
        rest_found = [index for index in range(len(found)) if index not in used]
        used_rest, unmatched = _pair_equal_numbers([n for n in wanted if id(n) in left_ids],
                                                   [found[index] for index in rest_found])
        used |= {rest_found[index] for index in used_rest}
    else:
        used, unmatched = _pair_equal_numbers(wanted, found)
    missing = [number for number in unmatched if not spelled_out(number, target=True)]
    extra = [number for index, number in enumerate(found) if index not in used and not spelled_out(number, target=False)]
    if missing and extra:
        missing, extra = _split_at_group_spaces(missing, extra)
        missing, extra = _converted_units(missing, extra, source, unit.text)
    # A lone `1` comes and goes with the article (`a month later`, `1か月後`).
    not_one_missing = [n for n in missing if number_reading.digits_of(n.text) != "1"]
    not_one_extra = [n for n in extra if number_reading.digits_of(n.text) != "1"]
    if len(not_one_missing) == 1 and len(not_one_extra) == 1:
        missing, extra = not_one_missing, not_one_extra
    if len(missing) == 1 and len(extra) == 1:  # one number changed: `33` became `34`, `1` became `2`
        pairs = [(missing[0], extra[0])]
    else:
        pairs = _changed(missing, extra, len(source), len(unit.text))
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


def _pair_equal_numbers(wanted: list, found: list) -> tuple[set[int], list]:
    """Each source number with a target number of the same value: the
    indices of the target numbers used, and the source numbers left.

    Values as both write them pair first, then what is left through a scale
    word (`300 万` for `3 million`). Of several target numbers of that value the
    one at the nearest place in the order of the numbers is taken (of two
    as near, the earlier), so that where a range or a list repeats a number
    (`2018-2019` became `2019-2019`), the copy that changed is the one left
    over."""
    as_written = _NumbersByValue([number.values for number in found])
    used: set[int] = set()
    left: list[tuple[float, number_reading.Number]] = []
    for order, number in enumerate(wanted):
        place = order / max(1, len(wanted))
        taken = as_written.nearest(number.values, place)
        if taken is None:
            left.append((place, number))
            continue
        used.add(taken)
        as_written.take(taken)
    if not left or not any(number.scaled for number in found) and not any(number.scaled for _, number in left):
        return used, [number for _, number in left]
    through_scale = _NumbersByValue([frozenset() if index in used else number.values | number.scaled
                                     for index, number in enumerate(found)])
    unmatched = []
    for place, number in left:
        taken = through_scale.nearest(number.values | number.scaled, place)
        if taken is None:
            unmatched.append(number)
            continue
        used.add(taken)
        through_scale.take(taken)
    return used, unmatched


class _NumbersByValue:
    """The target numbers under each value they may stand for, in the order
    of the numbers; the nearest free one to a place is found by bisection
    over the free ones (_Free), which keeps thousands of equal numbers
    linear."""

    def __init__(self, values_per_number: list[frozenset[float]]) -> None:
        self.values_per_number = values_per_number
        self.indices: dict[float, list[int]] = defaultdict(list)
        for index, values in enumerate(values_per_number):
            for value in values:
                self.indices[value].append(index)
        count = max(1, len(values_per_number))
        self.places = {value: [index / count for index in indices] for value, indices in self.indices.items()}
        self.slots = {value: {index: slot for slot, index in enumerate(indices)}
                      for value, indices in self.indices.items()}
        self.free: dict[float, _Free] = {}
        for value, indices in self.indices.items():
            self.free[value] = _Free()
            self.free[value].size(len(indices))

    def nearest(self, values: frozenset[float], place: float) -> int | None:
        """The free number nearest to `place` (0-1) of any of these values."""
        best = None  # (distance, index)
        for value in values:
            places = self.places.get(value)
            if places is None:
                continue
            at = bisect.bisect_left(places, place)
            for slot in (self.free[value].left(at - 1), self.free[value].right(at)):
                if slot is not None:
                    candidate = (abs(places[slot] - place), self.indices[value][slot])
                    best = candidate if best is None or candidate < best else best
        return None if best is None else best[1]

    def take(self, index: int) -> None:
        for value in self.values_per_number[index]:
            self.free[value].take(self.slots[value][index])


def _split_at_group_spaces(missing: list, extra: list) -> tuple[list, list]:
    """Numbers one side groups with a space (`April 3 410 bodies`, read as
    3,410) that are numbers of their own on the other (`3 квітня ... 410
    тіл`): where every part is an unmatched number there, neither is
    reported."""
    gone = _parts_elsewhere(extra, missing)
    missing = [n for n in missing if id(n) not in gone]
    extra = [n for n in extra if id(n) not in gone]
    gone = _parts_elsewhere(missing, extra)
    return [n for n in missing if id(n) not in gone], [n for n in extra if id(n) not in gone]


def _parts_elsewhere(grouped: list, other: list) -> set[int]:
    """The ids of the numbers of `grouped` whose space-separated parts are
    each a number of `other`, and of those numbers."""
    by_value: dict[float, deque] = defaultdict(deque)
    for number in other:
        for value in number.values:
            by_value[value].append(number)
    gone: set[int] = set()
    for number in grouped:
        parts = _GROUP_SPACE.split(number_reading.digits_of(number.text))
        if len(parts) < 2 or not all(part.isdigit() for part in parts):
            continue
        queues = [by_value.get(float(int(part))) for part in parts]
        for queue in queues:
            while queue and id(queue[0]) in gone:
                queue.popleft()  # taken under another value: never looked at again
        chosen = {id(queue[0]) for queue in queues if queue}
        if all(queues) and len(chosen) == len(parts):
            gone.add(id(number))
            gone |= chosen
    return gone


_GROUP_SPACE = re.compile("[ \u00a0\u202f]")

# Imperial units a translation converts to metric ones (`100 feet` is
# `30 metara`), by what one of them is in the metric unit, and the words
# that name them right after the number (or after a range: `4-to-7-Feet`).
_IMPERIAL = {"ft": 0.3048, "in": 2.54, "mi": 1.609344, "yd": 0.9144, "lb": 0.45359237, "oz": 28.349523,
             "gal": 3.785412, "acre": 0.4046856, "mph": 1.609344}
_IMPERIAL_AFTER = re.compile(
    r"(?:\s*(?:-|–|to|-to-)\s*\d+(?:[.,]\d+)?)?[\s-]*"
    r"(?:(?P<ft>feet|foot|ft|footers?)|(?P<in>inch(?:es)?|in\.)|(?P<mi>miles?|mi)|(?P<yd>yards?|yds?)"
    r"|(?P<lb>pounds?|lbs?)|(?P<oz>ounces?|oz)|(?P<gal>gallons?|gal)|(?P<acre>acres?)|(?P<mph>mph)"
    r"|(?P<fahrenheit>°\s?F|degrees? Fahrenheit))(?![^\W\d_])",
    re.IGNORECASE,
)
CONVERSION_TOLERANCE = 0.06  # of the converted value: translators round (`100 feet` -> `30 m`)


def _converted_units(missing: list, extra: list, source: str, target: str) -> tuple[list, list]:
    """A number in imperial units on one side and its conversion to metric
    units on the other (`100 footer` -> `30 metara`, `4-to-7-Feet` ->
    `1,2 do 2,1 metra`, `70 °F` -> `21 °C`): neither is reported."""
    for direction in ("source", "target"):
        one, one_text, other = (missing, source, extra) if direction == "source" else (extra, target, missing)
        # The other side's values in order, the taken ones skipped by _Free:
        # each conversion is a bisection, not a scan.
        entries = sorted((value, index) for index, number in enumerate(other) for value in number.values)
        values = [value for value, _ in entries]
        free = _Free()
        free.size(len(entries))
        taken: set[int] = set()  # indices in `other`
        gone: set[int] = set()  # ids in `one`
        for number in one:
            unit = _IMPERIAL_AFTER.match(one_text, number.end)
            if unit is None:
                continue
            name = unit.lastgroup
            for value in number.values:
                converted = (value - 32) * 5 / 9 if name == "fahrenheit" else value * _IMPERIAL[name]
                reach = CONVERSION_TOLERANCE * abs(converted) + (0.5 if name == "fahrenheit" else 0.0)
                slot = free.right(bisect.bisect_left(values, converted - reach))
                while slot is not None and values[slot] <= converted + reach and entries[slot][1] in taken:
                    free.take(slot)  # its number went under another of its values
                    slot = free.right(slot)
                if slot is not None and values[slot] <= converted + reach:
                    taken.add(entries[slot][1])
                    free.take(slot)
                    gone.add(id(number))
                    break
        kept_one = [n for n in one if id(n) not in gone]
        kept_other = [n for index, n in enumerate(other) if index not in taken]
        missing, extra = (kept_one, kept_other) if direction == "source" else (kept_other, kept_one)
    return missing, extra


PAIRING_REACH = 0.2  # of the text's length: how far apart a changed number and its source may stand


def _changed(missing: list, extra: list, source_length: int, target_length: int) -> list[tuple]:
    """Numbers that changed into another among several unmatched ones: a
    missing and a new number with as many digits, at about the same place
    of their texts (the nearest within PAIRING_REACH; of two as near, the
    earlier). The new numbers of each digit count stand in text order, so
    the nearest free one is a neighbour of where the missing one would go:
    found by bisection, with the taken ones skipped (_Free), which keeps
    thousands of unmatched numbers linear."""
    by_digits: dict[int, tuple[list, list[float], _Free]] = {}
    for number in extra:
        entry = by_digits.setdefault(_digit_count(number), ([], [], _Free()))
        entry[0].append(number)
        entry[1].append(number.start / max(1, target_length))
    for numbers_, _, free in by_digits.values():
        free.size(len(numbers_))
    pairs = []
    for was in missing:
        entry = by_digits.get(_digit_count(was))
        if entry is None:
            continue
        numbers_, places, free = entry
        place = was.start / max(1, source_length)
        at = bisect.bisect_left(places, place)
        candidates = [index for index in (free.left(at - 1), free.right(at)) if index is not None]
        if not candidates:
            continue
        best = min(candidates, key=lambda index: (abs(places[index] - place), index))
        if abs(places[best] - place) <= PAIRING_REACH:
            free.take(best)
            pairs.append((was, numbers_[best]))
    return pairs


def _digit_count(number: number_reading.Number) -> int:
    return _digits_in(number.text)


@lru_cache(maxsize=4096)  # the same numbers come back (years, counts)
def _digits_in(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class _Free:
    """Indices 0..n-1, some taken: the nearest free one at or left of, or at
    or right of, an index (union-find with path compression)."""

    def size(self, n: int) -> None:
        self.n = n
        self._right = list(range(n + 1))  # n: none to the right
        self._left = list(range(n + 1))  # shifted by one: 0 means none to the left

    def take(self, index: int) -> None:
        self._right[index] = index + 1
        self._left[index + 1] = index

    def right(self, index: int) -> int | None:
        found = self._find(self._right, max(0, index))
        return found if found < self.n else None

    def left(self, index: int) -> int | None:
        if index < 0:
            return None
        found = self._find(self._left, min(index, self.n - 1) + 1)
        return found - 1 if found > 0 else None

    @staticmethod
    def _find(parent: list[int], index: int) -> int:
        root = index
        while parent[root] != root:
            root = parent[root]
        while parent[index] != root:
            parent[index], index = root, parent[index]
        return root


def _small(number: number_reading.Number) -> bool:
    """A number written with one digit (`7`, `５`)."""
    digits = number_reading.digits_of(number.text)
    return len(digits) == 1


_LETTER_BEFORE = re.compile(r"[^\W\d_]-?$")
# `24/7`, `24 hours a day`, `２４時間体制`: translators write `rund um die Uhr`,
# `round the clock`, and the other way round.
_HOURS_AFTER = re.compile(r"\s*(?:/\s*7|[-\s]?(?:h|hours?|hrs?|Stunden|heures|horas|ore|час\w*|hodin\w*|sati|годин\w*"
                          r"|godzin\w*)(?![^\W\d_])|\s*(?:小时|小時|時間|时))", re.IGNORECASE)


_CJK_LANGUAGES = {"zh", "ja", "ko"}


def _may_be_spelled(number: number_reading.Number, other_language: str | None) -> bool:
    """Whether the other side may write this number in words: the words
    read are 0-20, the tens, 100 and 1000, months and Roman numerals; CJK
    numerals write any number."""
    if (rule_language(other_language) or "") in _CJK_LANGUAGES:
        return True
    return any(value.is_integer() and 0 <= value <= 1000 for value in number.values)


def _may_come_and_go(text: str, number: number_reading.Number) -> bool:
    """A number a translation may leave out or add: of a code, or the 24
    of `24 hours`."""
    return _in_a_code(text, number) or _round_the_clock(text, number)


def _round_the_clock(text: str, number: number_reading.Number) -> bool:
    """Whether a lone number is the 24 of `24/7` or `24 hours`."""
    return number_reading.digits_of(number.text) == "24" and bool(_HOURS_AFTER.match(text, number.end))


def _in_a_code(text: str, number: number_reading.Number) -> bool:
    """Whether the number is written onto letters (`COVID-19`, `G7`, `MH17`)."""
    return bool(_LETTER_BEFORE.search(text, max(0, number.start - 2), number.start))


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
