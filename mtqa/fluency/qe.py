"""Word-level quality estimation: which words would a post-editor change?

The fluency rewrite check reports only what it can repair with confidence.
Editors triaging a machine translation also want to know where to look, the
way QE systems tag MT words OK/BAD. A single surprisal threshold does that
poorly (MCC ~0.15 on MLQE-PE): a word is judged better with its neighbours
(an error makes the *next* word surprising too), with how bad the whole
sentence is, and with what kind of word it is. So a small head, trained on
MLQE-PE train word tags (scripts/train_qe_head.py), turns the scorer's
per-token numbers into P(BAD) per word. It sees the target side only: no
source, which the published systems use.

The head belongs to the model it was trained with (its features are that
model's log-probs); for any other model the estimate is unavailable.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mtqa.fluency.candidates import is_function_word
from mtqa.fluency.scorer import ScoredText
from mtqa.fluency.words import WordScore

HEAD_FILE = Path(__file__).with_name("qe_head.json")
# P(BAD) from which `fluency.likely-edit` marks a word. The head's own
# threshold maximises MCC on MLQE-PE train (38% BAD words); news MT is closer
# to its better pairs, and at 0.5 a fifth as many words of clean news get
# marked (8.6% of clean English words instead of 19%) for 0.01 less pooled
# dev MCC, while ro-en and ru-en (10-17% BAD) score higher. Users can set
# it per project (rule option `threshold`).
DEFAULT_THRESHOLD = 0.5

FEATURE_NAMES = (
    "excess", "surprisal", "entropy", "word_surprisal", "tokens", "top1", "in_top",
    "prev_excess", "next_excess", "next_surprisal", "window_max", "window_mean", "prev_surprisal",
    "sentence_surprisal", "sentence_max_excess", "sentence_mean_excess", "sentence_anomalous",
    "name_or_number", "function_word", "first", "last", "relative_position", "length",
)


def word_features(scored: ScoredText, words: list[WordScore], language: str | None) -> list[list[float]]:
    """One feature vector per word (order of FEATURE_NAMES)."""
    if not words:
        return []
    tokens = scored.tokens
    excess = [w.excess for w in words]
    per_token = -scored.logprob / max(1, len(tokens))
    sentence_max = max(excess)
    count = len(words)
    sentence_mean = sum(excess) / count
    anomalous = sum(1 for e in excess if e > 2.0) / count
    rows = []
    for i, word in enumerate(words):
        token = tokens[word.token_index]
        top_ids = [token_id for token_id, _ in token.top]
        top1 = -token.top[0][1] if token.top else token.entropy
        following = words[i + 1] if i + 1 < count else None
        window = excess[max(0, i - 2) : i + 3]
        rows.append([
            excess[i],
            word.first_surprisal,
            word.entropy,
            word.surprisal,
            float(_token_count(word, tokens)),
            top1,
            1.0 if token.token_id in top_ids else 0.0,
            excess[i - 1] if i else 0.0,
            following.excess if following else 0.0,
            following.first_surprisal if following else 0.0,
            max(window),
            sum(window) / len(window),
            words[i - 1].first_surprisal if i else 0.0,
            per_token,
            sentence_max,
            sentence_mean,
            anomalous,
            1.0 if word.is_name_or_number else 0.0,
            1.0 if is_function_word(word.text, language) else 0.0,
            1.0 if i == 0 else 0.0,
            1.0 if i == count - 1 else 0.0,
            i / max(1, count - 1),
            math.log(len(word.text)),
        ])
    return rows


def _token_count(word: WordScore, tokens) -> int:
    n = 0
    for token in tokens[word.token_index :]:
        if token.start >= word.end:
            break
        n += 1
    return n


@dataclass(frozen=True)
class QEHead:
    """A trained scorer of feature vectors: standardise, then a small MLP (or
    a logistic regression when it has no hidden layer), then a sigmoid."""

    model: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    layers: tuple[tuple[tuple[tuple[float, ...], ...], tuple[float, ...]], ...]  # (weight rows, bias)
    threshold: float  # P(BAD) from which a word is tagged BAD (MCC-optimal on train)

    def probabilities(self, features: list[list[float]]) -> list[float]:
        import numpy as np

        if not features:
            return []
        x = (np.asarray(features, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        for k, (weight, bias) in enumerate(self.layers):
            x = x @ np.asarray(weight).T + np.asarray(bias)
            if k < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return (1.0 / (1.0 + np.exp(-x[:, 0]))).tolist()

    def to_json(self) -> dict:
        return {
            "model": self.model, "features": list(FEATURE_NAMES), "mean": list(self.mean),
            "scale": list(self.scale), "threshold": self.threshold,
            "layers": [{"weight": [list(r) for r in w], "bias": list(b)} for w, b in self.layers],
        }

    @classmethod
    def from_json(cls, data: dict) -> "QEHead":
        if list(data.get("features", [])) != list(FEATURE_NAMES):
            raise ValueError("QE head was trained with different features")
        layers = tuple(
            (tuple(tuple(float(v) for v in row) for row in layer["weight"]), tuple(float(v) for v in layer["bias"]))
            for layer in data["layers"]
        )
        return cls(data["model"], tuple(data["mean"]), tuple(data["scale"]), layers, float(data["threshold"]))


@lru_cache(maxsize=4)
def load_head(path: str = str(HEAD_FILE)) -> QEHead | None:
    """The shipped head, or None when it is missing or stale (features changed)."""
    try:
        return QEHead.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None

