"""PO files: msgstr checked against msgid, fixes inside the string literals only."""

from __future__ import annotations

import pytest
from translate.storage import po as toolkit_po

from formats_helpers import FIXTURES, run, where
from mtqa.errors import InputError
from mtqa.formats.base import ReadOptions
from mtqa.formats.po import Po

PO = (FIXTURES / "news_de.po").read_bytes()


def read(data: bytes):
    return Po().read(data, "news.po", ReadOptions())


def test_units_carry_msgid_as_id_and_source_and_the_header_language():
    document = read(PO)
    assert document.language == "de"
    ids = [unit.id for unit in document.units]
    assert ids == [
        "%(count)d people fled Ma'arrat al-Numan on Tuesday",
        "Updated {minutes} minutes ago",
        "%d comment[0]",
        "%d comment[1]",
        "AT&T partner network",
        'footer|Read "Terms" first',
    ]  # the obsolete `#~` entry and the header are not translations to check
    plural = document.units[3]
    assert (plural.source, plural.text) == ("%d comments", "%d Kommentare &#124; Diskussion")
    # Continuation lines join into one text; escapes are decoded.
    assert document.units[0].text == "%(count)d Menschen flohen am Dienstag aus Ma &amp; # 39; arrat al-Numan"
    assert document.units[5].text == 'Zuerst die "Bedingungen" lesen'


def test_findings_point_into_the_string_literals():
    raw = PO.decode()
    _, result, _ = run(PO, "news.po")
    found = {(f.unit, f.rule.split(".")[0], f.line, f.column) for f in result.findings}
    assert found == {
        ("%(count)d people fled Ma'arrat al-Numan on Tuesday", "entities", *where(raw, " &amp; # 39; arrat")),
        ("Updated {minutes} minutes ago", "entities", *where(raw, "&quot;aktualisiert")),
        ("Updated {minutes} minutes ago", "entities", *where(raw, "&quot;\"")),
        ("%d comment[1]", "entities", *where(raw, "&#124;")),
        # `AT&amp;T` is under `# mtqa: ignore entities`; the obsolete entry is skipped.
    }


def test_fix_rewrites_only_the_damaged_characters_and_parses_back():
    _, _, fixed = run(PO, "news.po")
    expected = (
        PO.decode()
        .replace('aus Ma &amp; # 39; arrat "', 'aus Ma\'arrat "')
        .replace('Minuten &quot;aktualisiert&quot;"', 'Minuten \\"aktualisiert\\""')
        .replace("Kommentare &#124; Diskussion", "Kommentare | Diskussion")
    )
    assert fixed.decode() == expected
    store = toolkit_po.pofile.parsestring(fixed)
    targets = {unit.source: unit.target for unit in store.units if not unit.isheader() and not unit.isobsolete()}
    assert targets["Updated {minutes} minutes ago"] == 'Vor {minutes} Minuten "aktualisiert"'
    assert targets["%(count)d people fled Ma'arrat al-Numan on Tuesday"] == (
        "%(count)d Menschen flohen am Dienstag aus Ma'arrat al-Numan"
    )


def test_placeholders_are_protected_from_edits():
    document = read(PO)
    first = document.units[0]
    # Even a fix that wanted to drop the placeholder cannot remove it.
    fixed_units = [unit.text for unit in document.units]
    fixed_units[0] = first.text.replace("%(count)d ", "")
    fixed_units[1] = document.units[1].text.replace("{minutes}", "{Minuten}")
    output = Po().write(document, fixed_units).decode()
    assert '"%(count)d Menschen flohen' in output
    assert "Vor {minutes} Minuten" in output


def test_a_clean_po_file_round_trips_identically():
    clean = PO.decode()
    for bad, good in (
        ("Ma &amp; # 39; arrat", "Ma'arrat"),
        ("&quot;aktualisiert&quot;", '\\"aktualisiert\\"'),
        (" &#124; Diskussion", ""),
    ):
        clean = clean.replace(bad, good)
    _, result, fixed = run(clean.encode(), "clean.po")
    assert result.findings == []
    assert fixed == clean.encode()


@pytest.mark.parametrize(
    "text, line, what",
    [
        ('msgid "a"\nmsgstr "b\n', 2, "unterminated"),
        ('msgid "a"\nmsgstr "b" extra\n', 2, "after the closing quote"),
        ('msgid "a"\nmsgtsr "b"\n', 2, "unexpected 'msgtsr"),
        ('msgstr "b"\n', 1, "without a msgid"),
        ('msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 1, "without msgstr"),
        ('msgid "a"\nmsgstr "b \\q"\n', 2, "unknown escape"),
    ],
)
def test_malformed_po_is_an_input_error_with_the_line(text, line, what):
    with pytest.raises(InputError) as error:
        read(text.encode())
    assert f"line {line}" in str(error.value) and what in str(error.value)
