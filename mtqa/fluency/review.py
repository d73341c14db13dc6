"""The fluency review of one text unit: detect, propose rewrites, keep scores.

This is the model-side half of the `fluency` rule family; mtqa/checks/fluency.py
only turns its proposals into findings, so the checks never import torch.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from mtqa.fluency import candidates, detect, pronoun_context, rewrite, sweep
from mtqa.fluency.scorer import LanguageModelScorer, get_scorer
from mtqa.fluency.sources import resolve
from mtqa.segment import sentences
from mtqa.languages import rule_language

MAX_SENTENCE_CHARS = 600  # longer "sentences" are lists or tables, not prose
# A rewrite is auto-applied (confidence can reach --min-confidence) only in
# an otherwise fluent sentence. In garbled MT (mean log-prob per token below
# this, in nats), post-editors rewrite the whole sentence, and a local
# function-word fix almost never matches what they do: on MLQE-PE train
# (bench/rewrite_outcomes.py) 25 of 26 rewrites moved MT away from its
# post-edit, and the garbled sentences scored -5.7 to -8.3 per token, while
# the isolated errors of real articles (idlib seed, corpora/en) score -3.1
# to -4.6. There the rewrite is still suggested, for an editor to accept.
FLUENT_SENTENCE = -5.0
GARBLED_CONFIDENCE_CAP = 0.8
# Error kinds whose repair may change what the sentence says (who is meant,
# which relation, which word): the sweep suggests them, and their findings
# are display-only, so `fix` never applies them at any --min-confidence.
SUGGEST_ONLY_KINDS = frozenset({"pronoun", "preposition", "word-pair", "collocation"})


@dataclass
class Proposal:
    start: int  # offsets into the unit text
    end: int
    suggestions: list[str]
    confidence: float
    anomaly: float
    context: dict = field(default_factory=dict)
    # `unsafe`: applied at or above --min-confidence; `display-only`: a
    # repair that may change what the sentence says, for an editor to judge.
    fix: str = "unsafe"


# Sentence scores by (model, sentence): the document scorer reuses what the
# check computed instead of running the model twice.
_SENTENCE_SCORES: OrderedDict[tuple[str, str], tuple[float, int]] = OrderedDict()
_SENTENCE_CACHE_SIZE = 8192


def remember(model: str, text: str, logprob: float, tokens: int) -> None:
    _SENTENCE_SCORES[(model, text)] = (logprob, tokens)
    _SENTENCE_SCORES.move_to_end((model, text))
    while len(_SENTENCE_SCORES) > _SENTENCE_CACHE_SIZE:
        _SENTENCE_SCORES.popitem(last=False)


def sentence_scores(scorer: LanguageModelScorer, texts: list[str]) -> list[tuple[float, int]]:
    """(summed log-prob, token count) per sentence, scoring only cache misses."""
    missing = [t for t in dict.fromkeys(texts) if (scorer.name, t) not in _SENTENCE_SCORES]
    if missing:
        for scored in scorer.token_logprobs(missing):
            remember(scorer.name, scored.text, scored.logprob, len(scored.tokens))
    return [_SENTENCE_SCORES[(scorer.name, t)] for t in texts]


# Sentence analyses by (model, language, sentence), offsets relative to the
# sentence: both model rules read them, so a sentence goes through the model
# once however many rules need it.
_ANALYSES: OrderedDict[tuple[str, str | None, str], detect.SentenceAnalysis] = OrderedDict()
_ANALYSIS_CACHE_SIZE = 4096
# Sentences scored per detection pass: the keys and values of all of them are
# held until their sweep is verified (about 40 KB per token for Gemma 3 270M).
ANALYSIS_CHUNK = 64


def analyse_text(
    text: str, language: str | None, model: str | None = None, *, prose_only: bool = False, propose: bool = False
) -> list[detect.SentenceAnalysis]:
    """The sentences of `text` scored (one batched pass for those not yet
    scored), with their anomalies; offsets relative to `text`.

    `prose_only`: only full sentences (the rewrite check judges nothing else),
    so headlines and captions cost nothing unless word-level QE asks for them.
    `propose`: also propose the rewrites of every sentence, the anomaly path's
    (SentenceAnalysis.proposal) and the sweep's (SentenceAnalysis.swept),
    while the sentences' keys and values are at hand (mtqa/fluency/
    continuation.py); a sentence analysed earlier without it is scored again.
    """
    scorer = get_scorer(model)
    spans = [
        s for s in sentences(text)
        if len(s.text) <= MAX_SENTENCE_CHARS and (not prose_only or _is_prose(s.text))
    ]
    missing = list(dict.fromkeys(
        s.text for s in spans
        if (analysis := _ANALYSES.get((scorer.name, language, s.text))) is None
        or (propose and analysis.swept is None)
    ))
    for start in range(0, len(missing), ANALYSIS_CHUNK):
        chunk = missing[start : start + ANALYSIS_CHUNK]
        analysed = detect.analyse(scorer, [(0, len(t), t) for t in chunk], language, screen=propose)
        if propose:
            for analysis, proposal in zip(analysed, _attempts(scorer, analysed, language)):
                analysis.proposal = proposal
            _verify_screened(scorer, analysed, language)
        for analysis in analysed:
            analysis.scored.cache = None  # the keys and values are only for verifying
            sentence = analysis.scored.text
            remember(scorer.name, sentence, analysis.logprob, len(analysis.scored.tokens))
            _ANALYSES[(scorer.name, language, sentence)] = analysis
    analyses = []
    for span in spans:
        key = (scorer.name, language, span.text)
        _ANALYSES.move_to_end(key)
        analyses.append(replace(_ANALYSES[key], start=span.start, end=span.end))
    while len(_ANALYSES) > _ANALYSIS_CACHE_SIZE:
        _ANALYSES.popitem(last=False)
    return analyses


def _verify_screened(scorer: LanguageModelScorer, analyses: list[detect.SentenceAnalysis], language) -> None:
    """Verify every sentence's screened edits in one batch, while the keys and
    values of the sentences are still at hand (sweep.verify)."""
    candidates, owners = [], []
    for analysis in analyses:
        analysis.swept = []
        for screened in analysis.screened:
            candidates.append((analysis.scored, analysis.words, screened, language))
            owners.append(analysis)
    for analysis, found in zip(owners, sweep.verify(scorer, candidates) if candidates else []):
        analysis.swept.append(found)  # accepted or not: _sweep chooses


def forget_analyses() -> None:
    """Drop the cached sentence analyses (benchmarks time the model, not the cache)."""
    _ANALYSES.clear()


def _model_speaks(model: str | None, language: str | None) -> bool:
    """An English-only packaged model has nothing to say about German; models
    given by path or hub id are trusted with whatever language they get."""
    spec = resolve(model)
    if spec.known is not None and spec.known.languages != "multilingual":
        return rule_language(language) in spec.known.languages.split(",")
    return True


def review(
    text: str,
    language: str | None,
    model: str | None = None,
) -> list[Proposal]:
    """Flag anomalous words in `text` and propose ranked minimal rewrites."""
    if not _model_speaks(model, language):
        return []
    scorer = get_scorer(model)
    proposals: list[Proposal] = []
    analyses = analyse_text(text, language, model, prose_only=True, propose=True)
    for analysis in analyses:
        if analysis.proposal is not None:
            proposal = analysis.proposal
            proposals.append(replace(proposal, start=proposal.start + analysis.start,
                                     end=proposal.end + analysis.start, suggestions=list(proposal.suggestions),
                                     context=dict(proposal.context)))
    proposals.extend(_sweep(scorer, analyses, language))
    proposals.extend(_opening_pronouns(scorer, text, analyses, proposals, language))
    return sorted(proposals, key=lambda p: p.start)


def _opening_pronouns(scorer, text: str, analyses, taken: list[Proposal], language) -> list[Proposal]:
    """`He also cited` after a sentence about a commission: sentences of the
    prose analysed that open with a personal pronoun, judged with the
    sentence before them as context (pronoun_context.py)."""
    spans = [span for span in sentences(text) if span.text.strip()]
    starts = {span.start: k for k, span in enumerate(spans)}
    found, owners = [], []
    for analysis in analyses:
        k = starts.get(analysis.start)
        if not k:
            continue  # the first sentence of the unit, or not one of its sentences
        for candidate in pronoun_context.candidates([spans[k - 1].text, analysis.scored.text], language):
            end = analysis.start + len(candidate.pronoun)
            if not any(p.start < end and analysis.start < p.end for p in taken):
                found.append(candidate)
                owners.append(analysis)
    proposals = []
    for candidate, analysis, gain in zip(found, owners, pronoun_context.gains(scorer, found) if found else []):
        if gain < pronoun_context.PRONOUN_CONTEXT_MARGIN:
            continue
        confidence = rewrite.margin_confidence(gain, pronoun_context.PRONOUN_CONTEXT_MARGIN)
        context = {"gain": round(gain, 3), "edit": "pronoun", "model": scorer.name,
                   "why": f"“{candidate.pronoun}” opens this sentence; after the sentence before, the model "
                          f"prefers “{candidate.replacement}” (for an institution or a thing, not a person)"}
        proposals.append(Proposal(analysis.start, analysis.start + len(candidate.pronoun), [candidate.replacement],
                                  round(confidence, 4), gain, context, "display-only"))
    return proposals


def _attempts(scorer: LanguageModelScorer, analyses: list[detect.SentenceAnalysis], language) -> list:
    """The anomaly path's rewrite of each sentence (offsets relative to it),
    or None: one attempt per sentence, at its most anomalous word with
    enough left context, all sentences' candidates ranked in one batch
    (rewrite.rank_many)."""
    plans = [_plan(scorer, analysis, language) for analysis in analyses]
    ranked = iter(rewrite.rank_many(scorer, [plan.job for plan in plans if plan is not None]))
    return [None if plan is None else _propose(scorer, analysis, plan, next(ranked), language)
            for analysis, plan in zip(analyses, plans)]


@dataclass
class _Plan:
    """The anomaly path's attempt at one word of a sentence, before ranking."""

    index: int  # the word
    job: rewrite.RankJob


def _plan(scorer, analysis: detect.SentenceAnalysis, language) -> _Plan | None:
    """The rewrite candidates around the sentence's most anomalous word
    (later anomalies are often echoes of the first), or None where no word
    reaches detect.REWRITE_THRESHOLD."""
    worst_first = [
        i
        for i in sorted(analysis.anomalies, key=lambda i: -analysis.scores[i])
        if analysis.scores[i] >= detect.REWRITE_THRESHOLD
        and i >= detect.SENTENCE_START_WORDS  # too little left context to rewrite on
    ]
    if not worst_first:
        return None
    index = worst_first[0]
    sentence, words = analysis.scored.text, analysis.words
    positions = [(w.start, w.end) for w in words]
    predicted = {i: detect.predicted_words(scorer, analysis, i) for i in _edit_positions(words, index, language)}
    edits = [
        edit for edit in candidates.generate(sentence, positions, index, language, predicted)
        if math.isfinite(sweep.anomaly_margin(edit.kind, language))  # kinds that are off cost no scoring
    ]
    lo = words[max(0, index - 4)].start
    hi = words[min(len(words) - 1, index + 2)].end
    return _Plan(index, rewrite.RankJob(sentence, analysis.scored, edits, window=(lo, hi)))


def _sweep(scorer, analyses, language: str | None) -> list[Proposal]:
    """Proposals of the sweep over every word (sweep.py, verified when the
    sentences were analysed) where the sentence's anomaly path proposed
    nothing (offsets relative to the sentence, both)."""
    proposals = []
    for analysis in analyses:
        taken = analysis.proposal
        verified = [
            f for f in analysis.swept or ()
            for start, end in [_sweep_span(f)]
            if taken is None or not (taken.start < end + 1 and start < taken.end + 1)
        ]
        for best in sweep.select([f for f in verified if f.accepted]):
            alternatives = sorted((f for f in verified if f.word == best.word and _worth_offering(f, best)),
                                  key=lambda f: -f.preference)
            proposals.append(_sweep_proposal(scorer, analysis, best, alternatives, language))
    return proposals


