"""Find words a language model finds anomalous for fluent text.

Raw surprisal is a poor error signal: names, numbers and rare words are
surprising in perfectly good news. What matters is surprise *relative to what
the model expected at that position*: the entropy of its prediction is the
surprisal it expects of fluent text there, so a word is anomalous when its
surprisal exceeds that entropy by a wide margin. After an open slot ("said
that ...", high entropy) almost anything is fine; after "the government will"
(low entropy) a surprising "no" is a real anomaly.

The thresholds below were calibrated on data, not set by hand (see
bench/qe_eval.py and bench/fluency_false_alarms.py): false alarms on clean
WMT news (en, de, fr originals) against BAD word tags of MLQE-PE train.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtqa.fluency import sweep
from mtqa.fluency.candidates import is_function_word
from mtqa.fluency.scorer import LanguageModelScorer, ScoredText
from mtqa.fluency.words import WordScore, word_scores

# Anomaly = excess surprisal (nats) of the word's first token over the entropy
# at its position, with the discounts below. Calibrated values (see module doc).
SENTENCE_START_WORDS = 2  # the first words have almost no context to judge them by
START_DISCOUNT = 2.0  # nats per missing word of context at the sentence start
# Words at or above this anomaly are rewrite candidates; the check reports one
# only when a minimal rewrite wins by a margin (rewrite.py), or, with no
# rewrite, when the anomaly reaches BARE_FLAG_THRESHOLD.
FLAG_THRESHOLD = 6.0
# Rewrites (the costly part: a few dozen short forward passes each) are tried
# only from this anomaly up; all the MT errors of the must-show examples score
# 8-14, while most correct surprising words of clean news score below 8.
REWRITE_THRESHOLD = 8.0
# A flag with no rewrite is shown only from here: an editor can act on a
# rewrite, much less on a bare "this reads oddly". On clean news, correct
# words reach 18 nats in English (rare verbs used well: "capitalized without
# hesitation") and above 20 in German, so bare flags are all but off.
BARE_FLAG_THRESHOLD = 30.0
MIN_WORDS = 6  # headlines and captions fragments are not judged
TOP_K = 8  # model proposals kept per position (rewrite candidates)


@dataclass
class SentenceAnalysis:
    """One sentence scored once: its tokens, words and anomalous words."""

    start: int  # offsets of the sentence in the unit text
    end: int
    scored: ScoredText
    words: list[WordScore]
    anomalies: list[int] = field(default_factory=list)  # indices into words
    scores: list[float] = field(default_factory=list)  # anomaly score per word
    # The grammar edits worth verifying (sweep.Screened), offsets relative to
    # the sentence.
    screened: list = field(default_factory=list)
    # Those of them verified, accepted or not (sweep.SweepEdit, offsets
    # relative to the sentence); None where the sweep did not run.
    swept: list | None = None
    # The anomaly path's rewrite (review.Proposal, offsets relative to the
    # sentence), proposed with the sweep.
    proposal: Any = None

    @property
    def logprob(self) -> float:
        return self.scored.logprob

    @property
    def mean_logprob(self) -> float:
        return self.logprob / max(1, len(self.scored.tokens))


def anomaly_scores(words: list[WordScore], language: str | None) -> list[float]:
    """Per-word anomaly (nats of unexpected surprise); higher = less fluent."""
    scores: list[float] = []
    for index, word in enumerate(words):
        score = word.excess
        if word.is_name_or_number and not (index == 0 and is_function_word(word.text, language)):
            # Names and numbers are surprising by nature; on their own they are
            # never evidence of an error (the words around them still are).
            score = min(score, 0.0)
        if index < SENTENCE_START_WORDS:
            score -= START_DISCOUNT * (SENTENCE_START_WORDS - index)
        scores.append(score)
    return scores


def analyse(
    scorer: LanguageModelScorer,
    sentences: list[tuple[int, int, str]],
    language: str | None,
    *,
    screen: bool = True,
) -> list[SentenceAnalysis]:
    """Score every sentence once (one batched pass) and mark anomalous words.

    The hidden states of the tokens a rewrite may edit (a rewrite candidate
    and the two words before it) are kept on the scored text: the rewrite
    ranking uses them to order its candidates almost for free. With `screen`,
    before the others are dropped, the sweep screens the grammar's edits at
    every word with them (sweep.screen), and the keys and values of every
    sentence stay on its scored text (ScoredText.cache) for verifying them:
    the caller drops them (review.analyse_text)."""
    scored = scorer.token_logprobs(
        [text for _, _, text in sentences], top_k=TOP_K, keep_states=True, keep_cache=screen
    )
    analyses = []
    for (start, end, _), result in zip(sentences, scored):
        words = word_scores(result)
        scores = anomaly_scores(words, language)
        if len(words) < MIN_WORDS:
            scores = [min(score, 0.0) for score in scores]
        screened = sweep.screen(scorer, result, words, language, scores) if screen and len(words) >= MIN_WORDS else []
        result.states = _states_near_rewrites(result, words, scores)
        anomalies = [i for i, score in enumerate(scores) if score >= FLAG_THRESHOLD]
        analyses.append(SentenceAnalysis(start, end, result, words, anomalies, scores, screened))
    return analyses


def _states_near_rewrites(scored: ScoredText, words: list[WordScore], scores: list[float]) -> dict:
    """Of a sentence's hidden states, those of the tokens of every rewrite
    candidate and the two words before it, up to the next word's first token
    (a deletion's first new token is predicted there). Copied, so that the
    cache of analyses does not keep every sentence's states alive."""
    keep: set[int] = set()
    for index, score in enumerate(scores):
        if score < REWRITE_THRESHOLD:
            continue
        lo = words[max(0, index - 2)].token_index
        hi = words[index + 1].token_index if index + 1 < len(words) else len(scored.tokens) - 1
        keep.update(range(lo, hi + 1))
    return {k: v.clone() for k, v in scored.states.items() if k in keep}


def predicted_words(scorer: LanguageModelScorer, analysis: SentenceAnalysis, index: int) -> list[str]:
    """The model's top guesses for the word at `index` (whole-word tokens only)."""
    token = analysis.scored.tokens[analysis.words[index].token_index]
    guesses = []
    for token_id, _ in token.top:
        piece = scorer.decode(token_id)
        if piece[:1].isspace() or index == 0:
            word = piece.strip()
            if word:
                guesses.append(word)
    return guesses


__all__ = ["SentenceAnalysis", "analyse", "anomaly_scores", "predicted_words", "is_function_word"]
