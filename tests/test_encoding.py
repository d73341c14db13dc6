"""Encoding family: mojibake per word, control/invisible characters, U+FFFD.

Broken inputs are either typed as they appear on screen or made by encoding
a hand-written correct sentence as UTF-8 and decoding it the wrong way, which
is exactly how the damage happens; the expected text is always the correct
sentence as written here.
"""

from __future__ import annotations

import os

import ftfy  # also registers the sloppy-windows-1252 codec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtqa
from mtqa.checks import encoding


def findings(text: str, lang: str) -> list:
    return mtqa.check(text, lang, select=["encoding"]).findings


def fix(text: str, lang: str) -> str:
    return mtqa.fix(text, lang, select=["encoding"])


def as_windows_1252(correct: str) -> str:
    """What a UTF-8 text looks like when read as Windows-1252."""
    return correct.encode("utf-8").decode("sloppy-windows-1252")


# --- mojibake ---------------------------------------------------------------


def test_mojibake_reported_per_word_with_repair() -> None:
    text = "I love cafÃ© au lait and naÃ¯ve jokes."
    result = findings(text, "en")
    assert [(f.rule, f.text, f.suggestions) for f in result] == [
        ("encoding.mojibake", "cafÃ©", ["café"]),
        ("encoding.mojibake", "naÃ¯ve", ["naïve"]),
    ]
    first = result[0]
    assert text[first.start : first.end] == "cafÃ©"
    assert first.category == "Fluency/Character encoding"
    assert fix(text, "en") == "I love café au lait and naïve jokes."


def test_double_encoded_apostrophe_inside_word() -> None:
    result = findings("The minister said he donÃ¢â‚¬â„¢t know.", "en")
    assert [(f.text, f.suggestions) for f in result] == [("donÃ¢â‚¬â„¢t", ["don’t"])]


def test_smart_punctuation_mojibake_english() -> None:
    assert fix("He said itâ€™s over â€“ for now.", "en") == "He said it’s over – for now."


def test_closing_quote_whose_last_byte_was_dropped() -> None:
    # ” is E2 80 9D; 0x9D has no Windows-1252 character and is usually lost.
    assert fix("The so-called â€œbestâ€ deal was rejected.", "en") == (
        "The so-called “best” deal was rejected."
    )


def test_c1_controls_for_windows_quotes() -> None:
    assert fix("He called it \x93a disaster\x94 on Monday.", "en") == "He called it “a disaster” on Monday."


@pytest.mark.parametrize(
    "lang, correct",
    [
        ("de", "Die Straße führt über die Brücke nach Köln."),
        ("fr", "Le café est fermé à cause de la grève, a-t-il précisé."),
        ("es", "El año pasado, el niño ganó el premio en Córdoba."),
        ("ru", "Президент заявил в понедельник, что экономика растёт."),
        ("ja", "日本の首相は月曜日に記者会見を開いた。"),
    ],
)
def test_utf8_read_as_windows_1252_is_repaired(lang: str, correct: str) -> None:
    broken = as_windows_1252(correct)
    assert findings(broken, lang), broken
    assert fix(broken, lang) == correct


def test_utf8_read_as_windows_1251_inside_sound_russian_text() -> None:
    damaged = "лучшей в сезоне".encode("utf-8").decode("cp1251")
    text = f"Тренер назвал игру {damaged}, а капитан промолчал."
    assert fix(text, "ru") == "Тренер назвал игру лучшей в сезоне, а капитан промолчал."


def test_german_mojibake_one_finding_per_word() -> None:
    result = findings("Die StraÃŸe fÃ¼hrt Ã¼ber die BrÃ¼cke.", "de")
    assert [f.text for f in result] == ["StraÃŸe", "fÃ¼hrt", "Ã¼ber", "BrÃ¼cke"]
    assert [f.suggestions[0] for f in result] == ["Straße", "führt", "über", "Brücke"]


def test_cyrillic_windows_1251_read_as_latin() -> None:
    broken = "Ïðåçèäåíò çàÿâèë â ïîíåäåëüíèê, ÷òî ýêîíîìèêà ðàñò¸ò."
    assert fix(broken, "ru") == "Президент заявил в понедельник, что экономика растёт."
    # The same letters in a French text are French, not Russian mojibake.
    assert findings("Où est passée l'été àççèâ ?", "fr") == []


