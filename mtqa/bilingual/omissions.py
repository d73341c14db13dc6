"""Sentences of the source with no translation, and sentences of the
translation with no source, from the length alignment
(mtqa/bilingual/alignment.py).

Only sentences long enough for their length to be evidence are reported:
a two-word sentence dropped changes the length less than a translator's
freedom does. Names and numbers both texts contain anchor the alignment,
so that of two sentences of similar length the right one is named.

Where the fluency model is prepared, the sentences' meanings
(mtqa/bilingual/meaning.py) join in: a bead pairing sentences whose
meanings differ pays for it, so that a dropped sentence is not merged into
its neighbour's translation, and a skipped sentence that no target sentence
near its place resembles is reported even where the lengths around it stay
within a translator's freedom. On WMT22 articles of five reference lines
with one sentence dropped (bench/bilingual.py), this took lines 0-499, where
the weights were chosen, from 66.9% to 74.5% found (every sentence dropped
in turn) and lines 500+ from 70% to 77%, with half the alarms on the
articles as they are (0.18 to 0.08 per 1,000 words).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from mtqa.bilingual.alignment import LengthModel, align, deviation, length, match_cost, model_for, unmatched
from mtqa.bilingual.meaning import Unavailable
from mtqa.segment import Span, sentences

Vectors = Callable[[list[str]], tuple[Any, Any]]  # texts -> (sums of token vectors, token counts)

SKIP_PENALTY = -1.0  # nats added to a skip bead's prior (calibrated on WMT22 lines 0-499)
ANCHOR_WEIGHT = 2.0  # nats per name or number a bead leaves unmatched
UNCERTAINTY = 2.0  # nats: other places of an omission about as likely as the best
MIN_DEVIATION = 1.0  # standard deviations of the length model
NEIGHBOURS = 2
AGREEING_COST = 3.0  # nats: lengths within about two standard deviations
MARGIN = 3  # agreeing sentences the alignment still looks at, either side of what does not agree
MIN_SKIPPED_CHARACTERS = 20  # without whitespace; CJK counts each character twice (denser script)
# Meaning (mtqa/bilingual/meaning.py), where the fluency model is prepared; chosen on WMT22 lines 0-499.
MEANING_WEIGHT = 24.0  # nats per unit of cosine similarity of a match bead's meanings under MEANING_BASE
MEANING_BASE = 0.0
ORPHAN_SIMILARITY = 0.3  # a skipped sentence no nearby target sentence resembles more: omitted, whatever the lengths
MIN_MEANING_SENTENCES = 3  # per side: fewer, and centring on the text's mean leaves no meaning to compare
MAX_MEANING_SENTENCES = 2000  # per side: beyond, lengths only (the run vectors are held in memory)

_ANCHOR = re.compile(r"\d+|[^\W\d_]*[A-Z][^\W\d_]+")
# Marks every language of the pairs writes, each under a key no word has.
_MARKS = {"?": "\x00?", "？": "\x00?", "!": "\x00!", "！": "\x00!", "(": "\x00(", "（": "\x00(",
          ":": "\x00:", "：": "\x00:", "%": "\x00%", "％": "\x00%",
          **{quote: "\x00\"" for quote in "\"“”„«»「」"}}
_MARK = re.compile("[" + re.escape("".join(_MARKS)) + "]")


@dataclass(frozen=True)
class Gap:
    """A sentence on one side with nothing on the other. `kind` is
    `omission` (a source sentence; [start, end) of the target is where its
    translation would stand: empty when the place is clear, the
    neighbouring sentences it may have been dropped between when their
    lengths leave it open) or `addition` (a target sentence)."""

    kind: str
    source: Span | None
    target: Span | None
    start: int
    end: int


@dataclass(frozen=True)
class Settings:
    """The calibrated thresholds, as one value (bench and calibration
    scripts vary them)."""

    skip_penalty: float = SKIP_PENALTY
    min_characters: int = MIN_SKIPPED_CHARACTERS
    anchor_weight: float = ANCHOR_WEIGHT
    uncertainty: float = UNCERTAINTY
    min_deviation: float = MIN_DEVIATION
    meaning_weight: float = MEANING_WEIGHT
    meaning_base: float = MEANING_BASE
    orphan_similarity: float = ORPHAN_SIMILARITY


def gaps(source: str, target: str, source_language: str | None, target_language: str | None,
         settings: Settings = Settings(), vectors: "Vectors | None" = None) -> list[Gap]:
    """The omissions and additions of one unit.

    Paragraphs first: where source and target have as many, they pair in
    order (translators keep paragraphs), and sentences are aligned within
    each pair, which keeps the alignment small. Where the counts differ,
    the sentences of the whole unit are aligned (a dropped paragraph is
    then its sentences, each reported)."""
    source_paragraphs, target_paragraphs = _paragraphs(source, target)
    if not source_paragraphs or not target_paragraphs:
        return []  # nothing against something: bilingual.empty's case
    model = model_for(source_language, target_language)
    if len(source_paragraphs) == len(target_paragraphs):
        # A pair whose lengths agree closely (half of `min_deviation`) hides no skip that would pass it,
        # unless meanings are compared and the source has more sentences. A sentence against a sentence
        # has nothing to align either.
        groups = [([p], [q]) for p, q in zip(source_paragraphs, target_paragraphs)
                  if (_MAY_HOLD_TWO.search(p.text) or _MAY_HOLD_TWO.search(q.text))
                  and (abs(deviation(length(p.text), length(q.text), model)) >= settings.min_deviation / 2
                       or (vectors is not None and _ends(p.text) > _ends(q.text)))]
        found: list[Gap] = []
    else:  # a paragraph dropped, added, split or merged: the sentences of the whole unit are aligned
        groups, found = [(source_paragraphs, target_paragraphs)], []
    for source_group, target_group in groups:
        found.extend(_sentence_gaps(
            [s for p in source_group for s in _sentences(source, p)],
            [t for p in target_group for t in _sentences(target, p)],
            model, source_language, target_language, settings, vectors))
    found.sort(key=lambda gap: (gap.start, gap.end))
    return found


def _paragraphs(source: str, target: str) -> tuple[list[Span], list[Span]]:
    """Paragraphs as blank lines separate them where both texts have blank
    lines (hard-wrapped text), else as lines."""
    blank = bool(_BLANK_LINE.search(source)) and bool(_BLANK_LINE.search(target))
    splitter = _BLANK_LINE if blank else _LINE_BREAK
    return _split(source, splitter), _split(target, splitter)


def _ends(text: str) -> int:
    """Sentence ends followed by more text: a source paragraph with more
    of them than its translation may have lost a sentence whose length the
    translator's freedom hides (with meanings, it is aligned: 72.9% -> 74.5%
    of dropped sentences found on WMT22 lines 0-499, the same alarms)."""
    return len(_MAY_HOLD_TWO.findall(text))


_MAY_HOLD_TWO = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*[^\s\"'”’»)\]]")  # an end of sentence before more text
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


def _split(text: str, separator: re.Pattern) -> list[Span]:
    spans, start = [], 0
    for match in separator.finditer(text):
        end = match.start()
        piece = text[start:end]
        if piece and not piece.isspace():
            spans.append(Span(start, end, piece))
        start = match.end()
    piece = text[start:]
    if piece and not piece.isspace():
        spans.append(Span(start, len(text), piece))
    return spans


def _sentence_gaps(source_sentences: list[Span], target_sentences: list[Span], model: LengthModel,
                   source_language: str | None, target_language: str | None, settings: Settings,
                   vectors: "Vectors | None" = None) -> list[Gap]:
    """Omissions and additions among sentences in order.
    A skip is reported only where the text around it (the skip and
    `NEIGHBOURS` beads either side) is shorter (an omission) or longer (an
    addition) than its source predicts by `min_deviation` standard
    deviations: where the lengths add up, the alignment only lacked a bead
    for one sentence split in three. With `vectors`, an omission is also
    reported where the text around it is shorter at all and no target
    sentence near its place means what it means (`orphan_similarity`)."""
    skip_penalty, min_characters, anchor_weight = (settings.skip_penalty, settings.min_characters,
                                                   settings.anchor_weight)
    uncertainty, min_deviation = settings.uncertainty, settings.min_deviation
    if len(source_sentences) < 2 and len(target_sentences) < 2:
        return []
    source_lengths = [length(s.text) for s in source_sentences]
    target_lengths = [length(t.text) for t in target_sentences]
    source_anchors, target_anchors = _shared_anchors([s.text for s in source_sentences],
                                                     [t.text for t in target_sentences])
    head, tail = _agreeing_ends(source_lengths, target_lengths, source_anchors, target_anchors, model)
    n, m = len(source_lengths), len(target_lengths)
    if head + tail >= max(n, m):  # sentence for sentence, every pair agrees
        return []
    low = max(0, head - MARGIN)
    source_high, target_high = n - max(0, tail - MARGIN), m - max(0, tail - MARGIN)
    similarity = None
    if vectors is not None and settings.meaning_weight and MIN_MEANING_SENTENCES <= min(n, m) \
            and max(n, m) <= MAX_MEANING_SENTENCES:
        try:
            similarity = _Similarity(vectors, [s.text for s in source_sentences], [t.text for t in target_sentences])
        except Unavailable:
            similarity = None
    meaning = None
    if similarity is not None:
        weight, base = settings.meaning_weight, settings.meaning_base

        def meaning(i0: int, i1: int, j0: int, j1: int) -> float:
            return weight * (base - similarity(low + i0, low + i1, low + j0, low + j1))
    alignment = align(source_lengths[low:source_high], target_lengths[low:target_high], model, skip_penalty,
                      source_anchors[low:source_high], target_anchors[low:target_high], anchor_weight, meaning)
    found: list[Gap] = []
    for index, bead in enumerate(alignment.beads):
        is_omission = bead.target_start == bead.target_end
        if not is_omission and bead.source_start != bead.source_end:
            continue
        around = alignment.beads[max(0, index - NEIGHBOURS):index + NEIGHBOURS + 1]
        surplus = deviation(sum(sum(source_lengths[low + b.source_start:low + b.source_end]) for b in around),
                           sum(sum(target_lengths[low + b.target_start:low + b.target_end]) for b in around),
                           model)
        if is_omission:
            sentence = source_sentences[low + bead.source_start]
            if _weight(sentence.text, source_language) < min_characters:
                continue
            if surplus > -min_deviation and not (
                    similarity is not None and surplus < 0
                    and similarity.best(low + bead.source_start, low + bead.target_start) < settings.orphan_similarity):
                continue
            places = alignment.omission_places(bead.source_start, bead.target_start, uncertainty)
            boundaries = [low + j for _, j in places] or [low + bead.target_start]
            first, last = min(boundaries), max(boundaries)
            start = _boundary(target_sentences, first)
            end = target_sentences[last - 1].end if last > first else start
            found.append(Gap("omission", sentence, None, start, end))
        else:
            sentence = target_sentences[low + bead.target_start]
            if _weight(sentence.text, target_language) < min_characters or surplus < min_deviation:
                continue
            found.append(Gap("addition", None, sentence, sentence.start, sentence.end))
    return found


# Sentence ends the splitter leaves alone, as informal text writes them: a
# sentence begun in lower case (`your mail. for quality`), a missing space
# (`an oxymoron.These`). A translator mends them, so a source split
# without them would seem to have lost sentences.
_LOOSE_END = re.compile(r"(?<=[^\W\d_]{3}[.!?])\s+(?=[^\W\d_])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_NOT_AN_END = re.compile(r"\b(?:etc|approx|incl|esp|resp|bzw|usw|vgl|ggf|evtl|inkl|env|cf|vs|ca|No|Nr)\.$",
                         re.IGNORECASE)


def _sentences(text: str, paragraph: Span) -> list[Span]:
    """Sentences of a paragraph for alignment, with offsets in `text`:
    segment.sentences, split further at the informal ends of `_LOOSE_END`."""
    spans: list[Span] = []
    for piece in sentences(paragraph.text):
        sentence = Span(paragraph.start + piece.start, paragraph.start + piece.end, piece.text)
        if not _may_end_inside(piece.text):
            spans.append(sentence)
            continue
        start = sentence.start
        for match in _LOOSE_END.finditer(sentence.text):
            end = sentence.start + match.start()
            if _NOT_AN_END.search(text, start, end) or end <= start:
                continue
            spans.append(Span(start, end, text[start:end]))
            start = sentence.start + match.end()
        spans.append(Span(start, sentence.end, text[start:sentence.end]))
    return spans


def _may_end_inside(sentence: str) -> bool:
    """Whether a `.`, `!` or `?` stands before the sentence's last
    character, which every match of `_LOOSE_END` needs: most sentences have
    none, and the look-behinds of `_LOOSE_END` would try every position."""
    last = len(sentence) - 1
    return sentence.find(".", 0, last) >= 0 or sentence.find("!", 0, last) >= 0 or sentence.find("?", 0, last) >= 0


def _agreeing_ends(source_lengths: list[int], target_lengths: list[int], source_anchors: list[Counter],
                   target_anchors: list[Counter], model: LengthModel) -> tuple[int, int]:
    """How many sentences at the start, and at the end, pair one for one
    with lengths and anchors that agree: the alignment need not look at
    them (it runs on what lies between, with a margin), which keeps a long
    article that lost one sentence cheap."""
    def agree(i: int, j: int) -> bool:
        return (match_cost(source_lengths[i], target_lengths[j], model) <= AGREEING_COST
                and unmatched(source_anchors[i], target_anchors[j]) == 0)

    n, m = len(source_lengths), len(target_lengths)
    head = 0
    while head < min(n, m) and agree(head, head):
        head += 1
    tail = 0
    while tail < min(n, m) - head and agree(n - 1 - tail, m - 1 - tail):
        tail += 1
    return head, tail


def pair_pieces(source_pieces: list[str], target_pieces: list[str], source_language: str | None,
                target_language: str | None) -> list[list[int]]:
    """For each target piece (a paragraph, a block of a page), the source
    pieces that translate it, by the length alignment. Source pieces that
    align with several target pieces go to the first of them; source pieces
    with no target piece go with the target piece before them (the first
    when there is none), so that the sentence check of that piece reports
    them as omitted."""
    if len(source_pieces) == len(target_pieces):
        return [[index] for index in range(len(target_pieces))]
    if not target_pieces:
        return []
    model = model_for(source_language, target_language)
    source_anchors, target_anchors = _shared_anchors(source_pieces, target_pieces)
    alignment = align([length(text) for text in source_pieces], [length(text) for text in target_pieces], model,
                      SKIP_PENALTY, source_anchors, target_anchors, ANCHOR_WEIGHT)
    owned: list[list[int]] = [[] for _ in target_pieces]
    for bead in alignment.beads:
        owner = bead.target_start if bead.target_end > bead.target_start else max(0, bead.target_start - 1)
        owned[owner].extend(range(bead.source_start, bead.source_end))
    return owned


def _boundary(target_sentences: list[Span], index: int) -> int:
    """Where target sentence `index` starts; the end of the last after the last."""
    return target_sentences[index].start if index < len(target_sentences) else target_sentences[-1].end


def _anchors(text: str) -> Counter:
    """Names and numbers of a sentence, read loosely: digit runs without
    leading zeros (`94,5` and `94.5` agree), capitalised Latin-script words
    by their first five letters without accents (`Camille` and `Camilla`,
    `Jordánska` and `Jordan` agree: inflection changes endings), and the
    marks a translation keeps (`?`, `!`, `(`, `:`, `%`, quotes, each as one
    kind whatever the script: `？` is `?`, `«` is `"`). On WMT22 articles
    with a sentence dropped, the marks took lines 0-499 from 66.1% to
    67.1% found and lines 500+ from 68.6% to 69.2%, with fewer alarms on
    the articles as they are (0.23 to 0.19 per 1,000 words on 500+)."""
    found: Counter = Counter()
    for token in _ANCHOR.findall(text):
        key = _anchor_key(token)
        if key:
            found[key] += 1
    for mark in _MARK.findall(text):
        found[_MARKS[mark]] += 1
    return found


@lru_cache(maxsize=8192)  # names and numbers come back sentence after sentence
def _anchor_key(token: str) -> str:
    """How an anchor token is compared; "" for a word too short to count."""
    if token[0].isdigit():
        return token.lstrip("0") or "0"
    plain = unicodedata.normalize("NFKD", token).encode("ascii", "ignore").decode().casefold()
    return plain[:5] if len(plain) >= 3 else ""


def _shared_anchors(source_texts: list[str], target_texts: list[str]) -> tuple[list[Counter], list[Counter]]:
    """Each piece's anchors that the other text also has somewhere: the
    ones a translation keeps (a German noun is capitalised and translated,
    a name is kept). Each distinct text is read once (pieces that repeat,
    a byline or `Read more.`, share one Counter, which nothing changes)."""
    source_read = {text: _anchors(text) for text in dict.fromkeys(source_texts)}
    target_read = {text: _anchors(text) for text in dict.fromkeys(target_texts)}
    source_kept, target_kept = _shared(source_read, target_read), _shared(target_read, source_read)
    return [source_kept[text] for text in source_texts], [target_kept[text] for text in target_texts]


def _shared(piece_anchors: dict[str, Counter], other: dict[str, Counter]) -> dict[str, Counter]:
    elsewhere = set().union(*other.values())
    return {text: Counter({key: count for key, count in counts.items() if key in elsewhere})
            for text, counts in piece_anchors.items()}


def _weight(text: str, language: str | None) -> int:
    dense = language in ("zh", "ja", "ko")
    return length(text) * (2 if dense else 1)


class _Similarity:
    """Cosine similarity of the meanings of runs of one to three source and
    target sentences (the runs a bead holds): the run's mean token vector,
    less the mean of its side's sentence vectors (what the whole text
    shares: its language, its topic). The runs' unit vectors are computed
    once, each pair's product when first asked for."""

    def __init__(self, vectors: Vectors, source_texts: list[str], target_texts: list[str]) -> None:
        self._source = _run_vectors(*vectors(source_texts))
        self._target = _run_vectors(*vectors(target_texts))
        self._memo: dict[tuple[int, int, int, int], float] = {}

    def __call__(self, i0: int, i1: int, j0: int, j1: int) -> float:
        key = (i0, i1, j0, j1)
        value = self._memo.get(key)
        if value is None:
            left, right = self._source.get(i1 - i0), self._target.get(j1 - j0)
            value = float(left[i0] @ right[j0]) if left is not None and right is not None else 0.0
            self._memo[key] = value
        return value

    def best(self, source_index: int, target_boundary: int, reach: int = 2) -> float:
        """The highest similarity of a source sentence to one target
        sentence within `reach` of a target boundary."""
        count = len(self._target[1])
        values = [self(source_index, source_index + 1, j, j + 1)
                  for j in range(max(0, target_boundary - reach), min(count, target_boundary + reach))]
        return max(values, default=-1.0)


def _run_vectors(sums: Any, counts: Any) -> dict[int, Any]:
    """Per run length 1-3, the unit vector of every run's centred mean."""
    import numpy

    means = sums / numpy.maximum(counts, 1)[:, None]
    centre = means.mean(axis=0)
    prefix = numpy.vstack([numpy.zeros((1, sums.shape[1]), dtype=sums.dtype), numpy.cumsum(sums, axis=0)])
    count_prefix = numpy.concatenate([[0], numpy.cumsum(counts)])
    runs = {}
    for size in range(1, 4):
        if size > len(counts):
            break
        total = prefix[size:] - prefix[:-size]
        tokens = count_prefix[size:] - count_prefix[:-size]
        centred = total / numpy.maximum(tokens, 1)[:, None] - centre
        norms = numpy.linalg.norm(centred, axis=1)
        runs[size] = centred / numpy.where(norms > 0, norms, 1)[:, None]
    return runs


__all__ = ["Gap", "Settings", "gaps", "pair_pieces"]
