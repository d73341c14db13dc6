"""Word-level QE and correction quality of the fluency check on MLQE-PE dev.

For each into-English pair, runs the fluency model over the MT output (target
side only, no source) and prints:

- MCC between words the model flags and the gold BAD word tags, at the
  word-level QE threshold (every anomalous word) and at the check's operating
  point (only the spans the `fluency.awkward` check reports);
- TER and chrF (sacrebleu) of the MT and of the fixed text against the human
  post-edit: the fix should move the text towards the post-edit.

The .mt files are Moses-tokenised: each line is detokenised before scoring
(the check sees real text) and flagged character spans are mapped back onto
the whitespace tokens that the tags describe. Reads ../shared/data/mlqe-pe
(not in the repository; skipped cleanly when absent). Needs the model.

    python bench/qe_eval.py [--pairs ro-en,et-en] [--max-lines 100] [--split dev]
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mlqe-pe"
PAIRS = "ro-en,et-en,ne-en,si-en,ru-en"


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def token_spans(tokens: list[str], text: str) -> list[tuple[int, int] | None]:
    """Character span of each Moses token inside the detokenised text."""
    spans: list[tuple[int, int] | None] = []
    position = 0
    for token in tokens:
        plain = html.unescape(token)
        found = text.find(plain, position)
        if found < 0:
            spans.append(None)
            continue
        spans.append((found, found + len(plain)))
        position = found + len(plain)
    return spans


def flags_on_tokens(spans, flagged: list[tuple[int, int]]) -> list[bool]:
    return [s is not None and any(a < s[1] and s[0] < b for a, b in flagged) for s in spans]


def apply(text: str, proposals, min_confidence: float) -> str:
    out = text
    for p in sorted(proposals, key=lambda p: -p.start):
        if p.suggestions and p.confidence >= min_confidence:
            out = out[: p.start] + p.suggestions[0] + out[p.end :]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pairs", default=PAIRS)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--max-lines", type=int, default=200)
    parser.add_argument("--model", default=None)
    parser.add_argument("--min-confidence", type=float, default=0.9)
    parser.add_argument("--cache", type=Path, default=None, help="JSONL of per-line results to reuse")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    import sacrebleu
    from sacremoses import MosesDetokenizer

    from mtqa.fluency import detect
    from mtqa.fluency.review import review
    from mtqa.fluency.scorer import get_scorer

    scorer = get_scorer(args.model)
    detok = MosesDetokenizer("en")
    cached: dict[str, dict] = {}
    if args.cache and args.cache.is_file():
        for line in args.cache.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            cached[record["key"]] = record
    cache_out = args.cache.open("a", encoding="utf-8") if args.cache else None
    print(f"model {scorer.name}, threads {scorer.threads}, split {args.split}, {args.max_lines} lines/pair")
    print(f"{'pair':6} {'lines':>5} {'BAD%':>5} {'MCC-qe':>7} {'MCC-chk':>7} {'TER mt':>7} {'TER fix':>7} "
          f"{'chrF mt':>7} {'chrF fix':>8} {'changed':>7} {'s/line':>6}")
    for pair in args.pairs.split(","):
        folder = args.data / args.split / f"{pair}-{args.split}"
        if not folder.is_dir():
            print(f"{pair:6} skipped (no data)")
            continue
        prefix = folder / args.split
        mts = prefix.with_suffix(".mt").read_text(encoding="utf-8").splitlines()[: args.max_lines]
        tags = prefix.with_suffix(".tags").read_text(encoding="utf-8").splitlines()[: args.max_lines]
        pes = prefix.with_suffix(".pe").read_text(encoding="utf-8").splitlines()[: args.max_lines]
        counts_qe = [0, 0, 0, 0]
        counts_check = [0, 0, 0, 0]
        hyps_mt, hyps_fix, refs = [], [], []
        began = time.perf_counter()
        for number, (mt, tag_line, pe) in enumerate(zip(mts, tags, pes)):
            key = f"{scorer.name}|{args.split}|{pair}|{number}"
            tokens = mt.split()
            text = detok.detokenize(tokens)
            if key in cached:
                record = cached[key]
            else:
                analyses: list = []
                proposals = review(text, "en", args.model, threshold=detect.QE_THRESHOLD, analyses=analyses)
                qe_spans = [
                    (a.start + a.words[i].start, a.start + a.words[i].end) for a in analyses for i in a.anomalies
                ]
                record = {
                    "key": key,
                    "qe": qe_spans,
                    "check": [(p.start, p.end) for p in proposals],
                    "fixed": apply(text, proposals, args.min_confidence),
                }
                if cache_out:
                    cache_out.write(json.dumps(record) + "\n")
                    cache_out.flush()
            word_tags = tag_line.split()[1::2][: len(tokens)]
            spans = token_spans(tokens, text)
            for counts, flagged in ((counts_qe, record["qe"]), (counts_check, record["check"])):
                for flag, gold in zip(flags_on_tokens(spans, flagged), word_tags):
                    bad = gold == "BAD"
                    counts[0 if flag and bad else 1 if flag else 2 if bad else 3] += 1
            hyps_mt.append(text)
            hyps_fix.append(record["fixed"])
            refs.append(detok.detokenize(pe.split()))
        elapsed = time.perf_counter() - began
        n = len(hyps_mt)
        bad_rate = (counts_qe[0] + counts_qe[2]) / max(1, sum(counts_qe))
        ter = sacrebleu.metrics.TER()
        chrf = sacrebleu.metrics.CHRF()
        changed = sum(a != b for a, b in zip(hyps_mt, hyps_fix))
        print(
            f"{pair:6} {n:5d} {100 * bad_rate:5.1f} {mcc(*counts_qe):7.3f} {mcc(*counts_check):7.3f} "
            f"{ter.corpus_score(hyps_mt, [refs]).score:7.2f} {ter.corpus_score(hyps_fix, [refs]).score:7.2f} "
            f"{chrf.corpus_score(hyps_mt, [refs]).score:7.2f} {chrf.corpus_score(hyps_fix, [refs]).score:8.2f} "
            f"{changed:7d} {elapsed / max(1, n):6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
