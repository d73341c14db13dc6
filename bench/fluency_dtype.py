"""Which dtype runs the fluency model faster here, and does it change results?

Loads the model twice in one process (float32, then bfloat16 from the same
cached weights), and prints for each: the bare forward pass and the detection
pass over the ~800-word article of bench/fluency_speed.py (best of --repeat),
then how far bfloat16's per-token log-probs are from float32's on that article
and whether it keeps float32's preference on fluent/disfluent pairs written
for this project. The scorer itself picks bfloat16 only where a quick probe
of one projection measures it at most 0.75x float32's time (remembered per
CPU, mtqa/fluency/dtype_choice.py); this bench checks that choice on the
whole model.

    python bench/fluency_dtype.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fluency_speed import article  # noqa: E402

PAIRS = [
    ("The minister has no intention of resigning.", "The minister will no intention of resigning."),
    ("Dozens of homes were destroyed by the fire.", "Dozens of homes was destroyed by the fire."),
    ("The airline said it would cut fares.", "The airline said she would cut fares."),
    ("The result depends on the weather.", "The result depends from the weather."),
    ("Prices rose sharply last year.", "The prices rose sharply the last year."),
    ("Die Regierung hat den Plan am Montag vorgestellt.", "Die Regierung hat der Plan am Montag vorgestellt."),
    ("Das Ministerium wollte sich nicht äußern.", "Das Ministerium wird kein Kommentar."),
    ("Le gouvernement a présenté son plan lundi.", "Le gouvernement a présenté sa plan lundi."),
    ("Elle a parlé de la réforme.", "Elle a parlé du la réforme."),
]


def preferences(scorer) -> list[bool]:
    """For each of PAIRS: does the scorer give the fluent text the higher log-prob?"""
    logprobs = scorer.sequence_logprob([text for pair in PAIRS for text in pair])
    return [logprobs[i] > logprobs[i + 1] for i in range(0, len(logprobs), 2)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from mtqa.fluency import scorer as scorer_module
    from mtqa.segment import sentences

    name, text = article()
    spans = [s.text for s in sentences(text)]
    results = {}
    for dtype in ("float32", "bfloat16"):
        os.environ["MTQA_DTYPE"] = dtype
        scorer_module._SCORERS.clear()
        scorer = scorer_module.get_scorer(None)
        scorer.forward_only(spans[:2])
        bare, detect = [], []
        for _ in range(args.repeat):
            began = time.perf_counter()
            scorer.forward_only(spans)
            bare.append(time.perf_counter() - began)
            began = time.perf_counter()
            scored = scorer.token_logprobs(spans, top_k=8)
            detect.append(time.perf_counter() - began)
        results[dtype] = {
            "bare": min(bare), "detect": min(detect), "tokens": [t.logprob for s in scored for t in s.tokens],
            "prefers": preferences(scorer),
        }
        print(f"{dtype:9s} bare forward {min(bare):6.2f} s  detection {min(detect):6.2f} s  "
              f"({scorer.threads} thread(s), {article.__name__}: {name})")
        del scorer
        scorer_module._SCORERS.clear()
    f32, b16 = results["float32"], results["bfloat16"]
    diffs = [abs(a - b) for a, b in zip(f32["tokens"], b16["tokens"])]
    print(f"bfloat16 / float32 time: bare {b16['bare'] / f32['bare']:.2f}x, detection {b16['detect'] / f32['detect']:.2f}x")
    print(f"per-token log-prob change: mean {statistics.mean(diffs):.3f}, max {max(diffs):.3f} nats "
          f"over {len(diffs)} tokens")
    agree = sum(a == b for a, b in zip(f32["prefers"], b16["prefers"]))
    print(f"preference pairs: float32 right on {sum(f32['prefers'])}/{len(PAIRS)}, bfloat16 on "
          f"{sum(b16['prefers'])}/{len(PAIRS)}; same verdict on {agree}/{len(PAIRS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
