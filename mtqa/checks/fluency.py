"""Fluency: phrasing that reads unnaturally, found and repaired with a language model.

The model work lives in mtqa.fluency (imported lazily: `import mtqa.checks`
must stay fast and work without torch); this module turns its proposals into
findings and registers the document scores.

Findings carry origin="model" and a confidence (the probability that the top
rewrite is better, from its log-likelihood gain), so `mtqa fix` applies a
rewrite only above --min-confidence while the report shows all of them.
Per-sentence scores go into each finding's context: `sentence_logprob`
(summed natural-log probability), `sentence_fluency` (mean log-prob per
token), `anomaly` (nats of surprise beyond the model's expectation) and, with a
rewrite, `rewrite_logprob` and `gain`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from mtqa.errors import ConfigError
from mtqa.findings import Document, Finding, TextUnit
from mtqa.fluency.errors import ModelUnavailable
from mtqa.rules import (
    DISPLAY_ONLY,
    UNSAFE,
    CheckContext,
    Example,
    define_rule,
    make_finding,
    register_check,
    register_document_scorer,
)

if TYPE_CHECKING:
    from mtqa.pipeline import Options

# Languages where the check's false alarms on clean news were measured low
# (bench/fluency_false_alarms.py); elsewhere it stays silent rather than guess.
# French was measured too and is not enabled: Gemma 3 270M proposes confident
# article/preposition rewrites of correct French (about 3 per 1,000 words).
CALIBRATED_LANGUAGES = ("en", "de")

define_rule(
    "fluency.awkward",
    category="Style/Awkward",
    severity="minor",
    description="Phrasing a language model finds far less likely than a minimal rewrite "
    "(wrong auxiliary, article, preposition or verb form; odd collocation).",
    why="Weak MT leaves grammatical slips no rule lists (`the government will no desire`); the model "
    "reads every sentence and proposes the smallest rewrite it finds far more natural.",
    fix=UNSAFE,
    examples=[
        Example("Dozens of houses was destroyed by the storm on Monday night.",
                "Dozens of houses were destroyed by the storm on Monday night."),
        # a pronoun rewrite may change the meaning: suggested, not applied
        Example("The airline said she would cancel all flights to the city next week.",
                "The airline said she would cancel all flights to the city next week."),
    ],
    clean=[
        Example("The storm destroyed dozens of houses on Monday night."),
        Example("The airline said it would cancel all flights to the city next week."),
    ],
    languages=CALIBRATED_LANGUAGES,
    needs_model=True,
)


define_rule(
    "fluency.likely-edit",
    category="Style/Awkward",
    severity="minor",
    description="Word-level quality estimation (opt-in): words a post-editor would probably change, "
    "from the language model's view of the target text alone (no source). For triage, not a verdict.",
    why="Points a reviewer at the words of weak MT most likely to need an edit, before reading closely.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The police informed that the suspect had been withdraw from the his custody yesterday."),
        Example("Yesterday in the morning the minister has declared that the tax of the fuel will be rised again "
                "from next month by the government."),
    ],
    clean=[
        Example("The mayor said the bridge would reopen next week."),
        Example("The minister said the government would decide on the tax next week."),
    ],
    languages=("en",),  # trained on MLQE-PE MT into English
    needs_model=True,
    opt_in=True,
)


def model_name(context: CheckContext) -> str | None:
    """The --model choice: CheckContext.model when the pipeline passes it, else rule options."""
    name = getattr(context, "model", None)
    if name:
        return name
    options = context.rule_options or {}
    return options.get("model") or (options.get("fluency") or {}).get("model")


@register_check("fluency.awkward")
def check_fluency(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    from mtqa.fluency.review import review  # lazy: loads torch

    language = context.language
    if language not in CALIBRATED_LANGUAGES:
        return  # unknown or uncalibrated language: stay silent rather than guess
    for proposal in review(unit.text, language, model_name(context)):
        original = unit.text[proposal.start : proposal.end]
        if proposal.context.get("why"):
            message = proposal.context["why"]
        elif proposal.suggestions:
            after = _following_words(unit.text, proposal.end)
            message = (
                f"Reads unnaturally: “{original}{after}”; the model prefers "
                f"“{proposal.suggestions[0]}{after}”"
            )
        else:
            message = f"Reads unnaturally here (“{original}”); no confident rewrite"
        yield make_finding(
            "fluency.awkward",
            unit,
            proposal.start,
            proposal.end,
            message,
            proposal.suggestions,
            confidence=proposal.confidence,
            origin="model",
            context=proposal.context,
            fix=proposal.fix,
        )


@register_check("fluency.likely-edit")
def check_likely_edits(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    from mtqa.fluency.review import likely_edits  # lazy: loads torch

    if context.language != "en":
        return
    threshold = ((context.rule_options or {}).get("fluency.likely-edit") or {}).get("threshold")
    if threshold is not None and not (isinstance(threshold, (int, float)) and 0 < threshold < 1):
        raise ConfigError(f"rule-options for fluency.likely-edit: threshold must be a number between 0 and 1, "
                          f"not {threshold!r}")
    edits = likely_edits(unit.text, context.language, model_name(context), threshold)
    if edits is None:
        raise ModelUnavailable(
            f"fluency.likely-edit has no QE head for model {model_name(context) or 'default'}; "
            "it was trained for gemma3-270m"
        )
    for edit in edits:
        yield make_finding(
            "fluency.likely-edit",
            unit,
            edit.start,
            edit.end,
            f"A post-editor would probably change “{unit.text[edit.start:edit.end]}” "
            f"(word-level QE, P={edit.probability:.2f})",
            [],
            confidence=edit.probability,
            origin="model",
            context=edit.context,
        )


def _following_words(text: str, end: int, count: int = 2) -> str:
    """A little right context for the message (`will` -> `will " no desire`)."""
    match = re.match(r"(?:[^\w\n]*\w+){0,%d}" % count, text[end:])
    return match.group(0) if match else ""


@register_document_scorer
def score_document(document: Document, options: Options) -> dict[str, float]:
    """`logprob`: summed natural-log probability of all sentences of the document.
    `fluency`: mean log-prob per token (nats, <= 0; closer to 0 = more fluent;
    clean English news scores about -2.5 to -3.5 with Gemma 3 270M). Sentences
    already scored by the check are reused from a cache."""
    from mtqa.fluency.review import sentence_scores
    from mtqa.fluency.scorer import get_scorer
    from mtqa.segment import sentences

    texts = [piece for unit in document.units for s in sentences(unit.text) for piece in _bounded(s.text)]
    if not texts:
        return {}
    scorer = get_scorer(options.model)
    pairs = sentence_scores(scorer, texts)
    total = sum(lp for lp, _ in pairs)
    tokens = sum(n for _, n in pairs)
    return {"logprob": round(total, 3), "fluency": round(total / max(1, tokens), 4)}


def _bounded(sentence: str) -> list[str]:
    """A "sentence" of MAX_SENTENCE_CHARS or less, else its pieces of at most
    that many characters, cut at spaces: a 1.8 MB line with no full stop made
    the model ask for 810 GB of attention."""
    from mtqa.fluency.review import MAX_SENTENCE_CHARS

    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    pieces, start = [], 0
    while start < len(sentence):
        end = min(len(sentence), start + MAX_SENTENCE_CHARS)
        if end < len(sentence):
            cut = sentence.rfind(" ", start + 1, end)
            end = cut if cut > start else end
        piece = sentence[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces

