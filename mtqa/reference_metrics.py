"""Scores against a reference translation, with sacrebleu: BLEU, chrF, TER.

When the input carries a reference (JSONL `reference`), each document gets
its sentence-level scores in `scores` (`bleu`, `chrf`, `ter`), for the MT as
given and for `mtqa fix`'s output (`fixed_bleu`, ...): did the fixes move it
toward what a translator wrote? The run's summary holds the corpus-level
figures, one segment per document, with sacrebleu's signature strings so that
they can be reproduced (`sacrebleu REF -i HYP -m bleu chrf ter` on the same
lines gives the same numbers; tests/test_reference_metrics.py).

The tokenizer follows the target language, as sacrebleu recommends: `zh` for
Chinese, `ja-mecab` for Japanese where MeCab is installed (else characters),
`13a` otherwise.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from mtqa.findings import DocumentResult
from mtqa.languages import rule_language


@lru_cache(maxsize=None)
def tokenizer_for(language: str | None) -> str:
    base = rule_language(language) or ""
    if base == "zh":
        return "zh"
    if base in ("ja", "ko"):
        try:
            from sacrebleu.metrics import BLEU

            BLEU(tokenize=f"{base}-mecab")
            return f"{base}-mecab"
        except Exception:  # MeCab or its dictionary is not installed
            return "char"
    return "13a"


def _metrics(language: str | None, sentence: bool):
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {
        "bleu": BLEU(tokenize=tokenizer_for(language), effective_order=sentence),
        "chrf": CHRF(),
        "ter": TER(asian_support=rule_language(language) in ("zh", "ja", "ko")),
    }


def _pair(result: DocumentResult) -> tuple[str, str, str] | None:
    """(MT, fixed MT, reference) of a document whose units carry references."""
    units = [(unit, index) for index, unit in enumerate(result.units) if unit.reference is not None]
    if not units or result.error:
        return None
    hypothesis = " ".join(unit.text for unit, _ in units)
    fixed = " ".join(result.fixed_units[index] if index < len(result.fixed_units) else unit.text
                     for unit, index in units)
    reference = " ".join(unit.reference or "" for unit, _ in units)
    return hypothesis, fixed, reference


def document_scores(result: DocumentResult) -> dict[str, float]:
    """Sentence-level BLEU, chrF and TER of the document, as given and fixed."""
    pair = _pair(result)
    if pair is None:
        return {}
    hypothesis, fixed, reference = pair
    scores: dict[str, float] = {}
    for name, metric in _metrics(result.language, sentence=True).items():
        scores[name] = round(metric.sentence_score(hypothesis, [reference]).score, 4)
        scores[f"fixed_{name}"] = round(metric.sentence_score(fixed, [reference]).score, 4)
    return scores


def corpus_scores(results: Iterable[DocumentResult]) -> dict[str, Any] | None:
    """Corpus-level scores over the documents with references (one segment
    each), with signatures; None when none has a reference."""
    pairs, language = [], None
    for result in results:
        pair = _pair(result)
        if pair is not None:
            pairs.append(pair)
            language = language or result.language
    if not pairs:
        return None
    hypotheses, fixed, references = (list(column) for column in zip(*pairs))
    figures: dict[str, Any] = {"segments": len(pairs), "mt": {}, "fixed": {}}
    for name, metric in _metrics(language, sentence=False).items():
        score = metric.corpus_score(hypotheses, [references])
        figures["mt"][name] = round(score.score, 4)
        figures["fixed"][name] = round(metric.corpus_score(fixed, [references]).score, 4)
        figures.setdefault("signatures", {})[name] = str(metric.get_signature())
    return figures


__all__ = ["corpus_scores", "document_scores", "tokenizer_for"]
