"""Sentence alignment of a translation with its source, by length (Gale &
Church, 1993), to find sentences dropped or added.

A sentence's translation is about `c` times as long as the sentence (in
characters, spaces left out), with a variance that grows with its length
(`s2` per character); `c` and `s2` are measured per language pair on clean
parallel text (mtqa/bilingual/length_model.json, from
scripts/calibrate_lengths.py). The dynamic programme chooses between beads:
one sentence for one (1-1), two merged into one (2-1, 1-2, 2-2), and a
sentence with no counterpart (1-0, an omission; 0-1, an addition).

A skip bead is charged `skip_penalty` nats on top of its prior, so that a
reported omission or addition beats every way of merging it into a
neighbour by that margin: merging and splitting are common in professional
translation, dropping is not. The programme runs in a band around the
diagonal, so its time grows linearly with the number of sentences.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from pathlib import Path

_MODEL = Path(__file__).with_name("length_model.json")

# Bead priors of Gale & Church (1993), table 5: 1-1 .89, 1-0 or 0-1 .0099,
# 2-1 or 1-2 .089, 2-2 .011.
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
           (2, 2): 0.011, (3, 1): 0.002, (1, 3): 0.002}  # 3-1 and 1-3: added, rarer than 2-2
BAND = 6  # sentences either side of the diagonal the path may stray


@dataclass(frozen=True)
class LengthModel:
    """Target characters per source character, and variance per character."""

    c: float
    s2: float


@dataclass(frozen=True)
class Bead:
    """Source sentences [source_start, source_end) aligned with target
    sentences [target_start, target_end); one side empty for a skip."""

    source_start: int
    source_end: int
    target_start: int
    target_end: int


def length(text: str) -> int:
    """Characters without whitespace: comparable across scripts that do
    and do not put spaces between words."""
    return len("".join(text.split()))  # (str.split: the same whitespace as `\s`, 3x faster than re.sub)


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(_MODEL.read_text(encoding="utf-8"))


def model_for(source_language: str | None, target_language: str | None) -> LengthModel:
    """The calibrated model of a pair; for a pair not calibrated, one made
    of each language's density relative to English (characters per English
    character), with twice the typical variance."""
    table = _table()
    pair = table["pairs"].get(f"{source_language}-{target_language}")
    if pair:
        return LengthModel(pair["c"], pair["s2"])
    density = table["density"]
    default = table["default_density"]
    source_density = density.get(source_language or "", default)
    target_density = density.get(target_language or "", default)
    c = target_density / source_density
    return LengthModel(c, table["fallback_s2_per_c"] * c)


def deviation(source_length: int, target_length: int, model: LengthModel) -> float:
    """How much longer the target is than its source predicts, in standard
    deviations of the length model (negative: shorter)."""
    mean = max((source_length + target_length / model.c) / 2, 1.0)
    return (target_length - source_length * model.c) / math.sqrt(mean * model.s2)


def match_cost(source_length: int, target_length: int, model: LengthModel) -> float:
    """-log P(lengths | match) of Gale & Church: the two-sided tail of the
    standardised length difference."""
    delta = deviation(source_length, target_length, model)
    tail = math.erfc(abs(delta) / math.sqrt(2))  # 2 * (1 - Phi(|delta|))
    return -math.log(max(tail, 1e-300))


class _Side:
    """One text's sentences as the programme reads them: prefix sums of
    the lengths, and the anchors of every run of up to three sentences
    (merged once, when first asked for)."""

    def __init__(self, lengths: list[int], anchors: list[Counter] | None) -> None:
        self.count = len(lengths)
        self.prefix = [0]
        for value in lengths:
            self.prefix.append(self.prefix[-1] + value)
        self.anchors = anchors if anchors and any(anchors) else None
        self._runs: dict[tuple[int, int], Counter] = {}

    def length(self, start: int, end: int) -> int:
        return self.prefix[end] - self.prefix[start]

    def run(self, start: int, end: int) -> Counter:
        assert self.anchors is not None
        if end - start == 1:
            return self.anchors[start]
        key = (start, end)
        merged = self._runs.get(key)
        if merged is None:
            merged = Counter()
            for counts in self.anchors[start:end]:
                merged.update(counts)
            self._runs[key] = merged
        return merged

    def reversed(self) -> "_Side":
        lengths = [self.prefix[i + 1] - self.prefix[i] for i in range(self.count)][::-1]
        return _Side(lengths, self.anchors[::-1] if self.anchors else None)


def unmatched(left: Counter, right: Counter) -> int:
    """Anchors on one side and not on the other, counted with repeats."""
    if not left or not right:
        return sum(left.values()) + sum(right.values())
    common = sum(min(count, right[key]) for key, count in left.items() if key in right)
    return sum(left.values()) + sum(right.values()) - 2 * common


@dataclass
class Alignment:
    """The best bead sequence, and what is needed to ask how sure it is."""

    beads: list[Bead]
    cost: float
    _forward: "_Band"
    _backward: Callable[[], "_Band"]
    _skip_costs: list[float]  # per source sentence: its 1-0 bead
    source_count: int
    target_count: int

    def omission_places(self, source_index: int, target_index: int, within: float,
                        reach: int = 2) -> list[tuple[int, int]]:
        """(source sentence, target boundary) of every omission near source
        sentence `source_index` and target boundary `target_index` (the
        best alignment's) whose best full alignment costs at most `within`
        nats more than the best: where the dropped sentence may have stood.
        Neighbours of similar length make the place uncertain."""
        n, m = self.source_count, self.target_count
        backward = self._backward()
        places = []
        forward = self._forward
        for k in range(max(0, source_index - reach), min(n, source_index + reach + 1)):
            # The columns both bands hold in this row, read straight from
            # their lists (an omission on every sentence asks for each).
            before_row, before_low = forward.rows[k], forward.lows[k]
            after_row, after_low = backward.rows[n - k - 1], backward.lows[n - k - 1]
            skip, limit = self._skip_costs[k], self.cost + within
            low = max(0, target_index - BAND, before_low, m - after_low - len(after_row) + 1)
            high = min(m, target_index + BAND, before_low + len(before_row) - 1, m - after_low)
            for j in range(low, high + 1):
                if before_row[j - before_low] + skip + after_row[m - j - after_low] <= limit:
                    places.append((k, j))
        return places


def align(source_lengths: list[int], target_lengths: list[int], model: LengthModel,
          skip_penalty: float = 0.0, source_anchors: list[Counter] | None = None,
          target_anchors: list[Counter] | None = None, anchor_weight: float = 0.0,
          meaning: Callable[[int, int, int, int], float] | None = None) -> Alignment:
    """The cheapest bead sequence from the start of both to the end of both.

    With anchors (per sentence, the names and numbers both texts contain),
    a bead also pays `anchor_weight` for each anchor it leaves unmatched:
    length alone cannot tell which of two sentences of similar length was
    dropped, the name or number they carry can."""
    source, target = _Side(source_lengths, source_anchors), _Side(target_lengths, target_anchors)
    n, m = source.count, target.count
    priors = [(di, dj, -math.log(p) + (skip_penalty if 0 in (di, dj) else 0.0)) for (di, dj), p in _PRIORS.items()]
    forward = _programme(source, target, priors, model, anchor_weight, meaning)
    backward: list[_Band] = []

    def backward_costs() -> _Band:  # only asked for when there is an omission
        if not backward:
            backward.append(_programme(source.reversed(), target.reversed(), priors, model, anchor_weight,
                                       _reversed_meaning(meaning, n, m)))
        return backward[0]

    skip_prior = next(cost for di, dj, cost in priors if (di, dj) == (1, 0))
    skip_costs = [skip_prior + (anchor_weight * sum(source.anchors[i].values()) if source.anchors else 0.0)
                  for i in range(n)]
    end = forward.get(n, m)
    if end is None:  # outside the band: cannot happen with the end forced in, kept for safety
        return Alignment([Bead(0, n, 0, m)], 0.0, forward, backward_costs, skip_costs, n, m)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = forward.step(i, j)
        beads.append(Bead(i - di, i, j - dj, j))
        i, j = i - di, j - dj
    beads.reverse()
    return Alignment(beads, end, forward, backward_costs, skip_costs, n, m)


class _Band:
    """The programme's cells: per source row i, the costs of target
    columns lows[i] .. lows[i] + len(rows[i]) - 1 (math.inf where no path
    reaches), and the last bead of each. Lists with an offset, not dicts:
    the programme reads a cell for every bead of every cell."""

    def __init__(self, n: int) -> None:
        self.lows = [0] * (n + 1)
        self.rows: list[list[float]] = [[] for _ in range(n + 1)]
        self.steps: list[list[int]] = [[] for _ in range(n + 1)]  # index in `beads`; len(beads): none
        self.beads: list[tuple[int, int]] = []

    def get(self, i: int, j: int) -> float | None:
        """The cost of cell (i, j), or None outside the band or unreached."""
        k = j - self.lows[i]
        row = self.rows[i]
        if 0 <= k < len(row) and row[k] != math.inf:
            return row[k]
        return None

    def step(self, i: int, j: int) -> tuple[int, int]:
        index = self.steps[i][j - self.lows[i]]
        assert index < len(self.beads)
        return self.beads[index]


def _reversed_meaning(meaning: Callable[[int, int, int, int], float] | None, n: int,
                      m: int) -> Callable[[int, int, int, int], float] | None:
    """`meaning` for the programme run from the end: its sentence i is sentence n - 1 - i."""
    if meaning is None:
        return None
    return lambda i0, i1, j0, j1: meaning(n - i1, n - i0, m - j1, m - j0)


def _programme(source: _Side, target: _Side, priors: list[tuple[int, int, float]], model: LengthModel,
               anchor_weight: float, meaning: Callable[[int, int, int, int], float] | None = None) -> _Band:
    """Cheapest cost of aligning the first i source and j target sentences,
    for every (i, j) in the band, with the last bead of each."""
    n, m = source.count, target.count
    anchored = bool(anchor_weight) and (source.anchors is not None or target.anchors is not None)
    empty: Counter = Counter()
    inf = math.inf
    source_prefix, target_prefix = source.prefix, target.prefix
    # match_cost depends on the two lengths only, and the same pairs of
    # lengths come back across the band (every cell tries 7 beads; texts
    # repeat sentence lengths): computed once per pair, the programme over
    # 100 KB of one repeated sentence took a quarter of the time.
    matches: dict[int, dict[int, float]] = {}  # source length -> target length -> cost
    band = _Band(n)
    band.beads = [(di, dj) for di, dj, _ in priors]
    for i in range(n + 1):
        # From this row's point of the diagonal to the next row's: with many
        # more target sentences than source ones (m >> n) consecutive rows
        # still overlap, and the cells stay about n * 2 * BAND + m in all.
        low = max(0, int(i * m / n) - BAND) if n else 0
        high = min(m, int(math.ceil((i + 1) * m / n)) + BAND) if n else m
        if i == n:
            high = m
        width = high - low + 1
        row: list[float] = [inf] * width
        rank = [len(priors)] * width  # index in priors of each cell's best bead: the first wins a tie
        band.lows[i], band.rows[i] = low, row
        if i == 0:
            row[0] = 0.0  # low is 0 in the first row
        addition = None
        # Bead by bead over the whole row rather than bead by bead per cell:
        # what a bead needs is looked up once per row, and the loop over the
        # cells it reaches is bounded instead of tested cell by cell.
        for index, (di, dj, prior) in enumerate(priors):
            if di > i:
                continue
            if di == 0:
                addition = (index, dj, prior)  # reads this row: after the others
                continue
            previous_row, previous_low = band.rows[i - di], band.lows[i - di]
            source_length = source_prefix[i] - source_prefix[i - di]
            costs = matches.setdefault(source_length, {})
            left = source.run(i - di, i) if anchored and source.anchors else empty
            shift = dj + previous_low
            first, last = max(low, shift), min(high, shift + len(previous_row) - 1)
            if not anchored and dj and meaning is None:
                # The common case in its own loop. An unreached cell (inf)
                # needs no test: inf plus a cost is never below a row's cell.
                for j in range(first, last + 1):
                    target_length = target_prefix[j] - target_prefix[j - dj]
                    match = costs.get(target_length)
                    if match is None:
                        match = costs[target_length] = match_cost(source_length, target_length, model)
                    total = previous_row[j - shift] + prior + match
                    if total < row[j - low]:
                        row[j - low] = total
                        rank[j - low] = index
                continue
            for j in range(first, last + 1):
                total = previous_row[j - shift]
                if total == inf:
                    continue
                total += prior
                if dj:
                    target_length = target_prefix[j] - target_prefix[j - dj]
                    match = costs.get(target_length)
                    if match is None:
                        match = costs[target_length] = match_cost(source_length, target_length, model)
                    total += match
                if anchored:
                    right = target.run(j - dj, j) if dj and target.anchors else empty
                    if left or right:
                        total += anchor_weight * unmatched(left, right)
                if meaning is not None and dj:
                    total += meaning(i - di, i, j - dj, j)
                if total < row[j - low]:
                    row[j - low] = total
                    rank[j - low] = index
        if addition is not None:
            index, dj, prior = addition
            for k in range(dj, width):
                total = row[k - dj]
                if total == inf:
                    continue
                total += prior
                if anchored and target.anchors:
                    right = target.run(low + k - dj, low + k)
                    if right:
                        total += anchor_weight * unmatched(empty, right)
                if total < row[k] or (total == row[k] and rank[k] > index):
                    row[k] = total
                    rank[k] = index
        band.steps[i] = rank
    return band


__all__ = ["Alignment", "Bead", "LengthModel", "align", "deviation", "length", "match_cost", "model_for", "unmatched"]
