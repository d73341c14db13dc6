"""The spacing family: stray spaces around punctuation, quotes and brackets.

Every example here was written for this test. Expected texts are what a
copy editor would make of the input, written by hand.
"""

from __future__ import annotations

import pytest

import mtqa

SPACING = ["spacing"]


def fix(text: str, lang: str) -> str:
    return mtqa.fix(text, lang, select=SPACING)


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in mtqa.check(text, lang, select=SPACING).findings]


POSITIVES = [
    # Stray spaces just inside straight quotes, both marks spaced on both sides.
    (
        "en",
        'The ministry said it had " no plans to extend the curfew. "',
        'The ministry said it had "no plans to extend the curfew."',
    ),
    (
        "en",
        'The mayor called the plan "reckless" and said the city would " not pay a cent " for it.',
        'The mayor called the plan "reckless" and said the city would "not pay a cent" for it.',
    ),
    # A Moses-tokenized MT line.
    (
        "en",
        "She said she did n't know whether the U.S . would pay , but it 's \" a fair deal \" ( in her view ) .",
        "She said she didn't know whether the U.S. would pay, but it's \"a fair deal\" (in her view).",
    ),
    (
        "en",
        "I 'm sure we 're ready , but they won 't wait and he hadn 't called .",
        "I'm sure we're ready, but they won't wait and he hadn't called.",
    ),
    ("en", "Tickets cost $ 15 , up 5 % from last year .", "Tickets cost $15, up 5% from last year."),
    ("en", "The court [ of appeal ] ruled on Tuesday.", "The court [of appeal] ruled on Tuesday."),
    ("en", "The  minister resigned on Friday.", "The minister resigned on Friday."),
    ("en", "Is that true ? Nobody knows ; not even the police !", "Is that true? Nobody knows; not even the police!"),
    ("en", "The agency cited fans ' complaints about O ' Neill .", "The agency cited fans' complaints about O'Neill."),
    ("en", "He left the room.Then the lights went out.", "He left the room. Then the lights went out."),
    (
        "en",
        "The talks , which began at 10 : 30 , ended with ' no deal ' for the unions .",
        "The talks, which began at 10:30, ended with 'no deal' for the unions.",
    ),
    (
        "fr",
        "Le ministre a parlé ( hier soir ) de l' accord , selon l'AFP .",
        "Le ministre a parlé (hier soir) de l'accord, selon l'AFP.",
    ),
    ("de", "Er sagte , „ wir bleiben hier “ und ging .", "Er sagte, „wir bleiben hier“ und ging."),
    (
        "de",
        "Die Regierung lehnte den Vorschlag ab ( vorerst ) , berichtete die Zeitung .",
        "Die Regierung lehnte den Vorschlag ab (vorerst), berichtete die Zeitung.",
    ),
    ("es", "¿ Dónde está el ministro ? ¡ Nadie lo sabe !", "¿Dónde está el ministro? ¡Nadie lo sabe!"),
    ("pl", "Premier powiedział , że „ nie ustąpi ” .", "Premier powiedział, że „nie ustąpi”."),
    ("cs", "Ministr řekl , že „ to nepodepíše “ .", "Ministr řekl, že „to nepodepíše“."),
    ("ru", "Он сказал , что « мы не уйдём » .", "Он сказал, что «мы не уйдём»."),
    ("ja", "首相は 「 延長しない 」 と述べた 。", "首相は「延長しない」と述べた。"),
    ("zh", "他 说 ， 我们 反对 任何 单边 制裁 。", "他说，我们反对任何单边制裁。"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), POSITIVES)
def test_fix_repairs_spacing(lang: str, text: str, expected: str) -> None:
    assert fix(text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), POSITIVES)
def test_fix_is_idempotent(lang: str, text: str, expected: str) -> None:
    once = fix(text, lang)
    assert fix(once, lang) == once
    assert rules(once, lang) == []


