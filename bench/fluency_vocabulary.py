"""The reduced output layer (mtqa/fluency/output_vocabulary.py) against the full one.

One model in one process, scored both ways (the scorer's kept rows switched
off and on), prints:
- per-token log-probs on held-out news (the recall bench's evaluation lines
  of clean-news *.original.txt: en 6000+, de 3000+, fr 2000+; the rows were
  chosen on human translations, not on these): how far they move, and
  whether the top-1 prediction stays the same;
- the verdict on the fluent/disfluent pairs of bench/fluency_dtype.py;
- the fluency findings of `mtqa.check` on corpora/en/*.mt.txt and, where it
  exists, the seed article, both ways;
- the time of the detection pass and of the whole check over the ~800-word
  article of bench/fluency_speed.py, both ways, against the bare forward pass
  of the full model in the same run (best of --repeat).

    python bench/fluency_vocabulary.py [--sentences 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from fluency_dtype import PAIRS, preferences  # noqa: E402
from fluency_speed import article  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "clean-news"
HELD_OUT = {"en": 6000, "de": 3000, "fr": 2000}
SEED = ROOT.parent / "shared" / "seeds" / "idlib-article.txt"


def quantiles(values: list[float]) -> str:
    values = sorted(values)
    at = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return f"median {at(0.5):.4f}, p90 {at(0.9):.3f}, p99 {at(0.99):.3f}, max {values[-1]:.3f}"


def held_out(language: str, count: int) -> list[str]:
    path = DATA / f"{language}.original.txt"
    if not path.is_file():
        return []
    from mtqa.segment import sentences

    picked = []
    for line in path.read_text(encoding="utf-8").splitlines()[HELD_OUT[language] :]:
        picked.extend(s.text for s in sentences(line) if len(s.text.split()) >= 5)
        if len(picked) >= count:
            break
    return picked[:count]


def findings(text: str, language: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The model's findings of a whole `mtqa.check` (after the mechanical rules)."""
    import mtqa
    from mtqa.fluency.review import forget_analyses

    forget_analyses()
    result = mtqa.check(text, lang=language, use_model=True)
    return [(f.start, f.end, tuple(f.suggestions[:2])) for f in result.findings if f.origin == "model"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=60, help="held-out sentences per language")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from mtqa.fluency import detect
    from mtqa.fluency.review import forget_analyses, review
    from mtqa.fluency.scorer import get_scorer
    from mtqa.segment import sentences

    scorer = get_scorer(None)
    reduced = scorer.reduced_head
    if reduced is None:
        print("this model has no reduced output layer (or MTQA_FULL_VOCABULARY is set)")
        return 1
    print(f"model {scorer.name}: {len(reduced.kept)} of {scorer.model.get_output_embeddings().weight.shape[0]} "
          f"output rows kept; {scorer.threads} thread(s)")

    def both(run):
        scorer.reduced_head = None
        full = run()
        scorer.reduced_head = reduced
        return full, run()

    for language in HELD_OUT:
        texts = held_out(language, args.sentences)
        if not texts:
            print(f"{language}: no held-out text ({DATA} missing)")
            continue
        full, part = both(lambda: scorer.token_logprobs(texts, top_k=1))
        moved, entropy, same_top = [], [], 0
        for a, b in zip(full, part):
            for x, y in zip(a.tokens, b.tokens):
                moved.append(abs(x.logprob - y.logprob))
                entropy.append(abs(x.entropy - y.entropy))
                same_top += x.top[0][0] == y.top[0][0]
        print(f"{language}: {len(moved)} tokens of {len(texts)} held-out sentences; log-prob moved {quantiles(moved)} "
              f"nats; entropy moved median {statistics.median(entropy):.4f}; same top-1 {100 * same_top / len(moved):.2f}%")

    full, part = both(lambda: preferences(scorer))
    print(f"preference pairs: full right on {sum(full)}/{len(PAIRS)}, reduced on {sum(part)}/{len(PAIRS)}; "
          f"same verdict on {sum(a == b for a, b in zip(full, part))}/{len(PAIRS)}")

    documents = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpora" / "en").glob("*.mt.txt"))]
    if SEED.is_file():
        documents.append((SEED.name, SEED.read_text(encoding="utf-8")))
    for name, text in documents:
        full, part = both(lambda: findings(text, "en"))
        print(f"{name}: {len(full)} findings with the full layer, {len(part)} reduced, "
              f"{'identical' if full == part else 'DIFFERENT'}")
        for item in sorted(set(full) ^ set(part)):
            print(f"    {'full only' if item in full else 'reduced only'}: {text[item[0]:item[1]]!r} -> {list(item[2])}")

    name, text = article()
    spans = [s.text for s in sentences(text)]
    scorer.forward_only(spans[:2])
    times: dict[str, list[float]] = {"bare": [], "detect full": [], "detect reduced": [], "check full": [], "check reduced": []}
    for _ in range(args.repeat):
        began = time.perf_counter()
        scorer.forward_only(spans)
        times["bare"].append(time.perf_counter() - began)
        for label, head in (("full", None), ("reduced", reduced)):
            scorer.reduced_head = head
            began = time.perf_counter()
            scorer.token_logprobs(spans, top_k=detect.TOP_K)
            times[f"detect {label}"].append(time.perf_counter() - began)
            forget_analyses()
            began = time.perf_counter()
            review(text, "en", None)
            times[f"check {label}"].append(time.perf_counter() - began)
    scorer.reduced_head = reduced
    bare = statistics.median(times["bare"])
    print(f"article {name} ({len(text.split())} words), medians of {args.repeat}:")
    for label, values in times.items():
        print(f"    {label:15s} {statistics.median(values):6.2f} s  ratio to the bare forward pass {statistics.median(values) / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
