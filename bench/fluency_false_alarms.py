"""False alarms of the fluency check on clean professional news.

Runs the `fluency.awkward` check (the model's detection plus rewrite ranking)
over ../shared/data/clean-news/<lang>.original.txt and prints findings per
1,000 words per language, with examples. Clean human-written news should
produce (almost) none; the target is well under 1 per 1,000 words. Also
prints how many findings would be auto-applied at --min-confidence, and, for
English, how many words per 1,000 the opt-in word-level QE rule
(`fluency.likely-edit`) marks on clean text (it is a triage tagger, not
silent by design; this says how much it marks where nothing is wrong). Reads data
outside the repository (skipped cleanly when absent); needs the model.
`--source wmt22-ref` reads the professional references of
../shared/data/parallel/wmt22 instead (the first pair into each language).

    python bench/fluency_false_alarms.py [--langs en,de,fr] [--max-lines 150]
        [--skip-lines N] [--source clean|wmt22-ref] [--no-qe]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clean-news"
WMT22 = DATA.parent / "parallel" / "wmt22"


def text_file(data: Path, source: str, lang: str) -> Path | None:
    """clean-news/<lang>.original.txt, or with --source wmt22-ref the
    professional reference of the first WMT22 pair into <lang> (held out from
    every calibration of the fluency check)."""
    if source == "clean":
        return data / f"{lang}.original.txt"
    pairs = sorted(WMT22.glob(f"*-{lang}"))
    return pairs[0] / f"ref.{lang}" if pairs else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--langs", default="en,de,fr")
    parser.add_argument("--max-lines", type=int, default=150, help="per language; 0 = all")
    parser.add_argument("--skip-lines", type=int, default=0, help="start later (held-out lines)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--min-confidence", type=float, default=0.9)
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--source", choices=("clean", "wmt22-ref"), default="clean")
    parser.add_argument("--no-qe", action="store_true", help="skip the word-level QE rate (faster)")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    from mtqa.fluency.review import likely_edits, review
    from mtqa.fluency.scorer import get_scorer
    from mtqa.segment import word_count

    from mtqa.checks.fluency import CALIBRATED_LANGUAGES

    scorer = get_scorer(args.model)
    print(f"model {scorer.name}, threads {scorer.threads}; the check runs for {', '.join(CALIBRATED_LANGUAGES)} "
          "(other languages are measured here with the model forced on)")
    print(f"{'lang':5} {'lines':>6} {'words':>7} {'findings':>8} {'per 1k':>7} {'applied':>7} {'qe/1k':>6} {'s/line':>6}")
    for lang in args.langs.split(","):
        path = text_file(args.data, args.source, lang)
        if path is None or not path.is_file():
            print(f"{lang:5} skipped (no data)")
            continue
        lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        lines = lines[args.skip_lines :]
        if args.max_lines:
            lines = lines[: args.max_lines]
        words = findings = applied = marked = 0
        examples = []
        began = time.perf_counter()
        for line in lines:
            words += word_count(line)
            if lang == "en" and not args.no_qe:
                for edit in likely_edits(line, lang, args.model) or []:
                    marked += word_count(line[edit.start : edit.end])
            for proposal in review(line, lang, args.model):
                findings += 1
                applied += bool(proposal.suggestions) and proposal.fix != "display-only" and proposal.confidence >= args.min_confidence
                if len(examples) < args.examples:
                    examples.append((line[proposal.start : proposal.end], proposal.suggestions[:2],
                                     round(proposal.confidence, 2), line[max(0, proposal.start - 40) : proposal.end + 30]))
        elapsed = time.perf_counter() - began
        rate = 1000 * findings / max(1, words)
        print(f"{lang:5} {len(lines):6d} {words:7d} {findings:8d} {rate:7.2f} {applied:7d} "
              f"{(f'{1000 * marked / max(1, words):6.1f}' if lang == 'en' else '     -')} {elapsed / max(1, len(lines)):6.2f}")
        for example in examples:
            print("      ", example)
    return 0


if __name__ == "__main__":
    sys.exit(main())
