"""Language family: untranslated sentences, wrong-script and mixed-script words."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.checks import language
from mtqa.findings import TextUnit


def findings(text: str, lang: str) -> list:
    return mtqa.check(text, lang, select=["language"]).findings


def rules_and_texts(text: str, lang: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in findings(text, lang)]


# --- untranslated sentences ---------------------------------------------------------


@pytest.mark.parametrize(
    "lang, before, foreign, after, detected",
    [
        ("en", "The talks in Geneva ended without agreement on Friday.",
         "Die Delegationen wollen sich nächste Woche erneut treffen, um über einen Waffenstillstand zu verhandeln.",
         "Diplomats remained cautious.", "de"),
        ("de", "Die Gespräche in Genf endeten am Freitag ohne Einigung.",
         "The delegations plan to meet again next week to negotiate a ceasefire.",
         "Diplomaten blieben vorsichtig.", "en"),
        ("fr", "Le gouvernement a présenté son budget mercredi.",
         "El ministro de Hacienda defendió los recortes ante el parlamento durante toda la tarde.",
         "Les syndicats ont protesté.", "es"),
        ("es", "El presidente viajó a París el lunes.",
         "Le président français a accueilli son homologue espagnol pour un dîner de travail.",
         "La visita duró dos días.", "fr"),
        ("ru", "Правительство одобрило бюджет в четверг.",
         "The finance minister said the deficit would shrink to three percent next year.",
         "Депутаты поддержали решение.", "en"),
        ("uk", "Уряд ухвалив новий бюджет у четвер.",
         "Правительство также одобрило новые меры поддержки для пострадавших регионов страны.",
         "Депутати підтримали рішення.", "ru"),
        ("ja", "政府は木曜日に新しい予算案を閣議決定した。",
         "The prime minister said the budget would support families with young children.",
         "野党は反発している。", "en"),
    ],
)
def test_sentence_in_another_language_is_flagged(
    lang: str, before: str, foreign: str, after: str, detected: str
) -> None:
    text = " ".join([before, foreign, after])
    result = findings(text, lang)
    assert [(f.rule, f.text) for f in result] == [("language.untranslated", foreign)]
    finding = result[0]
    assert text[finding.start : finding.end] == foreign
    assert finding.category == "Accuracy/Untranslated text"
    assert finding.context == {"detected_language": detected}
    assert finding.suggestions == [] and finding.fix == "display-only"
    assert mtqa.fix(text, lang, select=["language"]) == text


@pytest.mark.parametrize(
    "lang, text",
    [
        # short sentences, names, numbers, URLs
        ("en", "Merci beaucoup, he said. Danke schön."),
        ("en", "Real Madrid beat Atlético de Madrid on Sunday in the Copa del Rey."),
        ("en", "Two members of Sdružení nezávislých kandidátů were also elected on Monday."),
        ("de", "William Johnsons Expedition ging es kaum besser als Shirleys."),
        ("de", "Alexa, spiele It's My Party and I'll Cry if I Want To."),
        ("en", "Details: https://www.bundesregierung.de/breg-de/aktuelles/pressemitteilungen-der-regierung."),
        ("en", "The score was 3-1, 2-2, 1-0, 4-4 and 0-0 in 2019, 2020, 2021 and 2022."),
        # quotations and glosses in the original language
        ("en", "The minister said: “Regjeringen vil redusere skattene neste år for alle familier.” She left."),
        ("fr", "Le slogan « Wir schaffen das, die Regierung hat einen Plan » a marqué son mandat."),
        ("es", "El diario publicó el titular (Die Regierung hat am Montag neue Steuern beschlossen) sin traducir."),
        # close relatives that detectors mix up
        ("da", "Regeringen vil sænke skatterne næste år. Regjeringen vil redusere skattene neste år, sa statsministeren i går kveld."),
        ("hr", "Vlada je u četvrtak usvojila novi proračun. Vlada Srbije je u četvrtak usvojila novi budžet za narednu godinu."),
        ("cs", "Vláda ve čtvrtek schválila nový rozpočet. Vláda vo štvrtok schválila nový rozpočet na budúci rok a poslanci ho podporili."),
        ("ms", "Kerajaan meluluskan bajet baharu pada hari Khamis. Pemerintah menyetujui anggaran baru pada hari Kamis untuk tahun depan."),
        # Ukrainian without Russian-only letters stays Ukrainian
        ("uk", "Але я не перестану тебе любити, ти для мене все."),
        # plain clean text in several languages
        ("en", "The government said on Monday that it would cut taxes for families with children."),
        ("de", "Die Regierung kündigte am Montag an, die Steuern für Familien mit Kindern zu senken."),
        ("fr", "Le gouvernement a annoncé lundi une baisse des impôts pour les familles avec enfants."),
        ("es", "El Gobierno anunció el lunes una rebaja de impuestos para las familias con hijos."),
        ("ru", "Правительство в понедельник объявило о снижении налогов для семей с детьми."),
        ("ja", "政府は月曜日、子育て世帯の税負担を軽減すると発表した。"),
    ],
)
def test_no_false_alarm(lang: str, text: str) -> None:
    assert findings(text, lang) == []


def test_language_unknown_to_the_detectors_is_not_checked() -> None:
    # Livonian: CLD2 would call every sentence something else. The entry
    # points refuse the code (mtqa.options); a Document may still carry it.
    from mtqa.findings import Document, TextUnit
    from mtqa.pipeline import Options, check_document

    text = "Līvõd rovzt um vanā kalāmīed rovzt, kis jelābõd Kurāmō randõl ja Vidzemõ randõl."
    document = Document(id="liv", units=[TextUnit(text=text)], language="liv")
    assert check_document(document, Options(language="liv", select=["language"], use_model=False)).findings == []


# --- scripts ------------------------------------------------------------------------------


def test_cyrillic_fragment_in_japanese_article() -> None:
    text = "首相は記者会見で новый закон について説明した。"
    assert rules_and_texts(text, "ja") == [("language.wrong-script", "новый закон")]


def test_hangul_word_in_russian_article() -> None:
    text = "Министр встретился с коллегой из Сеула и обсудил 무역 협정 в понедельник."
    assert rules_and_texts(text, "ru") == [("language.wrong-script", "무역 협정")]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Xi Jinping (习近平) met the leader of “Единая Россия” in Brussels."),
        ("ru", "Компания Apple представила новый iPhone в Купертино."),
        ("ja", "トヨタはiPhone向けのアプリを公開した。"),
        ("en", "The beta (β) coefficient rose, and α was 0.05."),
        ("en", "The site стопкоронавирус.рф publishes the daily figures."),
        ("de", "Der Bundeskanzler traf Wladimir Putin und Recep Tayyip Erdoğan."),
    ],
)
def test_scripts_that_belong(lang: str, text: str) -> None:
    assert findings(text, lang) == []


@pytest.mark.parametrize(
    "lang, text, word, repaired",
    [
        ("en", "The city of Moscоw hosted the summit.", "Moscоw", "Moscow"),  # Cyrillic о
        ("ru", "Мэр Mосквы заявил о новых мерах.", "Mосквы", "Москвы"),  # Latin M
        ("uk", "Якщо дружина затримається, вiн сердиться.", "вiн", "він"),  # Latin i
        ("de", "Der Chef der WНO sprach in Genf.", "WНO", "WHO"),  # Cyrillic Н
    ],
)
def test_mixed_script_lookalikes(lang: str, text: str, word: str, repaired: str) -> None:
    result = findings(text, lang)
    assert [(f.rule, f.text, f.suggestions) for f in result] == [("language.mixed-script", word, [repaired])]
    assert result[0].fix == "display-only"
    assert mtqa.fix(text, lang, select=["language"]) == text


def test_an_untranslated_sentence_is_one_finding_not_one_per_word() -> None:
    text = (
        "The ministry published its figures on Monday. "
        "Врач сказал, что проблемы со сном часто возникают из-за кофе и стресса. "
        "Officials said the data would be reviewed."
    )
    findings = mtqa.check(text, "en").findings
    assert [f.rule for f in findings] == ["language.untranslated"]
    assert findings[0].text.startswith("Врач сказал")


# Letters of several scripts, look-alikes among them, letters that count as a script of their own
# (superscripts, `ª`, full-width Latin), combining marks, digits and punctuation.
_SCRIPT_ALPHABET = st.sampled_from(
    list("aeoBHxéßñøłıſﬁ") + list("аеоВНхёїђ") + list("αοΑΒ") + list("中日カなㄅ한")
    + list("²ªⅫ½ＡＢ́̈") + list(" -.,1")
)


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")) * 4, deadline=None)
@given(st.lists(_SCRIPT_ALPHABET, min_size=1, max_size=24).map("".join), st.sampled_from(["en", "ru", "ja", "xx"]))
def test_a_text_of_latin_letters_is_screened_out_only_where_no_word_could_be_flagged(text: str, lang: str) -> None:
    # The screen by distinct characters must agree with the screen by distinct words it goes before.
    if language._only_latin_letters(text):
        assert list(language._scripts(TextUnit(text=text), lang)) == []
        assert not any(language._may_flag(word, lang) for word in language._LETTERS.findall(text)
                       if not word.isascii())


@pytest.mark.parametrize("text", ["Moscоw", "CO₂-Ausstoß", "m²", "Сбербанк", "naïve αβ", "1ª"])
def test_texts_with_letters_of_other_scripts_pass_the_screen(text: str) -> None:
    # A Cyrillic о, Greek, a subscript or superscript digit, `ª`: letters whose words need a look.
    assert not language._only_latin_letters(text)


@pytest.mark.parametrize("text", ["Zoë, São Paulo, Łódź, naïve, Straße", "Ｍｏｓｃｏｗ", "ﬁnal ſ", "— «» €"])
def test_latin_letters_and_signs_are_screened_out(text: str) -> None:
    assert language._only_latin_letters(text)
