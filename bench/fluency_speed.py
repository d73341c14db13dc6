"""Speed and memory of the fluency check on an ~800-word English article.

Prints, for the model chosen with --model (default Gemma 3 270M):
- cold start: a fresh process loading the converted model from the cache
  (the one-off GGUF conversion is not included; `mtqa models --prepare`);
- one sentence from a cold process: a whole `mtqa check` run on a file of
  one sentence, start to exit;
- warm: the fluency check over the article (detection + rewrites) and the bare
  model forward pass over the same sentences, best of --repeat runs, and their
  ratio (target: the check adds at most 30% to the bare forward pass);
- peak resident memory of this process and of the cold-start process.

The article is corpora/en/*.clean.txt closest to 800 words (text written for
this project); when none is long enough, clean English corpus files are
concatenated. Threads: 1 unless MTQA_THREADS says otherwise (measure both:
a second thread helps only while the other core is idle).

    python bench/fluency_speed.py [--model smollm2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def article(target_words: int = 800) -> tuple[str, str]:
    files = sorted((ROOT / "corpora" / "en").glob("*.clean.txt")) + sorted((ROOT / "corpora" / "en").glob("*.fixed.txt"))
    if not files:
        raise SystemExit("no English corpus text in corpora/en/")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    best = min(texts, key=lambda name: abs(len(texts[name].split()) - target_words))
    if len(texts[best].split()) >= target_words * 0.9:
        return best, texts[best]
    joined, names = "", []
    for name, text in texts.items():
        joined += text.strip() + "\n\n"
        names.append(name)
        if len(joined.split()) >= target_words:
            break
    return "+".join(names), joined


def cold_start(model: str | None) -> tuple[float, float]:
    code = (
        "import time, resource; t = time.perf_counter();"
        "from mtqa.fluency.scorer import get_scorer;"
        f"s = get_scorer({model!r}); s.sequence_logprob(['Warm up.']);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, peak = out.stdout.split()[-2:]
    return float(seconds), float(peak)


ONE_SENTENCE = "The minister will no intention to resign, the agency said on Monday.\n"


def one_sentence_cold(model: str | None) -> float:
    """Wall time of a whole `mtqa check` process on a file of one sentence:
    interpreter start, imports, model and tokenizer load, the check, the
    report (issue 9's target: 6 s)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mtqa-speed-") as scratch:
        path = Path(scratch) / "sentence.txt"
        path.write_text(ONE_SENTENCE, encoding="utf-8")
        command = [sys.executable, "-m", "mtqa", "check", "--lang", "en", str(path)]
        if model:
            command[4:4] = ["--model", model]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - began
        if done.returncode not in (0, 1) or "fluency" not in done.stdout:
            raise SystemExit(f"mtqa check failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    args = parser.parse_args()

    from mtqa.fluency.review import forget_analyses, review
    from mtqa.fluency.scorer import get_scorer
    from mtqa.segment import sentences

    if not args.no_cold:
        seconds, peak = cold_start(args.model)
        print(f"cold start from cache: {seconds:.2f} s (load + first score), peak RSS {peak:.0f} MiB")
        cold = sorted(one_sentence_cold(args.model) for _ in range(max(1, args.repeat)))
        print(f"one sentence, a whole cold `mtqa check` process: {cold[0]:.2f} s (best of {len(cold)}; "
              "target 6 s)")
    name, text = article()
    scorer = get_scorer(args.model)
    spans = [s.text for s in sentences(text)]
    tokens = sum(len(scorer.tokenizer(s, add_special_tokens=False)["input_ids"]) + 1 for s in spans)
    print(f"article {name}: {len(text.split())} words, {len(spans)} sentences, {tokens} tokens; "
          f"model {scorer.name}, {scorer.threads} thread(s)")
    scorer.forward_only(spans[:2])  # warm-up
    from mtqa.fluency import detect

    bare, check, detection = float("inf"), float("inf"), float("inf")
    findings = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        scorer.forward_only(spans)
        bare = min(bare, time.perf_counter() - began)
        began = time.perf_counter()
        scorer.token_logprobs(spans, top_k=detect.TOP_K)
        detection = min(detection, time.perf_counter() - began)
        forget_analyses()  # the check must score the article itself, not reuse the last run's analyses
        began = time.perf_counter()
        findings = review(text, "en", args.model)
        check = min(check, time.perf_counter() - began)
    print(f"bare forward pass: {bare:.2f} s ({tokens / bare:.0f} tokens/s)")
    print(f"detection pass:    {detection:.2f} s (scores, entropy, top-k for every sentence; "
          f"ratio {detection / bare:.2f})")
    print(f"fluency check:     {check:.2f} s, {len(findings)} finding(s); ratio to bare forward {check / bare:.2f} "
          f"(+{100 * (check / bare - 1):.0f}%)")
    for finding in findings:
        print(f"    {text[finding.start:finding.end]!r} -> {finding.suggestions[:2]} ({finding.confidence:.2f})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (this process): {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
