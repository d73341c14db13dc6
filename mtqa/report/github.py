"""GitHub Actions workflow commands: findings become annotations on the PR diff.

Levels follow `--fail-on` so that what shows as an error is what fails the
job: findings at or above the bar (major when unset) are errors, one step
below are warnings, anything lower is a notice.
"""

from __future__ import annotations

from mtqa.findings import DocumentResult, Finding, Severity
from mtqa.report import ReportContext, register
from mtqa.report._location import jsonl_record, region, unit_of


def escape_data(text: str) -> str:
    """The message part: GitHub decodes %25, %0D and %0A there."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values additionally may not contain the `:` and `,` that delimit them."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_level(severity: Severity, fail_on: Severity | None) -> str:
    threshold = fail_on if fail_on is not None else Severity.MAJOR
    if severity >= threshold:
        return "error"
    if severity == threshold - 1:
        return "warning"
    return "notice"


def command(kind: str, properties: dict[str, object], message: str) -> str:
    rendered = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items())
    return f"::{kind} {rendered}::{escape_data(message)}" if rendered else f"::{kind}::{escape_data(message)}"


def annotation(result: DocumentResult, finding: Finding, context: ReportContext) -> str:
    record = jsonl_record(result)
    message = finding.message
    if finding.suggestions:
        message += f" Suggestion: \u201c{finding.suggestions[0]}\u201d"
    if record is not None:  # a JSONL record: its line of the export; offsets are the record text's
        properties: dict[str, object] = {"file": record[0], "line": record[1], "title": finding.rule}
        return command(annotation_level(finding.severity, context.fail_on), properties,
                       f"{result.id}: {message} ({finding.text!r} at character {finding.start})")
    where = region(finding, unit_of(result, finding))
    properties = {"file": result.id, "line": where.start_line}
    if where.end_line == where.start_line:
        # GitHub honours columns only on single-line annotations.
        properties["col"] = where.start_column
        properties["endColumn"] = where.end_column
    else:
        properties["endLine"] = where.end_line
    properties["title"] = finding.rule
    return command(annotation_level(finding.severity, context.fail_on), properties, message)


@register("github")
def render_github(results: list[DocumentResult], context: ReportContext) -> str:
    lines = []
    for result in results:
        if result.error:
            record = jsonl_record(result)
            where = {"file": record[0], "line": record[1]} if record else {"file": result.id}
            lines.append(command("error", {**where, "title": "mtqa"}, result.error))
        for finding in result.findings:
            lines.append(annotation(result, finding, context))
    return "".join(line + "\n" for line in lines)
