"""Run the registered checks over a document and build its result.

This is the one place that decides which rules run (selection, language,
model on/off), orders findings, drops duplicates that two families report for
the same damage, maps offsets to line:column and computes the fixed text.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from mtqa import langid
from mtqa.findings import Document, DocumentResult, Finding, Severity, TextUnit
from mtqa.fix import fix_text
from mtqa.gc_pause import collection_paused
from mtqa.languages import rule_language
from mtqa.rules import CHECKS, DISPLAY_ONLY, DOCUMENT_SCORERS, RULES, Check, CheckContext, load_checks, matches
from mtqa.spans import SpanReach


@dataclass
class Options:
    """Everything a user can set that changes what a check run does."""

    language: str | None = None
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)  # opt-in rules to add without restricting
    ignore: list[str] = field(default_factory=list)
    use_model: bool = True
    model: str | None = None
    min_confidence: float = 0.9
    unsafe_fixes: bool = False  # apply the suggestions of mechanical rules declared unsafe (--unsafe-fixes)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    ignore_terms: list[str] = field(default_factory=list)
    rule_options: dict[str, dict] = field(default_factory=dict)

    def rule_enabled(self, rule_id: str) -> bool:
        definition = RULES[rule_id]
        if definition.opt_in:
            if rule_id not in self.select and rule_id not in self.extend_select:
                return False
        elif self.select and not matches(rule_id, self.select) and not matches(rule_id, self.extend_select):
            return False
        if self.ignore and matches(rule_id, self.ignore):
            return False
        if definition.needs_model and not self.use_model:
            return False
        return True


# Letters below which a detected language is not trusted: on a few words
# the detectors guess (`had had the` is Somali, `â€œ the â€œ` Vietnamese), and
# the guess changes once `fix` has edited them, so a second run would apply
# another language's rules (not idempotent). Without a language, the
# language-specific rules stay off and the universal ones run.
MIN_DETECTION_LETTERS = 40


# Entities are decoded (also double-escaped ones, `&amp;quot;`) and garbled
# ones (`& # 39;`) blanked before the language is guessed: their letters are
# no language, and `fix` removes them (a guess from them would not survive
# the fix, and a second run would apply another language's rules).
_ENTITY_LIKE = re.compile(r"&\s?#?\s?\w{1,10}\s?;")


def detect_language(text: str) -> str | None:
    """The document's language when the detectors are sure of it; else None."""
    sample = _ENTITY_LIKE.sub(" ", html.unescape(html.unescape(text[:20000])))
    if sum(ch.isalpha() for ch in sample) < MIN_DETECTION_LETTERS:
        return None
    guess = langid.detect(sample)
    return guess.language if guess.language != "und" and guess.reliable else None


def check_document(document: Document, options: Options | None = None) -> DocumentResult:
    """Check every unit of a document; never raises for bad text."""
    with collection_paused():
        return _check_document(document, options or Options())


def _check_document(document: Document, options: Options) -> DocumentResult:
    if document.error is not None:
        return DocumentResult.failed(document, document.error)
    load_checks()
    language = options.language or document.language or detect_language(_as_mechanically_fixed(document, options))
    findings: list[Finding] = []
    fixed_units: list[str] = []
    units: list[TextUnit] = []
    for index, unit in enumerate(document.units):
        if unit.id is None and len(document.units) > 1:
            unit = replace(unit, id=str(index + 1))
        units.append(unit)
        fixed, unit_findings = fix_unit(unit, check_unit(unit, language, options, locate=False), language, options)
        _locate(unit_findings, unit)  # once, after fix has explained its later passes too
        fixed_units.append(fixed)
        findings.extend(unit_findings)
    scores: dict[str, float] = {}
    if options.use_model:
        for scorer in DOCUMENT_SCORERS:
            scores.update(scorer(document, options))
    result = DocumentResult(
        id=document.id,
        language=language,
        source_language=document.source_language,
        findings=findings,
        fixed_units=fixed_units,
        scores=scores,
        units=units,
        document=document,
    )
    if any(unit.reference is not None for unit in units):
        from mtqa.reference_metrics import document_scores  # sacrebleu, only when a reference is given

        result.scores.update(document_scores(result))
    return result


DETECTION_SAMPLE_CHARS = 20000


def _as_mechanically_fixed(document: Document, options: Options) -> str:
    """The start of the document as the language-independent rules fix it:
    what its language is guessed from. Guessed from the damaged text, the
    language can change once `fix` has repaired it (`prÃ©sident`, `&quot;`),
    and a second run would then apply another language's rules."""
    mechanical = replace(options, use_model=False, language=None)
    pieces, size = [], 0
    for unit in document.units:
        sample = replace(unit, text=unit.text[: DETECTION_SAMPLE_CHARS - size])
        pieces.append(fix_unit(sample, check_unit(sample, None, mechanical, locate=False), None, mechanical)[0])
        size += len(sample.text)
        if size >= DETECTION_SAMPLE_CHARS:
            break
    return "\n".join(pieces)


def fix_unit(
    unit: TextUnit, findings: list[Finding], language: str | None, options: Options
) -> tuple[str, list[Finding]]:
    """The unit fixed (fix.fix_text), its later passes re-checked with the
    mechanical rules that can change text: the model's suggestions were
    weighed in the first pass, and flag-only rules (language) change nothing."""
    mechanical = replace(options, use_model=False) if options.use_model else options
    return fix_text(
        unit.text, findings, options.min_confidence,
        recheck=lambda text: check_unit(replace(unit, text=text), language, mechanical, locate=False,
                                        fixing_only=True),
        unsafe_fixes=options.unsafe_fixes,
    )


