"""XLIFF 1.2 / 2.0: targets checked with their source, fixes leave tags alone."""

from __future__ import annotations

import pytest
from lxml import etree
from translate.storage import xliff as toolkit_xliff

from formats_helpers import FIXTURES, run, where
from mtqa.errors import InputError
from mtqa.formats.base import ReadOptions
from mtqa.formats.xliff import Xliff

V12 = (FIXTURES / "xliff12_news.xlf").read_bytes()
V20 = (FIXTURES / "xliff20_news.xlf").read_bytes()


def read(data: bytes):
    return Xliff().read(data, "file.xlf", ReadOptions())


def test_xliff12_findings_per_unit_id_at_the_target_position():
    raw = V12.decode()
    _, result, _ = run(V12, "news.xlf")
    found = {(f.unit, f.rule.split(".")[0], f.line, f.column) for f in result.findings}
    assert found == {
        ("headline", "entities", *where(raw, " &amp; # 39; arrat al-Numan</g> wieder")),
        ("quote", "entities", *where(raw, "&amp;quot;keine")),
        ("quote", "entities", *where(raw, "&amp;quot; sei")),
        ("hospital", "entities", *where(raw, "&amp;#124;")),
        # `caption` has `&amp;#39;s` too, but its note says mtqa: ignore entities.literal.
    }


def test_xliff12_reads_languages_sources_and_inline_codes():
    document = read(V12)
    assert (document.language, document.source_language) == ("de", "en")
    units = {unit.id: unit for unit in document.units}
    assert "untranslated" not in units  # no target: nothing to check
    assert units["lead"].source == "Residents fled south on Tuesday, \ufffc officials said."
    assert units["lead"].text == "Die Bewohner flohen am Dienstag nach Süden, \ufffc sagten Behördenvertreter."
    assert units["hospital"].text == "Das \ufffceinzige\ufffc Krankenhaus ist noch &#124; geöffnet."
    assert units["brand"].text == "Die Netze des Partners von AT&T waren ausgefallen."
    assert units["caption"].ignore == ("entities.literal",)


def test_xliff12_fix_keeps_tags_and_the_rest_of_the_file():
    _, _, fixed = run(V12, "news.xlf")
    expected = (
        V12.decode()
        .replace("<g id=\"1\">Ma &amp; # 39; arrat al-Numan</g>", "<g id=\"1\">Ma'arrat al-Numan</g>")
        .replace("&amp;quot;keine Einigung&amp;quot;", '"keine Einigung"')
        .replace("noch &amp;#124; geöffnet", "noch | geöffnet")
    )
    assert fixed.decode() == expected
    # Still valid XLIFF that another tool reads, with the repaired targets.
    store = toolkit_xliff.xlifffile.parsestring(fixed)
    targets = {unit.getid().split("\x04")[-1]: unit.target for unit in store.units}
    assert targets["quote"] == 'Der Minister sagte, "keine Einigung" sei mit dem Rat erzielt worden.'
    assert "Ma'arrat al-Numan" in targets["headline"]
    assert read(fixed).units[0].text == "Beschuss rund um Ma'arrat al-Numan wieder aufgenommen"


def test_xliff20_findings_and_fix_with_ph_pc_sc_ec():
    raw = V20.decode()
    _, result, fixed = run(V20, "news.xlf")
    found = {(f.unit, f.rule.split(".")[0], f.line, f.column) for f in result.findings}
    assert found == {
        ("u1", "entities", *where(raw, " &amp; # 39; arrat al-Numan</pc>")),
        ("u2/s1", "entities", *where(raw, "&amp;#39;.")),
        ("u2/s2", "spacing", *where(raw, " , le")),
    }
    expected = (
        raw.replace("<pc id=\"1\">Ma &amp; # 39; arrat al-Numan</pc>", "<pc id=\"1\">Ma'arrat al-Numan</pc>")
        .replace("mardi &amp;#39;.", "mardi '.")
        .replace("responsables , le", "responsables, le")
    )
    assert fixed.decode() == expected
    tree = etree.fromstring(fixed)
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    target = tree.find(".//x:unit[@id='u2']/x:segment[@id='s2']/x:target", ns)
    assert [child.tag.split("}")[1] for child in target] == ["sc", "ec"]
    assert etree.tostring(target, encoding="unicode").count('<ph') == 0


def test_clean_xliff_round_trips_byte_identically():
    clean = V20.decode()
    for bad, good in (
        ("Ma &amp; # 39; arrat", "Ma'arrat"),
        ("mardi &amp;#39;.", "mardi."),
        ("responsables , le", "responsables, le"),
    ):
        clean = clean.replace(bad, good)
    _, result, fixed = run(clean.encode(), "clean.xlf")
    assert result.findings == []
    assert fixed == clean.encode()


def test_billion_laughs_is_refused_with_a_clear_error():
    with pytest.raises(InputError) as error:
        read((FIXTURES / "billion_laughs.xlf").read_bytes())
    message = str(error.value)
    assert "DTD" in message and "billion laughs" in message and "line 2" in message


def test_external_entities_are_refused():
    with pytest.raises(InputError, match="refused"):
        read((FIXTURES / "external_entity.xlf").read_bytes())


def test_malformed_xml_reports_its_line():
    broken = V12.decode().replace("</target>\n      </trans-unit>\n      <trans-unit id=\"lead\">", "\n      </trans-unit>\n      <trans-unit id=\"lead\">", 1)
    with pytest.raises(InputError, match=r"not well-formed XML: .* at line 11"):
        read(broken.encode())


def test_other_xml_is_not_taken_for_xliff():
    with pytest.raises(InputError, match="root element is <html>"):
        read(b"<?xml version='1.0'?><html><body>Hi</body></html>")


def test_pretty_printed_target_reads_as_one_sentence_and_cdata_is_text():
    data = """<xliff version="1.2"><file source-language="en" target-language="es" original="a" datatype="html"><body>
  <trans-unit id="p1">
    <source>The minister said no.</source>
    <target>El ministro
        dijo que no , <![CDATA[según <fuentes>]]> oficiales.</target>
  </trans-unit>
</body></file></xliff>""".encode()
    document, result, fixed = run(data, "p.xlf")
    assert document.units[0].text == "El ministro dijo que no , según <fuentes> oficiales."
    assert [f.rule for f in result.findings] == ["spacing.before-punctuation"]
    assert fixed == data.replace(b"no , <![CDATA[", b"no, <![CDATA[")


def test_comment_marker_before_a_unit_applies_to_it():
    data = """<xliff version="2.0" srcLang="en" trgLang="de"><file id="f">
<!-- mtqa: ignore entities -->
<unit id="a"><segment><source>x</source><target>AT&amp;amp;T &amp;#39;</target></segment></unit>
<unit id="b"><segment><source>y</source><target>Zeitung &amp;#39;Kurier&amp;#39;</target></segment></unit>
</file></xliff>""".encode()
    _, result, _ = run(data, "m.xlf")
    assert {f.unit for f in result.findings} == {"b"}


def test_protected_markers_are_placeholders():
    data = """<xliff version="1.2"><file source-language="en" target-language="de" original="a" datatype="html"><body>
<trans-unit id="t"><source>Read <mrk mtype="protected">The Courier &amp;#39;s</mrk> now.</source>
<target>Lesen Sie <mrk mtype="protected">The Courier &amp;#39;s</mrk> jetzt.</target></trans-unit>
</body></file></xliff>""".encode()
    document, result, fixed = run(data, "m.xlf")
    assert document.units[0].text == "Lesen Sie \ufffc jetzt."
    assert result.findings == [] and fixed == data
