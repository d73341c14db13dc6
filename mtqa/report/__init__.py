"""Output renderers. Each turns check results into one output format.

Renderers are pure functions of the results so that the CLI, the HTTP API and
tests produce byte-identical output for the same findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mtqa.findings import DocumentResult, Severity


@dataclass(frozen=True)
class ReportContext:
    fail_on: Severity | None = None
    min_confidence: float = 0.9
    unsafe_fixes: bool = False


Renderer = Callable[[list[DocumentResult], ReportContext], str]
RENDERERS: dict[str, Renderer] = {}


def register(name: str) -> Callable[[Renderer], Renderer]:
    def decorate(function: Renderer) -> Renderer:
        RENDERERS[name] = function
        return function

    return decorate


def load_renderers() -> None:
    """Import renderer modules (registration happens at import)."""
    from mtqa.report import diff, github, html_report, json_report, junit, sarif  # noqa: F401


def summary(results: list[DocumentResult]) -> dict:
    by_severity: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    for result in results:
        for finding in result.findings:
            by_severity[finding.severity.label] = by_severity.get(finding.severity.label, 0) + 1
            by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    figures = {
        "documents": len(results),
        "findings": sum(len(r.findings) for r in results),
        "by_severity": by_severity,
        "by_rule": dict(sorted(by_rule.items())),
        "errors": sum(1 for r in results if r.error),
    }
    if any(unit.reference is not None for r in results for unit in r.units):
        from mtqa.reference_metrics import corpus_scores

        reference = corpus_scores(results)
        if reference is not None:
            figures["reference"] = reference  # BLEU, chrF, TER of the MT and of `fix`'s output, with signatures
    return figures
