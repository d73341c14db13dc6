"""Every character `fix` changes is explained by a finding `check` reports.

`fix` re-checks its output until nothing changes. Its later passes reported
nothing: it deleted a clause no finding named, and `check` under-reported
what `fix` did. These tests replay the reported findings on the original
(select_edits, apply_edits), which must give the fixed text, and require
that every changed character lies inside a reported finding.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.fix import apply_edits, select_edits

ROOT = Path(__file__).resolve().parent.parent


def assert_explained(text: str, lang: str | None) -> mtqa.Result:
    """Replaying the applied findings on the original gives the fixed text:
    a replay changes text only inside their spans, so every change `fix`
    makes is inside a reported finding, and the findings' offsets and texts
    are those of the original."""
    result = mtqa.check(text, lang)
    findings = result.findings
    assert apply_edits(text, select_edits(findings, 0.9)) == result.fixed_text
    for finding in findings:
        assert text[finding.start:finding.end] == finding.text
    return result


def test_a_repeat_that_a_fix_reveals_is_deleted_only_as_a_reported_finding():
    # Only `the the` was reported; a later pass then deleted ` to the market` unreported.
    result = assert_explained("He went to the the market to the market.", "en")
    assert result.fixed_text == "He went to the market."
    (finding,) = result.findings
    assert (finding.rule, finding.text, finding.suggestions[0]) == (
        "repetition.doubled-word", "to the the market to the market", "to the market")
    assert "'to the market' repeated" in finding.message
    # The loop shows only once the contractions are joined: it is the finding, the spacing comes with it.
    result = assert_explained("I 'm holding the line I 'm holding the line now .", "en")
    assert result.fixed_text == "I'm holding the line now."
    assert [(f.rule, f.text) for f in result.findings] == [
        ("repetition.loop", "I 'm holding the line I 'm holding the line"), ("spacing.before-punctuation", " .")]


def test_what_a_later_pass_fixes_is_reported():
    # The ` .` can be seen only once the entity is decoded; it was fixed, never reported.
    result = assert_explained("The wind was &quot;terrifying&quot; . The mayor left.", "en")
    assert result.fixed_text == 'The wind was "terrifying". The mayor left.'
    assert ("spacing.before-punctuation", " .") in [(f.rule, f.text) for f in result.findings]


def test_a_later_fix_of_what_a_fix_produced_is_folded_into_its_finding():
    # `&quot; No &quot;` decodes to `" No "`, whose inner spaces a later pass removes.
    result = assert_explained("The mayor said &quot; No &quot; to the plan.", "en")
    assert result.fixed_text == 'The mayor said "No" to the plan.'
    quotes = [f for f in result.findings if f.rule == "entities.moses-escape"]
    assert [(f.text, f.suggestions[0]) for f in quotes] == [("&quot; ", '"'), (" &quot;", '"')]
    assert all("with it: Space" in f.message for f in quotes)


CORPUS_LANGUAGES = {"de": "de", "en": "en", "fr": "fr", "ja": "ja", "ru": "ru"}


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "corpora").glob("*/*.txt")), ids=lambda p: p.name)
def test_every_change_in_the_corpora_is_explained(path: Path):
    assert_explained(path.read_text(encoding="utf-8"), CORPUS_LANGUAGES.get(path.parent.name))


# Random text built from the pieces weak MT leaves: entities (also broken and
# double-escaped), mojibake, spaced punctuation and quotes, doubled words, and
# the marks of lost characters (U+FFFD, mis-decoded `ï¿½`, C1 quotes, SUB).
PIECES = ["the", "The", "market", "he", "said", "Non", "da", "Straße", "café", "prÃ©sident", "Ã ", "â€œ",
          "&quot;", "&amp;quot;", "& # 39;", "&#39;", "&amp;", "&#0;", " ", "  ", " .", " ,", " :", " !", "'", '"',
          "«", "»", " 's", " n't", "I", "'m", "the the", "(", ")", "\t", "\n", "5", "%", "€", "$", "-", "…",
          "\ufffd", "ï¿½", "\x93", "\x94", "\x1a", "&#65533;", "Ð¿Ñ€Ð¸"]


def controls(text: str) -> Counter:
    return Counter(ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")


def assert_fix_adds_no_damage(text: str, lang: str | None, result: mtqa.Result) -> None:
    """`fix` writes no control character and no U+FFFD that was not there
    (beyond the U+FFFD a mis-decoded `ï¿½` was), deletes none that was (a
    loss is the editor's to restore), and leaves
    nothing it could fix again: what check finds in its output is at most
    display-only findings a repair uncovered (a Cyrillic word under its
    mojibake, a quote that was `&quot;`), never damage of the encoding family."""
    fixed = result.fixed_text
    assert not controls(fixed) - controls(text)
    assert text.count("\ufffd") <= fixed.count("\ufffd") <= text.count("\ufffd") + text.count("ï¿½")
    before = {f.rule for f in result.findings}
    for finding in mtqa.check(fixed, lang).findings:
        if finding.rule not in before:
            assert finding.applicability == "display-only" and not finding.rule.startswith("encoding."), finding


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=30), lang=st.sampled_from([None, "en", "de", "fr"]))
def test_property_fix_is_explained_and_idempotent(pieces, lang):
    text = " ".join(pieces)
    result = assert_explained(text, lang)
    again = mtqa.check(result.fixed_text, lang)
    assert again.fixed_text == result.fixed_text  # a second run changes nothing
    assert_fix_adds_no_damage(text, lang, result)
    result.fixed_text.encode("utf-8")


def test_a_lost_character_beside_mojibake_is_neither_replaced_nor_deleted():
    # ftfy's codecs read U+FFFD as byte 0x1A: `fix` wrote a SUB control
    # character for it, or deleted it, next to a repaired `ï¿½`/Cyrillic word.
    for text, lang in (("\ufffd\" ,\ufffd ï¿½", "en"), ("\ufffd ï¿½", "en"), ("Ð¿Ñ€Ð¸ \ufffd", "ru")):
        result = assert_explained(text, lang)
        assert "\x1a" not in result.fixed_text and "\x1a" not in "".join(
            s for f in result.findings for s in f.suggestions)
        assert_fix_adds_no_damage(text, lang, result)
    assert mtqa.check("Ð¿Ñ€Ð¸ \ufffd", "ru").fixed_text == "при \ufffd"


def test_a_repaired_no_break_space_is_one_finding_over_the_two_characters():
    # `Ã ` + space: the word pairing set `Ã`->`à` and then an empty-span
    # "mojibake" inserting a tab, and a span over the tab and the entity.
    text = "Ã  \t &#9999999;prÃ©sident"
    result = assert_explained(text, "fr")
    mojibake = [(f.text, f.suggestions[0]) for f in result.findings if f.rule == "encoding.mojibake"]
    assert mojibake == [("Ã ", "à"), ("prÃ©sident", "président")]


def test_a_run_of_spaces_inside_quotes_is_removed_in_one_pass():
    # One space per pass: `fix` ran out of passes and a second run changed the text again.
    result = assert_explained("the ' old   monastery    ' stood", "en")
    assert result.fixed_text == "the 'old monastery' stood"
    assert mtqa.check(result.fixed_text, "en").fixed_text == result.fixed_text


def test_entity_letters_do_not_decide_the_language():
    # `quot` and `amp` made this French; once decoded it had no language, and a second run fixed more.
    text = "market the &quot; the café café &quot; &amp;quot; &amp;quot;"
    result = assert_explained(text, None)
    assert result.language is None
    assert mtqa.check(result.fixed_text).fixed_text == result.fixed_text


def test_fix_never_creates_a_finding_of_its_own():
    # `&#0;` and `&#9999999;` were decoded to U+FFFD: a major encoding.replacement-char in the fixed text.
    text = "A &#0; b &#9999999; c &#65533; d &amp;#0; e."
    result = assert_explained(text, "en")
    assert "\ufffd" not in result.fixed_text
    assert [f.rule for f in result.findings if f.rule.startswith("entities.")]  # flagged for an editor
    assert not [f for f in mtqa.check(result.fixed_text, "en").findings if f.rule.startswith("encoding.")]


def test_a_lost_character_after_repairs_that_join_words_is_kept():
    # `Ã  Ã  ` (each `Ã` with its lost no-break space) is `à à `: two words
    # fewer, and no word both sides share within the resync window, so the
    # window of each side held different text and the U+FFFD after it read
    # as deleted (found by the property test, seed 2026).
    text = "prÃ©sident Ã  Ã  \ufffd the"
    result = assert_explained(text, None)
    assert result.fixed_text == "président à à \ufffd the"
    assert_fix_adds_no_damage(text, None, result)


def test_a_repaired_replacement_character_beside_a_lost_one_is_not_deleted():
    # `ï¿½ \ufffd the` is `\ufffd \ufffd the`: a resync on the first shared
    # word took the second U+FFFD for the first, and `ï¿½ ` read as deleted
    # (found by the property test, seed 2026).
    text = "ï¿½ \ufffd the \ufffd Ã  the"
    result = assert_explained(text, None)
    assert result.fixed_text.startswith("\ufffd \ufffd the \ufffd à")
    assert_fix_adds_no_damage(text, None, result)
