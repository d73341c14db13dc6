"""Span bookkeeping shared by the checks, the pipeline and fix: which stretches
of a text are taken, and whether a span is covered or overlapped by any of a
set of spans, each answered in log time (checking every span was quadratic on
texts with thousands of findings)."""

from __future__ import annotations

import bisect
import itertools
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


class ClaimedSpans:
    """Disjoint spans kept sorted (an empty span counts as one character)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        """No claimed span overlaps [start, end)."""
        end = max(end, start + 1)
        index = bisect.bisect_left(self.starts, start)
        if index < len(self.starts) and self.starts[index] < end:
            return False
        return not (index > 0 and self.ends[index - 1] > start)

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, max(end, start + 1))

    def claim(self, start: int, end: int) -> bool:
        """Take [start, end) if it is free; whether it was."""
        if not self.free(start, end):
            return False
        self.add(start, end)
        return True


class SpanReach:
    """A fixed set of spans, sorted by start, with the running maximum of
    their ends: the furthest any span starting at or before a point reaches."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.reach = list(itertools.accumulate((end for _, end in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Some span starts at or before `start` and ends at or after `end`."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span starts before `end` and ends after `start`."""
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.reach[index] > start


def first_come(items: Iterable[T], span: Callable[[T], tuple[int, int]], *,
               one_insertion_per_point: bool = True) -> Iterator[T]:
    """The items, which arrive in order of their spans' starts, that overlap
    none taken before them: the first of two overlapping edits wins (fix
    orders them by priority). An insertion (an empty span) may touch its
    neighbours; a second insertion at the same point is refused unless
    `one_insertion_per_point` is off (file edits of several units may meet
    at one point and all belong there)."""
    last_end = -1
    last_insertion: int | None = None
    for item in items:
        start, end = span(item)
        if start < last_end:
            continue
        if one_insertion_per_point and start == end == last_insertion:
            continue
        yield item
        last_end = max(end, start)
        last_insertion = start if start == end else None


__all__ = ["ClaimedSpans", "SpanReach", "first_come"]