def test_only_damaged_line_is_touched() -> None:
    text = "Première ligne correcte.\nLa rÃ©union a eu lieu.\nTroisième ligne, “citée”."
    assert fix(text, "fr") == "Première ligne correcte.\nLa réunion a eu lieu.\nTroisième ligne, “citée”."


# --- legitimate text must stay as it is ----------------------------------------


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "“Curly quotes”, ‘single ones’, an ellipsis… and a dash — stay."),
        ("en", "The ﬁnal report (ligature) and café\u0301 in NFD stay untouched."),
        ("de", "„Das ist gut“, sagte der Bürgermeister über die Straße."),
        ("fr", "Il a dit\u202f: «\u00a0Nous verrons\u00a0»\u202f!"),
        ("es", "¿Qué pasó? ¡Nadie lo sabe! El pingüino está en el año 2024."),
        ("ru", "«Мы готовы», — сказал министр в пятницу."),
        ("ja", "ＡＢＣ社の社長は「全角（ぜんかく）」の文字を使った。"),
        ("fa", "من می\u200cخواهم به خانه بروم."),  # ZWNJ is Persian spelling
        ("hi", "क्\u200dष और हिन्\u200dदी"),  # ZWJ in Devanagari half forms
        ("en", "The family emoji 👨\u200d👩\u200d👧 uses joiners."),
        ("th", "ภาษา\u200bไทย"),  # ZWSP marks Thai word breaks
        ("en", "Tabs\tand Windows line ends\r\nare fine, as is a soft\u00adhyphen."),
        ("en", "A dash kept with its word -\u2060 like this."),
        ("en", "Prices: £5, €10, ¥100, 25°C, ½ cup, naïve, Zoë, São Paulo."),
    ],
)
def test_clean_text_has_no_findings(lang: str, text: str) -> None:
    assert findings(text, lang) == []
    assert fix(text, lang) == text


def test_ascii_text_never_reaches_ftfy(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args, **kwargs):
        raise AssertionError("ftfy called on ASCII text")

    monkeypatch.setattr(encoding.ftfy, "fix_text", explode)
    assert findings("Plain ASCII news text, nothing to see here.", "en") == []


# --- control, invisible and lost characters ------------------------------------


def test_control_characters_are_removed() -> None:
    text = "The vote\x00 was held\x07 on Monday."
    result = findings(text, "en")
    assert [f.rule for f in result] == ["encoding.control-char"] * 2
    assert fix(text, "en") == "The vote was held on Monday."


def test_vertical_tab_between_words_becomes_a_space() -> None:
    assert fix("Der Rat\x0btagte am Montag.", "de") == "Der Rat tagte am Montag."


def test_terminal_escape_removed_whole() -> None:
    assert fix("Status: \x1b[31mfailed\x1b[0m today.", "en") == "Status: failed today."


def test_zero_width_space_in_latin_text() -> None:
    text = "Das Parla\u200bment tagte."
    result = findings(text, "de")
    assert [(f.rule, f.start) for f in result] == [("encoding.zero-width", len("Das Parla"))]
    assert fix(text, "de") == "Das Parlament tagte."


def test_run_of_invisible_characters_is_one_finding() -> None:
    text = "Реформа –\u2060\u2060\u2060 це довгий процес."
    result = findings(text, "uk")
    assert [(f.rule, f.end - f.start) for f in result] == [("encoding.zero-width", 3)]
    assert fix(text, "uk") == "Реформа – це довгий процес."


def test_zero_width_joiner_between_latin_letters() -> None:
    assert fix("Le mi\u200dnistre a parlé.", "fr") == "Le ministre a parlé."


def test_byte_order_mark_inside_text() -> None:
    text = "Первый абзац.\n\ufeffВторой абзац."
    result = findings(text, "ru")
    assert [f.rule for f in result] == ["encoding.bom"]
    assert fix(text, "ru") == "Первый абзац.\nВторой абзац."


def test_replacement_character_flagged_without_fix() -> None:
    text = "El presidente de Espa\ufffda llegó el lunes."
    result = findings(text, "es")
    assert [(f.rule, f.text, f.suggestions, f.applicability) for f in result] == [
        ("encoding.replacement-char", "\ufffd", [], "display-only")
    ]
    assert fix(text, "es") == text


