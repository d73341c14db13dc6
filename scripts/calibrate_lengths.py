"""Measure the sentence length model of every WMT22 language pair, for the
omission and addition rules (mtqa/bilingual/alignment.py).

Calibration lines only: the first 500 of each pair's source and reference
(../shared/data/parallel/wmt22/PAIR/src.* and ref.*), where each line is one
segment and its translation, so each line is a 1-1 bead. bench/bilingual.py
evaluates on the lines after these.

For each pair: c = target characters per source character (whitespace left
out), s2 = the variance of `target - c * source` per character of the mean
length, over all lines (outliers kept: they widen the model, which keeps
false alarms down). Each language's density is its characters per English
character, for pairs that were not calibrated, whose variance is twice the
median of s2 / c times their c.

    python scripts/calibrate_lengths.py [--write]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.bilingual.alignment import _MODEL, length  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "parallel" / "wmt22"
CALIBRATION_LINES = 500


def pair_model(sources: list[str], targets: list[str]) -> tuple[float, float]:
    lengths = [(length(s), length(t)) for s, t in zip(sources, targets) if length(s) and length(t)]
    c = sum(t for _, t in lengths) / sum(s for s, _ in lengths)
    s2 = sum((t - c * s) ** 2 for s, t in lengths) / sum((s + t / c) / 2 for s, t in lengths)
    return c, s2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {_MODEL.relative_to(ROOT)}")
    args = parser.parse_args()
    pairs: dict[str, dict[str, float]] = {}
    for folder in sorted(DATA.iterdir()):
        source_language, target_language = folder.name.split("-")
        sources = (folder / f"src.{source_language}").read_text(encoding="utf-8").splitlines()[:CALIBRATION_LINES]
        targets = (folder / f"ref.{target_language}").read_text(encoding="utf-8").splitlines()[:CALIBRATION_LINES]
        c, s2 = pair_model(sources, targets)
        pairs[folder.name] = {"c": round(c, 4), "s2": round(s2, 3)}
        print(f"{folder.name}: c {c:.3f} s2 {s2:.2f}")
    estimates: dict[str, list[float]] = {"en": [1.0]}
    for name, model in pairs.items():
        source_language, target_language = name.split("-")
        if source_language == "en":
            estimates.setdefault(target_language, []).append(model["c"])
        elif target_language == "en":
            estimates.setdefault(source_language, []).append(1 / model["c"])
    known = {language: statistics.mean(values) for language, values in estimates.items()}
    pivoted: dict[str, list[float]] = {}  # languages paired with English through no pair: through a known one
    for name, model in pairs.items():
        source_language, target_language = name.split("-")
        if source_language in known and target_language not in known:
            pivoted.setdefault(target_language, []).append(known[source_language] * model["c"])
        elif target_language in known and source_language not in known:
            pivoted.setdefault(source_language, []).append(known[target_language] / model["c"])
    known.update({language: statistics.mean(values) for language, values in pivoted.items()})
    density = {language: round(value, 4) for language, value in sorted(known.items())}
    table = {
        "about": "Sentence length model per language pair: c = target characters per source character "
                 "(whitespace left out), s2 = variance per character. Measured by scripts/calibrate_lengths.py "
                 f"on WMT22 lines 0-{CALIBRATION_LINES - 1} of each pair (source and reference).",
        "pairs": pairs,
        "density": density,
        "default_density": 1.0,
        # The variance grows with the target's scale (c): twice the median per unit of c.
        "fallback_s2_per_c": round(2 * statistics.median(m["s2"] / m["c"] for m in pairs.values()), 3),
    }
    print("density:", density)
    if args.write:
        _MODEL.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
