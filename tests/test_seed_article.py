"""The real MT article in ../shared/seeds that motivated mtqa (skipped if absent).

Expected repairs are written by hand from reading the article: every garbled
apostrophe entity and the stray-spaced quotation, nothing else changed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import mtqa

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "idlib-article.txt"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="shared seed article not present")


@pytest.fixture(scope="module")
def article() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(article: str):
    return mtqa.check(article, "en", use_model=False)


def test_every_garbled_entity_and_the_stray_quote_are_fixed_exactly(article: str, result) -> None:
    fixed = result.fixed_text
    assert "& # 39;" not in fixed
    assert "town of Ma'arrat Misrin," in fixed
    assert "market in Ma'at al-Nu'man in July" in fixed
    assert 'the Turkish government will "no desire or intention to collide with Russia."' in fixed
    rules = {f.rule for f in result.findings}
    assert "entities.garbled" in rules
    assert any(f.rule.startswith("spacing.") for f in result.findings)


def test_fix_changes_the_text_only_where_findings_are(article: str, result) -> None:
    spans = [(f.start, f.end) for f in result.findings]
    matcher = difflib.SequenceMatcher(None, article, result.fixed_text, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert any(start <= i1 and i2 <= end for start, end in spans), (tag, article[i1 - 20 : i2 + 20])


def test_fix_is_idempotent(result) -> None:
    assert mtqa.fix(result.fixed_text, "en") == result.fixed_text


def test_mechanical_rules_leave_the_rest_alone(result) -> None:
    # Only the two entities and the two inner quote spaces are mechanical damage here.
    mechanical = [f for f in result.findings if f.origin == "rule"]
    assert len(mechanical) <= 4, [(f.rule, f.text) for f in mechanical]