def test_mis_decoded_replacement_character_is_repaired_to_the_loss_it_was() -> None:
    """`ï¿½` is U+FFFD read as Windows-1252: repaired, as ftfy does, to the
    U+FFFD it was, and reported as a lost character before and after."""
    text = "Prices at the caf\u00ef\u00bf\u00bd\u00ef\u00bf\u00bd rose by 5 per cent."
    result = findings(text, "en")
    assert [(f.rule, f.text, f.suggestions) for f in result] == [
        ("encoding.mojibake", "caf" + "\u00ef\u00bf\u00bd" * 2, ["caf\ufffd\ufffd"]),
        ("encoding.replacement-char", "\u00ef\u00bf\u00bd" * 2, [])]
    assert result[1].message.startswith("2 replacement characters U+FFFD")
    fixed = fix(text, "en")
    assert fixed == "Prices at the caf\ufffd\ufffd rose by 5 per cent."
    assert [f.rule for f in findings(fixed, "en")] == ["encoding.replacement-char"]  # the same loss, no new finding
    # A quote whose last byte was lost is one lost character (ftfy's reading), not a quote and a loss.
    assert fix("The \u00e2\u20ac\u0153lossy decoding\u00e2\u20ac\ufffd of it.", "en") == (
        "The \u201clossy decoding\ufffd of it.")
    assert findings("Der Maître d'hôtel, ¿verdad? ½ Liter.", "de") == []  # the letters alone are not a loss


# --- idempotence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "He donÃ¢â‚¬â„¢t care about the â€œbestâ€ offer\x00."),
        ("fr", "Le cafÃ© est fermÃ© Ã  cause de la grÃ¨ve\u200b."),
        ("ru", "Ïðåçèäåíò çàÿâèë \ufeffâ ïîíåäåëüíèê."),
    ],
)
def test_fix_is_idempotent(lang: str, text: str) -> None:
    once = fix(text, lang)
    assert once != text
    assert fix(once, lang) == once
    assert [f for f in findings(once, lang) if f.fix != "display-only"] == []


def test_a_central_european_quote_mixup_is_left_to_ftfy_and_a_hopeless_garble_untouched() -> None:
    # `â€ś` is `“` read as Windows-1250: the lost-quote repair made it `”ś`.
    assert fix("Der Titel \u00e2\u20ac\u017eRock\u00e2\u20ac\u015b blieb.", "de") == "Der Titel „Rock“ blieb."
    # Where ftfy finds nothing to repair, the byte restored for it came out as
    # a C1 control character (then deleted by a later pass, as a "finding").
    garble = "Ñ€Ñƒ ãƒâ€ ã¢"
    result = findings(garble, "ru")
    assert [(f.rule, f.text, f.suggestions) for f in result] == [("encoding.mojibake", "Ñ€Ñƒ", ["ру"])]
    assert fix(garble, "ru") == "ру ãƒâ€ ã¢"


def test_a_line_longer_than_a_piece_is_repaired_as_if_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # ftfy is given a very long line in pieces cut at a space after an ASCII non-space; with pieces
    # of 40 characters every repair must be the one the whole line gets, at the same place
    # (`Ã  la` is `à la` with its no-break space turned into a space: no cut falls inside it).
    line = ("Le prÃ©sident a annoncÃ© une rÃ©forme trÃ¨s attendue Ã  la fin du mois, cafÃ© "
            "compris. â€œNonâ€\x9d, a dit le ministre. ") * 6
    whole = [(f.start, f.end, f.suggestions) for f in mtqa.check(line, "fr", select=["encoding"]).findings]
    monkeypatch.setattr(encoding, "PIECE", 40)
    assert len(list(encoding._pieces(line))) > 10
    assert "".join(piece for _, piece in encoding._pieces(line)) == line
    pieced = [(f.start, f.end, f.suggestions) for f in mtqa.check(line, "fr", select=["encoding"]).findings]
    assert pieced == whole
    assert len(whole) == 6 * 7 and ["à"] in [suggestions for _, _, suggestions in whole]


