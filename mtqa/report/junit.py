"""JUnit XML, for CI dashboards (Jenkins, GitLab, Azure) that only read test results.

One testcase per document (per unit when a document has several, so an XLIFF
file shows which segments fail), one <failure> per finding at or above
`--fail-on`. Findings below the bar are listed in the testcase's system-out
so nothing is hidden, but they do not fail the case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mtqa.findings import DocumentResult, Finding, Severity
from mtqa.report import ReportContext, register
from mtqa.report._location import region, unit_of

SUITE_NAME = "mtqa"

# Characters XML 1.0 cannot carry even escaped (control characters, lone
# surrogates, U+FFFE/FFFF). Encoding rules flag exactly such characters, so the
# report must show them without producing a file parsers reject.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _threshold(context: ReportContext) -> Severity:
    return context.fail_on if context.fail_on is not None else Severity.MINOR


def _describe(result: DocumentResult, finding: Finding) -> str:
    where = region(finding, unit_of(result, finding))
    lines = [
        f"{result.id}:{where.start_line}:{where.start_column}: {finding.severity.label} {finding.rule}",
        f"  {finding.message}",
        f"  text: {finding.text!r}",
    ]
    if finding.suggestions:
        lines.append("  suggestions: " + ", ".join(repr(s) for s in finding.suggestions))
    lines.append(f"  category: {finding.category}; confidence: {finding.confidence:.2f}; origin: {finding.origin}")
    return "\n".join(lines)


def _cases(result: DocumentResult) -> list[tuple[str, list[Finding]]]:
    """(name, findings) per testcase: the document, or each of its units."""
    if len(result.units) <= 1:
        return [(result.id, list(result.findings))]
    by_unit: dict[str | None, list[Finding]] = {unit.id: [] for unit in result.units}
    for finding in result.findings:
        by_unit.setdefault(finding.unit, []).append(finding)
    return [(f"{result.id}#{unit_id}", findings) for unit_id, findings in by_unit.items()]


def junit_tree(results: list[DocumentResult], context: ReportContext) -> ET.Element:
    threshold = _threshold(context)
    suites = ET.Element("testsuites", name=SUITE_NAME)
    suite = ET.SubElement(suites, "testsuite", name=SUITE_NAME)
    tests = failures = errors = 0
    for result in results:
        if result.error:
            case = ET.SubElement(suite, "testcase", name=xml_safe(result.id), classname=SUITE_NAME, time="0")
            error = ET.SubElement(case, "error", message=xml_safe(result.error), type="input")
            error.text = xml_safe(result.error)
            tests += 1
            errors += 1
            continue
        for name, findings in _cases(result):
            case = ET.SubElement(suite, "testcase", name=xml_safe(name), classname=SUITE_NAME, time="0")
            tests += 1
            failing = [f for f in findings if f.severity >= threshold]
            passing = [f for f in findings if f.severity < threshold]
            for finding in failing:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=xml_safe(f"{finding.rule}: {finding.message}"),
                    type=xml_safe(finding.rule),
                )
                failure.text = xml_safe(_describe(result, finding))
            if failing:
                failures += 1
            if passing:
                out = ET.SubElement(case, "system-out")
                out.text = xml_safe(
                    f"{len(passing)} finding(s) below --fail-on {threshold.label}:\n\n"
                    + "\n\n".join(_describe(result, f) for f in passing)
                )
    for element in (suites, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("skipped", "0")
        element.set("time", "0")
    return suites


@register("junit")
def render_junit(results: list[DocumentResult], context: ReportContext) -> str:
    tree = junit_tree(results, context)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
