"""Markdown: prose checked, code/URLs/front matter keys skipped, no reflow."""

from __future__ import annotations

from formats_helpers import FIXTURES, run, where
from mtqa.formats.base import ReadOptions
from mtqa.formats.markdown import Markdown

ARTICLE = (FIXTURES / "article.md").read_bytes()


def texts(markdown: str) -> list[str]:
    return [unit.text for unit in Markdown().read(markdown.encode(), "a.md", ReadOptions()).units]


def test_prose_units_skip_code_urls_and_link_destinations():
    units = texts(ARTICLE.decode())
    assert units[:6] == [
        "Shelling resumes around Ma &#39; arrat al-Numan",  # front matter title
        "Residents fled south as shelling resumed.",  # front matter description
        "Shelling resumes around Ma & # 39; arrat al-Numan",
        "Residents of Ma'arrat al-Numan fled south on Tuesday after a night of\nshelling, local officials said.",
        "The minister said &quot;no agreement&quot; had been reached with\nthe council.",
        "Networks run by AT&T's partner were down; run \ufffc\nor see \ufffc and \ufffc for details.",
    ]
    joined = "\n".join(units)
    assert "curl" not in joined and "indented code" not in joined and "slug" not in joined
    assert "shelled | closed" in units


def test_findings_at_their_lines_and_columns():
    raw = ARTICLE.decode()
    _, result, _ = run(ARTICLE, "article.md", language="en")
    found = {(f.rule.split(".")[0], f.line, f.column) for f in result.findings}
    assert found == {
        ("entities", *where(raw, " &#39; arrat al-Numan\"")),
        ("entities", *where(raw, " & # 39; arrat al-Numan\n")),
        ("entities", *where(raw, "&amp;quot;no")),
        ("entities", *where(raw, "&amp;quot; had")),
        ("entities", *where(raw, " & # 39; arrat |")),
        ("spacing", *where(raw, " , which")),
        ("repetition", *where(raw, "the the road")),
        # `the the hospital` sits under <!-- mtqa: ignore repetition -->.
    }


def test_fix_in_place_without_reflow():
    _, _, fixed = run(ARTICLE, "article.md", language="en")
    expected = (
        ARTICLE.decode()
        .replace('title: "Shelling resumes around Ma &#39; arrat', "title: \"Shelling resumes around Ma'arrat")
        .replace("# Shelling resumes around Ma & # 39; arrat", "# Shelling resumes around Ma'arrat")
        .replace("&amp;quot;no agreement&amp;quot;", '"no agreement"')
        .replace("| Ma & # 39; arrat |", "| Ma'arrat |")
        .replace("city , which had 80,000 residents, said the the road", "city, which had 80,000 residents, said the road")
    )
    assert fixed.decode() == expected


def test_clean_markdown_round_trips_identically():
    clean = """---
title: Officials say the hospital is open
author: Lina Haddad
---

# Ma'arrat al-Numan, Tuesday

Residents fled *south* after a night of shelling, [officials](https://example.org/?a=1&b=2)
said. Run `grep -r "x , y"` for details.

* AT&amp;T's partner network was down.
* See <https://status.example.org> or https://example.org/a_b_c.
"""
    _, result, fixed = run(clean.encode(), "clean.md", language="en")
    assert result.findings == []
    assert fixed == clean.encode()


def test_a_fix_never_joins_lines():
    text = "> The minister said\n> , according to the agency , no.\n"
    document = Markdown().read(text.encode(), "a.md", ReadOptions())
    (unit,) = document.units
    assert unit.text == "The minister said\n, according to the agency , no."
    # A corrected text that also joins the lines: the line break (and the
    # quote marker after it) stays, the other repair is applied.
    corrected = "The minister said, according to the agency, no."
    output = Markdown().write(document, [corrected]).decode()
    assert output == "> The minister said\n> , according to the agency, no.\n"


def test_emphasis_markers_are_not_text_but_snake_case_is():
    assert texts("The **minister** said _no_ to file_name and 5 * 3.\n") == [
        "The minister said no to file_name and 5 * 3."
    ]


def test_repairs_are_escaped_for_markdown():
    text = "Werte &amp;#91;1&amp;#93; laut Quelle.\n"
    _, _, fixed = run(text.encode(), "a.md", language="de")
    assert fixed.decode() == "Werte \\[1\\] laut Quelle.\n"
    assert texts(fixed.decode()) == ["Werte [1] laut Quelle."]
