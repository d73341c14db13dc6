"""Baselines: accept today's findings, report only new ones tomorrow.

A newsroom adopting mtqa on an archive cannot fix every old article at once;
CI should still fail on damage introduced by the next change. A finding is
identified by its document, rule, flagged text and a little normalised text
on each side of it, never by offset, so an edit elsewhere in the article does
not turn every old finding into a "new" one. Matching is by count: if the
baseline holds two identical findings and the article now has three, one is
new.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from mtqa import __version__
from mtqa.errors import MtqaError
from mtqa.findings import DocumentResult, Finding
from mtqa.report._location import span_text, unit_of

BASELINE_VERSION = 1
CONTEXT_CHARS = 20

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FindingKey:
    """What identifies a finding across edits of its article."""

    document: str
    rule: str
    text: str
    before: str
    after: str

    def fingerprint(self) -> str:
        """A short stable hash (SARIF partialFingerprints use the same key)."""
        payload = "\x1f".join((self.rule, self.text, self.before, self.after))
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def normalise(text: str) -> str:
    """NFC and collapsed whitespace: re-wrapping a paragraph is not a change."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text))


def document_name(document_id: str) -> str:
    """Windows and POSIX runs of the same repository name files alike."""
    return document_id.replace("\\", "/").removeprefix("./")


def finding_key(result: DocumentResult, finding: Finding) -> FindingKey:
    unit = unit_of(result, finding)
    if unit is not None and 0 <= finding.start <= finding.end <= len(unit.text):
        before = unit.text[max(0, finding.start - CONTEXT_CHARS) : finding.start]
        after = unit.text[finding.end : finding.end + CONTEXT_CHARS]
    else:
        before = after = ""
    return FindingKey(
        document=document_name(result.id),
        rule=finding.rule,
        text=span_text(finding, unit),
        before=normalise(before),
        after=normalise(after),
    )


@dataclass
class Baseline:
    """The accepted findings, as keys with multiplicity."""

    keys: list[FindingKey]
    path: str | None = None

    def __len__(self) -> int:
        return len(self.keys)


def baseline_json(results: Iterable[DocumentResult]) -> dict:
    entries = []
    for result in results:
        for finding in result.findings:
            key = finding_key(result, finding)
            entries.append(
                {
                    "document": key.document,
                    "rule": key.rule,
                    "text": key.text,
                    "before": key.before,
                    "after": key.after,
                    # For people reading the file; never used for matching.
                    "message": finding.message,
                }
            )
    entries.sort(key=lambda e: (e["document"], e["rule"], e["text"], e["before"], e["after"]))
    return {"version": BASELINE_VERSION, "tool": "mtqa", "mtqa": __version__, "findings": entries}


def write_baseline(results: Iterable[DocumentResult], path: str | Path) -> int:
    """Record every current finding; returns how many were written."""
    payload = baseline_json(results)
    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(payload["findings"])


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file, refusing files mtqa did not write (or a newer mtqa did)."""
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MtqaError(f"{where}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MtqaError(f"{where}: cannot read baseline: {error}") from None
    if not isinstance(data, dict) or data.get("tool") != "mtqa" or "version" not in data:
        raise MtqaError(f"{where}: not an mtqa baseline (expected a JSON object with tool 'mtqa' and a version)")
    if data["version"] != BASELINE_VERSION:
        raise MtqaError(
            f"{where}: baseline version {data['version']!r} is not supported "
            f"(this mtqa reads version {BASELINE_VERSION}); re-create it with --write-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise MtqaError(f"{where}: baseline has no 'findings' list")
    keys = []
    for number, entry in enumerate(entries, 1):
        try:
            keys.append(
                FindingKey(
                    document=document_name(str(entry["document"])),
                    rule=str(entry["rule"]),
                    text=str(entry["text"]),
                    before=str(entry.get("before", "")),
                    after=str(entry.get("after", "")),
                )
            )
        except (KeyError, TypeError):
            raise MtqaError(f"{where}: baseline entry {number} lacks document, rule or text") from None
    return Baseline(keys=keys, path=where)


def filter_new(results: Iterable[DocumentResult], baseline: Baseline) -> list[DocumentResult]:
    """Keep only the findings the baseline does not account for.

    Two passes: first a finding must match text and context on both sides;
    what is left may then match a remaining baseline entry on one side only,
    so fixing a neighbouring artifact (which changes one side of the context)
    does not make its neighbour look new. Each baseline entry absorbs at most
    one finding.
    """
    results = list(results)
    exact: dict[FindingKey, int] = defaultdict(int)
    for key in baseline.keys:
        exact[key] += 1
    keyed = [[(finding, finding_key(result, finding)) for finding in result.findings] for result in results]

    unmatched: list[list[tuple[Finding, FindingKey]]] = []
    for pairs in keyed:
        left = []
        for finding, key in pairs:
            if exact[key] > 0:
                exact[key] -= 1
            else:
                left.append((finding, key))
        unmatched.append(left)

    # Baseline entries not consumed by an exact match, by what must still agree.
    loose: dict[tuple[str, str, str], list[FindingKey]] = defaultdict(list)
    for key, count in exact.items():
        loose[(key.document, key.rule, key.text)].extend([key] * count)

    filtered = []
    for result, left in zip(results, unmatched):
        new: set[int] = set()
        for finding, key in left:
            candidates = loose[(key.document, key.rule, key.text)]
            match = next(
                (i for i, old in enumerate(candidates) if old.before == key.before or old.after == key.after),
                None,
            )
            if match is None:
                new.add(id(finding))
            else:
                candidates.pop(match)
        kept = [f for f in result.findings if id(f) in new]
        filtered.append(replace(result, findings=kept))
    return filtered
