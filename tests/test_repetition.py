"""Repetition family: doubled words and MT loops, without flagging grammar."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.checks import repetition


def findings(text: str, lang: str) -> list:
    return mtqa.check(text, lang, select=["repetition"]).findings


def fix(text: str, lang: str) -> str:
    return mtqa.fix(text, lang, select=["repetition"])


# --- doubled words ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", "The spokesman for the the ministry declined to comment.",
         "The spokesman for the ministry declined to comment."),
        ("en", "The the government resigned.", "The government resigned."),
        ("en", "Rebels withdrew from from the town of Saraqeb.", "Rebels withdrew from the town of Saraqeb."),
        ("de", "Die Polizei hat den Fahrer bei bei der Kontrolle angehalten.",
         "Die Polizei hat den Fahrer bei der Kontrolle angehalten."),
        ("fr", "Le gouvernement a annoncé les les nouvelles mesures.",
         "Le gouvernement a annoncé les nouvelles mesures."),
        ("es", "El ministro dijo que que no habrá cambios.", "El ministro dijo que no habrá cambios."),
        ("ru", "Министр заявил, что переговоры пройдут в в Женеве.",
         "Министр заявил, что переговоры пройдут в Женеве."),
        ("en", "The district district council met on Monday.", "The district council met on Monday."),
    ],
)
def test_doubled_word_fixed(lang: str, text: str, expected: str) -> None:
    result = findings(text, lang)
    assert [f.rule for f in result] == ["repetition.doubled-word"]
    assert result[0].category == "Fluency/Grammar"
    assert fix(text, lang) == expected


def test_doubled_word_span_covers_both_copies() -> None:
    text = "Officials said the the talks failed."
    (finding,) = findings(text, "en")
    start = text.index("the the")
    assert (finding.start, finding.end, finding.text) == (start, start + 7, "the the")
    assert finding.suggestions == ["the"]


@pytest.mark.parametrize(
    "lang, text",
    [
        # English grammar
        ("en", "By then the army had had enough of the siege."),
        ("en", "He argued that that decision was illegal."),
        ("en", "The boy they had been searching for for days was found alive."),
        ("en", "What it is is a question of trust."),
        # German relative pronoun after an article, formal "Sie" + "sie"
        ("de", "Das sind die Politiker, die die Reform blockiert haben."),
        ("de", "Er sagte, dass das das Ende sei."),
        ("de", "Haben Sie sie gestern gesehen?"),
        ("de", "Bei dem Haus handelt es sich um ein Ein- oder Zweifamilienhaus."),
        # French reflexives
        ("fr", "Nous nous sommes réunis hier, et vous vous êtes absentés."),
        # Dutch
        ("nl", "Hij zei dat dat niet klopt."),
        # Czech: reflexive "se" and preposition "se"
        ("cs", "Nebojí se se mnou mluvit."),
        # Reduplicated names and places
        ("en", "The resort on Bora Bora and the town of Walla Walla were hit."),
        ("en", "The pianist Lang Lang played in Baden-Baden."),
        # Interjections and intensifiers
        ("en", "She said “no no, this is very very important” and bye bye."),
        ("en", "The food was just so so, he wrote."),
        ("es", "Dijo que sí, sí, que muy muy pronto."),
        ("ru", "«Да да, нет нет», — ответил он."),
        # Numbers and dimensions
        ("en", "The score was 10 10 after the first half."),
        ("de", "Abmessungen: 44,5 x 33,5 x 33,5 cm."),
        # Idioms with a repeated linker
        ("en", "He tried again and again and again."),
        ("de", "Das Ziel ist es, das Reisen von Stadt zu Stadt zu fördern."),
        ("ru", "И там и там взрывается что-то."),
        # Punctuation or a line break between the copies
        ("en", "No, no, no, he said."),
        ("en", "The headline read: Crisis\nCrisis talks begin today."),
        # Initials
        ("ru", "Колхоз имени М. И. Калинина и И. В. Сталина."),
        # Languages where reduplication is grammar
        ("hi", "वह धीरे धीरे घर की ओर चला।"),
        ("he", "הוא חזר סוף סוף הביתה לאט לאט."),
        # Chinese and Japanese reduplication are words
        ("zh", "谢谢大家，我们看看研究研究再说，哈哈哈。"),
        ("ja", "時々、何度も何度も電話した。"),
    ],
)
def test_legitimate_repetition_not_flagged(lang: str, text: str) -> None:
    assert findings(text, lang) == []
    assert fix(text, lang) == text


# --- MT loops --------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", "It is the capital of the of the of the province.", "It is the capital of the province."),
        ("en", "Fighting continued in the region in the region of Idlib.",
         "Fighting continued in the region of Idlib."),
        ("en", "The prayer prayer prayer prayer prayer ended.", "The prayer ended."),
        ("de", "Die Armee rückte in der Region in der Region vor.", "Die Armee rückte in der Region vor."),
        ("fr", "Les combats ont repris dans la ville dans la ville de Homs.",
         "Les combats ont repris dans la ville de Homs."),
        ("ru", "Бои шли в районе города в районе города Идлиб.", "Бои шли в районе города Идлиб."),
        ("zh", "冲突发生在该地区在该地区在该地区的北部。", "冲突发生在该地区的北部。"),
    ],
)
def test_loop_keeps_one_copy(lang: str, text: str, expected: str) -> None:
    result = findings(text, lang)
    assert [f.rule for f in result] == ["repetition.loop"]
    assert result[0].category == "Accuracy/Addition"
    assert fix(text, lang) == expected


def test_loop_finding_says_how_often() -> None:
    text = "They reached the outskirts of the of the of the of the city."
    (finding,) = findings(text, "en")
    assert finding.text == "of the of the of the of the"
    assert finding.suggestions == ["of the"]
    assert "4 times" in finding.message
    assert fix(text, "en") == "They reached the outskirts of the city."


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Doubled the the words and a loop of the of the of the kind."),
        ("de", "Die die die Regierung in der Stadt in der Stadt."),
        ("es", "El el gobierno anunció que que que habrá elecciones."),
    ],
)
def test_fix_is_idempotent(lang: str, text: str) -> None:
    once = fix(text, lang)
    assert once != text
    assert fix(once, lang) == once
    assert findings(once, lang) == []


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")) * 4, deadline=None)
@given(st.lists(st.sampled_from(["the", "The", "market", "to", "went", "he", ",", ".", "'s", "«", "ça"]),
                min_size=1, max_size=30).map(" ".join))
def test_the_pre_filter_never_hides_a_repeat(line: str) -> None:
    # The cheap screen may let through lines without a repeat, never keep one with a repeat out.
    if list(repetition._repeats(line, "en")):
        assert repetition._may_repeat(line)


@pytest.mark.parametrize("line", ["He went to the market to the market.", "to the , to the", "a b c d e f a b"])
def test_a_pair_of_words_that_comes_back_passes_the_pre_filter(line: str) -> None:
    assert repetition._may_repeat(line)


@pytest.mark.parametrize("line", ["He went to the market, then home.", "the market and the mayor"])
def test_a_line_whose_pairs_are_all_different_is_screened_out(line: str) -> None:
    assert not repetition._may_repeat(line)
