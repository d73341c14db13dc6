"""Entities leaked by MT pipelines: literal, double-escaped, garbled, Moses escapes."""

from __future__ import annotations

import pytest

import mtqa


def rules_of(text: str, lang: str = "en") -> list[str]:
    return [f.rule for f in mtqa.check(text, lang, select=["entities"]).findings]


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        # Garbled apostrophes inside names join the name back together.
        ("Shelling hit Kafr & # 39; Anbel overnight.", "Shelling hit Kafr'Anbel overnight."),
        ("in the village of Deir & #39 ; Atiyah", "in the village of Deir'Atiyah"),
        ("the mayor &amp; # 39; s office", "the mayor's office"),
        # A possessive after a plural keeps the space before the next word.
        ("the nurses & # 39; union called a strike", "the nurses' union called a strike"),
        # A quoted word keeps the space before its opening quote.
        ("Readers left comments &#39;section&#39; by section.", "Readers left comments 'section' by section."),
        # Contractions.
        ("He said it & # 39; s too early.", "He said it's too early."),
        # Literal and Moses-escaped entities.
        ("The minister&apos;s aide left.", "The minister's aide left."),
        ("He called it &quot;a disgrace&quot;.", 'He called it "a disgrace".'),
        ("Options &#91;A&#93; &#124; B", "Options [A] | B"),
        ("Profits &lt; costs &amp; losses &gt; gains", "Profits < costs & losses > gains"),
        # Double-escaped.
        ("She wrote &amp;quot;never again&amp;quot; on the wall.", 'She wrote "never again" on the wall.'),
        ("l&amp;#39;Assemblée nationale", "l'Assemblée nationale"),
        # French, German, Spanish.
        ("Le président de l & # 39; Assemblée a parlé.", "Le président de l'Assemblée a parlé."),
        ("Er sagte: &quot;Nein&quot;.", 'Er sagte: "Nein".'),
        ("El alcalde dijo &quot;basta&quot; ayer.", 'El alcalde dijo "basta" ayer.'),
    ],
)
def test_entity_is_replaced_by_its_character(damaged: str, expected: str) -> None:
    assert mtqa.fix(damaged, select=["entities"]) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "AT&T and Texas A&M signed a deal with Procter & Gamble.",
        "R&D spending rose; M&A activity fell.",
        "Tom & Jerry ; a classic",
        "Le groupe LVMH & Co. a annoncé ses résultats.",
        "He typed & then # then 39 in the box.",
    ],
)
def test_ampersands_that_are_not_entities_are_left_alone(clean: str) -> None:
    assert rules_of(clean) == []


def test_garbled_entity_is_one_finding_at_the_exact_place() -> None:
    text = "Troops entered Ma & # 39; arrat on Monday."
    findings = mtqa.check(text, "en").findings
    assert [(f.rule, text[f.start : f.end], f.suggestions[0]) for f in findings] == [
        ("entities.garbled", " & # 39; ", "'")
    ]
    assert findings[0].line == 1 and findings[0].column == text.index(" & #") + 1


def test_kinds_are_told_apart() -> None:
    assert rules_of("It&apos;s") == ["entities.moses-escape"]
    assert rules_of("caf&eacute;") == ["entities.literal"]
    assert rules_of("&amp;quot;x") == ["entities.double-escaped"]
    assert rules_of("a & quot ; b") == ["entities.garbled"]


def test_fix_is_idempotent_on_entities() -> None:
    text = "Abu & # 39; l-Fadl said &amp;quot;we will stay&amp;quot; &apos;for now&apos;."
    once = mtqa.fix(text, "en")
    assert mtqa.fix(once, "en") == once
    assert "&" not in once
