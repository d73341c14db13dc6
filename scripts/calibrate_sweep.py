"""Choose the sweep's thresholds from a calibration dump.

Reads what `bench/fluency_recall.py --split calibration --dump FILE` wrote
(every candidate the sweep verified, margins off, for damaged and untouched
sentences) and replays the sweep's decision for a grid of thresholds: the
screen gain (sweep.SCREEN_GAIN) and the window-gain margin, globally and per
error kind (sweep.MARGIN, sweep.KIND_MARGIN). Prints, per setting, recall
(flagged at the damaged words), restored (top suggestion gives back the clean
sentence) and false alarms per 1,000 words of the untouched sentences, and the
setting with the best recall whose false alarms stay under --max-alarms.

Only calibration lines may go in; the figures to report come from
`bench/fluency_recall.py --split evaluation` afterwards.

    python scripts/calibrate_sweep.py DUMP.jsonl [DUMP2.jsonl ...] [--max-alarms 0.3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

SEPARATION = 2


def proposals(record: dict, screen: float, margins: dict, default: float) -> list[tuple[int, int, str]]:
    """(start, end, corrected text) of what the check would propose."""
    text = record["text"]
    found = [f for f in record["sweep"] if f["screen"] >= screen and f["gain"] >= margins.get(f["kind"], default)]
    chosen = []
    for f in sorted(found, key=lambda f: -f["gain"]):
        if all(abs(f["word"] - c["word"]) >= SEPARATION for c in chosen):
            chosen.append(f)
    out = [(f["start"], max(f["end"], f["start"] + 1), text[: f["start"]] + f["replacement"] + text[f["end"] :])
           for f in chosen]
    for a in record["anomaly"]:
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
    args = parser.parse_args()
    records = [json.loads(line) for path in args.dumps for line in path.open(encoding="utf-8")]
    kinds = sorted({f["kind"] for r in records for f in r["sweep"]})
    best = None
    for screen, default in itertools.product((1.0, 2.0, 3.0, 4.0), (3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0)):
        margins = {kind: default for kind in kinds}
        # While alarms exceed the target, raise the margin of the kind whose
        # next step removes alarms for the least recall (greedy).
        while True:
            current = evaluate(records, screen, margins, default)
            if current["alarms"] <= args.max_alarms:
                break
            steps = []
            for kind in kinds:
                if margins[kind] >= 99.0:
                    continue
                trial = dict(margins, **{kind: margins[kind] + 1.0 if margins[kind] < default + 10 else 99.0})
                result = evaluate(records, screen, trial, default)
                removed = current["alarms"] - result["alarms"]
                if removed > 0:
                    steps.append(((current["recall"] - result["recall"]) / removed, kind, trial))
            if not steps:
                break
            margins = min(steps)[2]
        result = evaluate(records, screen, margins, default)
        print(f"screen {screen:4.1f} margin {default:5.1f}: recall {100 * result['recall']:5.1f}% restored "
              f"{100 * result['restored']:5.1f}% alarms {result['alarms']:.2f}/1k  kinds {margins}")
        if result["alarms"] <= args.max_alarms and (best is None or result["recall"] > best[0]["recall"]):
            best = (result, screen, default, margins)
    if best:
        result, screen, default, margins = best
        print(f"\nbest under {args.max_alarms}/1k: SCREEN_GAIN={screen} MARGIN={default} KIND_MARGIN={margins}")
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
