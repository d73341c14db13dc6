"""Calques and false friends of MT in English (mtqa/checks/wording.py):
sentences written for these tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.checks.wording import CALQUES, check_calques
from mtqa.findings import TextUnit
from mtqa.rules import CheckContext


def calques(text: str, lang: str = "en") -> list[tuple[str, list[str]]]:
    return [(f.text, f.suggestions) for f in mtqa.check(text, lang, use_model=False, select=["wording"]).findings]


@pytest.mark.parametrize("text, found, suggestion", [
    ("The police informed that the road was closed.", "informed that", "said that"),
    ("The ministry informs that the border is open.", "informs that", "says that"),
    ("In the frame of the talks, both sides agreed to a ceasefire.", "In the frame of", "As part of"),
    ("The patient has been on a respirator since three weeks.", "since three weeks", "for three weeks"),
    ("They have been asking for new equipment since long.", "since long", "for a long time"),
    ("The two delegations discussed about the border.", "discussed about", "discussed"),
    ("The minister explained me that the plan had failed.", "explained me that", "explained to me that"),
    ("She answered to the question without hesitation.", "answered to the question", "answered the question"),
    ("He became a letter from the tax office.", "became a letter", "received a letter"),
    ("Hundreds assisted at the funeral on Sunday.", "assisted at the funeral", "attended the funeral"),
    ("Prices rose in the three last months.", "the three last", "the last three"),
    ("Tourists made a photo of the bridge.", "made a photo", "took a photo"),
    ("In the last time, prices have risen.", "In the last time", "Recently"),
])
def test_a_calque_is_found_with_the_english_idiom(text, found, suggestion):
    assert calques(text) == [(found, [suggestion])]


@pytest.mark.parametrize("text", [
    "He was informed that the talks had failed.",
    "A well-informed source said the talks had failed.",
    "The reporters were not informed that the minister had left.",
    "In that frame of mind, he resigned.",
    "It is a matter of the frame of reference.",
    "She has lived there since two years ago, and since 2019 in the city.",
    "Since two years prior, the shrine has been closed.",
    "Since longer warm-up times help, we wait.",
    "The answer to the question is no.",
    "The first three days were calm.",
    "The fund eventually became a pension fund for all workers.",
    "Nobody knows who made the photograph.",
    "The talks were discussed in the last time slot of the day.",
])
def test_native_phrasings_are_not_calques(text):
    assert calques(text) == []


def test_only_english_text_is_checked_and_nothing_is_applied():
    assert calques("Die Polizei informed that...", "de") == []
    result = mtqa.check("The police informed that the road was closed.", "en", use_model=False)
    assert "informed that" in result.fixed_text  # suggested, never applied
    assert [f.applicability for f in result.findings if f.rule == "wording.calque"] == ["display-only"]


def test_grammar_calques_are_applied_only_with_unsafe_fixes(tmp_path):
    from tests.conftest import run_mtqa

    text = "They discussed about the plan since three years. In the frame of the talks they met."
    kept = mtqa.check(text, "en", use_model=False)
    assert [(f.rule, f.applicability) for f in kept.findings] == [
        ("wording.calque-grammar", "unsafe"), ("wording.calque-grammar", "unsafe"), ("wording.calque", "display-only")]
    assert kept.fixed_text == text
    fixed = "They discussed the plan for three years. In the frame of the talks they met."
    assert mtqa.fix(text, "en", unsafe_fixes=True) == fixed  # the meaning-level calque stays a suggestion
    (tmp_path / "a.txt").write_text(text + "\n", encoding="utf-8")
    assert run_mtqa("fix", str(tmp_path / "a.txt"), "--lang", "en", "--no-model").stdout.decode() == text + "\n"
    done = run_mtqa("fix", str(tmp_path / "a.txt"), "--lang", "en", "--no-model", "--unsafe-fixes")
    assert done.returncode == 0 and done.stdout.decode() == fixed + "\n"


# What IGNORECASE takes for i, k and s besides their two cases.
_ODD_LETTERS = {"i": "İı", "I": "İı", "k": "\u212a", "K": "\u212a", "s": "\u017f", "S": "\u017f"}


@st.composite
def _calque_texts(draw) -> str:
    """Stretches that match calques' patterns (hypothesis reads the
    patterns), some letters swapped for the odd ones IGNORECASE also takes."""
    pieces = draw(st.lists(st.one_of([st.from_regex(c.pattern) for c in CALQUES]), min_size=1, max_size=4))
    text = "Today " + " ".join(pieces)  # (texts under 12 characters are not read)
    swaps = draw(st.lists(st.integers(0, max(0, len(text) - 1)), max_size=4))
    letters = list(text)
    for index in swaps:
        odd = _ODD_LETTERS.get(letters[index])
        if odd:
            letters[index] = odd[index % len(odd)]
    return "".join(letters)


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")) * 2, deadline=None)
@given(_calque_texts())
def test_the_word_screen_never_hides_a_match_and_odd_letters_raise_nothing(text):
    """check_calques searches only where a calque's `needs` stand: it finds
    what every pattern finds over the whole text, whatever the case (`İ`,
    the Kelvin sign and the long s are letters to IGNORECASE)."""
    unit = TextUnit(text=text)
    context = CheckContext(language="en", document_language="en")
    found = [(f.start, f.end, f.rule) for f in check_calques(unit, context)]
    everywhere = []
    for calque in CALQUES:
        for match in calque.pattern.finditer(text):
            if calque.unless is not None and calque.unless(text, match):
                continue
            if calque.suggest(match) != match.group():
                everywhere.append((match.start(), match.end(), calque.rule))
    assert found == everywhere


def test_a_long_s_or_a_dotless_i_in_a_calque_is_read_as_its_letter():
    # IGNORECASE matches `ſ` (long s) as `s` and `ı` as `i`; the suggestion looked the verb up by
    # its lower case, which keeps them, and raised a KeyError.
    assert calques("Hundreds aſsisted at the funeral on Sunday.") == [
        ("aſsisted at the funeral", ["attended the funeral"])]
    assert calques("The ministry ınforms that the border is open.") == [("ınforms that", ["says that"])]
