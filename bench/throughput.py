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

`--bilingual` measures what the bilingual rules add instead: WMT22
references checked with and without their sources (target: at most 25 %).

`--processes` measures whole processes instead, on a JSONL export of the same
text (`--megabytes 20` for the issue-13 figure): `python -c` running
ftfy.fix_text over every record, then `mtqa check --no-model --format jsonl`
with `--jobs 1` and `--jobs N` (`--jobs`, default 2), each writing its report
to a temp file. It prints the time of each, mtqa / ftfy (also in CPU
seconds, which the machine's stolen time disturbs less), and the speed-up of
N jobs over one (target >= 1.7 on 2 idle cores). `--model` checks with the
fluency model instead (`--articles`, default 200 articles of ~40 lines).
Modules load from bytecode, as from an installed package (`--no-bytecode`:
compiled from source at every start, as an editable install under
PYTHONDONTWRITEBYTECODE does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ftfy

import mtqa

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clean-news"
LANGS = ["en", "de", "fr", "ru", "cs", "ja", "zh", "es"]


def load_documents(directory: Path, target_bytes: int, lines_per_doc: int) -> list[tuple[str, str]]:
    """Article-sized documents, an equal share of `target_bytes` per language
    where the corpus has it; the shortfall is made up by repeating the
    documents (the clean-news set holds ~15 MB of these languages)."""
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
    originals = list(documents)
    while originals and total < target_bytes * 0.98:
        for lang, text in originals:
            if total >= target_bytes:
                break
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
    parser.add_argument("--processes", action="store_true", help="whole processes on a JSONL export, with --jobs")
    parser.add_argument("--jobs", type=int, default=2, help="--processes: the parallel run's --jobs")
    parser.add_argument("--model", action="store_true", help="--processes: with the fluency model")
    parser.add_argument("--articles", type=int, default=200, help="--processes --model: articles to check")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="--processes: compile every module from source at each start (as with "
                             "PYTHONDONTWRITEBYTECODE=1 and an editable install)")
    parser.add_argument("--bilingual", action="store_true",
                        help="WMT22 articles with their sources: the mechanical pass with and without the source")
    args = parser.parse_args()
    if args.bilingual:
        return bilingual(args)
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} not found", file=sys.stderr)
        return 0
    documents = load_documents(args.corpus, int(args.megabytes * 1e6), args.lines_per_doc)
    if args.processes:
        return whole_processes(documents, args)
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


WMT22 = DATA.parent / "parallel" / "wmt22"


def bilingual(args) -> int:
    """What the bilingual rules add to the mechanical pass: WMT22 references
    (lines 500 on of every pair) in articles of --lines-per-doc lines, checked
    without and with their sources, in the same run."""
    if not WMT22.is_dir():
        print(f"skipped: {WMT22} not found", file=sys.stderr)
        return 0
    articles = []
    for folder in sorted(WMT22.iterdir()):
        source_language, target_language = folder.name.split("-")
        sources = (folder / f"src.{source_language}").read_text(encoding="utf-8").splitlines()
        references = (folder / f"ref.{target_language}").read_text(encoding="utf-8").splitlines()
        for start in range(500, min(len(sources), len(references)) - args.lines_per_doc, args.lines_per_doc):
            articles.append((target_language, source_language, "\n".join(references[start:start + args.lines_per_doc]),
                             "\n".join(sources[start:start + args.lines_per_doc])))
    size = sum(len(target.encode("utf-8")) for _, _, target, _ in articles)
    print(f"{len(articles)} articles of {args.lines_per_doc} lines, {size / 1e6:.2f} MB of references, "
          f"{args.repeat} repeats (median)")

    def run(with_source: bool) -> float:
        began = time.perf_counter()
        for target_language, source_language, target, source in articles:
            if with_source:
                mtqa.check(target, target_language, source=source, source_lang=source_language, use_model=False)
            else:
                mtqa.check(target, target_language, use_model=False)
        return time.perf_counter() - began

    run(True)
    alone, with_source = [], []
    for _ in range(args.repeat):
        alone.append(run(False))
        with_source.append(run(True))
    alone_s, with_s = statistics.median(alone), statistics.median(with_source)
    # Each pair of runs back to back: on a shared machine the speed drifts
    # between repeats by more than the bilingual pass costs, so the median of
    # the pairs' own ratios is the steadier figure.
    paired = statistics.median(100 * (w - a) / a for a, w in zip(alone, with_source))
    print(f"mechanical pass           : {alone_s:7.2f} s")
    print(f"mechanical + bilingual    : {with_s:7.2f} s")
    print(f"the bilingual pass adds   : {100 * (with_s - alone_s) / alone_s:6.0f} %  (ratio of the medians)")
    print(f"                            {paired:6.0f} %  (median of the {len(alone)} pairs' ratios; target <= 25 %)")
    return 0


