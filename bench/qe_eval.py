"""Word-level QE and correction quality of the fluency rules on MLQE-PE dev.

For each into-English pair, runs mtqa's model rules over the MT output
(target side only, no source) through the public API, exactly as a user's
`mtqa check --extend-select fluency.likely-edit` would, and prints:

- MCC between the words `fluency.likely-edit` flags (the word-level QE head)
  and the gold BAD word tags; and the same for the spans `fluency.awkward`
  reports (the rewrite check, tuned for precision, not for QE);
- TER and chrF (sacrebleu) against the human post-edit of: the MT; `mtqa
  fix`'s output as a user gets it (every default rule, model rewrites at
  --min-confidence); and the model rewrites alone (`fix` columns marked
  `model`), so that what the language model contributes is not hidden behind
  what the mechanical rules (repeated words, loops) repair. The fix should
  move the text towards the post-edit.

The .mt files are Moses-tokenised: each line is detokenised before checking
(the check sees real text) and flagged character spans are mapped back onto
the whitespace tokens that the tags describe. The QE head was trained on the
train split (scripts/train_qe_head.py); this reads dev. Reads
../shared/data/mlqe-pe (not in the repository; skipped cleanly when absent).
Needs the model.

    python bench/qe_eval.py [--pairs ro-en,et-en] [--max-lines 100] [--skip 0]
    python bench/qe_eval.py --no-model --max-lines 1000   # the mechanical rules alone, all of dev
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qe_records import DATA, PAIRS, mcc, read_pair, token_counts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pairs", default=PAIRS)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--max-lines", type=int, default=100)
    parser.add_argument("--skip", type=int, default=0, help="start at this line of each pair")
    parser.add_argument("--min-confidence", type=float, default=0.9)
    parser.add_argument("--show", action="store_true", help="print every applied rewrite with the post-edit")
    parser.add_argument("--no-model", action="store_true",
                        help="mechanical rules only (seconds for all of dev): no MCC, no model columns")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    import sacrebleu
    from sacremoses import MosesDetokenizer

    import mtqa

    detok = MosesDetokenizer("en")
    if args.no_model:
        setting = "no model"
    else:
        from mtqa.fluency.scorer import get_scorer

        scorer = get_scorer(None)
        setting = f"model {scorer.name}, threads {scorer.threads}"
    print(f"{setting}, split {args.split}, lines "
          f"{args.skip}-{args.skip + args.max_lines} per pair, fix at confidence >= {args.min_confidence}")
    print(f"{'pair':6} {'lines':>5} {'BAD%':>5} {'MCC-qe':>7} {'MCC-chk':>7} {'TER mt':>7} {'TER fix':>7} "
          f"{'model':>6} {'chrF mt':>7} {'chrF fix':>8} {'model':>6} {'changed':>7} {'model':>5} {'s/line':>6}")
    for pair in args.pairs.split(","):
        rows = read_pair(args.data, args.split, pair)
        if rows is None:
            print(f"{pair:6} skipped (no data)")
            continue
        rows = rows[args.skip : args.skip + args.max_lines]
        counts_qe, counts_check = [0, 0, 0, 0], [0, 0, 0, 0]
        hyps_mt, hyps_fix, hyps_model, refs = [], [], [], []
        began = time.perf_counter()
        for mt, tag_line, pe in rows:
            tokens = mt.split()
            text = detok.detokenize(tokens)
            if args.no_model:
                result = model_only = mtqa.check(text, "en", use_model=False)
            else:
                result = mtqa.check(
                    text, "en", use_model=True, min_confidence=args.min_confidence,
                    extend_select=["fluency.likely-edit"],
                )
                # the same sentences again (their scores are cached): model rewrites only
                model_only = mtqa.check(
                    text, "en", use_model=True, min_confidence=args.min_confidence, select=["fluency.awkward"],
                )
            findings = result.findings
            qe = [(f.start, f.end) for f in findings if f.rule == "fluency.likely-edit"]
            check = [(f.start, f.end) for f in findings if f.rule == "fluency.awkward"]
            word_tags = tag_line.split()[1::2][: len(tokens)]
            for counts, flagged in ((counts_qe, qe), (counts_check, check)):
                for k, value in enumerate(token_counts(tokens, text, word_tags, flagged)):
                    counts[k] += value
            reference = detok.detokenize(pe.split())
            hyps_mt.append(text)
            hyps_fix.append(result.fixed_text)
            hyps_model.append(text if args.no_model else model_only.fixed_text)
            refs.append(reference)
            if args.show and result.fixed_text != text:
                print(f"  MT : {text}\n  FIX: {result.fixed_text}\n  PE : {reference}")
        elapsed = time.perf_counter() - began
        n = len(hyps_mt)
        bad_rate = (counts_qe[0] + counts_qe[2]) / max(1, sum(counts_qe))
        ter, chrf = sacrebleu.metrics.TER(), sacrebleu.metrics.CHRF()
        changed = sum(a != b for a, b in zip(hyps_mt, hyps_fix))
        changed_model = sum(a != b for a, b in zip(hyps_mt, hyps_model))
        scores = ("-", "-") if args.no_model else (f"{mcc(*counts_qe):.3f}", f"{mcc(*counts_check):.3f}")
        print(
            f"{pair:6} {n:5d} {100 * bad_rate:5.1f} {scores[0]:>7} {scores[1]:>7} "
            f"{ter.corpus_score(hyps_mt, [refs]).score:7.2f} {ter.corpus_score(hyps_fix, [refs]).score:7.2f} "
            f"{ter.corpus_score(hyps_model, [refs]).score:6.2f} "
            f"{chrf.corpus_score(hyps_mt, [refs]).score:7.2f} {chrf.corpus_score(hyps_fix, [refs]).score:8.2f} "
            f"{chrf.corpus_score(hyps_model, [refs]).score:6.2f} "
            f"{changed:7d} {changed_model:5d} {elapsed / max(1, n):6.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
