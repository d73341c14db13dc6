"""The readable report an editor sees in a terminal (rich).

Each finding shows where it is (path:line:column, like a compiler, so editors
and terminals can jump there), the offending text in its context, why it is
wrong, and what to write instead.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from mtqa.findings import DocumentResult, Finding, Severity
from mtqa.fix import is_applied
from mtqa.report import ReportContext, summary

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.MAJOR: "bold red",
    Severity.MINOR: "yellow",
}
CONTEXT_CHARS = 40


def _visible(text: str) -> str:
    """Make invisible characters visible in the one-line context."""
    return "".join(
        "⏎" if ch == "\n" else ("·" if ch in "\u00a0\u202f" else (f"<U+{ord(ch):04X}>" if not ch.isprintable() else ch))
        for ch in text
    )


def _context_line(unit_text: str, finding: Finding) -> Text:
    left = max(0, finding.start - CONTEXT_CHARS)
    right = min(len(unit_text), finding.end + CONTEXT_CHARS)
    line = Text("    ")
    line.append("…" if left > 0 else "")
    line.append(_visible(unit_text[left : finding.start]), style="dim")
    line.append(_visible(unit_text[finding.start : finding.end]) or "‸", style="reverse " + SEVERITY_STYLE[finding.severity])
    line.append(_visible(unit_text[finding.end : right]), style="dim")
    line.append("…" if right < len(unit_text) else "")
    return line


def print_document(console: Console, result: DocumentResult, context: ReportContext) -> None:
    if result.error:
        console.print(Text(f"{result.id}: error: {result.error}", style="bold red"))
        return
    units = {unit.id: unit.text for unit in result.units}
    for finding in result.findings:
        head = Text()
        head.append(f"{result.id}:{finding.line}:{finding.column}", style="bold")
        head.append("  ")
        head.append(f"{finding.severity.label:8}", style=SEVERITY_STYLE[finding.severity])
        head.append(f"{finding.rule}", style="cyan")
        if finding.unit is not None:
            head.append(f" [unit {finding.unit}]", style="dim")
        console.print(head)
        console.print(Text(f"    {finding.message}"), soft_wrap=True)
        unit_text = units.get(finding.unit, result.original_text)
        console.print(_context_line(unit_text, finding), soft_wrap=True)
        if finding.source_text:
            console.print(Text(f"    source: {_visible(finding.source_text)}", style="dim"), soft_wrap=True)
        if finding.suggestions:
            shown = f"{_visible(finding.text)!r} → " + " | ".join(repr(_visible(s)) for s in finding.suggestions[:3])
            label = "fix" if is_applied(finding, context.min_confidence, context.unsafe_fixes) else "suggest"
            extra = "" if finding.origin == "rule" else f" (confidence {finding.confidence:.2f}, {finding.applicability})"
            console.print(Text(f"    {label}: {shown}{extra}", style="green"), soft_wrap=True)
    if result.scores:
        scores = ", ".join(f"{k}={v:.3f}" for k, v in sorted(result.scores.items()))
        console.print(Text(f"{result.id}: scores: {scores}", style="dim"))


def print_summary(console: Console, results: list[DocumentResult], context: ReportContext) -> None:
    info = summary(results)
    parts = [f"{info['findings']} finding{'s' if info['findings'] != 1 else ''}"]
    parts += [f"{n} {level}" for level, n in sorted(info["by_severity"].items())]
    documents = f"in {info['documents']} document{'s' if info['documents'] != 1 else ''}"
    fixable = sum(1 for r in results for f in r.findings
                  if is_applied(f, context.min_confidence, context.unsafe_fixes))
    line = Text(f"{parts[0]} ({', '.join(parts[1:])}) {documents}" if parts[1:] else f"{parts[0]} {documents}")
    if fixable:
        line.append(f"; {fixable} fixable with `mtqa fix`", style="green")
    if info["errors"]:
        line.append(f"; {info['errors']} input error{'s' if info['errors'] != 1 else ''}", style="bold red")
    console.print(line, style="bold" if info["findings"] else "bold green")
