"""Apply accepted suggestions to text.

Kept apart from the checks so that the report can show every suggestion while
only the safe ones (mechanical, or model ones above a confidence bar) change
the text, and so that the edit set is provably non-overlapping.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from mtqa.findings import Finding
from mtqa.spans import SpanReach, first_come


def is_applied(finding: Finding, min_confidence: float, unsafe_fixes: bool = False) -> bool:
    """Safe fixes always apply; unsafe ones only when confident (a model's
    suggestion) or when asked for (--unsafe-fixes, a mechanical rule's)."""
    applicability = finding.applicability
    if applicability == "safe":
        return True
    if applicability != "unsafe":
        return False
    return unsafe_fixes if finding.origin == "rule" else finding.confidence >= min_confidence


MAX_FIX_PASSES = 4


def fix_text(
    text: str, findings: list[Finding], min_confidence: float, recheck: Callable[[str], list[Finding]],
    unsafe_fixes: bool = False,
) -> tuple[str, list[Finding]]:
    """Apply the accepted findings, then `recheck` the result and apply
    again until nothing changes (at most MAX_FIX_PASSES passes): the fixed
    text and the findings that explain every change it makes.

    Some repairs compose (a decoded `&quot;` leaves a stray-spaced quote that
    the spacing rules then re-attach); iterating makes `fix` idempotent. Each
    later pass's edits are reported too, folded into the finding whose output
    they touch or as findings of their own (ExplainedFix): a repeat that
    shows only once `the the` is one word (`to the the market to the market`)
    is deleted as part of that finding, which says so, never silently.
    `recheck` is the pipeline's (this module imports no checks).
    """
    applied = select_edits(findings, min_confidence, unsafe_fixes)
    explained = ExplainedFix(text, findings, applied)
    if explained.text == text:
        return text, findings
    for _ in range(MAX_FIX_PASSES - 1):
        edits = select_edits(recheck(explained.text), min_confidence, unsafe_fixes)
        if not edits:
            break
        before = explained.text
        explained.apply(edits)
        if explained.text == before:
            break
    return explained.text, explained.findings


def select_edits(findings: Iterable[Finding], min_confidence: float = 0.9, unsafe_fixes: bool = False) -> list[Finding]:
    """Pick a non-overlapping set of findings to apply, earliest first.

    Findings arrive sorted by (start, priority), so when two overlap the one
    from the higher-priority family (or the earlier one) wins.
    """
    applied = (finding for finding in findings if is_applied(finding, min_confidence, unsafe_fixes))
    # Two insertions at the same point would both apply; the first is kept.
    return list(first_come(applied, lambda finding: (finding.start, finding.end)))


def apply_edits(text: str, edits: Iterable[Finding]) -> str:
    """Splice the first suggestion of each edit into the text."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda f: (f.start, f.end)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.suggestions[0])
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass
class _Region:
    """A stretch of the current text that fixes produced: where it is now,
    what it replaced in the original, and the finding that explains it."""

    start: int  # in the current text
    end: int
    original_start: int  # in the original text
    original_end: int
    owner: Finding


@dataclass
class _Cluster:
    """This pass's edits that touch the same produced regions: one change."""

    start: int  # in the current text
    end: int
    edits: list[Finding]
    touched: list[_Region]
    touched_ids: set[int] = field(default_factory=set)


class ExplainedFix:
    """A text through successive fix passes, every change explained by a
    finding in the original's offsets (the way ftfy's fix_and_explain
    returns its steps).

    The first pass's applied findings explain what they change. A later pass
    (a decoded `&quot;` leaves a stray-spaced quote that the spacing rules
    then attach) finds its edits in the text as fixed so far. An edit in text
    no earlier fix touched becomes a finding of its own, at the original's
    offsets. An edit that overlaps what an earlier fix produced is folded into
    that fix's finding: its span grows to cover both, its suggestion becomes
    the text it ends as, and its message says what came with it. So the findings
    `check` reports explain every character `fix` changes. Replaying them
    (select_edits, apply_edits on the original) gives the fixed text.
    Linear in the number of edits.
    """

    def __init__(self, original: str, findings: list[Finding], applied: list[Finding]) -> None:
        self.original = original
        self.findings = list(findings)
        self.text = apply_edits(original, applied)
        self.regions: list[_Region] = []
        delta = 0
        for finding in sorted(applied, key=lambda f: (f.start, f.end)):
            start = finding.start + delta
            replacement = finding.suggestions[0]
            self.regions.append(_Region(start, start + len(replacement), finding.start, finding.end, finding))
            delta += len(replacement) - (finding.end - finding.start)

    def apply(self, edits: list[Finding]) -> None:
        """Apply one later pass's edits (offsets in the current text,
        non-overlapping) and explain them."""
        self._starts = [region.start for region in self.regions]
        clusters = self._clusters(sorted(edits, key=lambda f: (f.start, f.end)))
        if not clusters:
            return
        self._replaced: dict[int, Finding | None] = {}  # id(finding) -> what it became (None: folded away)
        self._explained: list[Finding] = []  # what this pass's clusters are reported as
        touched_ids = {id(region) for cluster in clusters for region in cluster.touched}
        regions: list[_Region] = []
        pieces: list[str] = []
        position = delta = 0
        pending = iter(clusters)
        cluster = next(pending, None)
        for region in self.regions + [None]:
            # the clusters before this region (all that are left, after the last)
            while cluster is not None and (
                region is None or cluster.start < region.start
                or (cluster.start == region.start and region.start < region.end)
            ):
                pieces.append(self.text[position : cluster.start])
                new_text = _apply_within(self.text, cluster)
                pieces.append(new_text)
                new_start = cluster.start + delta
                owner, original_start, original_end = self._explain(cluster, new_text)
                regions.append(_Region(new_start, new_start + len(new_text), original_start, original_end, owner))
                delta += len(new_text) - (cluster.end - cluster.start)
                position = cluster.end
                cluster = next(pending, None)
            if region is not None and id(region) not in touched_ids:
                regions.append(_Region(region.start + delta, region.end + delta, region.original_start,
                                       region.original_end, region.owner))
        pieces.append(self.text[position:])
        self.text = "".join(pieces)
        self.regions = regions
        applied = {id(region.owner) for region in regions}
        superseding: dict[str, list[tuple[int, int]]] = {}  # this pass's explained findings, by rule
        for finding in self._explained:
            superseding.setdefault(finding.rule, []).append((finding.start, finding.end))
        reach = {rule: SpanReach(spans) for rule, spans in superseding.items()}
        kept = []
        for finding in self.findings:
            now = self._replaced.get(id(finding), finding)
            if now is None:
                continue
            if id(now) not in applied and now.rule in reach and reach[now.rule].covers(now.start, now.end):
                continue  # superseded: the same problem, now reported as what `fix` did
            kept.append(now)
        # Applied findings first where spans tie, so that replaying picks them (select_edits).
        self.findings = sorted(kept, key=lambda f: (f.start, id(f) not in applied, f.end))

    def _clusters(self, edits: list[Finding]) -> list[_Cluster]:
        clusters: list[_Cluster] = []
        for edit in edits:
            touched = self._touched(edit.start, edit.end)
            start = min([edit.start] + [r.start for r in touched])
            end = max([edit.end] + [r.end for r in touched])
            last = clusters[-1] if clusters else None
            if last is not None and (start < last.end or any(id(r) in last.touched_ids for r in touched)):
                last.start, last.end = min(last.start, start), max(last.end, end)
                last.edits.append(edit)
                for region in touched:
                    if id(region) not in last.touched_ids:
                        last.touched.append(region)
                        last.touched_ids.add(id(region))
            else:
                clusters.append(_Cluster(start, end, [edit], touched, {id(r) for r in touched}))
        return clusters

    def _touched(self, start: int, end: int) -> list[_Region]:
        """Produced regions an edit of [start, end) overlaps (touching at an
        edge is not overlapping: the edit then stands on its own)."""
        found = []
        index = bisect.bisect_right(self._starts, end) - 1
        while index >= 0:
            region = self.regions[index]
            if region.end < start:
                break
            if _overlaps(start, end, region.start, region.end):
                found.append(region)
            index -= 1
        return found[::-1]

    def _original_at(self, position: int) -> int:
        """The original offset of a current position outside every region."""
        index = bisect.bisect_right(self._starts, position) - 1
        while index >= 0 and self.regions[index].end > position:
            index -= 1  # a region starting at `position` lies after it
        if index < 0:
            return position
        region = self.regions[index]
        return region.original_end + (position - region.end)

    def _explain(self, cluster: _Cluster, new_text: str) -> tuple[Finding, int, int]:
        """The finding that explains a cluster, in the original's offsets."""
        first = next((r for r in cluster.touched if r.start == cluster.start), None)
        last = next((r for r in reversed(cluster.touched) if r.end == cluster.end), None)
        original_start = first.original_start if first else self._original_at(cluster.start)
        original_end = last.original_end if last else self._original_at(cluster.end)
        text = self.original[original_start:original_end]
        owners = list({id(region.owner): region.owner for region in cluster.touched}.values())
        if not owners:
            (edit,) = cluster.edits  # untouched edits do not share a cluster
            explained = replace(edit, start=original_start, end=original_end, text=text, suggestions=[new_text])
            self.findings.append(explained)  # a new finding: no earlier one is replaced by it
            self._explained.append(explained)
            return explained, original_start, original_end
        # The merged change reads as its weightiest part: a deleted repeat
        # (`to the the market to the market`) rather than a spacing fix.
        parts = owners + cluster.edits
        lead = next((f for f in parts if f.rule.startswith("repetition.")), owners[0])
        then = "; ".join(dict.fromkeys(f.message for f in parts if f is not lead))
        context = dict(lead.context or {})
        context["with"] = sorted({f.rule for f in parts if f is not lead})
        lead_is_owner = any(lead is owner for owner in owners)
        explained = replace(lead, start=original_start, end=original_end, text=text, suggestions=[new_text],
                            message=f"{lead.message}; with it: {then}", context=context)
        if any(id(o) in self._replaced for o in owners):
            raise AssertionError("a finding explains two clusters of one pass")
        for owner in owners:
            self._replaced[id(owner)] = explained if owner is lead else None
        if not lead_is_owner:
            self.findings.append(explained)
        self._explained.append(explained)
        return explained, original_start, original_end


def _overlaps(start: int, end: int, region_start: int, region_end: int) -> bool:
    if start == end:
        return region_start < start < region_end  # an insertion inside what a fix produced
    if region_start == region_end:
        return start < region_start < end  # an edit across what a fix deleted
    return start < region_end and region_start < end


def _apply_within(text: str, cluster: _Cluster) -> str:
    """The cluster's stretch of text with its edits applied."""
    pieces, position = [], cluster.start
    for edit in cluster.edits:
        pieces.append(text[position : edit.start])
        pieces.append(edit.suggestions[0])
        position = edit.end
    pieces.append(text[position : cluster.end])
    return "".join(pieces)
