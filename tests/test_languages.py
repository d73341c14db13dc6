"""One language normaliser (mtqa/languages.py), applied where documents are built."""

from __future__ import annotations

import pytest

from mtqa.findings import Document, TextUnit
from mtqa.languages import rule_language
from mtqa.pipeline import Options, check_document


@pytest.mark.parametrize("tag,expected", [
    ("en-US", "en"), ("EN", "en"), ("pt_BR", "pt"), ("zh-Hant", "zh"), ("sr@latin", "sr"),
    ("sr_RS@latin", "sr"), ("iw", "he"), (" de-CH ", "de"), ("", None), (None, None),
])
def test_tags_become_the_rule_language(tag, expected):
    assert rule_language(tag) == expected


def test_a_document_in_a_regional_locale_gets_that_language_s_rules():
    # English-only rules (spacing.currency) must apply to en-GB documents as to en ones
    document = Document(id="story", units=[TextUnit(text="Prices rose by $ 5 this year.", source_lang="de_DE")],
                        language="en-GB", source_language="de-AT")
    assert (document.language, document.source_language, document.units[0].source_lang) == ("en", "de", "de")
    result = check_document(document, Options(use_model=False))
    assert [f.rule for f in result.findings] == ["spacing.currency"]
    assert result.fixed_text == "Prices rose by $5 this year."
