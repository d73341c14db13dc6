"""Choose the output-layer rows the scorer normalises over (mtqa/fluency/output_vocabulary.py).

Kept: every token the model's tokenizer produces on the calibration text
(clean-news human translations: English lines 0-19,999 (the pronoun
calibration's lines; 20,000+ evaluate it), all German and French lines),
the TOP rows with the most predicted probability summed over every position
of the first LINES lines of each of those files (what the model expects
there, also where the text says something else), and the first 300 ids
(control and special tokens). Lines of `*.original.txt`, which the recall
bench splits into calibration, validation and evaluation, are not read.

    python scripts/choose_output_vocabulary.py [--model gemma3-270m] [--top 65536] [--lines 250] [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clean-news"
SOURCES = {"en": (0, 20000), "de": (0, None), "fr": (0, None)}  # humantranslated line ranges
SPECIAL = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gemma3-270m")
    parser.add_argument("--top", type=int, default=65536)
    parser.add_argument("--lines", type=int, default=250)
    parser.add_argument("--write", action="store_true", help="write mtqa/fluency/vocab/<model>.json")
    args = parser.parse_args()
    os.environ["MTQA_FULL_VOCABULARY"] = "1"  # choose with the full layer
    import torch

    from mtqa.fluency.output_vocabulary import OutputVocabulary, path_for
    from mtqa.fluency.scorer import get_scorer

    scorer = get_scorer(args.model)
    size = scorer.model.get_output_embeddings().weight.shape[0]
    seen: set[int] = set(range(min(SPECIAL, size)))
    mass = torch.zeros(size, dtype=torch.float64)
    began = time.perf_counter()
    for language, (lo, hi) in SOURCES.items():
        path = DATA / f"{language}.humantranslated.txt"
        if not path.is_file():
            raise SystemExit(f"{path} not found")
        lines = path.read_text(encoding="utf-8").splitlines()[lo:hi]
        for line in lines:
            seen.update(scorer.tokenizer(line, add_special_tokens=False)["input_ids"])
        with torch.inference_mode():
            for line in lines[: args.lines]:
                ids = [scorer.prefix_id] + list(scorer.tokenizer(line, add_special_tokens=False)["input_ids"])
                hidden = scorer.model.base_model(input_ids=torch.tensor([ids])).last_hidden_state[0]
                for _, block in scorer._logit_blocks(hidden):  # the full layer: MTQA_FULL_VOCABULARY above
                    mass += torch.softmax(block, -1).sum(0).double()
        print(f"{language}: {len(lines)} lines read, {len(seen)} tokens seen so far", file=sys.stderr)
    top = set(torch.argsort(mass, descending=True)[: args.top].tolist())
    kept = tuple(sorted(seen | top))
    print(f"{len(seen)} seen, {len(top)} by predicted mass, {len(kept)} of {size} kept "
          f"({100 * len(kept) / size:.1f}%), {time.perf_counter() - began:.0f} s")
    if args.write:
        vocabulary = OutputVocabulary(args.model, size, kept)
        chosen_by = (f"scripts/choose_output_vocabulary.py --top {args.top} --lines {args.lines}: tokens of "
                     "clean-news human translations (en lines 0-19,999, de, fr) and the rows of most predicted "
                     "probability on their first lines")
        target = path_for(args.model)
        target.parent.mkdir(exist_ok=True)
        target.write_text(vocabulary.to_json(chosen_by), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
