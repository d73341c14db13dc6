"""The rules document themselves: `mtqa rules --explain`, and a README table
that is written from the registry and fails this test when stale."""

from __future__ import annotations

import json
from pathlib import Path

from mtqa.rules_doc import README_END, README_START, markdown_table, with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_rule_table_is_the_registry_s():
    readme = README.read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme
    assert with_table(readme) == readme, "README.md's rule table is stale: run python scripts/rules_table.py"


def test_the_table_has_a_row_per_rule_and_keeps_entities_literal():
    from mtqa.rules import iter_rules

    table = markdown_table()
    for rule in iter_rules():
        assert f"| `{rule.id}` |" in table
    assert "&amp;amp;quot;" in table  # renders as `&amp;quot;`, not as a quotation mark


def test_explain_prints_what_why_fix_and_examples(mtqa_cli):
    result = mtqa_cli("rules", "--explain", "repetition.doubled-word")
    assert result.returncode == 0
    page = result.stdout.decode("utf-8")
    for heading in ("## What it does", "## Why it matters", "## Fix", "## Examples", "## Left alone"):
        assert heading in page
    assert "'He went to the the market.'" in page and "fixed: 'He went to the market.'" in page
    assert "'She had had enough of it.'" in page


def test_explain_json_and_an_unknown_rule(mtqa_cli):
    data = json.loads(mtqa_cli("rules", "--explain", "bilingual.number", "--format", "json").stdout)
    assert data["fix"] == "display-only" and data["examples"][0]["source_lang"] == "de"
    wrong = mtqa_cli("rules", "--explain", "spacing.quote")
    assert wrong.returncode == 2
    assert b"did you mean spacing.quote-inner" in wrong.stderr and b"Traceback" not in wrong.stderr


def test_the_fix_help_says_what_applies_an_unsafe_rule_s_suggestion():
    # A mechanical unsafe rule is applied with --unsafe-fixes; a model rule
    # at --min-confidence (the help said --min-confidence for both before).
    from mtqa.rules import RULES, load_checks
    from mtqa.rules_doc import explain

    load_checks()
    mechanical = explain(RULES["wording.calque-grammar"])
    assert "only with --unsafe-fixes" in mechanical and "--min-confidence" not in mechanical
    assert "only at or above --min-confidence" in explain(RULES["fluency.awkward"])
    assert "never applied" in explain(RULES["bilingual.number"])
