"""A self-contained HTML report for editors: the article with its findings marked.

Everything that comes from the checked article (text, document and unit ids,
messages, suggestions) is hostile until escaped: a translated page can carry
`<script>` as text, and the report must show it, not run it. Text goes through
`html.escape`, the data the page script needs travels as JSON inside a
non-executing `<script type="application/json">` with `<`, `>` and `&`
escaped, and a Content-Security-Policy admits only the report's own script
(by hash) as a second line of defence.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable

from mtqa import __version__
from mtqa.findings import DocumentResult, Finding, Severity, TextUnit
from mtqa.fix import select_edits
from mtqa.report import ReportContext, register, summary
from mtqa.report._location import region, unit_of
from mtqa.report.html_assets import CSS, JS

_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_SEVERITIES = sorted(Severity, reverse=True)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def visible(text: str) -> str:
    """Escape text for an element body, showing invisible characters as U+XXXX tags.

    Zero-width and control characters are what several rules flag; an editor
    must see where they are. Lone surrogates would also make the file
    unencodable, so they are shown the same way.
    """
    out: list[str] = []
    plain: list[str] = []
    for char in text:
        if char not in "\n\t" and unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            if plain:
                out.append(html.escape("".join(plain), quote=False))
                plain = []
            out.append(f'<span class="invisible" title="invisible character">U+{ord(char):04X}</span>')
        else:
            plain.append(char)
    if plain:
        out.append(html.escape("".join(plain), quote=False))
    return "".join(out)


def attribute_text(text: str) -> str:
    """For attribute values: escaped, with invisible characters spelled out."""
    return esc(
        "".join(
            f"U+{ord(c):04X}" if c not in "\n\t" and unicodedata.category(c) in _INVISIBLE_CATEGORIES else c
            for c in text
        )
    )


def script_json(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    return (
        json.dumps(data, ensure_ascii=True, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _tooltip(findings: Iterable[Finding]) -> str:
    lines = []
    for finding in findings:
        line = f"{finding.severity.label} \u00b7 {finding.rule}: {finding.message}"
        if finding.suggestions:
            line += f" \u2192 \u201c{finding.suggestions[0]}\u201d"
        lines.append(line)
    return attribute_text("\n".join(lines))


def highlight(text: str, findings: list[tuple[int, Finding]]) -> str:
    """The unit's text with each finding's span wrapped in a severity-coloured <mark>.

    Findings may overlap; the text is cut at every span boundary and each
    piece is marked with the worst severity covering it. Insertion points
    (empty spans) get a caret.
    """
    length = len(text)
    spans = [(key, f, max(0, min(f.start, length)), max(0, min(f.end, length))) for key, f in findings]
    cuts = sorted({0, length, *(s for _, _, s, _ in spans), *(e for _, _, _, e in spans)})
    out: list[str] = []
    for index, position in enumerate(cuts):
        for key, finding, start, end in spans:
            if start == end == position:
                out.append(
                    f'<span class="caret sev-{finding.severity.label}" data-f="{key}" '
                    f'title="{_tooltip([finding])}">\u2038</span>'
                )
        if index + 1 == len(cuts):
            break
        following = cuts[index + 1]
        piece = text[position:following]
        covering = [(key, f) for key, f, start, end in spans if start <= position and following <= end and start < end]
        if not covering:
            out.append(visible(piece))
            continue
        worst = max(f.severity for _, f in covering)
        keys = " ".join(str(key) for key, _ in covering)
        out.append(
            f'<mark class="sev-{worst.label}" data-f="{keys}" '
            f'title="{_tooltip(f for _, f in covering)}">{visible(piece)}</mark>'
        )
    return "".join(out)


def inline_diff(original: str, fixed: str) -> str:
    """Word-level diff: prose changes are a few characters inside long lines."""
    before = _TOKENS.findall(original)
    after = _TOKENS.findall(fixed)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(visible("".join(before[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{visible(''.join(before[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{visible(''.join(after[b1:b2]))}</ins>")
    return "".join(out)


def _suggestion_label(suggestion: str) -> str:
    if suggestion == "":
        return "<em>delete</em>"
    return f"<code>{visible(suggestion)}</code>"


def _finding_card(doc_index: int, key: int, result: DocumentResult, finding: Finding, accepted: bool) -> str:
    unit = unit_of(result, finding)
    where = region(finding, unit)
    severity = finding.severity.label
    parts = [
        f'<li class="finding sev-{severity}" data-f="{key}" id="f-{doc_index}-{key}">',
        f'<div><span class="badge sev-{severity}">{severity}</span> <code class="rule">{esc(finding.rule)}</code> ',
        f'<span class="where">line {where.start_line}, column {where.start_column}',
    ]
    if finding.unit is not None and len(result.units) > 1:
        parts.append(f" \u00b7 unit {visible(finding.unit)}")
    parts.append("</span></div>")
    parts.append(f'<p class="message">{visible(finding.message)}</p>')
    if finding.source_text:
        parts.append(f'<p class="source">Source: <q lang="{esc(unit.source_lang or "")}">'
                     f"{visible(finding.source_text)}</q></p>")
    flagged = "<em>insertion point</em>" if finding.start == finding.end else f"<code>{visible(finding.text)}</code>"
    applies = " \u00b7 mtqa fix applies it" if accepted else ""
    parts.append(
        f'<p class="fmeta">Flagged {flagged} \u00b7 {visible(finding.category)} \u00b7 '
        f"confidence {finding.confidence:.2f} \u00b7 {visible(finding.origin)} \u00b7 "
        f"{visible(finding.applicability)}{applies}</p>"
    )
    if finding.suggestions:
        name = f"c-{doc_index}-{key}"
        parts.append('<fieldset class="choices"><legend>Fix with</legend>')
        for rank, suggestion in enumerate(finding.suggestions):
            checked = " checked" if accepted and rank == 0 else ""
            parts.append(
                f'<label><input type="radio" name="{name}" value="{rank}"{checked}> '
                f"{_suggestion_label(suggestion)}</label>"
            )
        keep = "" if accepted else " checked"
        parts.append(f'<label><input type="radio" name="{name}" value="keep"{keep}> keep original</label></fieldset>')
    parts.append("</li>")
    return "".join(parts)


def _unit_findings(
    result: DocumentResult, unit: TextUnit, keyed: list[tuple[int, Finding]]
) -> list[tuple[int, Finding]]:
    return [(key, f) for key, f in keyed if unit_of(result, f) is unit]


def _document(doc_index: int, result: DocumentResult, context: ReportContext) -> tuple[str, dict]:
    keyed = list(enumerate(result.findings))
    units = result.units or [TextUnit(text=result.original_text)]
    accepted: set[int] = set()
    data_units = []
    article: list[str] = []
    multi = len(units) > 1
    for unit in units:
        mine = _unit_findings(result, unit, keyed) if result.units else keyed
        ordered = sorted(mine, key=lambda pair: pair[1].start)
        chosen = {id(f) for f in select_edits([f for _, f in ordered], context.min_confidence, context.unsafe_fixes)}
        accepted.update(key for key, f in ordered if id(f) in chosen)
        label = f'<span class="unit-id">{visible(unit.id)}</span>' if multi and unit.id is not None else ""
        lang = f' lang="{esc(result.language)}"' if result.language else ""
        article.append(
            f'<div class="unit">{label}<div class="text" dir="auto"{lang}>{highlight(unit.text, mine)}</div></div>'
        )
        data_units.append(
            {
                "text": unit.text,
                "findings": [
                    {"k": key, "start": f.start, "end": f.end, "suggestions": list(f.suggestions)}
                    for key, f in ordered
                    if f.suggestions
                ],
            }
        )
    counts = {s.label: sum(1 for f in result.findings if f.severity is s) for s in _SEVERITIES}
    meta = [f"language {esc(result.language or 'unknown')}"]
    meta.append(
        f"{len(result.findings)} finding(s)"
        + (": " + ", ".join(f"{n} {label}" for label, n in counts.items() if n) if result.findings else "")
    )
    meta.extend(f"{esc(name)} {value:.3f}" for name, value in sorted(result.scores.items()))
    parts = [f'<section class="doc" data-doc="{doc_index}" id="doc-{doc_index}">']
    parts.append(f"<h2>{visible(result.id)}</h2>")
    parts.append('<p class="docmeta">' + " \u00b7 ".join(meta) + "</p>")
    if result.error:
        parts.append(f'<p class="error">Not checked: {visible(result.error)}</p></section>')
        return "".join(parts), {"units": [], "download": "fixed.txt"}
    parts.append('<div class="layout"><div class="article">')
    parts.extend(article)
    parts.append('</div><aside class="panel">')
    if result.findings:
        parts.append('<h3>Findings</h3><ol class="findings">')
        parts.extend(_finding_card(doc_index, key, result, f, key in accepted) for key, f in keyed)
        parts.append("</ol>")
    else:
        parts.append('<p class="clean">No findings.</p>')
    parts.append("</aside></div>")
    parts.append(_changes(doc_index, result, units))
    parts.append("</section>")
    download = re.sub(r"[^\w.-]+", "_", result.id.replace("\\", "/").rsplit("/", 1)[-1]).strip("._") or "article"
    return "".join(parts), {"units": data_units, "download": f"{download}.fixed.txt"}


def _changes(doc_index: int, result: DocumentResult, units: list[TextUnit]) -> str:
    parts = ['<div class="changes"><h3>Corrections mtqa fix would make</h3>']
    changed = False
    for unit, fixed in zip(units, result.fixed_units):
        if fixed == unit.text:
            continue
        changed = True
        label = f'<span class="unit-id">{visible(unit.id)}</span>' if len(units) > 1 and unit.id is not None else ""
        parts.append(
            f'<div class="unit">{label}<div class="diff" dir="auto">{inline_diff(unit.text, fixed)}</div></div>'
        )
    if not changed:
        parts.append("<p>None: no finding has an automatic fix.</p>")
    if any(f.suggestions for f in result.findings):
        parts.append(
            f'<div class="apply"><button type="button" class="apply-button" data-doc="{doc_index}">'
            'Apply my choices</button> <a class="download" hidden>Download corrected text</a> '
            '<span class="note"></span><textarea readonly hidden aria-label="corrected text"></textarea></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def _legend() -> str:
    items = [f'<li><span class="swatch sev-{s.label}"></span>{s.label}</li>' for s in _SEVERITIES]
    items.append('<li><span class="caret sev-major">\u2038</span>missing text or space (insertion point)</li>')
    items.append('<li><span class="invisible">U+200B</span>invisible character</li>')
    return '<ul class="legend">' + "".join(items) + "</ul>"


def csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


@register("html")
def render_html(results: list[DocumentResult], context: ReportContext) -> str:
    sections: list[str] = []
    documents: list[dict] = []
    for index, result in enumerate(results):
        section, data = _document(index, result, context)
        sections.append(section)
        documents.append(data)
    totals = summary(results)
    by_severity = ", ".join(
        f"{totals['by_severity'][s.label]} {s.label}" for s in _SEVERITIES if s.label in totals["by_severity"]
    )
    heading = f"{totals['documents']} document(s), {totals['findings']} finding(s)"
    if by_severity:
        heading += f" ({by_severity})"
    title = "mtqa report" if len(results) != 1 else f"mtqa report: {results[0].id}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp(JS)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="mtqa {esc(__version__)}">'
        f"<title>{attribute_text(title)}</title><style>{CSS}</style></head>\n"
        f'<body><header><h1>mtqa report</h1><p class="summary">{heading}</p>{_legend()}</header>\n'
        f"<main>{''.join(sections)}</main>\n"
        f'<script type="application/json" id="mtqa-data">{script_json({"documents": documents})}</script>\n'
        f"<script>{JS}</script>\n"
        "</body></html>\n"
    )
