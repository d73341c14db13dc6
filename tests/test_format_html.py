"""HTML input: the reader sees what a browser shows; fixes touch only that."""

from __future__ import annotations

import pytest

from formats_helpers import CORPORA, run, where
from mtqa.formats.base import ReadOptions
from mtqa.formats.html import Html
from mtqa.formats.suppress import parse_marker

MT_PAGE = (CORPORA / "news-article-mt.html").read_bytes()
CLEAN_PAGE = (CORPORA / "news-article-clean.html").read_bytes()


def read(html: str, **options):
    return Html().read(html.encode("utf-8"), "page.html", ReadOptions(**options))


def texts(html: str) -> list[str]:
    return [unit.text for unit in read(html).units]


def test_every_artifact_of_the_news_page_is_found_at_its_line_and_column():
    raw = MT_PAGE.decode("utf-8")
    _, result, _ = run(MT_PAGE, "news-article-mt.html")
    # Where a human editor sees each artifact start in the source (entities
    # swallow the space before them: the fix joins `Ma'arrat`).
    expected = {
        ("entities", where(raw, " &amp; # 39; arrat al-Numan |")),
        ("entities", where(raw, ' &amp;#39; arrat al-Numan" width')),
        ("entities", where(raw, " &amp; # 39; arrat al-Numan</strong>")),
        ("entities", where(raw, " &amp;#39; statement")),
        ("entities", where(raw, "&amp;quot;no agreement")),
        ("entities", where(raw, "&amp;quot; had been")),
        ("spacing", where(raw, " , which")),
        ("repetition", where(raw, "the the <em>")),
    }
    found = {(f.rule.split(".")[0], (f.line, f.column)) for f in result.findings}
    assert found == expected


def test_fix_changes_only_the_damaged_text():
    _, _, fixed = run(MT_PAGE, "news-article-mt.html")
    # The clean page was written by hand: same markup, scripts, comments,
    # entities and indentation; only the damaged words differ.
    assert fixed == CLEAN_PAGE


def test_clean_page_has_no_findings_and_round_trips_byte_identically():
    document, result, fixed = run(CLEAN_PAGE, "news-article-clean.html")
    assert result.findings == []
    assert fixed == CLEAN_PAGE
    assert document.language == "en"


def test_scripts_styles_code_and_comments_are_not_text():
    page = """<html><head><style>p::after { content: "&amp;#39;"; }</style>
<script>var s = "Ma & # 39; arrat";</script></head><body>
<!-- Ma & # 39; arrat in a comment -->
<template><p>Ma &amp;#39; arrat</p></template>
<pre>x &amp;quot; y</pre>
<p>Run <code>grep "&amp;#39;"</code> to search.</p>
</body></html>"""
    assert texts(page) == ["Run \ufffc to search."]
    _, result, fixed = run(page.encode(), "p.html")
    assert result.findings == []
    assert fixed == page.encode()


def test_a_sentence_with_inline_tags_is_one_unit_and_markup_entities_decode():
    page = (
        '<p>The <a href="/m?a=1&amp;b=2">minister</a> said &quot;no&quot; to\n'
        "   <b>AT&amp;T</b>&rsquo;s offer.</p>"
    )
    assert texts(page) == ['The minister said "no" to AT&T\u2019s offer.']
    _, result, fixed = run(page.encode(), "p.html")
    assert result.findings == []
    assert fixed == page.encode()


def test_double_escaped_entity_is_flagged_and_repaired_in_the_source():
    page = "<p>Le ministre a dit &amp;quot;non&amp;quot; &agrave; l&#39;accord.</p>\n"
    _, result, fixed = run(page.encode(), "p.html", language="fr")
    assert [f.column for f in result.findings] == [where(page, "&amp;quot;non")[1], where(page, "&amp;quot; &agrave")[1]]
    # `&agrave;` and `&#39;` are markup and stay as they were written.
    assert fixed.decode() == '<p>Le ministre a dit "non" &agrave; l&#39;accord.</p>\n'


def test_repaired_characters_are_escaped_for_html():
    page = "<p>Werte &amp;lt; 5 Prozent &amp;amp; mehr</p>"
    _, _, fixed = run(page.encode(), "p.html", language="de")
    assert fixed.decode() == "<p>Werte &lt; 5 Prozent &amp; mehr</p>"
    assert texts(fixed.decode()) == ["Werte < 5 Prozent & mehr"]