def _worth_offering(found, best) -> bool:
    """Whether an edit at a site that `best` flagged is offered beside it:
    an accepted one always; one under its margin when, by preference (the
    gain less the cost of changing the tense), it ranks above `best` and
    misses its margin by less than that cost. `will " no desire` in a
    past-tense sentence: `had` clears the margin, `has` (keeps the tense,
    the smaller edit) comes first."""
    if found.accepted or found is best:
        return True
    return found.preference > best.preference and found.gain >= found.margin - rewrite.TENSE_CHANGE_PENALTY


def _sweep_span(found) -> tuple[int, int]:
    """Where a sweep edit lies in its sentence (an insertion covers one character)."""
    edit = found.edit
    return edit.start, max(edit.end, edit.start + 1)


def _sweep_proposal(scorer, analysis, best, alternatives, language: str | None) -> Proposal:
    sentence = analysis.scored.text
    word = analysis.words[best.word]
    start, end = _word_bounds(sentence, min(word.start, best.edit.start), max(word.end, best.edit.end))
    suggestions = []
    for found in alternatives:
        rewritten = found.edit.apply(sentence)
        lo, hi = _word_bounds(sentence, min(word.start, found.edit.start), max(word.end, found.edit.end))
        lo, hi = min(lo, start), max(hi, end)
        suggestion = rewritten[lo : hi + len(rewritten) - len(sentence)]
        if lo == start and hi == end and suggestion not in suggestions:
            suggestions.append(suggestion)
    confidence = best.confidence
    if analysis.mean_logprob < FLUENT_SENTENCE:
        confidence = min(confidence, GARBLED_CONFIDENCE_CAP)
    changes_meaning = best.kind in SUGGEST_ONLY_KINDS or _changes_reference_or_relation(sentence, best.edit, language)
    context = {
        "sentence_logprob": round(analysis.logprob, 3),
        "sentence_fluency": round(analysis.mean_logprob, 3),
        "screen": round(best.screen, 3),
        "gain": round(best.gain, 3),
        "edit": best.kind,
        "model": scorer.name,
    }
    return Proposal(analysis.start + start, analysis.start + end, suggestions, round(confidence, 4), best.screen,
                    context, "display-only" if changes_meaning else "unsafe")


