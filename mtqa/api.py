"""The Python API: `mtqa.check(text)` and `mtqa.fix(text)`.

A thin layer over the pipeline so that library users get the same results as
the CLI without building Documents and Options themselves.
"""

from __future__ import annotations

from typing import Iterable

from mtqa.findings import Document, DocumentResult, TextUnit
from mtqa.options import built
from mtqa.pipeline import Options, check_document

Result = DocumentResult


def _options(
    lang: str | None,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    use_model: bool,
    min_confidence: float,
    extend_select: Iterable[str] | None = None,
    unsafe_fixes: bool = False,
) -> Options:
    return built(Options(use_model=use_model), language=lang, select=list(select or []),
                 extend_select=list(extend_select or []), ignore=list(ignore or []),
                 min_confidence=min_confidence, unsafe_fixes=unsafe_fixes)


def check(
    text: str,
    lang: str | None = None,
    *,
    source: str | None = None,
    source_lang: str | None = None,
    reference: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    use_model: bool = False,
    min_confidence: float = 0.9,
    extend_select: Iterable[str] | None = None,
    unsafe_fixes: bool = False,
    id: str = "<text>",
) -> Result:
    """Check one text; `use_model=True` adds the fluency model's findings and scores.

    An unknown language or rule, or a confidence outside 0-1, raises
    mtqa.options.OptionsError (as the CLI refuses them).

    Opt-in rules (`fluency.likely-edit`, word-level QE) run when named in
    `select` or `extend_select`. With `source`, the bilingual rules compare
    the translation with it; with `reference`, `scores` holds BLEU, chrF and
    TER (mtqa/reference_metrics.py). `unsafe_fixes` applies the repairs of
    mechanical rules declared unsafe (`wording.calque-grammar`) in
    `fixed_text`, as `mtqa fix --unsafe-fixes` does.
    """
    document = Document(
        id=id,
        units=[TextUnit(text=text, source=source, source_lang=source_lang, reference=reference)],
        language=lang,
        source_language=source_lang,
    )
    return check_document(document, _options(lang, select, ignore, use_model, min_confidence, extend_select,
                                             unsafe_fixes))


def fix(
    text: str,
    lang: str | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    use_model: bool = False,
    min_confidence: float = 0.9,
    unsafe_fixes: bool = False,
) -> str:
    """Return the text with every accepted suggestion applied."""
    return check(
        text,
        lang,
        select=select,
        ignore=ignore,
        use_model=use_model,
        min_confidence=min_confidence,
        unsafe_fixes=unsafe_fixes,
    ).fixed_text
