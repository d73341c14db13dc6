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

The sweep's decision is replayed with its screens in use (sweep.screen_for,
its caps per sentence): a dump written with lower screens and no caps
(`bench/fluency_recall.py --dump-screens aux=-1,...`) holds what lower
screens would let in, and `--screens aux=0,...` replays those instead.

Only calibration lines may go in; the figures to report come from
`bench/fluency_recall.py --split evaluation` afterwards.

    python scripts/calibrate_sweep.py DUMP.jsonl [DUMP2.jsonl ...] [--max-alarms 0.3] [--screens aux=0,...]
    python scripts/calibrate_sweep.py DUMP.jsonl --replay en   # the margins in use, on these dumps
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEPARATION = 2
# Margins tried. None below 4 nats: with a few dozen damaged sentences per
# kind, a lower margin that looks free of alarms here is a guess about text
# the calibration never saw.
GRID = (4.0, 5.0, 6.0, 6.5, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0)
OFF = 99.0  # a margin no edit reaches: the kind is not proposed


def admitted(record: dict, margins: dict, default: float) -> list[tuple[dict, bool]]:
    """(edit, behind) for the dumped edits the sweep would verify under its
    screens in use (sweep.screen: the kinds' own screens, right-hand evidence
    below SCREEN_GAIN, the caps per sentence), kinds that are off excepted.
    A dump written with lower screens or no caps holds more than the sweep
    verifies, so screens can be chosen on it; one written with the screens
    in use holds exactly this."""
    from mtqa.fluency import sweep

    if "_front" not in record:  # sorted once per record: the descent replays each record thousands of times
        language = record.get("lang")
        front, behind = [], []
        for f in record["sweep"]:
            admission = sweep.admitted_as(f["kind"], language, f["screen"], f["right"])
            if admission is not None:
                (behind if admission == "behind" else front).append(f)
        record["_front"] = sorted(front, key=lambda f: -f["screen"])
        record["_behind"] = sorted(behind, key=lambda f: -f["screen"])
    front = [f for f in record["_front"] if margins.get(f["kind"], default) < OFF]
    behind = [f for f in record["_behind"] if margins.get(f["kind"] + "/behind", default) < OFF]
    return ([(f, False) for f in front[: sweep.MAX_PER_SENTENCE]]
            + [(f, True) for f in behind[: sweep.MAX_RIGHT_PER_SENTENCE]])


def margin_key(found: dict, behind: bool) -> str:
    """Edits let in by right-hand evidence (sweep.RIGHT_ANOMALY) get margins
    of their own: `aux/behind` beside `aux`."""
    return found["kind"] + ("/behind" if behind else "")


def anomaly_key(proposal: dict) -> str:
    """The anomaly path's rewrites get margins per edit kind (`anomaly:insert`,
    review.ANOMALY_MARGINS), on the gain of the whole sentence."""
    return "anomaly:" + proposal["edit"].split(" ")[0]


def proposals(record: dict, margins: dict, default: float) -> list[tuple[int, int, str]]:
    """(start, end, corrected text) of what the check would propose."""
    text = record["text"]
    found = [f for f, behind in admitted(record, margins, default)
             if f["gain"] >= margins.get(margin_key(f, behind), default)]
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


def evaluate(records: list[dict], margins: dict, default: float) -> dict:
    damaged = flagged = restored = words = alarms = verified = 0
    for record in records:
        verified += len(admitted(record, margins, default))
        found = proposals(record, margins, default)
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
            "alarms": 1000 * alarms / max(1, words), "damaged": damaged, "words": words,
            "verified": verified / max(1, len(records))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dumps", nargs="+", type=Path)
    parser.add_argument("--max-alarms", type=float, default=0.3)
    parser.add_argument("--screens", default="", metavar="KIND=NATS,...",
                        help="screens to try instead of sweep.KIND_SCREEN for the dumps' languages "
                             "(for dumps written with lower screens, see the module doc)")
    parser.add_argument("--replay", metavar="LANG",
                        help="only replay the margins in use for LANG (sweep.LANGUAGE_MARGINS) on the dumps")
    args = parser.parse_args()
    records = [json.loads(line) for path in args.dumps for line in path.open(encoding="utf-8")]
    from mtqa.fluency import sweep

    sweep.try_kind_screens(args.screens, {r.get("lang") for r in records})
    if args.replay:
        from mtqa.fluency.sweep import LANGUAGE_MARGINS

        in_use = LANGUAGE_MARGINS[args.replay]
        result = evaluate(records, in_use, OFF)
        print(f"margins in use for {args.replay}: recall {100 * result['recall']:.1f}%, restored "
              f"{100 * result['restored']:.1f}%, alarms {result['alarms']:.2f}/1k on {result['words']} words, "
              f"{result['damaged']} damaged, {result['verified']:.1f} edits verified per sentence")
        for record in records:
            if record["set"] == "clean":
                for start, end, fixed in proposals(record, in_use, OFF):
                    print(f"  alarm: {record['text'][max(0, start - 25):end + 25]!r} -> "
                          f"{(fixed or '')[max(0, start - 25):end + 25]!r}")
        return 0
    kinds = sorted({margin_key(f, behind) for r in records for f in r["sweep"] for behind in (False, True)}
                   | {anomaly_key(a) for r in records for a in r["anomaly"] if a["gain"] is not None})
    # Greedy descent from "every kind off": at each step lower the one margin
    # that adds the most recall per alarm added (recall that adds no alarm
    # first, at the highest margin that gives it), while the alarms stay
    # under the target. A margin is lowered only where it adds recall.
    # With a budget of a few alarms in tens of thousands of words, this finds
    # the kinds the model judges reliably; raising margins from a common
    # value did not (it kept a little of every kind).
    margins = {kind: OFF for kind in kinds}
    current = evaluate(records, margins, OFF)
    while True:
        steps = []
        for kind in kinds:
            for lower in (m for m in GRID if m < margins[kind]):
                trial = dict(margins, **{kind: lower})
                result = evaluate(records, trial, OFF)
                added = result["recall"] - current["recall"]
                if added <= 0 or result["alarms"] > args.max_alarms:
                    continue
                cost = result["alarms"] - current["alarms"]
                # free recall first, the highest margin that gives it; then recall per alarm
                steps.append((math.inf if cost <= 0 else added / cost, lower, kind, trial, result))
        if not steps:
            break
        _, _, kind, margins, current = max(steps, key=lambda step: step[:2])
    print(f"margins under {args.max_alarms}/1k (99 = off): "
          f"{ {kind: margin for kind, margin in margins.items() if margin < OFF} }")
    print(f"  recall {100 * current['recall']:.1f}%, restored {100 * current['restored']:.1f}%, "
          f"alarms {current['alarms']:.2f}/1k on {current['words']} words, {current['damaged']} damaged, "
          f"{current['verified']:.1f} edits verified per sentence")
    for language in sorted({r.get("lang") for r in records}):
        subset = [r for r in records if r.get("lang") == language]
        per = evaluate(subset, margins, OFF)
        print(f"  {language}: recall {100 * per['recall']:.1f}% restored {100 * per['restored']:.1f}% "
              f"alarms {per['alarms']:.2f}/1k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
