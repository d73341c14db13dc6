"""The rule registry: one place that knows every rule's id and metadata.

Checks register themselves with `@rule(...)` so that `mtqa rules`, SARIF rule
metadata, `--select/--ignore` and configuration all read the same table and
cannot drift from the code.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from mtqa.findings import Document, Finding, Severity, TextUnit
from mtqa.languages import rule_language


@dataclass
class CheckContext:
    """What a check may need besides the unit's text. The languages are
    rule languages (`en-US` is `en`), normalised here once, so no check
    normalises them again."""

    language: str | None
    document_language: str | None = None
    rule_options: dict = field(default_factory=dict)  # the configuration's [rule-options] tables
    model: str | None = None  # --model; None means the default fluency model
    # The rules enabled for this unit (None: all). A check whose rules cost
    # work of their own asks `wants` before doing it: the pipeline drops a
    # disabled rule's findings anyway, but the opt-in `bilingual.name` was
    # half of the bilingual pass's time while off.
    enabled: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self.language = rule_language(self.language)
        self.document_language = rule_language(self.document_language)

    def wants(self, rule_id: str) -> bool:
        """Whether findings of this rule would be kept."""
        return self.enabled is None or rule_id in self.enabled


CheckFunction = Callable[[TextUnit, CheckContext], Iterable[Finding]]

# What `mtqa fix` does with a rule's suggestion (ruff's applicability):
SAFE = "safe"  # applied by `mtqa fix`: the repair is mechanical and certain
UNSAFE = "unsafe"  # applied only at or above --min-confidence (model rules) or with --unsafe-fixes (mechanical)
DISPLAY_ONLY = "display-only"  # suggested in the report, never applied
APPLICABILITIES = (SAFE, UNSAFE, DISPLAY_ONLY)


@dataclass(frozen=True)
class Example:
    """Text a rule is documented with, and tested on (tests/test_rule_examples.py).

    In a rule's `examples`, the rule must fire on `text`, and `fixed` (when
    given) is what `mtqa fix` makes of the whole text; in its `clean`
    examples, the rule must stay silent. `source` for bilingual rules."""

    text: str
    fixed: str | None = None
    lang: str | None = "en"
    source: str | None = None
    source_lang: str | None = None


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule, shared by all findings it produces."""

    id: str
    family: str
    category: str
    severity: Severity
    description: str
    fix: str  # one of APPLICABILITIES
    languages: tuple[str, ...] = ()  # empty: every language
    needs_model: bool = False
    # Opt-in rules run only when named by their exact id in select or
    # extend-select: their findings serve a different job (word-level QE
    # triage flags a fifth of the words of typical MT), so a family or glob
    # selection must not switch them on by surprise.
    opt_in: bool = False
    why: str = ""  # why an editor should care, in a sentence or two
    examples: tuple[Example, ...] = ()
    clean: tuple[Example, ...] = ()

    @property
    def fix_help(self) -> str:
        """What `mtqa fix` does with this rule's suggestions, in words (the
        SARIF help, `mtqa rules --explain`, the README table)."""
        if self.fix == SAFE:
            return "safe: applied by `mtqa fix`"
        if self.fix == UNSAFE:
            where = "at or above --min-confidence" if self.needs_model else "with --unsafe-fixes"
            return f"unsafe: applied by `mtqa fix` only {where}"
        return "display-only: reported with what to do, never applied"

    def applies_to(self, language: str | None) -> bool:
        """`language` as mtqa.languages.rule_language gives it (check_unit normalises it once)."""
        return not self.languages or language is None or language in self.languages

    def to_json(self) -> dict:
        """The rule table entry of `mtqa rules --format json` and GET /rules."""
        return {
            "id": self.id,
            "family": self.family,
            "category": self.category,
            "severity": self.severity.label,
            "languages": list(self.languages) or "all",
            "autofix": self.fix != DISPLAY_ONLY,  # kept for readers of the table before `fix`
            "fix": self.fix,
            "needs_model": self.needs_model,
            "opt_in": self.opt_in,
            "description": self.description,
            "why": self.why,
            "examples": [_example_json(e) for e in self.examples],
            "clean": [_example_json(e) for e in self.clean],
        }


def _example_json(example: Example) -> dict:
    return {key: value for key, value in vars(example).items() if value is not None}


@dataclass(frozen=True)
class Check:
    """A function producing findings for one or more rules."""

    name: str
    rules: tuple[str, ...]
    function: CheckFunction
    priority: int


