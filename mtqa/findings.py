"""The data that flows between stages: text units in, findings out.

Offsets everywhere are Unicode code-point offsets into the unit's text as
decoded, so that a finding can be handed to any other tool (JSON, SARIF, an
editor) without re-encoding surprises.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from mtqa.languages import rule_language


class Severity(enum.IntEnum):
    """MQM-style severities; ordered so `--fail-on` can compare them."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        try:
            return cls[name.strip().upper()]
        except KeyError:
            valid = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (expected one of: {valid})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass
class Finding:
    """One problem at one place, with what to do about it.

    `suggestions` are replacement strings for text[start:end]; the first one is
    what `mtqa fix` applies, as `fix` says (see `applicability`).
    """

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestions: list[str] = field(default_factory=list)
    confidence: float = 1.0
    origin: str = "rule"
    # What `mtqa fix` may do with the first suggestion (rules.APPLICABILITIES):
    # the rule's declared `fix`, or narrower where the check knows better (a
    # model's rewrite that changes what a sentence refers to is display-only).
    fix: str = "display-only"
    unit: str | None = None
    line: int | None = None
    column: int | None = None
    context: dict[str, Any] | None = None
    # Where in the unit's source the finding's counterpart is (bilingual
    # rules): offsets into TextUnit.source and its text.
    source_start: int | None = None
    source_end: int | None = None
    source_text: str | None = None

    @property
    def applicability(self) -> str:
        """What `mtqa fix` does with this finding: `safe` (applied: a
        mechanical repair), `unsafe` (a model's suggestion, applied at or
        above --min-confidence; or a mechanical repair that may not be what
        the writer meant, applied with --unsafe-fixes), `display-only`
        (reported, never applied: nothing to apply, or `fix` says so)."""
        return self.fix if self.suggestions else "display-only"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "confidence": round(self.confidence, 4),
            "origin": self.origin,
            "fixable": self.fix != "display-only",
            "applicability": self.applicability,
            "line": self.line,
            "column": self.column,
        }
        if self.unit is not None:
            data["unit"] = self.unit
        if self.context:
            data["context"] = self.context
        if self.source_start is not None:
            data["source_start"], data["source_end"] = self.source_start, self.source_end
            data["source_text"] = self.source_text
        return data


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate (JSON's "\\ud800": no character, and
    no UTF-8 output can hold it) replaced by U+FFFD, one code point for one."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


@dataclass
class TextUnit:
    """A piece of human text that checks see, with what belongs to it.

    Formats with markup (HTML, XLIFF) split a file into many units; plain text
    is one unit. `line`/`column` say where the unit starts in the original
    file, so findings can point back into it.
    """

    text: str
    id: str | None = None
    source: str | None = None
    source_lang: str | None = None
    reference: str | None = None
    line: int = 1
    column: int = 1
    # Where a text offset lies in the original file, as 1-based (line, column),
    # for formats whose unit text is not a verbatim slice of the file (tags
    # removed, entities decoded); None: text follows from line/column.
    position: Callable[[int], tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    # Rule patterns (as for --ignore) that inline suppression markers switch
    # off for this unit only.
    ignore: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A lone surrogate is no character: no report or fixed file could be
        # written with it. As U+FFFD offsets hold, and
        # `encoding.replacement-char` reports the loss.
        for name in ("text", "source", "reference"):
            value = getattr(self, name)
            if value:
                setattr(self, name, without_lone_surrogates(value))
        self.source_lang = rule_language(self.source_lang)


@dataclass
class Document:
    """Everything read from one input (a file, stdin, or one JSONL line)."""

    id: str
    units: list[TextUnit]
    language: str | None = None
    source_language: str | None = None
    error: str | None = None
    # Format-specific state a writer needs to put fixes back (encoding, BOM,
    # parsed tree, ...); checks never look at it.
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.language = rule_language(self.language)
        self.source_language = rule_language(self.source_language)

    @property
    def text(self) -> str:
        return "\n".join(unit.text for unit in self.units)


@dataclass
class DocumentResult:
    """The checks' verdict on one document, plus the corrected text."""

    id: str
    language: str | None
    source_language: str | None
    findings: list[Finding]
    fixed_units: list[str]
    scores: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    # The units as checked, for renderers that show the original (diff, HTML).
    units: list[TextUnit] = field(default_factory=list)
    document: "Document | None" = None

    @classmethod
    def failed(cls, document: "Document", message: str) -> "DocumentResult":
        """The result of a document that could not be checked (unreadable,
        timed out, its check process died): an error record, so the run exits 2."""
        return cls(id=document.id, language=document.language, source_language=document.source_language,
                   findings=[], fixed_units=[], error=message, units=list(document.units), document=document)

    @property
    def original_text(self) -> str:
        return "\n".join(unit.text for unit in self.units)

    @property
    def fixed_text(self) -> str:
        return "\n".join(self.fixed_units)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "language": self.language,
            "source_language": self.source_language,
            "findings": [f.to_json() for f in self.findings],
            "fixed_text": self.fixed_text,
            "scores": dict(self.scores),
        }
        if self.error is not None:
            data["error"] = self.error
        return data
