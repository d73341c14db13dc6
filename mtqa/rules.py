"""The rule registry: one place that knows every rule's id and metadata.

Checks register themselves with `@rule(...)` so that `mtqa rules`, SARIF rule
metadata, `--select/--ignore` and configuration all read the same table and
cannot drift from the code.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from mtqa.findings import Finding, Severity, TextUnit


@dataclass
class CheckContext:
    """What a check may need besides the unit's text."""

    language: str | None
    document_language: str | None = None
    options: dict = field(default_factory=dict)
    model: str | None = None  # --model; None means the default fluency model


CheckFunction = Callable[[TextUnit, CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule, shared by all findings it produces."""

    id: str
    family: str
    category: str
    severity: Severity
    description: str
    autofix: bool
    languages: tuple[str, ...] = ()  # empty: every language
    needs_model: bool = False
    # Opt-in rules run only when named by their exact id in select or
    # extend-select: their findings serve a different job (word-level QE
    # triage flags a fifth of the words of typical MT), so a family or glob
    # selection must not switch them on by surprise.
    opt_in: bool = False

    def applies_to(self, language: str | None) -> bool:
        return not self.languages or language is None or language in self.languages

    def to_json(self) -> dict:
        """The rule table entry of `mtqa rules --format json` and GET /rules."""
        return {
            "id": self.id,
            "family": self.family,
            "category": self.category,
            "severity": self.severity.label,
            "languages": list(self.languages) or "all",
            "autofix": self.autofix,
            "needs_model": self.needs_model,
            "opt_in": self.opt_in,
            "description": self.description,
        }


@dataclass(frozen=True)
class Check:
    """A function producing findings for one or more rules."""

    name: str
    rules: tuple[str, ...]
    function: CheckFunction
    priority: int


RULES: dict[str, Rule] = {}
CHECKS: list[Check] = []

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
    autofix: bool,
    languages: Iterable[str] = (),
    needs_model: bool = False,
    opt_in: bool = False,
) -> Rule:
    family = id.split(".", 1)[0]
    definition = Rule(
        id=id,
        family=family,
        category=category,
        severity=Severity.parse(severity),
        description=description,
        autofix=autofix,
        languages=tuple(languages),
        needs_model=needs_model,
        opt_in=opt_in,
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
) -> Finding:
    """Build a finding with the rule's registered category, severity and fixability."""
    definition = RULES[rule_id]
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
        autofix=definition.autofix,
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
