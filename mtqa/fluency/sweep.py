"""Look at every word of every sentence: the grammar's edits, screened from the
one forward pass, verified in one batched rescoring.

The anomaly path (review._propose) tries rewrites around the single most
surprising word of a sentence; it finds errors whose damage shows in the
*next* word (`will no desire`), and one per sentence. Most MT errors show at
the word itself: after `dozens of homes` the model expects `were`, after `the
airline said` it expects `it`, after `depends` it expects `on`. The detection
pass already holds the hidden state that predicted every word, so for each
word the grammar's edits (mtqa/fluency/grammar.py) are screened for two
output-layer rows each: how much more the model expected the edit's first new
token than the word that is there (exact, see
LanguageModelScorer.first_token_gains). Only edits it prefers by SCREEN_GAIN
nats are verified, all sentences' candidates in one batched rescoring of a
window around each edit; an edit is proposed when its window gain clears the
margin of its kind. Several edits in one sentence are all proposed when they
are apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mtqa.fluency import grammar
from mtqa.fluency.candidates import Edit
from mtqa.fluency.scorer import LanguageModelScorer, ScoredText
from mtqa.fluency.words import WordScore

# Calibrated on injected errors in clean news against false alarms on
# untouched sentences, calibration lines only (bench/fluency_recall.py
# --split calibration --dump, then scripts/calibrate_sweep.py; en lines
# 0-1999, de 0-1499: 263 damaged and 400 untouched sentences). On en, a
# margin of 6 nats (7 for prepositions) gave 45% recall with 0.96 alarms per
# 1,000 words, all of them from the anomaly path (two of the four were real
# errors of the "clean" text); 5 nats gave 48% at 1.2. Lower screens than
# 2 nats found little more on that data and cost a verification each.
SCREEN_GAIN = 2.0  # nats the first new token must be more expected than the word there
MAX_PER_SENTENCE = 8  # screened edits verified per sentence (best first): bounds garbled MT
# An insertion's first new token is often more expected than the word that
# follows (the model likes an article before most nouns) while the sentence
# reads no better: insertions need this much more screen gain, so that they
# do not crowd a sentence's real candidates out of MAX_PER_SENTENCE.
INSERT_SCREEN_PENALTY = 3.0
WINDOW_BEFORE = 6  # words of left context in the verification window
WINDOW_AFTER = 3  # words after the edit (its effect on what follows)
MARGIN = 6.0  # nats of window gain an edit needs to be proposed
KIND_MARGIN: dict[str, float] = {"preposition": 7.0}  # where calibration asked for more
SEPARATION = 2  # words between two edits proposed in one sentence


@dataclass
class SweepEdit:
    """One verified edit: where, what, how sure."""

    edit: Edit
    word: int  # index of the word it edits (or inserts before)
    kind: str  # error kind (grammar.error_kind)
    screen: float  # first-token gain (nats)
    gain: float  # window log-prob gain (nats), length-corrected

    @property
    def margin(self) -> float:
        return KIND_MARGIN.get(self.kind, MARGIN)

    @property
    def confidence(self) -> float:
        return 1.0 / (1.0 + math.exp(-(self.gain - self.margin)))


def screen(
    scorer: LanguageModelScorer, scored: ScoredText, words: list[WordScore], language: str | None
) -> list[tuple[Edit, int, float]]:
    """(edit, word index, first-token gain) of the grammar's edits the model
    prefers by SCREEN_GAIN, from the states the detection pass kept for every
    word; best first, at most MAX_PER_SENTENCE."""
    import torch

    sentence = scored.text
    spans = [(w.start, w.end) for w in words]
    sites: list[tuple[Edit, int, int, int]] = []  # edit, word, state index, new token id
    for index in range(1, len(words)):
        token_index = words[index].token_index
        if token_index not in scored.states:
            continue
        for edit in grammar.edits_at(sentence, spans, index, language):
            new = _first_new_token(scorer, edit, sentence, spans, index)
            if new is not None:
                sites.append((edit, index, token_index, new))
    if not sites:
        return []
    positions = sorted({s[2] for s in sites})
    row = {p: k for k, p in enumerate(positions)}
    ids = sorted({s[3] for s in sites} | {scored.tokens[p].token_id for p in positions})
    column = {t: k for k, t in enumerate(ids)}
    weight = scorer.model.get_output_embeddings().weight
    with torch.inference_mode():
        states = torch.stack([scored.states[p].reshape(-1) for p in positions]).float()
        logits = scorer._softcap(states @ weight[ids].float().T).tolist()
    found = []
    for edit, index, token_index, new in sites:
        here = logits[row[token_index]]
        gain = here[column[new]] - here[column[scored.tokens[token_index].token_id]]
        if edit.kind == "insert":
            gain -= INSERT_SCREEN_PENALTY
        if gain >= SCREEN_GAIN:
            found.append((edit, index, gain))
    found.sort(key=lambda item: -item[2])
    return found[:MAX_PER_SENTENCE]


def _first_new_token(scorer, edit: Edit, sentence: str, spans, index: int) -> int | None:
    """The token the model sees first where the edit begins."""
    if edit.kind == "delete":
        if index + 1 >= len(spans):
            return None
        return scorer.word_token(sentence[spans[index + 1][0] : spans[index + 1][1]])
    return scorer.word_token(edit.replacement.strip())


def verify(
    scorer: LanguageModelScorer,
    candidates: list[tuple[ScoredText, list[WordScore], Edit, int, float, str | None]],
) -> list[SweepEdit | None]:
    """Window gain of every candidate, all in one batched rescoring; None for
    those that do not clear their kind's margin. A candidate is (scored
    sentence, its words, edit, word index, screen gain, language)."""
    texts: list[str] = []
    cuts: list[int] = []
    originals: dict[tuple[str, int, int, int], int] = {}
    plan = []
    for scored, words, edit, index, _screen, _language in candidates:
        sentence = scored.text
        lo = words[max(0, index - WINDOW_BEFORE)].start
        hi = words[min(len(words) - 1, index + WINDOW_AFTER)].end
        cut = edit.start - lo
        key = (sentence, lo, hi, cut)
        if key not in originals:
            originals[key] = len(texts)
            texts.append(sentence[lo:hi])
            cuts.append(cut)
        plan.append((originals[key], len(texts), cut, -scored.logprob / max(1, len(scored.tokens))))
        texts.append(sentence[lo : edit.start] + edit.replacement + sentence[edit.end : hi])
        cuts.append(cut)
    if not texts:
        return []
    from mtqa.fluency.rewrite import _gain

    rescored = scorer.rescore(texts, cuts)
    results: list[SweepEdit | None] = []
    for (scored, _words, edit, index, screen_gain, language), (orig, cand, cut, per_token) in zip(candidates, plan):
        gain = _gain(rescored[cand], rescored[orig], cut, per_token)
        found = SweepEdit(edit, index, grammar.error_kind(edit, scored.text, language), screen_gain, gain)
        results.append(found if gain >= found.margin else None)
    return results


def select(found: list[SweepEdit]) -> list[SweepEdit]:
    """Per sentence, the best edit at each site, and only edits SEPARATION
    words apart (neighbouring edits are alternatives for one error)."""
    chosen: list[SweepEdit] = []
    for item in sorted(found, key=lambda f: -f.gain):
        if all(abs(item.word - other.word) >= SEPARATION for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f.edit.start)


__all__ = ["SweepEdit", "screen", "select", "verify"]
