"""GitHub workflow-command annotations and the unified diff of fixes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import mtqa
from mtqa.findings import DocumentResult, Finding, Severity, TextUnit
from mtqa.report import RENDERERS, ReportContext, load_renderers
from mtqa.report.github import annotation_level, escape_data, escape_property

load_renderers()

ENGLISH = "Residents of Ma & # 39; arrat fled , officials said.\n"


def github(results, fail_on=None) -> list[str]:
    return RENDERERS["github"](results, ReportContext(fail_on=fail_on)).splitlines()


def test_annotation_lines_point_at_the_finding():
    lines = github([mtqa.check(ENGLISH, "en", id="news/flood.txt")])
    assert lines == [
        (
            "::error file=news/flood.txt,line=1,col=16,endColumn=25,title=entities.garbled::"
            "Garbled HTML entity '& # 39;' for an apostrophe Suggestion: \u201c'\u201d"
        ),
        (
            "::warning file=news/flood.txt,line=1,col=35,endColumn=37,title=spacing.before-punctuation::"
            "Space before ',' Suggestion: \u201c,\u201d"
        ),
    ]


def test_escaping_follows_githubs_rules():
    assert escape_data("100% sure\r\nnext line") == "100%25 sure%0D%0Anext line"
    assert escape_property("news/a,b:c.txt") == "news/a%2Cb%3Ac.txt"
    assert escape_property("50%\n") == "50%25%0A"
    # A message may contain ':' and ',' unescaped; it is everything after '::'.
    assert escape_data("a: b, c") == "a: b, c"


def test_hostile_file_names_and_messages_cannot_inject_commands():
    unit = TextUnit(text="Die Stadt\nO & # 39; Brien")
    finding = Finding(
        "entities.garbled",
        "Fluency/Character encoding",
        Severity.MAJOR,
        11,
        20,
        " & # 39; ",
        "Garbled\n::error file=x::fake",
        ["'"],
        fix="safe",
        line=2,
        column=2,
    )
    result = DocumentResult("dir/a,b::c\n.txt", "de", None, [finding], [unit.text], units=[unit])
    (line,) = github([result])
    assert line.startswith("::error file=dir/a%2Cb%3A%3Ac%0A.txt,line=2,col=2,endColumn=11,")
    assert "Garbled%0A::error file=x::fake" in line


def test_levels_follow_fail_on():
    assert annotation_level(Severity.CRITICAL, None) == "error"
    assert annotation_level(Severity.MAJOR, None) == "error"
    assert annotation_level(Severity.MINOR, None) == "warning"
    assert annotation_level(Severity.MAJOR, Severity.CRITICAL) == "warning"
    assert annotation_level(Severity.MINOR, Severity.CRITICAL) == "notice"
    assert annotation_level(Severity.MINOR, Severity.MINOR) == "error"
    lines = github([mtqa.check(ENGLISH, "en", id="a.txt")], fail_on=Severity.CRITICAL)
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::notice"]


def test_multi_line_spans_drop_columns():
    unit = TextUnit(text="the the\nthe end")
    finding = Finding(
        "repetition.loop",
        "Fluency/Grammar",
        Severity.MAJOR,
        4,
        11,
        "the\nthe",
        "Repeated words",
        [""],
        line=1,
        column=5,
    )
    result = DocumentResult("loop.txt", "en", None, [finding], [unit.text], units=[unit])
    (line,) = github([result])
    assert line.startswith("::error file=loop.txt,line=1,endLine=2,title=repetition.loop::")


def test_unreadable_files_are_errors():
    broken = DocumentResult("old.txt", None, None, [], [], error="not UTF-8")
    assert github([broken]) == ["::error file=old.txt,title=mtqa::not UTF-8"]


# --- diff -------------------------------------------------------------------


def diff(results) -> str:
    return RENDERERS["diff"](results, ReportContext())


def test_unified_diff_of_the_corrections():
    text = "Flooding in the north\n\nResidents of Ma & # 39; arrat fled on Monday .\nThe mayor spoke.\n"
    output = diff([mtqa.check(text, "en", id="news/flood.txt")])
    assert output == (
        "--- a/news/flood.txt\n"
        "+++ b/news/flood.txt\n"
        "@@ -1,4 +1,4 @@\n"
        " Flooding in the north\n"
        " \n"
        "-Residents of Ma & # 39; arrat fled on Monday .\n"
        "+Residents of Ma'arrat fled on Monday.\n"
        " The mayor spoke.\n"
    )


def test_clean_documents_produce_no_diff():
    clean = mtqa.check("Der Fluss sank über Nacht, die Straßen sind wieder frei.\n", "de", id="de.txt")
    assert diff([clean]) == ""


def test_missing_final_newline_is_marked():
    output = diff([mtqa.check("Le maire d&#39;Alep a parlé.", "fr", id="alep.txt")])
    assert output.endswith(
        "-Le maire d&#39;Alep a parlé.\n\\ No newline at end of file\n+Le maire d'Alep a parlé.\n\\ No newline at end of file\n"
    )


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
def test_patch_applies_the_diff(tmp_path):
    texts = {
        "en.txt": "Line one is fine.\nResidents of Ma & # 39; arrat fled , officials said.\nLast line",
        "de.txt": "Der Minister sagte , es sei &quot;ein schwerer Tag&quot;.\n",
    }
    results = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        results.append(mtqa.check(text, name[:2], id=name))
    patch = diff(results)
    subprocess.run(["patch", "-p1", "--quiet"], input=patch, text=True, cwd=tmp_path, check=True)
    assert (tmp_path / "en.txt").read_text(
        "utf-8"
    ) == "Line one is fine.\nResidents of Ma'arrat fled, officials said.\nLast line"
    assert (tmp_path / "de.txt").read_text("utf-8") == 'Der Minister sagte, es sei "ein schwerer Tag".\n'


PAGE = """<html><head><title>Flut</title></head>
<body><nav><a href="/">Home</a></nav>
<p>Residents of Ma &amp; # 39; arrat fled <b>on Monday</b> , officials said.</p>
<p class="x">All quiet.</p>
</body></html>
"""


def test_markup_documents_diff_the_whole_file(tmp_path):
    from mtqa.formats import ReadOptions, format_for
    from mtqa.pipeline import Options, check_document

    page_format = format_for("page.html")
    if page_format.name != "html":
        pytest.skip("the HTML input format is not available")
    document = page_format.read(PAGE.encode("utf-8"), "page.html", ReadOptions(language="en"))
    output = diff([check_document(document, Options(language="en", use_model=False))])
    assert output == (
        "--- a/page.html\n"
        "+++ b/page.html\n"
        "@@ -1,5 +1,5 @@\n"
        " <html><head><title>Flut</title></head>\n"
        ' <body><nav><a href="/">Home</a></nav>\n'
        "-<p>Residents of Ma &amp; # 39; arrat fled <b>on Monday</b> , officials said.</p>\n"
        "+<p>Residents of Ma'arrat fled <b>on Monday</b>, officials said.</p>\n"
        ' <p class="x">All quiet.</p>\n'
        " </body></html>\n"
    )
    if shutil.which("patch"):
        (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
        subprocess.run(["patch", "-p1", "--quiet"], input=output, text=True, cwd=tmp_path, check=True)
        assert "<b>on Monday</b>, officials" in (tmp_path / "page.html").read_text("utf-8")
