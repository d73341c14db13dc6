"""Throughput of the mechanical pass, as a ratio to `ftfy.fix_text` alone.

Builds ~5 MB of news text from ../shared/data/clean-news (skips cleanly when
absent; `--corpus DIR` points elsewhere, e.g. corpora/), splits it into
article-sized documents of ~40 lines, and times, in the same process and on
the same documents:

  baseline: ftfy.fix_text(document)
  mtqa:     mtqa.check(document, lang) with every mechanical rule (no model),
            including the fixed text; `--detect` adds language detection.

Each measurement is repeated (default 3x) and the median is reported, since
the machine is shared and noisy. Target: mtqa / ftfy <= 2.0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import ftfy

import mtqa

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clean-news"
LANGS = ["en", "de", "fr", "ru", "cs", "ja", "zh", "es"]


def load_documents(directory: Path, target_bytes: int, lines_per_doc: int) -> list[tuple[str, str]]:
    documents: list[tuple[str, str]] = []
    total = 0
    per_language = target_bytes // len(LANGS)
    for lang in LANGS:
        lines: list[str] = []
        size = 0
        for path in sorted(directory.glob(f"{lang}.*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if size >= per_language:
                    break
                lines.append(line)
                size += len(line.encode("utf-8")) + 1
        for start in range(0, len(lines), lines_per_doc):
            text = "\n\n".join(lines[start : start + lines_per_doc]) + "\n"
            documents.append((lang, text))
            total += len(text.encode("utf-8"))
    return documents


def timed(function, documents) -> float:
    start = time.perf_counter()
    for lang, text in documents:
        function(lang, text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DATA)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines-per-doc", type=int, default=40)
    parser.add_argument("--detect", action="store_true", help="let mtqa detect the language")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} not found", file=sys.stderr)
        return 0
    documents = load_documents(args.corpus, int(args.megabytes * 1e6), args.lines_per_doc)
    size = sum(len(text.encode("utf-8")) for _, text in documents)
    print(f"{len(documents)} documents, {size / 1e6:.2f} MB, {args.repeat} repeats (median)")

    def baseline(lang: str, text: str) -> None:
        ftfy.fix_text(text)

    def mechanical(lang: str, text: str) -> None:
        mtqa.check(text, None if args.detect else lang, use_model=False)

    mechanical(*documents[0])  # import and compile everything before timing
    ftfy_times, mtqa_times = [], []
    for _ in range(args.repeat):
        ftfy_times.append(timed(baseline, documents))
        mtqa_times.append(timed(mechanical, documents))
    ftfy_s, mtqa_s = statistics.median(ftfy_times), statistics.median(mtqa_times)
    print(f"ftfy.fix_text alone : {ftfy_s:7.2f} s  {size / 1e6 / ftfy_s:6.2f} MB/s")
    print(f"mtqa mechanical pass: {mtqa_s:7.2f} s  {size / 1e6 / mtqa_s:6.2f} MB/s")
    print(f"ratio mtqa / ftfy   : {mtqa_s / ftfy_s:7.2f}x  (target <= 2.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
