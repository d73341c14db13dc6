"""Read the model scores cached by scripts/qe_dump.py and line them up with gold tags.

Shared by scripts/train_qe_head.py (fit the word-level QE head) and
bench/qe_eval.py (evaluate it), so both see words, features and labels the
same way. MLQE-PE tags describe Moses tokens (punctuation included); the
scorer's words are runs of letters and digits in the detokenised text, so
each Moses token is mapped to a character span and a word is BAD when any
token it overlaps is BAD.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from mtqa.fluency.scorer import ScoredText, TokenScore
from mtqa.fluency.words import WordScore, word_scores
from mtqa.segment import sentences


DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mlqe-pe"
PAIRS = "ro-en,et-en,ne-en,si-en,ru-en"  # MT into English: the QE head reads English


def read_pair(data: Path, split: str, pair: str) -> list[tuple[str, str, str]] | None:
    """(mt, tags, pe) lines of one language pair and split, or None when absent."""
    prefix = data / split / f"{pair}-{split}" / split
    if not prefix.with_suffix(".mt").is_file():
        return None
    columns = [prefix.with_suffix(s).read_text(encoding="utf-8").splitlines() for s in (".mt", ".tags", ".pe")]
    return list(zip(*columns))


@dataclass
class ScoredLine:
    pair: str
    line: int
    text: str
    mt_tokens: list[str]
    word_tags: list[str]
    pe: str
    analyses: list[tuple[int, ScoredText, list[WordScore]]]  # (sentence start, scores, words)


def read_lines(path: Path, model: str | None = None) -> Iterator[ScoredLine]:
    seen = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        key = (record["model"], record["pair"], record["line"])
        if key in seen or (model and record["model"] != model):
            continue
        seen.add(key)
        text = record["text"]
        spans = {s.start: s.text for s in sentences(text)}
        analyses = []
        for sentence in record["sentences"]:
            sentence_text = spans[sentence["start"]]
            tokens = [
                TokenScore(start, end, lp, ent, tid, [tuple(t) for t in top])
                for start, end, lp, ent, tid, top in sentence["tokens"]
            ]
            scored = ScoredText(sentence_text, tokens)
            analyses.append((sentence["start"], scored, word_scores(scored)))
        yield ScoredLine(record["pair"], record["line"], text, record["mt_tokens"], record["word_tags"],
                         record["pe"], analyses)


def token_spans(tokens: list[str], text: str) -> list[tuple[int, int] | None]:
    """Character span of each Moses token inside the detokenised text."""
    spans: list[tuple[int, int] | None] = []
    position = 0
    for token in tokens:
        plain = html.unescape(token)
        found = text.find(plain, position)
        if found < 0:
            spans.append(None)
            continue
        spans.append((found, found + len(plain)))
        position = found + len(plain)
    return spans


def flags_on_tokens(spans, flagged: list[tuple[int, int]]) -> list[bool]:
    return [s is not None and any(a < s[1] and s[0] < b for a, b in flagged) for s in spans]


def word_labels(line: ScoredLine) -> list[list[bool]]:
    """Per sentence, per word: does the word overlap a BAD Moses token?"""
    spans = token_spans(line.mt_tokens, line.text)
    bad = [(s[0], s[1]) for s, tag in zip(spans, line.word_tags) if s is not None and tag == "BAD"]
    labels = []
    for start, _, words in line.analyses:
        labels.append([any(a < start + w.end and start + w.start < b for a, b in bad) for w in words])
    return labels


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    import math

    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def token_counts(
    mt_tokens: list[str], text: str, word_tags: list[str], flagged: list[tuple[int, int]]
) -> list[int]:
    """[tp, fp, fn, tn] over a line's Moses tokens for character spans flagged
    in its detokenised `text`."""
    counts = [0, 0, 0, 0]
    spans = token_spans(mt_tokens, text)
    for flag, gold in zip(flags_on_tokens(spans, flagged), word_tags):
        bad = gold == "BAD"
        counts[0 if flag and bad else 1 if flag else 2 if bad else 3] += 1
    return counts
