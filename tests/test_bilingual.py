"""The translation against its source: numbers, links and placeholders,
copies and empty translations (sentences written for these tests)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.bilingual.numbers import spelled_values, spelling_screen
from tests.conftest import run_mtqa


def bilingual(target: str, lang: str, source: str, source_lang: str) -> list[tuple[str, str, str | None]]:
    result = mtqa.check(target, lang, source=source, source_lang=source_lang, select=["bilingual"])
    return [(f.rule, f.text, f.source_text) for f in result.findings]


@pytest.mark.parametrize("source, source_lang, target, lang", [
    ("It costs 1,000.5 euros, 12% more than in 2021.", "en", "Es kostet 1.000,5 Euro, 12 Prozent mehr als 2021.", "de"),
    ("Il coûte 1 000,5 euros.", "fr", "It costs 1,000.5 euros.", "en"),
    ("The talks start at 2 pm on 12 May.", "en", "Die Gespräche beginnen am 12. Mai um 14 Uhr.", "de"),
    ("The talks start at 2 pm.", "en", "Les pourparlers commencent à 14h00.", "fr"),
    ("Three laws were passed.", "en", "3 Gesetze wurden verabschiedet.", "de"),
    ("Nearly 3 million voters registered.", "en", "登记了近 300 万的选民。", "zh"),
    ("It was built in the 17th century, 37.7 metres high.", "en", "Она построена в XVII веке, высотой 37,7 метра.", "ru"),
    ("５人が負傷した。", "ja", "5 people were injured.", "en"),
    ("It has been over 3 decades and 4 years.", "en", "Prošlo je više od tri desetljeća i četiri godine.", "hr"),
    ("See https://example.org/report and write to press@example.org about {count}.", "en",
     "Siehe https://example.org/report und schreiben Sie an press@example.org über {count}.", "de"),
])
def test_faithful_translations_are_clean(source, source_lang, target, lang):
    assert bilingual(target, lang, source, source_lang) == []


def test_a_changed_number_is_found_at_the_target_and_names_the_source():
    assert bilingual("Die Armee verlor 34 Soldaten.", "de", "The army lost 33 soldiers.", "en") == [
        ("bilingual.number", "34", "33")]
    (finding,) = mtqa.check("Die Armee verlor 34 Soldaten.", "de", source="The army lost 33 soldiers.",
                            source_lang="en", select=["bilingual"]).findings
    assert finding.to_json()["source_text"] == "33" and finding.suggestions == ["33"]
    # locale-aware: `1.000` in German is a thousand, in English it would be one
    assert bilingual("Es kamen 1.000 Menschen.", "de", "1,000 people came.", "en") == []
    assert bilingual("Es kamen 1.500 Menschen.", "de", "1,000 people came.", "en") == [
        ("bilingual.number", "1.500", "1,000")]


def test_missing_and_added_numbers():
    found = bilingual("Die Polizei nahm Menschen fest.", "de", "Police arrested 21 people.", "en")
    assert found == [("bilingual.number", "", "21")]
    found = bilingual("Police arrested 21 people on 13 streets.", "en", "Die Polizei nahm 21 Menschen fest.", "de")
    assert found == [("bilingual.number", "13", None)]


def test_a_lone_small_number_is_the_translators_wording_but_a_changed_one_is_reported():
    # `a fortnight` is `２週間` (two weeks): a lone one-digit number, not reported
    assert bilingual("選挙まで２週間を切った。", "ja", "The elections are less than a fortnight away.", "en") == []
    # one number changed into another is reported, however small, `1` included
    assert bilingual("Die Armee verlor 2 Panzer.", "de", "The army lost 1 tank.", "en") == [
        ("bilingual.number", "2", "1")]
    assert bilingual("Die Armee verlor 4 Panzer.", "de", "The army lost 3 tanks.", "en") == [
        ("bilingual.number", "4", "3")]


def test_links_and_placeholders():
    assert bilingual("Siehe https://example.org/b.", "de", "See https://example.org/a.", "en") == [
        ("bilingual.token", "https://example.org/b", "https://example.org/a")]
    assert bilingual("Hallo, !", "de", "Hello, #NAME#!", "en") == [("bilingual.token", "", "#NAME#")]
    assert bilingual("Es sind %d Dateien.", "de", "There are %s files.", "en") == [("bilingual.token", "%d", "%s")]
    assert bilingual("Prices rose 50% during the day.", "en", "Die Preise stiegen um 50% am Tag.", "de") == []


def test_a_copy_of_the_source_and_an_empty_translation():
    source = "Die Polizei sperrte die Straße."
    assert bilingual(source, "en", source, "de") == [("bilingual.untranslated", source, source)]
    assert bilingual("警察が道路を封鎖した。", "en", "警察が道路を封鎖した。", "ja")[0][0] == "bilingual.untranslated"
    assert bilingual("OK.", "de", "OK.", "en") == []  # too short to be a translation left undone
    assert bilingual("", "de", "The police closed the road.", "en") == [("bilingual.empty", "", None)]


def test_jsonl_and_xliff_sources_are_checked(tmp_path: Path):
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"id": "a", "text": "Die Polizei nahm 12 Menschen fest.", "lang": "de",
                                  "source": "Police arrested 21 people.", "source_lang": "en"}) + "\n",
                      encoding="utf-8")
    result = run_mtqa("check", "--no-model", "--format", "json", str(export))
    (document,) = json.loads(result.stdout)["documents"]
    assert [(f["rule"], f["text"], f["source_text"]) for f in document["findings"]] == [
        ("bilingual.number", "12", "21")]
    xliff = tmp_path / "unit.xlf"
    xliff.write_text(
        '<?xml version="1.0"?><xliff version="1.2"><file source-language="en" target-language="de">'
        "<body><trans-unit id=\"1\"><source>Parliament passed 3 laws.</source>"
        "<target>Das Parlament verabschiedete 5 Gesetze.</target></trans-unit></body></file></xliff>\n",
        encoding="utf-8")
    result = run_mtqa("check", "--no-model", "--format", "json", str(xliff))
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert [(f["rule"], f["text"]) for f in findings] == [("bilingual.number", "5")]


def test_chinese_clock_times_and_inflected_number_words_are_read():
    # `上午 10 点 50 分` is 10:50 a.m.; `下午 4 点` is 4 pm, not 3:30 pm
    assert bilingual("雪崩发生在上午 10 点 50 分左右。", "zh", "The avalanche came at about 10:50 a.m.", "en") == []
    assert bilingual("会谈下午4点30分开始。", "zh", "The talks start at 3:30 pm.", "en") == [
        ("bilingual.number", "4点30分", "3:30 pm.")]
    # a spelled number inside a compound or an inflected form: `trinaestogodišnjak` is a 13-year-old
    assert bilingual("Morski pas ozlijedio je trinaestogodišnjeg dječaka.", "hr",
                     "A shark injured a 13-year-old boy.", "en") == []
    assert bilingual("Он был молодым парнем восемнадцати лет.", "ru", "He was a young 18-year-old.", "en") == []
    assert [rule for rule, _, _ in bilingual("Morski pas ozlijedio je trinaestogodišnjeg dječaka.", "hr",
                                             "A shark injured a 14-year-old boy.", "en")] == ["bilingual.number"]


def test_of_two_equal_numbers_the_one_that_changed_is_reported():
    # `2018-2019` became `2019-2019`: the first 2019 is the changed one.
    target = "Als ich 2019-2019 in Tapa war, waren dort auch Einheiten aus Frankreich."
    found = mtqa.check(target, "de", source="When I was in Tapa 2018-2019, there were also units from France.",
                       source_lang="en", select=["bilingual"]).findings
    assert [(f.rule, f.start, f.text, f.source_text) for f in found] == [
        ("bilingual.number", target.index("2019"), "2019", "2018")]
    target = "Drei Männer im Alter von 34, 34 und 39 Jahren wurden festgenommen."
    found = mtqa.check(target, "de", source="Three men, aged 33, 34 and 39, have been arrested.",
                       source_lang="en", select=["bilingual"]).findings
    assert [(f.start, f.text, f.source_text) for f in found] == [(target.index("34"), "34", "33")]


def test_a_number_word_both_sides_spell_out_explains_no_digit():
    # The source's month name `квітня` (April) and the target's `April` are
    # each other's: the day that changed, 3 -> 4, is left to report.
    assert bilingual("It was reported that on April 4 the occupiers used weapons.", "en",
                     "Як повідомлялося, 3 квітня окупанти використали зброю.", "uk") == [
        ("bilingual.number", "4", "3")]


def test_words_written_with_an_apostrophe_are_read_whole():
    # `п'ятнадцять` is fifteen; `сім'я` is family, not `сім` (seven).
    assert bilingual("She is 15 years old.", "en", "Їй п'ятнадцять років.", "uk") == []
    assert bilingual("My family: a 7-year-old daughter.", "en", "Моя сім'я: донька 6 років.", "uk") == [
        ("bilingual.number", "7", "6")]


@pytest.mark.parametrize("source, source_lang, target, lang", [
    # decades, written the other way
    ("Die Kooperation besteht seit Anfang der 90er-Jahre.", "de",
     "La coopération remonte au début des années 1990.", "fr"),
    ("Set in 1880s New York.", "en", "故事发生在 19 世纪 80 年代的纽约。", "zh"),
    # round the clock
    ("Our chat service window is open 24/7", "en", "Unser Chat ist rund um die Uhr geöffnet.", "de"),
    ("We're working round the clock.", "en", "２４時間体制で取り組んでいる。", "ja"),
    # the past day's `24 hours` is not the source's `24 vehicles`
    ("За минулу добу знищено один танк, 24 одиниці автомобільної техніки, один гелікоптер.", "uk",
     "Over the past 24 hours one tank, 24 vehicles and one helicopter were destroyed.", "en"),
    ("Hier bekamen 19 Menschen Corona.", "de", "COVID-19 hit 19 people here.", "en"),
    # imperial units converted to metric ones, and the other way
    ("I bought the 4-to-7-Feet Long Reach Pruner and a 100 footer hose.", "en",
     "Kupio sam teleskopski sjekač duljine od 1,2 do 2,1 metra i crijevo od 30 metara.", "hr"),
    ("It was 70 °F in the shade.", "en", "Im Schatten hatte es 21 Grad.", "de"),
    ("Der Schlauch ist 30 Meter lang.", "de", "The hose is 100 feet long.", "en"),
    # a number the target groups with a space that the source has as two
    ("Прокурор заявила, що 3 квітня вивезено 410 тіл мирних жителів.", "uk",
     "The prosecutor said that on April 3 410 bodies of civilians were removed.", "en"),
    # Chinese numerals: a lone 万, an estimate of two neighbouring digits, 亿
    ("江西３年内将培训万名乡村小学音体美教师", "zh", "Jiangxi will train 10,000 rural teachers in three years", "en"),
    ("在赌场酒店，百分之七八十能救过来。", "zh", "In the casino hotels, 70% or 80% of them can be saved.", "en"),
    ("预算为一亿五千万元。", "zh", "The budget is 150,000,000 yuan.", "en"),
    # 午後 before a time with a full-width colon: 5.30 pm
    ("He was found just before 5.30pm on Friday.", "en", "金曜日午後５：３０直前に発見された。", "ja"),
    # a word after a number is no scale when the number as written is there
    ("江西还规划为全省１００个县小学音乐、美术、体育各培训１名。", "zh",
     "Jiangxi plans to train 1 music, 1 art and 1 PE trainer for each school in 100 counties.", "en"),
    # a day and month without a year, German style
    ("Die Email zur Stornierung wurde am 26.12. versendet.", "de",
     "L'e-mail d'annulation a été envoyé le 26 décembre.", "fr"),
    # tens spelled out
    ("Der 90-jährige Schauspieler William Shatner war dabei.", "de",
     "The ninety-year-old actor William Shatner came along.", "en"),
])
def test_numbers_a_translator_writes_another_way_are_no_alarm(source, source_lang, target, lang):
    assert bilingual(target, lang, source, source_lang) == []


@pytest.mark.parametrize("source, source_lang, target, lang, expected", [
    ("We help 24 hours a day.", "en", "Wir helfen 48 Stunden am Tag.", "de", ("48", "24")),
    ("The hose is 100 feet long.", "en", "Der Schlauch ist 40 Meter lang.", "de", ("40", "100")),
    ("He was found just before 5.30pm on Friday.", "en", "金曜日午後６：３０直前に発見された。", "ja", ("６：３０", "5.30pm")),
    ("За минулу добу знищено 24 одиниці техніки.", "uk",
     "Over the past 24 hours 25 vehicles were destroyed.", "en", ("25", None)),  # 24 is the hours'

])
def test_a_changed_number_is_still_reported_beside_those_readings(source, source_lang, target, lang, expected):
    assert [(text, source_text) for _, text, source_text in bilingual(target, lang, source, source_lang)] == [expected]


def names_found(target: str, lang: str, source: str, source_lang: str) -> list[tuple[str, str | None]]:
    result = mtqa.check(target, lang, source=source, source_lang=source_lang, select=["bilingual.name"])
    return [(f.text, f.source_text) for f in result.findings]


def test_a_replaced_name_is_reported_where_the_name_was_kept_and_changed():
    assert names_found("Prime Minister Andrej Zeman said on Monday that the talks would go on.", "en",
                       "Premiér Andrej Babiš v pondělí řekl, že rozhovory budou pokračovat.", "cs") == [
        ("Zeman", "Babiš")]
    assert names_found("Le prince Charles a aidé son épouse Kate à mettre un masque.", "fr",
                       "Prince Charles helped his wife Camilla put on a mask.", "en") == [("Kate", "Camilla")]


@pytest.mark.parametrize("source, source_lang, target, lang", [
    # exonyms: Babel's names of cities, countries and languages
    ("Premiér Babiš v pondělí přiletěl do Moskvy a pak do Londýna.", "cs",
     "On Monday Prime Minister Babiš flew to Moscow and then to London.", "en"),
    ("On Monday minister John Dupont met Anna Martin in London.", "en",
     "Le ministre John Dupont a rencontré lundi Anna Martin à Londres.", "fr"),
    # declined names are the names
    ("Kritici Babiše a Camilly se sešli v Praze.", "cs", "Critics of Babiš and Camilla met in Prague.", "en"),
    # a word translated by its cognate, inside a name
    ("Obžalovaný je bývalý místopředseda Fotbalové asociace, řekl Novák.", "cs",
     "The accused is a former vice chairman of the Football Association, Novák said.", "en"),
    # a name translated word by word
    ("The talks at the White House ended on Monday, Novak said.", "en",
     "Razgovori u Bijeloj kući završili su u ponedjeljak, rekao je Novak.", "hr"),
])
def test_exonyms_declension_and_cognates_are_no_changed_name(source, source_lang, target, lang):
    assert names_found(target, lang, source, source_lang) == []


def test_the_name_rule_is_opt_in():
    target, source = "Le prince Charles a aidé son épouse Kate.", "Prince Charles helped his wife Camilla."
    assert bilingual(target, "fr", source, "en") == []
    assert names_found(target, "fr", source, "en") == [("Kate", "Camilla")]


# Random source and target built from what the number, name and token
# readings look at: digits in every grouping, units, clock times, dates,
# decades, number words, CJK numerals, names, placeholders and links.
BILINGUAL_PIECES = ["3", "33", "1,000.5", "1.000,5", "1 000", "3 410", "12%", "2 pm", "14:00", "14 Uhr",
                    "５：３０", "午後", "26.12.", "1.2.2020", "2018-2019", "90er", "1990s", "années", "24/7",
                    "24 hours", "100 feet", "30 m", "70 °F", "three", "drei", "ninety", "п'ять", "сім'я",
                    "七八十", "一亿五千万", "万名", "Babiš", "Babiše", "Prague", "Praze", "Kate", "Camilla",
                    "The", "said", "a", ".", ",", "\n", "{name}", "%s", "https://a.example/x", "#tag", "COVID-19"]


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(target=st.lists(st.sampled_from(BILINGUAL_PIECES), max_size=25),
       source=st.lists(st.sampled_from(BILINGUAL_PIECES), max_size=25),
       langs=st.sampled_from([("en", "de"), ("de", "en"), ("fr", "en"), ("en", "cs"), ("zh", "en"), ("ja", "en"),
                              ("uk", "en"), ("en", None)]))
def test_property_bilingual_findings_point_into_both_texts(target, source, langs):
    lang, source_lang = langs
    text, original = " ".join(target), " ".join(source)
    result = mtqa.check(text, lang, source=original, source_lang=source_lang,
                        select=["bilingual"], extend_select=["bilingual.name"])
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.text == text[finding.start:finding.end]
        if finding.source_start is not None:
            assert 0 <= finding.source_start <= finding.source_end <= len(original)
            assert finding.source_text == original[finding.source_start:finding.source_end]


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(BILINGUAL_PIECES + ["Three", "THREE", "п’ять", "d'un", "l’onze", "Mai",
                                                          "mai", "XVII", "trinaestogodišnjak", "dreißig",
                                                          "someone", "often", "pětadvacet"]), max_size=12),
       lang=st.sampled_from(["en", "de", "fr", "uk", "hr", "cs", "zh"]))
def test_property_the_spelling_screen_passes_every_number_word(words, lang):
    # The screen lets the number words be read only where a substring says
    # they may be there: it must never hide a value spelled_values reads.
    text = " ".join(words)
    may_spell = spelling_screen(text, lang)
    for value in set(spelled_values(text, lang)):
        assert may_spell(frozenset({value})), (text, value)


def test_the_spelling_screen_turns_away_a_text_without_the_words():
    may_spell = spelling_screen("The court heard 12 witnesses on Monday.", "en")
    assert not may_spell(frozenset({3.0}))
    assert spelling_screen("Three witnesses came.", "en")(frozenset({3.0}))
    assert spelling_screen("Прийшли п’ять свідків.", "uk")(frozenset({5.0}))


def test_a_month_whose_case_folding_is_longer_is_read_after_an_elision():
    # `ΐ` folds to three characters: the elided `d'Μαΐου` once raised a KeyError.
    assert spelled_values("Συνάντηση στις 3 d'Μαΐου.", "el") == [5.0]
    assert spelled_values("Am 12. Mai traf er die Straßenbauer.", "de") == [5.0]


def test_a_decimal_read_through_a_scale_word_pairs_with_its_value():
    # 8.2 * 1e6 is 8199999.999999999 in floating point: it must still be 820 万.
    assert bilingual("The daily income exceeds 8.2 million US dollars.", "en",
                     "日收入超过 820 万美元。", "zh") == []


@pytest.mark.parametrize("source, source_lang, target, lang", [
    ("It would have cost over $3K in a shop.", "en", "U trgovini bi koštalo više od 3.000 dolara.", "hr"),
    ("Liz Truss pledges another £75m in aid.", "en", "リズ・トラス、さらに7,500万ポンドの支援を約束", "ja"),
])
def test_a_one_letter_scale_after_a_number_is_read(source, source_lang, target, lang):
    assert bilingual(target, lang, source, source_lang) == []


def test_the_opt_in_name_check_does_no_work_while_it_is_off(monkeypatch):
    """`bilingual.name` is off by default; the pipeline drops a disabled
    rule's findings, but reading the names was half of the bilingual pass's
    time: it must not run at all unless the rule is selected."""
    from mtqa.bilingual import names as name_reading

    target = "Prime Minister Andrej Zeman said on Monday that the talks would go on."
    source = "Premiér Andrej Babiš v pondělí řekl, že rozhovory budou pokračovat."

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("names read while bilingual.name is off")

    monkeypatch.setattr(name_reading, "names", must_not_run)
    result = mtqa.check(target, "en", source=source, source_lang="cs", use_model=False)
    assert not [f for f in result.findings if f.rule == "bilingual.name"]
    with pytest.raises(AssertionError, match="names read"):
        mtqa.check(target, "en", source=source, source_lang="cs", use_model=False, select=["bilingual.name"])


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")), deadline=None)
@given(st.integers(1, 40), st.lists(st.tuples(st.sampled_from("tlr"), st.integers(-3, 43)), max_size=80))
def test_free_finds_the_nearest_untaken_index_either_way(n: int, operations: list[tuple[str, int]]) -> None:
    # The pairing's union-find over taken indices, against a plain scan.
    from mtqa.bilingual.number_pairing import Free

    free, taken = Free(), set()
    free.size(n)
    for operation, index in operations:
        if operation == "t" and 0 <= index < n and index not in taken:
            free.take(index)
            taken.add(index)
        elif operation == "r":
            assert free.right(index) == next((i for i in range(max(0, index), n) if i not in taken), None)
        elif operation == "l":
            expected = None if index < 0 else next((i for i in range(min(index, n - 1), -1, -1) if i not in taken), None)
            assert free.left(index) == expected
