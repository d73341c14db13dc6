"""Which model rewrites move MT output towards its human post-edit?

Calibration data for the fluency rewrites' confidence: runs the rewrite
check over MLQE-PE MT lines (into English, target side only) with the
margins lowered so that every rewrite with a positive gain comes back, and
for each one compares the sentence's TER against the post-edit before and
after applying the top suggestion. Prints, per gain band and edit kind, how
often a rewrite helped, hurt or changed nothing. Writes one JSON record per
rewrite with --out. Reads ../shared/data/mlqe-pe (skipped cleanly when
absent); needs the model.

    python bench/rewrite_outcomes.py --split train --lines 0:200 [--out rewrites.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qe_records import DATA, PAIRS, read_pair  # noqa: E402

BANDS = (0, 2, 4, 6, 8, 10, 15)


def band(gain: float) -> str:
    low = max(b for b in BANDS if b <= gain) if gain >= 0 else 0
    higher = [b for b in BANDS if b > low]
    return f"{low}-{higher[0]}" if higher else f"{low}+"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--split", default="train")
    parser.add_argument("--pairs", default=PAIRS)
    parser.add_argument("--lines", default="0:200")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    from sacrebleu.metrics import TER
    from sacremoses import MosesDetokenizer

    from mtqa.fluency import rewrite
    from mtqa.fluency.review import review

    rewrite.FUNCTION_MARGIN = rewrite.FUNCTION_PROPOSE = rewrite.CONTENT_MARGIN = 0.0  # every rewrite that gains anything
    detok = MosesDetokenizer("en")
    ter = TER()
    start, stop = (int(x) for x in args.lines.split(":"))
    out = args.out.open("w", encoding="utf-8") if args.out else None
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for pair in args.pairs.split(","):
        rows = read_pair(args.data, args.split, pair)
        if rows is None:
            continue
        for number, (mt, _, pe) in enumerate(rows[start:stop], start):
            text, reference = detok.detokenize(mt.split()), detok.detokenize(pe.split())
            before = ter.sentence_score(text, [reference]).score
            for proposal in review(text, "en"):
                if not proposal.suggestions:
                    continue
                fixed = text[: proposal.start] + proposal.suggestions[0] + text[proposal.end :]
                after = ter.sentence_score(fixed, [reference]).score
                outcome = 0 if after < before else 1 if after == before else 2
                gain, kind = proposal.context["gain"], proposal.context["edit"]
                table[(band(gain), kind)][outcome] += 1
                table[(band(gain), "all")][outcome] += 1
                if out:
                    out.write(json.dumps({
                        "pair": pair, "line": number, "gain": gain, "kind": kind,
                        "anomaly": proposal.anomaly, "old": text[proposal.start : proposal.end],
                        "new": proposal.suggestions[0], "ter_before": before, "ter_after": after,
                    }) + "\n")
                    out.flush()
        print(f"{pair} done", file=sys.stderr, flush=True)
    print(f"{'gain':>6} {'edit':28} {'helped':>6} {'same':>5} {'hurt':>5}")
    for (gain_band, kind), (helped, same, hurt) in sorted(table.items()):
        print(f"{gain_band:>6} {kind:28} {helped:6d} {same:5d} {hurt:5d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
