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

from mtqa.fluency.candidates import is_function_word
from mtqa.fluency.scorer import LanguageModelScorer, ScoredText
from mtqa.fluency.words import WordScore, word_scores

# Anomaly = excess surprisal (nats) of the word's first token over the entropy
# at its position, with the discounts below. Calibrated values (see module doc).
NAME_DISCOUNT = 4.0  # capitalised / digit-bearing words: surprising, rarely wrong
SENTENCE_START_WORDS = 2  # the first words have almost no context to judge them by
FLAG_THRESHOLD = 7.0  # the check's operating point (few false alarms on clean news)
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
        if word.is_name_or_number:
            score -= NAME_DISCOUNT
        if index < SENTENCE_START_WORDS:
            score -= 2.0 * (SENTENCE_START_WORDS - index)
        scores.append(score)
    return scores


def analyse(
    scorer: LanguageModelScorer,
    sentences: list[tuple[int, int, str]],
    language: str | None,
    *,
    threshold: float = FLAG_THRESHOLD,
) -> list[SentenceAnalysis]:
    """Score every sentence once (one batched pass) and mark anomalous words."""
    scored = scorer.token_logprobs([text for _, _, text in sentences], top_k=TOP_K)
    analyses = []
    for (start, end, _), result in zip(sentences, scored):
        words = word_scores(result)
        scores = anomaly_scores(words, language)
        anomalies = [i for i, score in enumerate(scores) if score >= threshold]
        analyses.append(SentenceAnalysis(start, end, result, words, anomalies, scores))
    return analyses


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