FTFY_ALONE = """
import json, sys, ftfy
with open(sys.argv[1], encoding="utf-8") as lines, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in lines:
        record = json.loads(line)
        out.write(json.dumps({"id": record["id"], "text": ftfy.fix_text(record["text"])}) + "\\n")
"""


def _children_cpu() -> float:
    """User and system seconds of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_environment(scratch: Path, no_bytecode: bool) -> dict[str, str]:
    """The environment of the timed processes. `pip install` compiles a
    package's modules once; an editable install under PYTHONDONTWRITEBYTECODE
    (as on this project's machines) compiles mtqa's ~60 modules at every start,
    0.25 s that ftfy, installed compiled, never pays. Unless told otherwise,
    bytecode goes to a scratch cache, so both sides start as installed."""
    environment = dict(os.environ)
    if no_bytecode:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    return environment


def whole_processes(documents: list[tuple[str, str]], args) -> int:
    """ftfy alone, mtqa --jobs 1 and mtqa --jobs N as separate processes on one JSONL export."""
    if args.model:
        documents = [(lang, text) for lang, text in documents if lang in ("en", "de")][: args.articles]
    with tempfile.TemporaryDirectory(prefix="mtqa-throughput-") as scratch:
        export = Path(scratch) / "export.jsonl"
        with export.open("w", encoding="utf-8") as handle:
            for n, (lang, text) in enumerate(documents):
                handle.write(json.dumps({"id": str(n), "lang": lang, "text": text}, ensure_ascii=False) + "\n")
        size = export.stat().st_size
        report = Path(scratch) / "report.jsonl"
        mtqa_command = [sys.executable, "-m", "mtqa", "check", "--format", "jsonl", "-o", str(report), str(export)]
        if not args.model:
            mtqa_command.insert(4, "--no-model")
        runs = {"ftfy alone": [sys.executable, "-c", FTFY_ALONE, str(export), str(report)]} if not args.model else {}
        runs["mtqa --jobs 1"] = mtqa_command + ["--jobs", "1"]
        runs[f"mtqa --jobs {args.jobs}"] = mtqa_command + ["--jobs", str(args.jobs)]
        print(f"{len(documents)} records, {size / 1e6:.2f} MB of JSONL, "
              f"{'with' if args.model else 'without'} the model, {args.repeat} repeats (median), "
              f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores")
        environment = _process_environment(Path(scratch), args.no_bytecode)
        print("modules compiled from source at every start" if args.no_bytecode else
              "modules loaded from bytecode, as an installed package is (one untimed run first writes it)")
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}  # user + system, all the run's processes
        outputs: dict[str, bytes] = {}
        if not args.no_bytecode:
            for command in runs.values():
                subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        for _ in range(args.repeat):
            for name, command in runs.items():
                began, used = time.perf_counter(), _children_cpu()
                completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           env=environment)
                times[name].append(time.perf_counter() - began)
                cpu[name].append(_children_cpu() - used)
                if completed.returncode not in (0, 1):
                    print(f"{name} failed ({completed.returncode}): {completed.stderr.decode()[-400:]}")
                    return 1
                outputs[name] = report.read_bytes()
        medians = {name: statistics.median(values) for name, values in times.items()}
        cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
        for name, seconds in medians.items():
            print(f"{name:<16}: {seconds:7.2f} s  {size / 1e6 / seconds:6.2f} MB/s")
        serial, parallel = medians["mtqa --jobs 1"], medians[f"mtqa --jobs {args.jobs}"]
        if "ftfy alone" in medians:
            print(f"ratio mtqa --jobs 1 / ftfy alone: {serial / medians['ftfy alone']:5.2f}x  (target <= 2.0)")
            # CPU time is what a shared machine's stolen time disturbs least.
            print(f"  in CPU seconds: {cpu_medians['mtqa --jobs 1']:.2f} / {cpu_medians['ftfy alone']:.2f} = "
                  f"{cpu_medians['mtqa --jobs 1'] / cpu_medians['ftfy alone']:5.2f}x")
        print(f"speed-up --jobs {args.jobs} / --jobs 1: {serial / parallel:5.2f}x  (target >= 1.7)")
        same = outputs["mtqa --jobs 1"] == outputs[f"mtqa --jobs {args.jobs}"]
        print(f"reports identical: {same}")
        if not same:
            serial_lines = outputs["mtqa --jobs 1"].splitlines()
            parallel_lines = outputs[f"mtqa --jobs {args.jobs}"].splitlines()
            differing = [json.loads(a)["id"] for a, b in zip(serial_lines, parallel_lines) if a != b]
            print(f"  {len(serial_lines)} and {len(parallel_lines)} lines; records that differ: {differing[:20]}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