NEGATIVES = [
    ("en", 'Erdogan said the deal could "prevent further bloodshed".'),
    ("en", "\u201cWe will not leave,\u201d he said. \u201cThis is our home.\u201d"),
    ("en", "The company's shares rose 3% to $41.50 (a record) after it said it won't cut jobs."),
    ("en", "Unemployment fell to 5 % in May, the ISO-style figure shows."),
    ("en", "Visit https://example.org/news . Prices start at \u20ac20; see p. 4, item a) and item b)."),
    ("en", "Options: 1) leave the bloc, 2) stay in it. Thanks :)"),
    ("en", "He wore a 12\" hat.  The band's \u2019 80s hits and rock 'n' roll remain popular."),
    ("en", "The .NET library and the .45 calibre pistol were found in the U.S. on Friday."),
    ("fr", "Il a déclaré : « Nous ne partirons pas ! » Le taux atteint 5 % ; est-ce assez ?"),
    ("fr", "Il a déclaré\u202f: «\u202fNous ne partirons pas\u202f!\u202f» Le taux atteint 5\u00a0%."),
    ("fr", 'Le club juge l\'idée " sérieuse et durable ", selon son président.'),
    ("de", "Die Inflation stieg auf 5 %. \u201eDas ist zu viel\u201c, sagte sie. Bayern gewann 2 : 1."),
    ("de", "Er las \u00bbFaust\u00ab und \u201aWerther\u2018 \u2013 z.B. im Zug."),
    ("de", "Die Schweizer Zeitung titelte \u00abKeine Einigung\u00bb."),
    ("es", "\u00abNo habrá prórroga\u00bb, dijo. ¿Cuándo? El paro bajó al 12 %."),
    ("pl", "Premier powiedział: \u201eNie ustąpimy\u201d. Wzrost wyniósł 3 %."),
    ("cs", "Ministr řekl: \u201eNepodepíšu to.\u201c Podíl vzrostl na 12 % (loni 9 %)."),
    ("sv", "Hon sa: \u201dVi stannar\u201d, och gick."),
    ("ru", "Он сказал: \u00abМы не уйдём\u00bb. Рост составил 5 %. См. ул.Ленина и т.е. центр."),
    ("uk", "Варіанти: а) залишитися; б) піти."),
    ("he", 'צה"ל הודיע כי "המבצע הסתיים".'),
    ("ja", "首相は「延長しない」と述べた。（共同）"),
    ("zh", "外交部发言人表示：\u201c我们反对任何单边制裁。\u201d（完）"),
    ("zh", "总理 Modi 在广播节目 \u201cMann ki Baat\u201d 中表示反对。"),
]


@pytest.mark.parametrize(("lang", "text"), NEGATIVES)
def test_correct_text_has_no_spacing_findings(lang: str, text: str) -> None:
    assert rules(text, lang) == []
    assert fix(text, lang) == text


def test_the_seed_shape_is_found_with_exact_spans() -> None:
    text = 'Officials said Ankara had " no desire to collide with Moscow. "'
    findings = mtqa.check(text, "en", select=SPACING).findings
    assert [(f.rule, f.text, f.suggestions) for f in findings] == [
        ("spacing.quote-inner", '" ', ['"']),
        ("spacing.quote-inner", ' "', ['"']),
    ]
    assert findings[0].category == "Fluency/Punctuation"


def test_tokenized_mt_line_reads_as_normal_text() -> None:
    line = (
        'The minister , who had n\'t been told , said the " emergency measures " ( which cost $ 2 '
        "million ) were \" not enough .\" He added : ' We 'll see . '"
    )
    expected = (
        'The minister, who hadn\'t been told, said the "emergency measures" (which cost $2 '
        "million) were \"not enough.\" He added: 'We'll see.'"
    )
    assert fix(line, "en") == expected


def test_tokenized_german_mt_keeps_german_typography() -> None:
    line = "Der Anteil stieg auf 75 % , sagte Virgil ' s Sprecher : „ Wir sind zufrieden “ ."
    assert fix(line, "de") == "Der Anteil stieg auf 75 %, sagte Virgil's Sprecher: „Wir sind zufrieden“."


def test_fix_changes_text_only_at_findings() -> None:
    text = "The vote , held on Sunday , was \" free and fair \" ( officials said ) ."
    result = mtqa.check(text, "en", select=SPACING)
    rebuilt = []
    position = 0
    for finding in result.findings:
        rebuilt.append(text[position : finding.start])
        rebuilt.append(finding.suggestions[0])
        position = finding.end
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == result.fixed_text


def test_unbalanced_quote_is_flagged_in_an_article() -> None:
    text = 'He said the army "would stay in the city.\n\nThe talks resume on Monday.'
    findings = mtqa.check(text, "en", select=SPACING).findings
    assert [f.rule for f in findings] == ["spacing.unbalanced-quote"]
    assert findings[0].text == '"'
    assert findings[0].fix == "display-only"
    assert fix(text, "en") == text


def test_quotation_running_on_into_next_paragraph_is_news_style() -> None:
    text = (
        '"We will not leave," the mayor said. "This city is our home.\n'
        '"Nobody can force us out," she added.'
    )
    assert rules(text, "en") == []


def test_a_single_segment_may_continue_a_quotation() -> None:
    assert rules("Nobody can force us out,\u201d she added.", "en") == []
    assert rules("\u00bbDas ist zu viel, sagte sie.", "de") == []


def test_unbalanced_bracket_is_flagged_but_list_markers_are_not() -> None:
    text = "The plan (announced in May was dropped.\nOfficials declined to comment."
    findings = mtqa.check(text, "en", select=SPACING).findings
    assert [(f.rule, f.text) for f in findings] == [("spacing.unbalanced-bracket", "(")]
    assert rules("Choose a) tea or b) coffee.\nThen c) pay.", "en") == []


