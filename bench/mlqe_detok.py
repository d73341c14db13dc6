"""Do the entity/spacing rules turn Moses-tokenised MT output into normal text?

Reads ../shared/data/mlqe-pe/dev/<lp>-dev/dev.mt (skipped when absent), fixes
every line with the mechanical rules and prints, per language pair: the share
of lines changed, lines still showing a tokenizer trace (` ,`, ` .`, `n't`
split, `( `), idempotence failures, and agreement with sacremoses'
MosesDetokenizer as a yardstick (not as ground truth: it leaves `do n't` and
breaks `Bayes' theorem`).

    python bench/mlqe_detok.py [--pairs ro-en,ru-en] [--show 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from sacremoses import MosesDetokenizer

import mtqa

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mlqe-pe" / "dev"
TRACE = re.compile(r"\w [,.;:!?](?=\s|$)| n't\b| '(?:s|re|ve|ll|m|d)\b|\( | \)| \" \w")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pairs", default="ro-en,ru-en,et-en,ne-en,si-en,en-de,en-zh")
    parser.add_argument("--show", type=int, default=0, help="examples of remaining traces per pair")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    print(f"{'pair':6} {'lines':>6} {'changed':>8} {'trace left':>11} {'not idempotent':>15} {'= Moses':>8} {'s':>6}")
    for pair in args.pairs.split(","):
        path = args.data / f"{pair}-dev" / "dev.mt"
        if not path.is_file():
            continue
        target = pair.split("-")[1]
        detokenizer = MosesDetokenizer(target)
        lines = path.read_text(encoding="utf-8").splitlines()
        changed = traces = unstable = same = 0
        examples: list[str] = []
        started = time.perf_counter()
        for line in lines:
            fixed = mtqa.fix(line, target, select=["entities", "spacing"])
            changed += fixed != line
            unstable += mtqa.fix(fixed, target, select=["entities", "spacing"]) != fixed
            if TRACE.search(fixed):
                traces += 1
                examples.append(fixed)
            same += detokenizer.detokenize(line.split()) == fixed
        n = len(lines)
        elapsed = time.perf_counter() - started
        print(f"{pair:6} {n:>6} {changed / n:>8.1%} {traces:>11} {unstable:>15} {same / n:>8.1%} {elapsed:>6.1f}")
        for example in examples[: args.show]:
            print(f"         trace: {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