def test_alt_and_title_attributes_are_checked_and_fixed_in_place():
    page = '<img src="a.jpg" alt="Assad &amp;#39;s forces" title=\'Ma &amp; # 39; arrat\'>'
    document = read(page)
    assert [u.text for u in document.units] == ["Assad &#39;s forces", "Ma & # 39; arrat"]
    _, _, fixed = run(page.encode(), "p.html", language="en")
    assert fixed.decode() == '<img src="a.jpg" alt="Assad\'s forces" title=\'Ma&#39;arrat\'>'


def test_broken_html_still_reads_and_writes():
    page = (
        "<div class=news><p>Unclosed paragraph with Ma &amp; # 39; arrat\n"
        "<p>Second one, 3 < 4 and a stray </span> end tag\n"
        "<li>item <b>bold <i>nested</b> text</div></div>\n"
        "<img alt=unquoted&amp;#39;s>"
    )
    document = read(page)
    assert [u.text for u in document.units] == [
        "Unclosed paragraph with Ma & # 39; arrat",
        "Second one, 3 < 4 and a stray end tag",
        "item bold nested text",
        "unquoted&#39;s",
    ]
    _, result, fixed = run(page.encode(), "p.html", language="en")
    assert {f.line for f in result.findings} == {1, 4}
    assert fixed.decode() == page.replace("Ma &amp; # 39; arrat", "Ma'arrat").replace(
        "unquoted&amp;#39;s", "unquoted&#39;s"
    )


def test_suppression_comment_applies_to_the_next_element_only():
    page = (
        "<!-- mtqa: ignore entities.literal -- brand spelling -->\n"
        "<p>Zeitung &amp;#39;Kurier&amp;#39;</p>\n"
        "<p>Leser &amp;#39;innen</p>\n"
    )
    _, result, fixed = run(page.encode(), "p.html", language="de")
    assert [f.line for f in result.findings] == [3]
    assert fixed.decode().splitlines()[1] == "<p>Zeitung &amp;#39;Kurier&amp;#39;</p>"


def test_ignore_file_marker_silences_a_rule_everywhere():
    page = "<!-- mtqa: ignore-file entities -->\n<p>Ma &amp; # 39; arrat</p><p>x &amp;quot;y&amp;quot;</p>"
    _, result, fixed = run(page.encode(), "p.html", language="en")
    assert result.findings == []
    assert fixed == page.encode()


def test_crlf_and_bom_are_kept_and_columns_count_characters():
    page = "\ufeff<html lang=\"de-DE\">\r\n<body>\r\n<p>Gr\u00fc\u00dfe aus Ma &amp;#39; arrat</p>\r\n</body></html>\r\n"
    data = page.encode("utf-8")
    document, result, fixed = run(data, "p.html")
    assert document.language == "de"
    (finding,) = result.findings
    assert (finding.line, finding.column) == where(page.lstrip("\ufeff"), " &amp;#39; arrat")
    assert fixed == page.replace("Ma &amp;#39; arrat", "Ma'arrat").encode("utf-8")


def test_legacy_encoding_declared_in_meta_is_used():
    page = '<meta charset="windows-1252"><p>Caf\u00e9 &amp;quot;Central&amp;quot;</p>'
    data = page.encode("cp1252")
    document, _, fixed = run(data, "p.html", language="fr")
    assert document.units[0].text == "Caf\u00e9 &quot;Central&quot;"
    assert fixed == '<meta charset="windows-1252"><p>Caf\u00e9 "Central"</p>'.encode("cp1252")


@pytest.mark.parametrize(
    "comment, rules, whole_file",
    [
        (" mtqa: ignore entities.garbled ", ("entities.garbled",), False),
        ("mtqa: ignore entities, spacing.double-space -- names", ("entities", "spacing.double-space"), False),
        ("mtqa: ignore", ("*",), False),
        ("MTQA: ignore-file repetition", ("repetition",), True),
    ],
)
def test_marker_parsing(comment, rules, whole_file):
    marker = parse_marker(comment)
    assert marker is not None and marker.rules == rules and marker.whole_file is whole_file


@pytest.mark.parametrize("comment", ["site header", "mtqa ignores nothing here", "mtqa: ignored"])
def test_ordinary_comments_are_not_markers(comment):
    assert parse_marker(comment) is None


def test_inline_svg_and_script_do_not_split_a_sentence_but_br_and_pre_do():
    page = (
        '<p><a href="/share"><svg viewBox="0 0 1 1"><title>icon</title></svg> Share</a> this story'
        "<script>track('&amp;#39;')</script> now.</p>"
        "<p>First line<br>second line</p><div>Before<pre>code</pre>after</div>"
    )
    assert texts(page) == ["Share this story now.", "First line", "second line", "Before", "after"]