@pytest.mark.parametrize(
    "unit",
    [
        "cafÃ© ",  # nothing ASCII before any space: cut after the whole sequence `Ã©`
        "cafÃ© prÃªt Ã  ðŸ˜€ â€ ",  # `Ã ` and `â€ ` lost a no-break space's byte: never cut there
        "Ã©tÃ© Ã  ",
        "Â© Ã©Ã© â© ©© ",  # `â© ` is `â©` and a lost byte; `©©` no sequence at all
    ],
)
def test_a_long_line_of_mojibake_is_cut_only_after_whole_sequences(
    monkeypatch: pytest.MonkeyPatch, unit: str
) -> None:
    # ftfy cuts a line over a million characters anywhere, even inside `Ã©`, and then repairs
    # neither half. mtqa cuts it first, where the bytes before the space read as a whole sequence.
    line = unit * 12
    whole = [(f.start, f.end, f.suggestions) for f in mtqa.check(line, "fr", select=["encoding"]).findings]
    monkeypatch.setattr(encoding, "PIECE", 10)
    pieces = list(encoding._pieces(line))
    assert len(pieces) > 6 and "".join(piece for _, piece in pieces) == line
    pieced = [(f.start, f.end, f.suggestions) for f in mtqa.check(line, "fr", select=["encoding"]).findings]
    assert pieced == whole and whole


def test_a_lost_byte_before_a_space_is_no_place_to_cut() -> None:
    for line, cut in [("xxÃ© yy", True), ("xxÃ  la", False), ("xxâ€ yy", False), ("xxâ© yy", False),
                      ("xxðŸ˜€ yy", True), ("xx©© yy", False), ("xxé yy", False), ("xx© yy", False)]:
        assert (encoding._safe_break(line, 0) is not None) == cut, line


# Characters mojibake is made of (Latin-1 and Windows-1252 letters, C1 controls, the
# no-break space), letters of clean text, surrogates, and ASCII between them.
_MOJIBAKE_ALPHABET = st.sampled_from(
    list("Ã©â€œ\x9d™Å¡Ð°ÑƒÐ\xa0\xad€ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜š›œžŸ¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")
    + list("éèàçüöäßñřžčšěұяжшщ中日") + ["\x80", "\x85", "\x9f", "\ud800", "\udfff"]
    + list("aeiou ,.'\"-")
)


@settings(max_examples=int(os.environ.get("MTQA_PROPERTY_EXAMPLES", "150")) * 4, deadline=None)
@given(st.lists(_MOJIBAKE_ALPHABET, min_size=1, max_size=30).map("".join))
def test_a_line_is_kept_from_ftfy_only_where_ftfy_would_leave_it(line: str) -> None:
    # The screen that spares most lines the call must never skip a line that ftfy, configured as
    # the check configures it, would change (a new ftfy fixer or a changed test shows up here).
    if encoding._ftfy_leaves(line):
        assert ftfy.fix_text(line, encoding.FTFY_CONFIG) == line


@pytest.mark.parametrize(
    "line",
    ["cafÃ© au lait", "â€œNonâ€\x9d", "the \x93best\x94 deal", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "\ud83d\ude00 surrogates",
     "voilÃ\xa0 le travail", "sÃ³"],
)
def test_lines_ftfy_repairs_are_not_screened_out(line: str) -> None:
    assert ftfy.fix_text(line, encoding.FTFY_CONFIG) != line
    assert not encoding._ftfy_leaves(line)


def test_sound_accented_lines_are_screened_out() -> None:
    for line in ["Le président a annoncé une réforme très attendue.", "Müller sagte, die Straße sei gesperrt.",
                 "Prices: £5, €10, ¥100, 25°C, ½ cup, naïve, Zoë, São Paulo.", "Правительство заявило"]:
        assert encoding._ftfy_leaves(line)


@pytest.mark.parametrize(
    "text, expected",
    [
        # `Ã` with its lost no-break space read as a space, before a damaged word: one space per word
        # paired `Ã` with `à ` and ` Ã©couter` with `écouter`, or reported `'' should read 'été'`.
        ("Il est prÃªt Ã  Ã©couter.", [("prÃªt", "prêt"), ("Ã ", "à"), ("Ã©couter", "écouter")]),
        ("Ã©tÃ© Ã  Ã©tÃ© ", [("Ã©tÃ©", "été"), ("Ã ", "à"), ("Ã©tÃ©", "été")]),
        # difflib over the whole word kept the first of the two spaces, and the second joined `Ã©tÃ©`.
        ("DÃ©jÃ  Ã©tÃ© Ã  PÃ©kin.", [("DÃ©jÃ ", "Déjà"), ("Ã©tÃ©", "été"), ("Ã ", "à"), ("PÃ©kin", "Pékin")]),
    ],
)
def test_a_lost_no_break_space_belongs_to_its_word(text: str, expected: list[tuple[str, str]]) -> None:
    result = mtqa.check(text, "fr", select=["encoding"])
    assert [(f.text, f.suggestions[0]) for f in result.findings] == expected
    assert result.fixed_text == ftfy.fix_text(text)
