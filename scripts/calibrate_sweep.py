"""Choose the sweep's margins from calibration dumps.

Reads what `bench/fluency_recall.py --split calibration --dump FILE` wrote
(every edit the sweep verified, margins off, on damaged and on untouched
sentences; several dumps of one split may be joined, such as one of damaged
sentences and one of many more untouched ones) and replays the sweep's
decision for margins per error kind, with separate ones for the edits that
only right-hand evidence let in (`KIND/behind`, sweep.LANGUAGE_MARGINS), and
for the anomaly path's rewrites per edit kind (`anomaly:KIND`,
review.ANOMALY_MARGINS).
Prints the margins found by a greedy descent from "all off", with recall
(flagged at the damaged words), restored (top suggestion gives back the
clean sentence) and false alarms per 1,000 words of the untouched sentences
(the anomaly path's included, as dumped), which stay under --max-alarms.

Only calibration lines may go in; the figures to report come from
`bench/fluency_recall.py --split evaluation` afterwards.

    python scripts/calibrate_sweep.py DUMP.jsonl [DUMP2.jsonl ...] [--max-alarms 0.3]
    python scripts/calibrate_sweep.py DUMP.jsonl --replay en   # the margins in use, on these dumps
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

SEPARATION = 2
DUMPED_SCREEN = 3.0  # sweep.SCREEN_GAIN when the dump was written: below it, right-hand evidence let an edit in
# Margins tried. None below 4 nats: with a few dozen damaged sentences per
# kind, a lower margin that looks free of alarms here is a guess about text
# the calibration never saw.
GRID = (4.0, 5.0, 6.0, 6.5, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0)
OFF = 99.0  # a margin no edit reaches: the kind is not proposed


def _behind(found: dict) -> bool:
    return found["screen"] < DUMPED_SCREEN


def margin_key(found: dict) -> str:
    """Edits let in by right-hand evidence (sweep.RIGHT_ANOMALY) get margins
    of their own: `aux/behind` beside `aux`."""
    return found["kind"] + ("/behind" if _behind(found) else "")


def anomaly_key(proposal: dict) -> str:
    """The anomaly path's rewrites get margins per edit kind (`anomaly:insert`,
    review.ANOMALY_MARGINS), on the gain of the whole sentence."""
    return "anomaly:" + proposal["edit"].split(" ")[0]


def proposals(record: dict, screen: float, margins: dict, default: float) -> list[tuple[int, int, str]]:
    """(start, end, corrected text) of what the check would propose."""
    text = record["text"]
    from mtqa.fluency.sweep import screen_for  # the kinds' own screens (sweep.KIND_SCREEN), as in use

    language = record.get("lang")
    found = [f for f in record["sweep"]
             if (_behind(f) or f["screen"] >= max(screen, screen_for(f["kind"], language)))
             and f["gain"] >= margins.get(margin_key(f), default)]
    chosen = []
    for f in sorted(found, key=lambda f: -f["gain"]):
        if all(abs(f["word"] - c["word"]) >= SEPARATION for c in chosen):
            chosen.append(f)
    out = [(f["start"], max(f["end"], f["start"] + 1), text[: f["start"]] + f["replacement"] + text[f["end"] :])
           for f in chosen]
    for a in record["anomaly"]:
        if a["gain"] is not None and a["gain"] < margins.get(anomaly_key(a), default):
            continue
        fixed = text[: a["start"]] + (a["suggestion"] or "") + text[a["end"] :] if a["suggestion"] else None
        out.append((a["start"], a["end"], fixed))
    return sorted(out)


def evaluate(records: list[dict], screen: float, margins: dict, default: float) -> dict:
    damaged = flagged = restored = words = alarms = 0
    for record in records:
        found = proposals(record, screen, margins, default)
        if record["set"] == "clean":
            words += len(record["text"].split())
            alarms += len(found)
            continue
        damaged += 1
        lo, hi = record["target"]
        hits = [p for p in found if p[0] < hi + 1 and lo < p[1] + 1]
        if hits:
            flagged += 1
            restored += hits[0][2] == record["original"]
    return {"recall": flagged / max(1, damaged), "restored": restored / max(1, damaged),
            "alarms": 1000 * alarms / max(1, words), "damaged": damaged, "words": words}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dumps", nargs="+", type=Path)
    parser.add_argument("--max-alarms", type=float, default=0.3)
    parser.add_argument("--replay", metavar="LANG",
                        help="only replay the margins in use for LANG (sweep.LANGUAGE_MARGINS) on the dumps")
    args = parser.parse_args()
    records = [json.loads(line) for path in args.dumps for line in path.open(encoding="utf-8")]
    if args.replay:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from mtqa.fluency.sweep import LANGUAGE_MARGINS

        in_use = LANGUAGE_MARGINS[args.replay]
        result = evaluate(records, DUMPED_SCREEN, in_use, OFF)
        print(f"margins in use for {args.replay}: recall {100 * result['recall']:.1f}%, restored "
              f"{100 * result['restored']:.1f}%, alarms {result['alarms']:.2f}/1k on {result['words']} words, "
              f"{result['damaged']} damaged")
        for record in records:
            if record["set"] == "clean":
                for start, end, fixed in proposals(record, DUMPED_SCREEN, in_use, OFF):
                    print(f"  alarm: {record['text'][max(0, start - 25):end + 25]!r} -> "
                          f"{(fixed or '')[max(0, start - 25):end + 25]!r}")
        return 0
    kinds = sorted({margin_key(f) for r in records for f in r["sweep"]}
                   | {anomaly_key(a) for r in records for a in r["anomaly"] if a["gain"] is not None})
    screen = DUMPED_SCREEN
    # Greedy descent from "every kind off": at each step lower the one margin
    # that adds the most recall per alarm added (recall that adds no alarm
    # first, at the highest margin that gives it), while the alarms stay
    # under the target. A margin is lowered only where it adds recall.
    # With a budget of a few alarms in tens of thousands of words, this finds
    # the kinds the model judges reliably; raising margins from a common
    # value did not (it kept a little of every kind).
    margins = {kind: OFF for kind in kinds}
    current = evaluate(records, screen, margins, OFF)
    while True:
        steps = []
        for kind in kinds:
            for lower in (m for m in GRID if m < margins[kind]):
                trial = dict(margins, **{kind: lower})
                result = evaluate(records, screen, trial, OFF)
                added = result["recall"] - current["recall"]
                if added <= 0 or result["alarms"] > args.max_alarms:
                    continue
                cost = result["alarms"] - current["alarms"]
                # free recall first, the highest margin that gives it; then recall per alarm
                steps.append((math.inf if cost <= 0 else added / cost, lower, kind, trial, result))
        if not steps:
            break
        _, _, kind, margins, current = max(steps, key=lambda step: step[:2])
    best = (current, screen, OFF, margins)
    if best:
        result, screen, default, margins = best
        print(f"margins under {args.max_alarms}/1k (99 = off): "
              f"{ {kind: margin for kind, margin in margins.items() if margin < OFF} }")
        print(f"  recall {100 * result['recall']:.1f}%, restored {100 * result['restored']:.1f}%, "
              f"alarms {result['alarms']:.2f}/1k on {result['words']} words, {result['damaged']} damaged")
        for language in sorted({r.get("lang") for r in records}):
            subset = [r for r in records if r.get("lang") == language]
            per = evaluate(subset, screen, margins, default)
            print(f"  {language}: recall {100 * per['recall']:.1f}% restored {100 * per['restored']:.1f}% "
                  f"alarms {per['alarms']:.2f}/1k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