RULES: dict[str, Rule] = {}
CHECKS: list[Check] = []

# Whole-document scores (the fluency layer's log-probability), registered
# here beside the checks so that the pipeline imports no check module and no
# check module imports the pipeline (options are passed in, typed loosely).
DocumentScorer = Callable[[Document, Any], "dict[str, float]"]
DOCUMENT_SCORERS: list[DocumentScorer] = []


def register_document_scorer(function: DocumentScorer) -> DocumentScorer:
    """Decorator: `function(document, options)` adds to each document's scores when the model is on."""
    if function not in DOCUMENT_SCORERS:
        DOCUMENT_SCORERS.append(function)
    return function

# Families in the order their fixes win when two findings overlap: a garbled
# entity must be repaired as an entity, not as "space before punctuation".
FAMILY_PRIORITY = {
    "encoding": 0,
    "entities": 1,
    "spacing": 2,
    "repetition": 3,
    "language": 4,
    "bilingual": 5,
    "fluency": 6,
}


def define_rule(
    id: str,
    *,
    category: str,
    severity: str,
    description: str,
    fix: str,
    why: str,
    examples: Iterable[Example],
    clean: Iterable[Example],
    languages: Iterable[str] = (),
    needs_model: bool = False,
    opt_in: bool = False,
) -> Rule:
    """Register a rule with its documentation: `description` (what it
    finds), `why` (why it matters), `fix` (its applicability), `examples`
    it fires on and `clean` text it must not fire on. The examples are the
    rule's tests, and `mtqa rules --explain` and the README print them."""
    if fix not in APPLICABILITIES:
        raise ValueError(f"rule {id}: fix must be one of {APPLICABILITIES}, not {fix!r}")
    family = id.split(".", 1)[0]
    definition = Rule(
        id=id,
        family=family,
        category=category,
        severity=Severity.parse(severity),
        description=description,
        fix=fix,
        languages=tuple(languages),
        needs_model=needs_model,
        opt_in=opt_in,
        why=why,
        examples=tuple(examples),
        clean=tuple(clean),
    )
    RULES[id] = definition
    return definition


def register_check(*rule_ids: str) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: the function yields findings for the given (defined) rules."""

    def decorate(function: CheckFunction) -> CheckFunction:
        missing = [r for r in rule_ids if r not in RULES]
        if missing:
            raise RuntimeError(f"check {function.__name__} uses undefined rules {missing}")
        family = rule_ids[0].split(".", 1)[0]
        CHECKS.append(
            Check(
                name=f"{function.__module__}.{function.__name__}",
                rules=rule_ids,
                function=function,
                priority=FAMILY_PRIORITY.get(family, 9),
            )
        )
        return function

    return decorate


def make_finding(
    rule_id: str,
    unit: TextUnit,
    start: int,
    end: int,
    message: str,
    suggestions: Iterable[str] = (),
    *,
    confidence: float = 1.0,
    origin: str = "rule",
    context: dict | None = None,
    fix: str | None = None,
) -> Finding:
    """Build a finding with the rule's registered category, severity and
    applicability; `fix` may narrow the applicability (never widen it: a
    display-only rule's finding is never applied)."""
    definition = RULES[rule_id]
    if fix is None or APPLICABILITIES.index(fix) < APPLICABILITIES.index(definition.fix):
        fix = definition.fix
    return Finding(
        rule=rule_id,
        category=definition.category,
        severity=definition.severity,
        start=start,
        end=end,
        text=unit.text[start:end],
        message=message,
        suggestions=list(suggestions),
        confidence=confidence,
        origin=origin,
        fix=fix,
        unit=unit.id,
        context=context,
    )


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """`entities`, `entities.*` and `entities.garbled` all select entities.garbled."""
    for pattern in patterns:
        if rule_id == pattern or fnmatch.fnmatchcase(rule_id, pattern):
            return True
        if "." not in pattern and rule_id.split(".", 1)[0] == pattern:
            return True
    return False


def iter_rules() -> Iterator[Rule]:
    load_checks()
    return iter(sorted(RULES.values(), key=lambda r: (FAMILY_PRIORITY.get(r.family, 9), r.id)))


_loaded = False


def load_checks() -> None:
    """Import the check modules once; registration happens at import time."""
    global _loaded
    if not _loaded:
        import mtqa.checks  # noqa: F401  (registers rules)

        _loaded = True
