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
window after each edit, with the sentence's whole left context (the keys and
values of the detection pass are reused, continuation.py); an edit is
proposed when its gain clears the margin of its kind in its language. Several edits in one sentence are all proposed when they
are apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mtqa.fluency import continuation, grammar
from mtqa.fluency.candidates import SentenceEdit, base_language
from mtqa.fluency.scorer import LanguageModelScorer, ScoredText
from mtqa.fluency.words import WordScore

# Calibrated on injected errors in clean news against false alarms on
# untouched sentences, calibration lines only (bench/fluency_recall.py
# --split calibration --per-kind 20 --clean 200 --dump, then
# scripts/calibrate_sweep.py per language; en lines 0-1999, de 0-1499: 263
# damaged and 400 untouched sentences). Gains are scored with the sentence's
# whole left context (continuation.py). English: a margin of 5 nats (6 for
# function words, 8 for prepositions) gave 59% recall, and none of the 0.96
# alarms per 1,000 words came from the sweep (four from the anomaly path, two
# of them real errors of the "clean" text); 4 nats gave 63% at 1.20. German:
# the model is less sure of itself, 6 nats (7 prepositions, 8 pronouns) gave
# 18% at 0.30 per 1,000 words; 5 nats 23% at 1.18. Languages without their
# own margins get the German ones, the more cautious. A screen of 3 nats
# instead of 2 lost one English hit of 92 and one German alarm of two, and
# verifies fewer edits.
SCREEN_GAIN = 3.0  # nats the first new token must be more expected than the word there
MAX_PER_SENTENCE = 8  # screened edits verified per sentence (best first): bounds garbled MT
# An insertion's first new token is often more expected than the word that
# follows (the model likes an article before most nouns) while the sentence
# reads no better: insertions need this much more screen gain, so that they
# do not crowd a sentence's real candidates out of MAX_PER_SENTENCE.
INSERT_SCREEN_PENALTY = 3.0
WINDOW_AFTER = 3  # words after the edit scored (its effect on what follows)
MARGIN = 6.0  # nats of gain an edit needs to be proposed, where a language has no margins of its own
KIND_MARGIN: dict[str, float] = {"preposition": 7.0, "pronoun": 8.0}  # where calibration asked for more
# Per language: (margin, kind margins), as calibrated (see above).
LANGUAGE_MARGINS: dict[str, tuple[float, dict[str, float]]] = {
    "en": (5.0, {"function-word": 6.0, "preposition": 8.0}),
    "de": (MARGIN, KIND_MARGIN),
}


def margin_for(kind: str, language: str | None) -> float:
    """Nats of gain an edit of this kind needs in this language."""
    default, kinds = LANGUAGE_MARGINS.get(base_language(language), (MARGIN, KIND_MARGIN))
    return kinds.get(kind, default)
SEPARATION = 2  # words between two edits proposed in one sentence


@dataclass
class SweepEdit:
    """One verified edit: where, what, how sure."""

    edit: SentenceEdit
    word: int  # index of the word it edits (or inserts before)
    kind: str  # error kind (grammar.error_kind)
    screen: float  # first-token gain (nats)
    gain: float  # log-prob gain from the edit to WINDOW_AFTER words after it (nats), length-corrected
    language: str | None = None

    @property
    def margin(self) -> float:
        return margin_for(self.kind, self.language)

    @property
    def confidence(self) -> float:
        return 1.0 / (1.0 + math.exp(-(self.gain - self.margin)))


def screen(
    scorer: LanguageModelScorer, scored: ScoredText, words: list[WordScore], language: str | None
) -> list[tuple[SentenceEdit, int, float]]:
    """(edit, word index, first-token gain) of the grammar's edits the model
    prefers by SCREEN_GAIN, from the states the detection pass kept for every
    word; best first, at most MAX_PER_SENTENCE."""
    import torch

    sentence = scored.text
    spans = [(w.start, w.end) for w in words]
    sites: list[tuple[SentenceEdit, int, int, int]] = []  # edit, word, state index, new token id
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


def _first_new_token(scorer, edit: SentenceEdit, sentence: str, spans, index: int) -> int | None:
    """The token the model sees first where the edit begins."""
    if edit.kind == "delete":
        if index + 1 >= len(spans):
            return None
        return scorer.word_token(sentence[spans[index + 1][0] : spans[index + 1][1]])
    return scorer.word_token(edit.replacement.strip())


def verify(
    scorer: LanguageModelScorer,
    candidates: list[tuple[ScoredText, list[WordScore], SentenceEdit, int, float, str | None]],
) -> list[SweepEdit | None]:
    """Gain of every candidate from its edit to WINDOW_AFTER words after it,
    with the sentence's whole left context, all in a few batches
    (continuation.score: the original's keys and values are reused, only the
    rewrite's new tokens run); None for those that do not clear their kind's
    margin. A candidate is (scored sentence, its words, edit, word index,
    screen gain, language); the scored sentence must carry its cache."""
    from mtqa.fluency.rewrite import _gain

    rewrites, ends = [], []
    for scored, words, edit, index, _screen, _language in candidates:
        sentence = scored.text
        end = words[min(len(words) - 1, index + WINDOW_AFTER)].end
        text = edit.apply(sentence)
        rewrites.append(continuation.Rewrite(scored, text, edit.start, end + len(text) - len(sentence)))
        ends.append(end)
    rescored = continuation.score(scorer, rewrites) if rewrites else []
    results: list[SweepEdit | None] = []
    for (scored, _words, edit, index, screen_gain, language), end, result in zip(candidates, ends, rescored):
        original = ScoredText(scored.text, [t for t in scored.tokens if t.start < end])
        per_token = -scored.logprob / max(1, len(scored.tokens))
        gain = _gain(result, original, edit.start, per_token)
        found = SweepEdit(edit, index, grammar.error_kind(edit, scored.text, language), screen_gain, gain, language)
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