@dataclass
class LikelyEdit:
    """A run of words the QE head expects a post-editor to change."""

    start: int  # offsets into the unit text
    end: int
    probability: float  # the highest P(BAD) of its words
    context: dict = field(default_factory=dict)


def likely_edits(
    text: str, language: str | None, model: str | None = None, threshold: float | None = None
) -> list[LikelyEdit] | None:
    """Word-level QE over `text`: runs of adjacent words with P(BAD) >= threshold
    (default mtqa.fluency.qe.DEFAULT_THRESHOLD).

    None when no QE head was trained for this model (the head reads that
    model's log-probs, so it cannot be reused with another).
    """
    if not _model_speaks(model, language):
        return []
    from mtqa.fluency.qe import DEFAULT_THRESHOLD, load_head, word_features

    scorer = get_scorer(model)
    head = load_head()
    if head is None or head.model != scorer.name:
        return None
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    edits: list[LikelyEdit] = []
    for analysis in analyse_text(text, language, model):
        probabilities = head.probabilities(word_features(analysis.scored, analysis.words, language))
        current: LikelyEdit | None = None
        for word, p in zip(analysis.words, probabilities):
            if p < threshold:
                current = None
                continue
            start, end = analysis.start + word.start, analysis.start + word.end
            if current is not None and _only_space_between(text, current.end, start):
                current.end = end
                current.probability = max(current.probability, p)
                continue
            current = LikelyEdit(start, end, p, {"sentence_fluency": round(analysis.mean_logprob, 3),
                                                 "model": scorer.name})
            edits.append(current)
    for edit in edits:
        edit.probability = round(edit.probability, 3)
    return edits


def _only_space_between(text: str, end: int, start: int) -> bool:
    return not text[end:start].strip()


