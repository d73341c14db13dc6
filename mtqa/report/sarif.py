"""SARIF 2.1.0, the format code-scanning UIs (GitHub, Azure DevOps, VS Code) read.

Columns are Unicode code points (declared with `columnKind`), matching the
offsets everywhere else in mtqa. Rule metadata comes from the rule registry so
the help a reviewer sees in the UI is the same text as `mtqa rules`.
"""

from __future__ import annotations

import json
from typing import Any

from mtqa import __version__
from mtqa.baseline import finding_key
from mtqa.findings import DocumentResult, Finding, Severity
from mtqa.fix import is_applied
from mtqa.report import ReportContext, register
from mtqa.report._location import Region, artifact_uri, file_span, is_plain, jsonl_record, region, unit_of
from mtqa.rules import Rule, iter_rules

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "mtqaContext/v1"


def level(severity: Severity) -> str:
    """Critical and major block publication; minor ones are worth a look."""
    return "error" if severity >= Severity.MAJOR else "warning"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    fix = rule.fix_help[0].upper() + rule.fix_help[1:] + "."
    languages = ", ".join(rule.languages) if rule.languages else "all languages"
    help_text = f"{rule.description}\n\n{rule.why}\n\nCategory (MQM): {rule.category}. Applies to: {languages}. {fix}"
    return {
        "id": rule.id,
        "name": rule.id.replace(".", "/"),
        "shortDescription": {"text": rule.description.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": rule.description},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "category": rule.category,
            "family": rule.family,
            "severity": rule.severity.label,
            "applicability": rule.fix,
            "needsModel": rule.needs_model,
            "tags": [rule.family, rule.category],
        },
    }


def _ad_hoc_descriptor(finding: Finding) -> dict[str, Any]:
    """Metadata for a finding whose rule is not registered (plugins, hand-made findings)."""
    return {
        "id": finding.rule,
        "shortDescription": {"text": finding.rule},
        "defaultConfiguration": {"level": level(finding.severity)},
        "properties": {"category": finding.category, "severity": finding.severity.label},
    }


def sarif_region(where: Region, char_range: tuple[int, int] | None, snippet: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "startLine": where.start_line,
        "startColumn": where.start_column,
        "endLine": where.end_line,
        "endColumn": where.end_column,
    }
    if char_range is not None:
        start, end = char_range
        data["charOffset"], data["charLength"] = start, end - start
    if snippet is not None:
        data["snippet"] = {"text": snippet}
    return data


MARKUP_SPECIAL = frozenset("<>&")


def _can_fix_by_offset(result: DocumentResult, chars: tuple[int, int] | None, suggestion: str) -> bool:
    """A replacement by file region is right only where the file holds the text verbatim.

    In markup formats a suggestion containing `<`, `>` or `&` would also need
    escaping, which only the format writer (`mtqa fix`) knows how to do.
    """
    if chars is None:
        return False
    return is_plain(result) or not MARKUP_SPECIAL.intersection(suggestion)


def sarif_result(
    result: DocumentResult, finding: Finding, artifact_index: int, rule_index: int, context: ReportContext
) -> dict[str, Any]:
    unit = unit_of(result, finding)
    where = region(finding, unit)
    chars = file_span(result, finding, unit)
    record = jsonl_record(result)
    artifact = {"uri": artifact_uri(record[0] if record else result.id), "index": artifact_index}
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": sarif_region(where, chars, finding.text),
        }
    }
    if record is not None:
        # A record of a JSONL export: its line of the file; the offsets are
        # the record text's, so no columns and no fix by file region.
        location["physicalLocation"]["region"] = {"startLine": record[1], "snippet": {"text": finding.text}}
        location["logicalLocations"] = [{"name": result.id, "kind": "object",
                                         "properties": {"characters": [finding.start, finding.end]}}]
    elif finding.unit is not None:
        location["logicalLocations"] = [
            {"name": finding.unit, "fullyQualifiedName": f"{result.id}#{finding.unit}", "kind": "element"}
        ]
    message = finding.message
    if finding.suggestions:
        message += f" Suggestion: \u201c{finding.suggestions[0]}\u201d."
    data: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: finding_key(result, finding).fingerprint()},
        "properties": {
            "category": finding.category,
            "severity": finding.severity.label,
            "confidence": round(finding.confidence, 4),
            "origin": finding.origin,
            "suggestions": list(finding.suggestions),
            "applicability": finding.applicability,
        },
    }
    if finding.unit is not None:
        data["properties"]["unit"] = finding.unit
    fixes = _fixes(result, finding, artifact, where, chars, context) if record is None else None
    if fixes:
        data["fixes"] = fixes
    return data


def _fixes(
    result: DocumentResult,
    finding: Finding,
    artifact: dict[str, Any],
    where: Region,
    chars: tuple[int, int] | None,
    context: ReportContext,
) -> list[dict[str, Any]]:
    """One SARIF fix per suggestion; the description says whether `mtqa fix` applies it."""
    fixes = []
    applied = is_applied(finding, context.min_confidence, context.unsafe_fixes)
    for rank, suggestion in enumerate(finding.suggestions):
        if not _can_fix_by_offset(result, chars, suggestion):
            continue
        if rank == 0 and applied:
            description = f"Replace \u201c{finding.text}\u201d with \u201c{suggestion}\u201d (applied by mtqa fix)."
        else:
            description = (
                f"Replace \u201c{finding.text}\u201d with \u201c{suggestion}\u201d "
                f"(suggestion only, confidence {finding.confidence:.2f})."
            )
        fixes.append(
            {
                "description": {"text": description},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": sarif_region(where, chars, None),
                                "insertedContent": {"text": suggestion},
                            }
                        ],
                    }
                ],
            }
        )
    return fixes


def sarif_log(results: list[DocumentResult], context: ReportContext) -> dict[str, Any]:
    rules: list[dict[str, Any]] = [rule_descriptor(rule) for rule in iter_rules()]
    rule_index = {descriptor["id"]: index for index, descriptor in enumerate(rules)}
    artifacts: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    artifact_indices: dict[str, int] = {}  # the records of one JSONL export share its artifact
    for result in results:
        record = jsonl_record(result)
        uri = artifact_uri(record[0] if record else result.id)
        if record is None or uri not in artifact_indices:
            artifact_indices[uri] = len(artifacts)
            artifact: dict[str, Any] = {"location": {"uri": uri}}
            if result.language and record is None:
                artifact["properties"] = {"language": result.language}
            artifacts.append(artifact)
        artifact_index = artifact_indices[uri]
        if result.error:
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
            if record is not None:
                physical["region"] = {"startLine": record[1]}
            notifications.append(
                {"level": "error", "message": {"text": f"{result.id}: {result.error}" if record else result.error},
                 "locations": [{"physicalLocation": physical}]}
            )
        for finding in result.findings:
            if finding.rule not in rule_index:
                rule_index[finding.rule] = len(rules)
                rules.append(_ad_hoc_descriptor(finding))
            sarif_results.append(sarif_result(result, finding, artifact_index, rule_index[finding.rule], context))
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mtqa",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": sarif_results,
            }
        ],
    }


@register("sarif")
def render_sarif(results: list[DocumentResult], context: ReportContext) -> str:
    return json.dumps(sarif_log(results, context), ensure_ascii=False, indent=2) + "\n"


__all__ = ["level", "render_sarif", "sarif_log"]