def check_unit(
    unit: TextUnit, language: str | None, options: Options, *, locate: bool = True, fixing_only: bool = False
) -> list[Finding]:
    """The findings of every enabled rule on one unit. `fixing_only`: only
    rules that can change the text (fix's later passes: a flag-only rule
    cannot)."""
    language = rule_language(language)
    plan, enabled = _plan(options, language, fixing_only)
    context = CheckContext(
        language=language, document_language=language, rule_options=options.rule_options, model=options.model,
        enabled=enabled,
    )
    collected: list[tuple[int, Finding]] = []
    for check, wanted in plan:
        for finding in check.function(unit, context):
            if finding.rule not in wanted:
                continue
            if options.ignore_terms and _is_ignored_term(finding, options.ignore_terms):
                continue
            if unit.ignore and matches(finding.rule, unit.ignore):
                continue  # an inline suppression marker in the file
            override = options.severity_overrides.get(finding.rule)
            if override is not None:
                finding.severity = override
            collected.append((check.priority, finding))
    findings = _drop_model_echoes(_drop_shadowed(collected))
    if locate:
        _locate(findings, unit)
    return findings


_PLANS: dict[tuple, tuple] = {}


def _plan(options: Options, language: str | None,
          fixing_only: bool) -> tuple[tuple[tuple[Check, frozenset[str]], ...], frozenset[str]]:
    """The checks to run, in priority order, each with the rules of it that
    are enabled for this language, and all those rules together
    (CheckContext.enabled): worked out once per set of options, not per unit
    (an HTML page of 6,000 paragraphs asked every rule 40 times per
    paragraph)."""
    key = (tuple(options.select), tuple(options.extend_select), tuple(options.ignore), options.use_model,
           language, fixing_only, len(CHECKS), len(RULES))
    planned = _PLANS.get(key)
    if planned is None:
        plan = tuple(
            (check, frozenset(wanted)) for check in sorted(CHECKS, key=lambda c: c.priority)
            if (wanted := [r for r in check.rules if (RULES[r].fix != DISPLAY_ONLY or not fixing_only)
                           and options.rule_enabled(r) and RULES[r].applies_to(language)])
        )
        if len(_PLANS) >= 256:
            _PLANS.clear()  # a service seeing many option sets: start again rather than grow
        planned = _PLANS[key] = (plan, frozenset().union(*(wanted for _, wanted in plan)))
    return planned


def _is_ignored_term(finding: Finding, terms: Iterable[str]) -> bool:
    return any(term and term in finding.text for term in terms)


def _drop_shadowed(collected: list[tuple[int, Finding]]) -> list[Finding]:
    """Drop a finding whose span lies inside a higher-priority finding's span.

    `Ma & # 39; arrat` is one garbled entity, not also a spacing problem; the
    editor should see one finding for it.
    """
    ordered = sorted(collected, key=lambda pair: (pair[0], pair[1].start, -pair[1].end))
    kept: list[tuple[int, Finding]] = []
    # The non-empty spans of the priorities already done, rebuilt once per
    # priority (a handful), so tokenised MT with tens of thousands of findings
    # stays linear-logarithmic instead of quadratic.
    done = SpanReach(())
    current = None
    for priority, finding in ordered:
        if priority != current:
            done = SpanReach((f.start, f.end) for _, f in kept if f.end > f.start)
            current = priority
        if not done.covers(finding.start, finding.end):
            kept.append((priority, finding))
    kept.sort(key=lambda pair: (pair[1].start, pair[0], pair[1].end))
    return [finding for _, finding in kept]


def _drop_model_echoes(findings: list[Finding]) -> list[Finding]:
    """Drop a model finding that overlaps a repeated word or phrase: the
    model's rewrite echoes the rule's (`in the the coastal towns`: the doubled
    word, and then the model's deletion of one `the`, which `fix` would apply
    on top of the rule's). Other mechanical findings may sit inside a real
    model finding (`will " no desire`: the quote's spacing and the verb)."""
    repeats = [(f.start, max(f.end, f.start + 1)) for f in findings if f.rule.startswith("repetition.")]
    if not repeats or all(f.origin != "model" for f in findings):
        return findings
    reach = SpanReach(repeats)
    return [f for f in findings if f.origin != "model" or not reach.overlaps(f.start, max(f.end, f.start + 1))]


_NEWLINE = re.compile("\n")


def _locate(findings: list[Finding], unit: TextUnit) -> None:
    """Fill line/column (1-based, in the original file) for each finding."""
    if not findings:
        return
    if unit.position is not None:
        for finding in findings:
            finding.line, finding.column = unit.position(finding.start)
        return
    line_starts = [0, *(match.end() for match in _NEWLINE.finditer(unit.text))]  # (a loop per character: 60 ns each)
    for finding in findings:
        line_index = bisect.bisect_right(line_starts, finding.start) - 1
        column = finding.start - line_starts[line_index] + 1
        finding.line = unit.line + line_index
        finding.column = column + (unit.column - 1 if line_index == 0 else 0)
