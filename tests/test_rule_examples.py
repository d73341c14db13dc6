"""Every rule's declared examples are its tests (LanguageTool's habit).

A rule fires on each of its `examples`, and `mtqa fix` turns the whole text
into the example's `fixed` text where one is given; it stays silent on each
of its `clean` examples. A rule without two of each fails here, so a new
rule cannot land undocumented.
"""

from __future__ import annotations

import pytest

from mtqa.findings import Document, TextUnit
from mtqa.pipeline import Options, check_document
from mtqa.rules import APPLICABILITIES, DISPLAY_ONLY, SAFE, Example, Rule, iter_rules

RULES = list(iter_rules())


def _model_ready() -> bool:
    try:
        from mtqa.fluency import ensure_available

        ensure_available(None)
    except Exception:
        return False
    return True


def _run(rule: Rule, example: Example):
    document = Document(
        id=f"{rule.id} example",
        units=[TextUnit(text=example.text, source=example.source, source_lang=example.source_lang)],
        language=example.lang,
        source_language=example.source_lang,
    )
    if rule.needs_model and not _model_ready():
        pytest.skip("the fluency model is not installed")
    options = Options(language=example.lang, use_model=rule.needs_model,
                      extend_select=[rule.id] if rule.opt_in else [])
    return check_document(document, options)


def _cases(kind: str):
    return [pytest.param(rule, example, id=f"{rule.id}-{n}", marks=[pytest.mark.model] if rule.needs_model else [])
            for rule in RULES for n, example in enumerate(getattr(rule, kind))]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_is_documented_with_two_damaged_and_two_clean_examples(rule: Rule):
    assert len(rule.examples) >= 2, f"{rule.id} declares {len(rule.examples)} damaged example(s)"
    assert len(rule.clean) >= 2, f"{rule.id} declares {len(rule.clean)} clean example(s)"
    assert rule.why.strip() and rule.description.strip()
    assert rule.fix in APPLICABILITIES
    if rule.fix == SAFE:
        assert all(e.fixed is not None for e in rule.examples), f"{rule.id}: a safe fix shows what it makes"
    for example in rule.examples:  # clean ones may show a language the rule leaves alone
        assert example.lang is None or rule.applies_to(example.lang)


@pytest.mark.parametrize("rule,example", _cases("examples"))
def test_the_rule_fires_on_its_examples_and_fix_makes_their_fixed_text(rule: Rule, example: Example):
    result = _run(rule, example)
    fired = [f for f in result.findings if f.rule == rule.id]
    assert fired, f"{rule.id} did not fire on {example.text!r}: {[f.rule for f in result.findings]}"
    if rule.fix == DISPLAY_ONLY:
        assert all(f.applicability == DISPLAY_ONLY for f in fired)
    if example.fixed is not None:
        assert result.fixed_text == example.fixed


@pytest.mark.parametrize("rule,example", _cases("clean"))
def test_the_rule_is_silent_on_its_clean_examples(rule: Rule, example: Example):
    result = _run(rule, example)
    assert [f.to_json() for f in result.findings if f.rule == rule.id] == []
