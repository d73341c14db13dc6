"""`mtqa check ARTICLE --source ORIGINAL`: a plain text, Markdown or HTML
article checked against its original (articles written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_mtqa

ORIGINAL = """Die Stadt Mainz hat am Montag ein neues Verkehrskonzept vorgestellt. Bürgermeister Klaus Weber sagte, \
der Autoverkehr in der Altstadt solle bis 2030 halbiert werden.

Dafür sollen 40 Kilometer neue Radwege entstehen.

Die Polizei sperrte am Abend die Rheinbrücke, nachdem ein Lastwagen mit 20 Tonnen Kies liegen geblieben war. \
Verletzt wurde bei dem Unfall niemand.

Der Stadtrat stimmt am 12. Mai ab.
"""
TRANSLATION = """On Monday the city of Mainz presented a new traffic plan. Mayor Klaus Weber said car traffic in \
the old town should be halved by 2031.

To that end, 40 kilometres of new cycle paths are to be built.

The city council votes on 12 May.
"""


def findings(completed) -> list[dict]:
    report = json.loads(completed.stdout)
    return [finding for document in report["documents"] for finding in document["findings"]]


def test_a_plain_text_article_is_checked_against_its_original(tmp_path: Path):
    (tmp_path / "de.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "en.txt").write_text(TRANSLATION, encoding="utf-8")
    done = run_mtqa("check", str(tmp_path / "en.txt"), "--source", str(tmp_path / "de.txt"), "--lang", "en",
                    "--no-model", "--select", "bilingual", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    found = findings(done)
    assert [(f["rule"], f["text"], f.get("source_text")) for f in found if f["rule"] == "bilingual.number"] == [
        ("bilingual.number", "2031", "2030")]
    omitted = [f.get("source_text", "")[:19] for f in found if f["rule"] == "bilingual.omission"]
    assert omitted == ["Die Polizei sperrte", "Verletzt wurde bei "]
    assert {f["rule"] for f in found} == {"bilingual.number", "bilingual.omission"}
    assert (tmp_path / "en.txt").read_text(encoding="utf-8") == TRANSLATION  # inputs are never touched


def test_markdown_blocks_pair_with_the_originals_blocks(tmp_path: Path):
    (tmp_path / "de.md").write_text("# Neuer Plan für Mainz\n\n" + ORIGINAL, encoding="utf-8")
    (tmp_path / "en.md").write_text("# New plan for Mainz\n\n" + TRANSLATION.replace("2031", "2030"),
                                    encoding="utf-8")
    done = run_mtqa("check", str(tmp_path / "en.md"), "--source", str(tmp_path / "de.md"), "--lang", "en",
                    "--source-lang", "de", "--no-model", "--select", "bilingual", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    found = findings(done)
    assert [f["rule"] for f in found] == ["bilingual.omission", "bilingual.omission"]
    assert found[0]["source_text"].startswith("Die Polizei sperrte")


def test_a_faithful_translation_is_clean(tmp_path: Path):
    (tmp_path / "de.txt").write_text("Der Stadtrat stimmt am 12. Mai ab. Die Sitzung ist öffentlich.\n",
                                     encoding="utf-8")
    (tmp_path / "en.txt").write_text("The city council votes on 12 May. The session is public.\n", encoding="utf-8")
    done = run_mtqa("check", str(tmp_path / "en.txt"), "--source", str(tmp_path / "de.txt"), "--lang", "en",
                    "--no-model", "--select", "bilingual", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    assert findings(done) == []


def test_bad_source_arguments_are_clear_errors(tmp_path: Path):
    (tmp_path / "en.txt").write_text(TRANSLATION, encoding="utf-8")
    (tmp_path / "other.txt").write_text(TRANSLATION, encoding="utf-8")
    (tmp_path / "de.jsonl").write_text('{"text": "Hallo"}\n', encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    cases = {
        ("--source", str(tmp_path / "missing.txt")): "no such file",
        ("--source", str(tmp_path / "de.jsonl")): "carry their own source",
        ("--source", str(tmp_path / "binary.txt")): "binary",
        ("--source-lang", "de"): "--source-lang goes with --source",
        ("--source", str(tmp_path / "en.txt"), "--source-lang", "xx"): "unknown language",
    }
    for extra, message in cases.items():
        done = run_mtqa("check", str(tmp_path / "en.txt"), "--no-model", *extra)
        assert done.returncode == 2, extra
        assert message in done.stderr.decode(), (extra, done.stderr.decode())
        assert b"Traceback" not in done.stderr
    done = run_mtqa("check", str(tmp_path / "en.txt"), str(tmp_path / "other.txt"), "--no-model",
                    "--source", str(tmp_path / "en.txt"))
    assert done.returncode == 2 and b"original of one ARTICLE" in done.stderr


def test_an_export_that_carries_its_own_sources_takes_no_source_file(tmp_path: Path):
    (tmp_path / "export.jsonl").write_text('{"text": "Hello", "source": "Hallo"}\n', encoding="utf-8")
    (tmp_path / "de.txt").write_text("Hallo\n", encoding="utf-8")
    done = run_mtqa("check", str(tmp_path / "export.jsonl"), "--no-model", "--source", str(tmp_path / "de.txt"))
    assert done.returncode == 2 and b"carry their own source" in done.stderr


def test_the_terminal_and_html_reports_show_the_source_beside_the_target(tmp_path: Path):
    (tmp_path / "de.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "en.txt").write_text(TRANSLATION, encoding="utf-8")
    common = ("check", str(tmp_path / "en.txt"), "--source", str(tmp_path / "de.txt"), "--lang", "en", "--no-model",
              "--select", "bilingual")
    terminal = run_mtqa(*common).stdout.decode()
    assert "source: 2030" in terminal
    assert "source: Die Polizei sperrte am Abend die Rheinbrücke" in terminal
    run_mtqa(*common, "--format", "html", "-o", str(tmp_path / "report.html"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<p class="source">Source: <q lang="de">Die Polizei sperrte am Abend' in page
