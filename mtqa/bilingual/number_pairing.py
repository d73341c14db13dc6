"""Pairing the numbers of a source with those of its translation: equal
values first (by their place in the order of the numbers), then the
readings that explain a number left over (a number grouped with a space on
one side and two numbers on the other, imperial units converted to metric
ones), then the numbers that changed into another (nearest_pairs, which
pairs changed names too). Every step is linear in
the count of numbers (bisection over the free ones, `Free`): an article of
thousands of numbers is checked in time."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from functools import lru_cache
from typing import Any, Callable, Hashable

from mtqa.bilingual import numbers as number_reading


def pair_equal_numbers(wanted: list, found: list) -> tuple[set[int], list]:
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
    over the free ones (Free), which keeps thousands of equal numbers
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
        self.free: dict[float, Free] = {}
        for value, indices in self.indices.items():
            self.free[value] = Free()
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


def split_at_group_spaces(missing: list, extra: list) -> tuple[list, list]:
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
    grouped = [number for number in grouped if _GROUP_SPACE.search(number.text)]
    if not grouped:
        return set()  # nearly every text: no number grouped with a space
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


def converted_units(missing: list, extra: list, source: str, target: str) -> tuple[list, list]:
    """A number in imperial units on one side and its conversion to metric
    units on the other (`100 footer` -> `30 metara`, `4-to-7-Feet` ->
    `1,2 do 2,1 metra`, `70 °F` -> `21 °C`): neither is reported."""
    for direction in ("source", "target"):
        one, one_text, other = (missing, source, extra) if direction == "source" else (extra, target, missing)
        units = [(number, unit) for number in one if (unit := _IMPERIAL_AFTER.match(one_text, number.end))]
        if not units:
            continue  # nearly every text: no imperial unit, nothing to sort
        # The other side's values in order, the taken ones skipped by Free:
        # each conversion is a bisection, not a scan.
        entries = sorted((value, index) for index, number in enumerate(other) for value in number.values)
        values = [value for value, _ in entries]
        free = Free()
        free.size(len(entries))
        taken: set[int] = set()  # indices in `other`
        gone: set[int] = set()  # ids in `one`
        for number, unit in units:
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


def changed_pairs(missing: list, extra: list, source_length: int, target_length: int) -> list[tuple]:
    """Numbers that changed into another among several unmatched ones: a
    missing and a new number with as many digits, at about the same place
    of their texts (nearest_pairs)."""
    return nearest_pairs(missing, extra, source_length, target_length, group=_digit_count)


def nearest_pairs(missing: list, extra: list, source_length: int, target_length: int, *,
                  group: Callable[[Any], Hashable] = lambda item: None,
                  accept: Callable[[Any, Any], bool] = lambda was, now: True) -> list[tuple]:
    """Each item of the source left over (`missing`, in text order) with the
    nearest free item of the translation left over (`extra`) of its `group`,
    by place in their texts (the nearest within PAIRING_REACH; of two as
    near, the earlier), where `accept` agrees: changed numbers, changed
    names. The items of each group stand in text order, so the nearest free
    one is a neighbour of where the missing one would go: found by
    bisection, with the taken ones skipped (Free), which keeps thousands of
    unmatched items linear."""
    by_group: dict[Hashable, tuple[list, list[float], Free]] = {}
    for item in extra:
        entry = by_group.setdefault(group(item), ([], [], Free()))
        entry[0].append(item)
        entry[1].append(item.start / max(1, target_length))
    for items, _, free in by_group.values():
        free.size(len(items))
    pairs = []
    for was in missing:
        entry = by_group.get(group(was))
        if entry is None:
            continue
        items, places, free = entry
        place = was.start / max(1, source_length)
        at = bisect.bisect_left(places, place)
        candidates = [index for index in (free.left(at - 1), free.right(at)) if index is not None]
        if not candidates:
            continue
        best = min(candidates, key=lambda index: (abs(places[index] - place), index))
        if abs(places[best] - place) <= PAIRING_REACH and accept(was, items[best]):
            free.take(best)
            pairs.append((was, items[best]))
    return pairs


def _digit_count(number: number_reading.Number) -> int:
    return _digits_in(number.text)


@lru_cache(maxsize=4096)  # the same numbers come back (years, counts)
def _digits_in(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


class Free:
    """Indices 0..n-1, some taken: the nearest free one at or left of, or at
    or right of, an index (union-find with path compression). Only taken
    indices are stored: two lists of n+1 entries per group of numbers were
    1.4 s of 28 s on 5 MB of changed numbers, and grew faster than n."""

    def size(self, n: int) -> None:
        self.n = n
        self._right: dict[int, int] = {}  # a taken index -> the next one to try on its right
        self._left: dict[int, int] = {}  # shifted by one: 0 means none to the left

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
    def _find(parent: dict[int, int], index: int) -> int:
        root = index
        while root in parent:
            root = parent[root]
        while index != root:
            parent[index], index = root, parent[index]
        return root


__all__ = ["CONVERSION_TOLERANCE", "Free", "PAIRING_REACH", "changed_pairs", "converted_units", "nearest_pairs",
           "pair_equal_numbers", "split_at_group_spaces"]
