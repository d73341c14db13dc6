"""Score MLQE-PE MT lines with the fluency model once and keep the token data.

Training and evaluating the word-level QE head (mtqa/fluency/qe.py) needs the
model's per-token scores for thousands of lines; on a 2-core CPU that takes
minutes, while refitting the head takes seconds. This script runs the model
and appends one JSON record per line to a cache file (resumable: lines already
in the file are skipped), which scripts/train_qe_head.py and bench/qe_eval.py
read.

Each record: pair, split, line number, the detokenised text, the Moses tokens
and their gold word tags, the post-edit, and per sentence the scored tokens
(offsets, log-prob, entropy, top-k ids and log-probs). Reads
../shared/data/mlqe-pe (not in the repository).

    python scripts/qe_dump.py --split train --lines 0:600 --out ~/.cache/mtqa/qe/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from qe_records import DATA, PAIRS, read_pair  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--split", default="train")
    parser.add_argument("--pairs", default=PAIRS)
    parser.add_argument("--lines", default="0:400", help="slice of line numbers per pair, start:stop")
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--batch", type=int, default=32, help="lines scored per model call")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    from sacremoses import MosesDetokenizer

    from mtqa.fluency import detect
    from mtqa.fluency.scorer import get_scorer
    from mtqa.segment import sentences

    scorer = get_scorer(args.model)
    detok = MosesDetokenizer("en")
    start, stop = (int(x) for x in args.lines.split(":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if args.out.is_file():
        for line in args.out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            done.add((record["model"], record["split"], record["pair"], record["line"]))
    with args.out.open("a", encoding="utf-8") as out:
        for pair in args.pairs.split(","):
            rows = read_pair(args.data, args.split, pair)
            if rows is None:
                print(f"{pair}: no data", file=sys.stderr)
                continue
            todo = [n for n in range(start, min(stop, len(rows))) if (scorer.name, args.split, pair, n) not in done]
            for first in range(0, len(todo), args.batch):
                chunk = todo[first : first + args.batch]
                texts = {n: detok.detokenize(rows[n][0].split()) for n in chunk}
                spans = {n: sentences(texts[n]) for n in chunk}
                flat = [(n, s) for n in chunk for s in spans[n]]
                scored = scorer.token_logprobs([s.text for _, s in flat], top_k=detect.TOP_K)
                by_line: dict[int, list] = {n: [] for n in chunk}
                for (n, span), result in zip(flat, scored):
                    by_line[n].append(
                        {
                            "start": span.start,
                            "tokens": [
                                [t.start, t.end, round(t.logprob, 4), round(t.entropy, 4), t.token_id,
                                 [[i, round(lp, 3)] for i, lp in t.top]]
                                for t in result.tokens
                            ],
                        }
                    )
                for n in chunk:
                    mt, tags, pe = rows[n]
                    record = {
                        "model": scorer.name, "split": args.split, "pair": pair, "line": n,
                        "text": texts[n], "mt_tokens": mt.split(), "word_tags": tags.split()[1::2],
                        "pe": pe, "sentences": by_line[n],
                    }
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                print(f"{pair} {first + len(chunk)}/{len(todo)}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
