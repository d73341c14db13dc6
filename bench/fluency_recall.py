"""Recall of the fluency check on weak-MT errors put into clean news, and its
false alarms on the same news untouched.

For each language, sentences of ../shared/data/clean-news/<lang>.original.txt
from one line range (the split) get one error of each kind of
bench/error_injection.py; the check (`fluency.awkward`, through
mtqa.fluency.review, as `mtqa check` runs it) reviews each damaged sentence.
Printed per language and kind:

- flagged: a finding touches the damaged words (for a dropped word, the words
  beside the gap);
- restored: that finding's top suggestion gives back the clean sentence;

and, on other sentences of the same range left untouched, false alarms per
1,000 words (every finding on clean news is one), with examples.

Splits (line ranges of each file) keep calibration and evaluation apart: the
sweep's thresholds (mtqa/fluency/sweep.py) were chosen on `calibration` only;
`evaluation` lines were not looked at while tuning.

    python bench/fluency_recall.py [--split evaluation] [--langs en,de,fr]
        [--per-kind 30] [--clean 300] [--kinds aux,article] [--dump candidates.jsonl]

--dump writes every candidate the sweep verified, with its gains, and the
margins switched off (for calibrating them offline, scripts/calibrate_sweep.py);
--dump-screens aux=-1,... also verifies what lower screens would let in, with
no cap per sentence (for choosing the screens: calibrate_sweep.py --screens).
Needs the model and the data (skips cleanly when absent).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from error_injection import KINDS, inject, target_words  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clean-news"
SPLITS = {
    "calibration": {"en": (0, 2000), "de": (0, 1500), "fr": (0, 1000)},
    "evaluation": {"en": (6000, 8549), "de": (3000, 4483), "fr": (2000, 3001)},
    # Lines neither split uses, for checking a change of calibration procedure
    # after the evaluation figures were seen (the evaluation lines then no
    # longer count as unseen).
    "validation": {"en": (2000, 4000), "de": (1500, 3000), "fr": (1000, 2000)},
    # More untouched calibration sentences, from English lines no other split
    # uses: a false-alarm budget of 0.1 per 1,000 words means little on the
    # 23,000 words of the first calibration's untouched sentences.
    # French has no original lines left: its extra untouched sentences are
    # clean-news's human translations into French (fr.humantranslated.txt).
    "calibration-extra": {"en": (4000, 6000), "fr": (0, 2978, "humantranslated")},
}


def pool(language: str, split: str, seed: int) -> list[str]:
    """Prose sentences (8-45 words, final punctuation) of the split's lines, shuffled."""
    from mtqa.segment import sentences

    lo, hi, *kind = SPLITS[split][language]
    lines = (DATA / f"{language}.{kind[0] if kind else 'original'}.txt").read_text(encoding="utf-8").splitlines()[lo:hi]
    found = []
    for line in lines:
        for span in sentences(line):
            words = span.text.split()
            if 8 <= len(words) <= 45 and span.text.rstrip()[-1:] in ".!?" and span.text[:1].isupper():
                found.append(span.text)
    random.Random(seed).shuffle(found)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="evaluation")
    parser.add_argument("--langs", default="en,de,fr")
    parser.add_argument("--kinds", default=",".join(KINDS), help="error kinds to put in (default: all)")
    parser.add_argument("--per-kind", type=int, default=30, help="damaged sentences per language and kind")
    parser.add_argument("--clean", type=int, default=300, help="untouched sentences per language")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default=None)
    parser.add_argument("--examples", type=int, default=4)
    parser.add_argument("--dump", type=Path, help="write every verified candidate (margins off) as JSONL")
    parser.add_argument("--dump-screens", default="", metavar="KIND=NATS,...",
                        help="with --dump: verify edits of these kinds from these screens (sweep.KIND_SCREEN), "
                             "with no cap per sentence, so that scripts/calibrate_sweep.py --screens can "
                             "choose screens on the dump (every language of --langs)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    from mtqa.checks.fluency import CALIBRATED_LANGUAGES
    from mtqa.fluency import review as review_module, sweep
    from mtqa.fluency.scorer import get_scorer

    captured: list = []
    if args.dump:
        sweep.margin_for = lambda kind, language, behind=False: -1e9  # margins off: every verified edit
        sweep.anomaly_margin = lambda kind, language: -1e9
        real_verify = sweep.verify

        def recording(scorer, candidates):
            results = real_verify(scorer, candidates)
            captured.extend(results)
            return results

        sweep.verify = recording
        dump = args.dump.open("w", encoding="utf-8")
        if args.dump_screens:
            sweep.try_kind_screens(args.dump_screens, [language.strip() for language in args.langs.split(",")])
            sweep.MAX_PER_SENTENCE = sweep.MAX_RIGHT_PER_SENTENCE = 10**6
    scorer = get_scorer(args.model)
    print(f"split {args.split}; model {scorer.name}, {scorer.threads} thread(s); enabled languages: "
          f"{', '.join(CALIBRATED_LANGUAGES)}")

    def run(text: str, language: str) -> list:
        captured.clear()
        proposals = review_module.review(text, language, args.model)
        if args.dump:
            anomaly = [dict(start=p.start, end=p.end, suggestion=(p.suggestions or [None])[0],
                            edit=p.context.get("edit"), gain=p.context.get("gain"), anomaly=round(p.anomaly, 3),
                            fluency=p.context.get("sentence_fluency"))
                       for p in proposals if "screen" not in p.context]
            # The sweep is verified at every word; review drops what overlaps
            # the anomaly path's proposal (review._sweep), and so does the dump.
            sweep_found = [dict(start=f.edit.start, end=f.edit.end, replacement=f.edit.replacement, word=f.word,
                                kind=f.kind, screen=round(f.screen, 3), right=round(f.right, 3),
                                excess=round(f.excess, 3), fluency=round(f.fluency, 3),
                                gain=round(f.gain, 3))
                           for f in captured if f is not None
                           and not any(a["start"] < max(f.edit.end, f.edit.start + 1) + 1
                                       and f.edit.start < a["end"] + 1 for a in anomaly)]
            records.append(dict(text=text, sweep=sweep_found, anomaly=anomaly))
        return proposals

    for language in [x.strip() for x in args.langs.split(",") if x.strip()]:
        sentences = pool(language, args.split, args.seed)
        clean, rest = sentences[: args.clean], sentences[args.clean :]
        rng = random.Random(args.seed)
        began = time.perf_counter()
        rows = []
        examples: dict[str, list[str]] = {}
        records: list[dict] = []
        for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
            made = flagged = restored = 0
            for sentence in rest:
                if made >= args.per_kind:
                    break
                injected = inject(sentence, kind, language, rng)
                if injected is None:
                    continue
                made += 1
                lo, hi = target_words(injected)
                hits = [p for p in run(injected.text, language) if p.start < hi and lo < p.end]
                if records:
                    records[-1].update(set="injected", kind=kind, original=sentence, target=[lo, hi], lang=language)
                if hits:
                    flagged += 1
                    best = hits[0]
                    fixed = injected.text[: best.start] + (best.suggestions or [""])[0] + injected.text[best.end :]
                    if best.suggestions and fixed == sentence:
                        restored += 1
                    elif len(examples.setdefault(kind, [])) < args.examples:
                        examples[kind].append(f"{injected.text[lo:hi]!r} -> {best.suggestions[:2]}")
            if made:
                rows.append((kind, made, flagged, restored))
        words = alarms = 0
        alarm_examples = []
        for sentence in clean:
            words += len(sentence.split())
            found = run(sentence, language)
            if records:
                records[-1].update(set="clean", lang=language)
            alarms += len(found)
            for p in found[: max(0, args.examples * 2 - len(alarm_examples))]:
                alarm_examples.append(f"{sentence[p.start:p.end]!r} -> {p.suggestions[:2]} "
                                      f"({p.confidence:.2f}, {p.context.get('edit')})")
        seconds = time.perf_counter() - began
        total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
        print(f"\n{language}: {len(clean)} clean sentences ({words} words), {total[0]} damaged; {seconds:.0f} s")
        print(f"  {'kind':14s} {'n':>4s} {'flagged':>8s} {'restored':>9s}")
        for kind, made, flagged, restored in rows:
            print(f"  {kind:14s} {made:4d} {100 * flagged / made:7.0f}% {100 * restored / made:8.0f}%")
        if total[0]:
            print(f"  {'all':14s} {total[0]:4d} {100 * total[1] / total[0]:7.0f}% {100 * total[2] / total[0]:8.0f}%")
        print(f"  false alarms on untouched sentences: {alarms} = {1000 * alarms / max(1, words):.2f} per 1,000 words")
        for line in alarm_examples:
            print(f"    alarm: {line}")
        for kind, lines in examples.items():
            for line in lines:
                print(f"    missed restore ({kind}): {line}")
        if args.dump:
            for record in records:
                dump.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.dump:
        dump.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