# Closing quotes and brackets may follow the final mark, also spaced off by a
# tokenizer (`... with Russia . "`).
_TERMINAL = re.compile(r"[.!?…。！？](?:\s*[\"'”’»)\]])*\s*$")


def _is_prose(sentence: str) -> bool:
    """Judge full sentences only: headlines, captions and list items (no final
    punctuation) use telegraphic grammar that a language model finds odd."""
    return bool(_TERMINAL.search(sentence))


def _propose(scorer, analysis, plan: _Plan, ranked: list, language) -> Proposal | None:
    """The anomaly path's proposal from the ranked rewrites of its plan: the
    best one (and the runners-up as further suggestions) where it clears the
    margin of its kind, else a bare flag where the word is anomalous enough."""
    sentence, words, index = analysis.scored.text, analysis.words, plan.index
    word = words[index]
    anomaly = analysis.scores[index]
    context = {
        "sentence_logprob": round(analysis.logprob, 3),
        "sentence_fluency": round(analysis.mean_logprob, 3),
        "anomaly": round(anomaly, 3),
        "model": scorer.name,
    }
    if ranked and ranked[0].gain < sweep.anomaly_margin(ranked[0].edit.kind, language):
        ranked = []  # the best rewrite is of a kind the model does not judge well enough here
    if not ranked:
        if anomaly < detect.BARE_FLAG_THRESHOLD:
            return None
        return Proposal(word.start, word.end, [], _bare_confidence(anomaly), anomaly, context)
    start = min([word.start] + [r.edit.start for r in ranked])
    end = max([word.end] + [r.edit.end for r in ranked])
    start, end = _word_bounds(sentence, start, end)
    suggestions = []
    for r in ranked:
        delta = len(r.text) - len(sentence)
        suggestion = r.text[start : end + delta]
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    context["rewrite_logprob"] = round(analysis.logprob + ranked[0].gain, 3)
    context["gain"] = round(ranked[0].gain, 3)
    context["edit"] = ranked[0].edit.kind + (" (content word)" if ranked[0].edit.content else "")
    confidence = ranked[0].confidence
    if analysis.mean_logprob < FLUENT_SENTENCE:
        confidence = min(confidence, GARBLED_CONFIDENCE_CAP)
    changes_meaning = ranked[0].edit.content or _changes_reference_or_relation(sentence, ranked[0].edit, language)
    return Proposal(start, end, suggestions, confidence, anomaly, context,
                    "display-only" if changes_meaning else "unsafe")


def _changes_reference_or_relation(sentence: str, edit, language: str | None) -> bool:
    """Function words that carry meaning: `against Granada` -> `in Granada`
    reads better and means something else (on MLQE-PE train all four such
    rewrites moved MT away from the post-edit), and `see that disc` -> `see
    the disc` or `its` -> `his` changes what is referred to (held-out clean
    news, lines 241-360: the one auto-applied rewrite was such a swap). These
    are suggested, never auto-applied."""
    classes = candidates.FUNCTION_WORDS.get(rule_language(language), {})
    prepositions, pronouns = classes.get("preposition", ()), classes.get("pronoun", ())
    old = sentence[edit.start : edit.end].strip().lower()
    new = edit.replacement.strip().lower()
    if old == new:
        return False
    return (old in prepositions and new in prepositions) or old in pronouns


def _edit_positions(words, index: int, language: str | None) -> list[int]:
    """Where a rewrite may apply: the word, the one before it, and, when that
    one is a function word (`withdraw its dissatisfaction`), the content word
    governing the phrase, the usual culprit in a wrong collocation."""
    positions = [i for i in (index - 1, index) if i >= 0]
    if index >= 2 and candidates.is_function_word(words[index - 1].text, language):
        positions.insert(0, index - 2)  # the head of the phrase: `will` in `will no plans`
    return positions


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and (text[start - 1].isalnum()):
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _bare_confidence(anomaly: float) -> float:
    """A flag without a rewrite: likelihood it is a real error, capped low."""
    return min(0.6, rewrite.margin_confidence(anomaly, detect.BARE_FLAG_THRESHOLD))
