"""JUnit XML: what a CI dashboard reads must parse and count the way an editor expects."""

from __future__ import annotations

from junitparser import Error, Failure, JUnitXml

import mtqa
from mtqa.findings import DocumentResult, Finding, Severity, TextUnit
from mtqa.report import RENDERERS, ReportContext, load_renderers

load_renderers()

# Two major findings (garbled and literal entity) and one minor (space before a comma).
ENGLISH = "Residents of Ma & # 39; arrat fled , officials said.\nThe mayor said it&#39;s safe now.\n"
CLEAN = "The river fell overnight and the roads reopened on Thursday morning.\n"


def parse(results, fail_on=None):
    xml = RENDERERS["junit"](results, ReportContext(fail_on=fail_on))
    # As a CI server reads it: the UTF-8 bytes of the file.
    return JUnitXml.fromstring(xml.encode("utf-8")), xml


def cases(xml_root):
    return [case for suite in xml_root for case in suite]


def test_one_testcase_per_document_and_a_failure_per_finding():
    results = [mtqa.check(ENGLISH, "en", id="news/flood.txt"), mtqa.check(CLEAN, "en", id="news/clean.txt")]
    root, _ = parse(results)
    suites = list(root)
    assert len(suites) == 1
    suite = suites[0]
    assert suite.tests == 2
    assert suite.failures == 1
    flood, clean = cases(root)
    assert flood.name == "news/flood.txt"
    failures = [r for r in flood.result if isinstance(r, Failure)]
    # fail_on unset: every finding fails, minor ones included.
    assert sorted(f.type for f in failures) == [
        "entities.garbled",
        "entities.literal",
        "spacing.before-punctuation",
    ]
    assert clean.is_passed


def test_fail_on_major_keeps_minor_findings_out_of_failures():
    root, _ = parse([mtqa.check(ENGLISH, "en", id="news/flood.txt")], fail_on=Severity.MAJOR)
    (case,) = cases(root)
    assert sorted(f.type for f in case.result) == ["entities.garbled", "entities.literal"]
    # The minor finding is still visible to whoever opens the case.
    assert "spacing.before-punctuation" in case.system_out
    garbled = next(f for f in case.result if f.type == "entities.garbled")
    assert "Garbled HTML entity" in garbled.message
    assert "news/flood.txt:1:16" in garbled.text


def test_fail_on_critical_passes_a_document_with_only_major_findings():
    root, _ = parse([mtqa.check(ENGLISH, "en", id="news/flood.txt")], fail_on=Severity.CRITICAL)
    (case,) = cases(root)
    assert case.is_passed
    assert next(iter(root)).failures == 0


def test_multi_unit_documents_get_a_testcase_per_unit():
    units = [TextUnit(text="Die Stadt O & # 39; Brien", id="u1"), TextUnit(text="Alles ruhig.", id="u2")]
    finding = Finding(
        rule="entities.garbled",
        category="Fluency/Character encoding",
        severity=Severity.MAJOR,
        start=11,
        end=20,
        text=" & # 39; ",
        message="Garbled HTML entity",
        suggestions=["'"],
        fix="safe",
        unit="u1",
    )
    result = DocumentResult(
        id="story.xlf", language="de", source_language="en", findings=[finding], fixed_units=[], units=units
    )
    root, _ = parse([result])
    u1, u2 = cases(root)
    assert (u1.name, u2.name) == ("story.xlf#u1", "story.xlf#u2")
    assert not u1.is_passed and u2.is_passed
    assert next(iter(root)).tests == 2


def test_unreadable_documents_are_errors_not_failures():
    broken = DocumentResult(
        id="old.txt", language=None, source_language=None, findings=[], fixed_units=[], error="not UTF-8 (cp1252?)"
    )
    root, _ = parse([broken])
    (case,) = cases(root)
    assert isinstance(case.result[0], Error)
    assert next(iter(root)).errors == 1


def test_control_characters_and_markup_in_findings_stay_well_formed():
    """Encoding rules flag characters XML 1.0 cannot hold; the report must still parse."""
    text = 'Il a dit \x1b[31m"<b>non</b>" & parti.\x00'
    unit = TextUnit(text=text)
    finding = Finding(
        rule="encoding.control-char",
        category="Fluency/Character encoding",
        severity=Severity.MAJOR,
        start=9,
        end=14,
        text="\x1b[31m",
        message='Terminal escape "\x1b[31m" <in text> & more',
        suggestions=[""],
        fix="safe",
    )
    result = DocumentResult(
        id='a&b "<x>".txt', language="fr", source_language=None, findings=[finding], fixed_units=[text], units=[unit]
    )
    root, xml = parse([result])
    (case,) = cases(root)
    assert case.name == 'a&b "<x>".txt'
    (failure,) = case.result
    assert failure.message == 'encoding.control-char: Terminal escape "\\u001b[31m" <in text> & more'
    assert "\x1b" not in xml and "\x00" not in xml
