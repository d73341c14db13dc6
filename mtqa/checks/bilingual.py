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

from mtqa.bilingual import numbers as number_reading
from mtqa.bilingual import omissions
from mtqa.bilingual import tokens as token_reading
from mtqa.findings import Finding, TextUnit
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


@register_check("bilingual.number", "bilingual.token", "bilingual.untranslated", "bilingual.empty",
                "bilingual.omission", "bilingual.addition")
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
    yield from _gaps(unit, source, gaps)


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
    spelled: dict[bool, Counter] = {}

    def spelled_in(target: bool) -> Counter:
        if not spelled:
            in_target = Counter(number_reading.spelled_values(unit.text, target_language))
            in_source = Counter(number_reading.spelled_values(source, source_language))
            spelled[True], spelled[False] = in_target - in_source, in_source - in_target
        return spelled[target]

    used, unmatched = _pair_equal_numbers(wanted, found)
    missing = [number for number in unmatched if not _spelled_out(number, spelled_in(target=True))]
    extra = [number for index, number in enumerate(found)
             if index not in used and not _spelled_out(number, spelled_in(target=False))]
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
    extra = [n for n in not_one_extra if not _small(n) and not _in_a_code(unit.text, n)]
    missing = [n for n in not_one_missing if not _small(n) and not _in_a_code(source, n)]
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

    Of several target numbers of that value the one at the nearest place
    in the order of the numbers is taken (of two as near, the earlier), so
    that where a range or a list repeats a number (`2018-2019` became
    `2019-2019`), the copy that changed is the one left over. Bisection over
    the free ones (_Free) keeps thousands of equal numbers linear."""
    by_value: dict[float, list[int]] = defaultdict(list)  # target numbers by each value they may stand for
    for index, number in enumerate(found):
        for value in number.values:
            by_value[value].append(index)
    places = {value: [index / max(1, len(found)) for index in indices] for value, indices in by_value.items()}
    slots = {value: {index: slot for slot, index in enumerate(indices)} for value, indices in by_value.items()}
    free: dict[float, _Free] = {}
    for value, indices in by_value.items():
        free[value] = _Free()
        free[value].size(len(indices))
    used: set[int] = set()
    unmatched = []
    for order, number in enumerate(wanted):
        place = order / max(1, len(wanted))
        best = None  # (distance, target index)
        for value in number.values:
            indices = by_value.get(value)
            if not indices:
                continue
            at = bisect.bisect_left(places[value], place)
            for slot in (free[value].left(at - 1), free[value].right(at)):
                if slot is not None:
                    candidate = (abs(places[value][slot] - place), indices[slot])
                    best = candidate if best is None or candidate < best else best
        if best is None:
            unmatched.append(number)
            continue
        taken = best[1]
        used.add(taken)
        for value in found[taken].values:  # taken under each value it may stand for
            free[value].take(slots[value][taken])
    return used, unmatched


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