def test_french_spacing_is_not_anglicised() -> None:
    text = "Selon lui : « C'est fini ! » Pourquoi ?"
    assert fix(text, "fr") == text
    # but a comma never takes a space before it, in French either
    assert fix("Selon lui , c'est fini.", "fr") == "Selon lui, c'est fini."


def test_percent_space_is_kept_outside_english() -> None:
    for lang in ("de", "fr", "cs", "ru", "es"):
        assert "spacing.currency" not in rules("Der Wert stieg um 5 % , sagte er .", lang)


def test_the_euro_sign_after_the_amount_moves_before_it_in_english():
    # German and French order carried into English by MT (issue 10)
    result = mtqa.check("Tickets cost 5 € and the guide 12,50 € more.", "en", use_model=False)
    assert [(f.rule, f.text, f.suggestions) for f in result.findings] == [
        ("spacing.currency", "5 €", ["€5"]), ("spacing.currency", "12,50 €", ["€12,50"])]
    assert result.fixed_text == "Tickets cost €5 and the guide €12,50 more."
    for clean in ("It costs €5 now.", "It costs 40 €/tyre online."):
        assert mtqa.check(clean, "en", use_model=False).findings == []
    assert mtqa.check("Le billet coûte 5 €.", "fr", use_model=False).findings == []


def test_a_quotation_that_spans_lines_loses_its_tokenizer_spaces_on_each_line():
    # one quote per line, spaced on both sides: the context says which way it faces (issue 10)
    text = 'Der Minister erklärte : " Wir werden die Gespräche\nmorgen beginnen . "\nDann ging er.'
    assert mtqa.check(text, "de", use_model=False).fixed_text == (
        'Der Minister erklärte: "Wir werden die Gespräche\nmorgen beginnen."\nDann ging er.')
    text = 'He said : " We will start\ntalks tomorrow . " Then he left.'
    assert mtqa.check(text, "en", use_model=False).fixed_text == 'He said: "We will start\ntalks tomorrow." Then he left.'
    for clean in ('He is 6 " tall.\nShe is taller.', 'The sign " stands alone.\nNext line.',
                  'She wrote: "We will go there\nand come back."'):
        assert mtqa.check(clean, "en", use_model=False, select=["spacing.quote-inner"]).findings == []


def test_a_lone_spaced_quote_before_the_reporting_clause_closes_the_quotation():
    # `Alles " , sagte sie`: the quote kept its stray space (issue 10)
    text = 'Wir bleiben hier.\nAlles " , sagte sie.'
    assert mtqa.check(text, "de", use_model=False).fixed_text == 'Wir bleiben hier.\nAlles", sagte sie.'
    for clean in ('He is 6 " , she is 5.\nNext line.', 'The sign " stands alone.\nNext line.'):
        assert mtqa.check(clean, "en", use_model=False, select=["spacing.quote-inner"]).findings == []


def test_spaced_single_quotes_pair_with_the_attached_ones_around_them():
    # A real MT line: the spaced quotes alone paired `' 3' and '`, and the
    # fix put the next quotation's mark on the word before it (`and' 2`).
    text = "He said that ' 3' and ' 2 + 1 ' , for the record, were the options."
    result = mtqa.check(text, "en", use_model=False)
    assert result.fixed_text == "He said that '3' and '2 + 1', for the record, were the options."
    assert mtqa.check(result.fixed_text, "en", use_model=False).fixed_text == result.fixed_text
    # Possessives and contractions are no quotation marks.
    assert mtqa.check("The dogs' owners said ' no ' today.", "en", use_model=False).fixed_text == (
        "The dogs' owners said 'no' today.")


def test_apostrophes_of_elision_are_no_quotation_marks_to_pair_with():
    # `'em`, `'90s` and `goin'` touch one side of a word as quotation marks
    # do; paired as quotes, they took the spaced marks onto the wrong words.
    fixed = [mtqa.check(text, "en", use_model=False).fixed_text for text in (
        "Tell 'em ' stop ' and goin' home.",
        "The band of the '90s ' hit ' all of rock and roll' that year.",
        "He was goin' home when she said ' stop ' to him.",
    )]
    assert fixed == [
        "Tell 'em 'stop' and goin' home.",
        "The band of the '90s 'hit' all of rock and roll' that year.",
        "He was goin' home when she said 'stop' to him.",
    ]


def test_spaced_marks_are_still_paired_when_the_attached_ones_do_not_pair():
    # An odd number of marks in all: the possessive is repaired as before.
    text = "The animals ' fats were 'tested' by the lab."
    assert mtqa.check(text, "en", use_model=False).fixed_text == "The animals' fats were 'tested' by the lab."
    # A mark before `_` at the paragraph's start is neither opening nor
    # closing, whatever the paragraph's last letter is.
    assert mtqa.check("'_x ' a ' b", "en", use_model=False).fixed_text == "'_x 'a' b"
    assert mtqa.check("'_x ' a ' bs", "en", use_model=False).fixed_text == "'_x 'a' bs"
