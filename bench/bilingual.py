"""The bilingual rules on WMT22: false alarms on professional translations,
recall on errors put into them, and what fires on real MT.

For every language pair of ../shared/data/parallel/wmt22/ (source, reference,
two systems' output), on the lines of --split (`dev`: the first 500 of each
pair, read while building the rules; `evaluation`: the rest, never tuned on):

- alarms per 1,000 target words of the bilingual rules on source-reference
  pairs (clean: nearly every finding is a false alarm), with a sample;
- errors put into the references: a number of the source changed in the
  target, a link or placeholder altered, a name the target keeps replaced by
  another name of the pair's references (where names can be read in both
  languages: Latin script, not German), the target replaced by its source;
  the share caught at the right target span;
- articles of 5 consecutive lines: alarms of the omission and addition
  rules on them as they are, and one sentence dropped from each (caught when
  an omission's target span holds the place it stood);
- findings per 1,000 words on each system's output, with a sample.

Targets counted in words as split on whitespace (characters / 2 for zh, ja).

    python bench/bilingual.py [--split dev|evaluation] [--pairs en-de,de-en] [--examples 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "parallel" / "wmt22"
DEV_LINES = 500


def words(text: str, language: str) -> float:
    return len(text) / 2 if language in ("zh", "ja") else len(text.split())


def findings(check, target: str, source: str, target_language: str, source_language: str) -> list:
    result = check(target, target_language, source=source, source_lang=source_language, select=["bilingual"],
                   extend_select=NAMES)
    return result.findings


NAMES: list[str] = []  # ["bilingual.name"] with --names (an opt-in rule)


def change_a_number(source: str, target: str, rng: random.Random, target_language: str):
    """The target with one of the source's numbers changed (+1 on its last
    digit), and where; None when target and source share no number."""
    from mtqa.bilingual.numbers import numbers

    shared = [n for n in numbers(target, target_language) if n.text.isdigit() and n.text in source]
    if not shared:
        return None
    number = rng.choice(shared)
    digits = number.text
    changed = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    return target[: number.start] + changed + target[number.end :], (number.start, number.start + len(changed))


def alter_a_token(source: str, target: str, rng: random.Random):
    from mtqa.bilingual.tokens import tokens

    shared = [t for t in tokens(target) if t.text in source and t.kind in ("url", "placeholder", "email")]
    if not shared:
        return None
    token = rng.choice(shared)
    if token.kind == "placeholder":
        return target[: token.start] + target[token.end :], None  # dropped
    altered = token.text[:-1] + ("x" if token.text[-1] != "x" else "y")
    return target[: token.start] + altered + target[token.end :], (token.start, token.start + len(altered))


def replace_a_name(source: str, target: str, rng: random.Random, pool: list[str], target_language: str,
                   source_language: str):
    """The target with one of the names it keeps from the source replaced by
    another name of the pair's references, and where; None when it keeps
    none (or names cannot be read in one of the languages)."""
    from mtqa.bilingual.names import names, readable, stem

    if not (readable(source_language) and readable(target_language)):
        return None
    source_stems = {stem(word) for word in source.split()}
    kept = [n for n in names(target, target_language) if n.stem in source_stems]
    if not kept:
        return None
    name = rng.choice(kept)
    others = [other for other in pool if stem(other) not in source_stems]
    if not others:
        return None
    other = rng.choice(others)
    return target[: name.start] + other + target[name.end :], (name.start, name.start + len(other))


def name_pool(sources: list[str], references: list[str], target_language: str) -> list[str]:
    """Names the references keep from their sources: names of people and
    places, not capitalised words a translator translates."""
    from mtqa.bilingual.names import names, stem

    pool = set()
    for source, reference in zip(sources, references):
        source_stems = {stem(word) for word in source.split()}
        pool |= {n.text for n in names(reference, target_language) if n.stem in source_stems}
    return sorted(pool)


WINDOW = 5  # consecutive lines joined into one multi-sentence unit


def windows(sources: list[str], references: list[str], lines: range, source_language: str,
            target_language: str) -> list[tuple[str, str]]:
    """Consecutive lines joined into articles of WINDOW segments (no space
    between them in Chinese and Japanese), source and reference."""
    def joiner(language: str) -> str:
        return "" if language in ("zh", "ja") else " "

    chosen = [index for index in lines if index < len(references)]
    return [(joiner(source_language).join(sources[i] for i in chosen[k:k + WINDOW]),
             joiner(target_language).join(references[i] for i in chosen[k:k + WINDOW]))
            for k in range(0, len(chosen) - WINDOW + 1, WINDOW)]


def drop_a_sentence(target: str, rng: random.Random) -> tuple[str, int] | None:
    """The target without one of its sentences, and where it stood."""
    from mtqa.segment import sentences

    spans = sentences(target)
    if len(spans) < 2:
        return None
    index = rng.randrange(len(spans))
    dropped = spans[index]
    if index + 1 < len(spans):
        return target[: dropped.start] + target[spans[index + 1].start :], dropped.start
    text = target[: dropped.start].rstrip()
    return text, len(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "evaluation"], default="evaluation")
    parser.add_argument("--pairs", default="")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--names", action="store_true", help="with the opt-in bilingual.name rule")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    import mtqa

    if args.names:
        NAMES.append("bilingual.name")
    pairs = [p.strip() for p in args.pairs.split(",") if p.strip()] or sorted(p.name for p in DATA.iterdir())
    totals = {"clean_words": 0.0, "clean_alarms": 0, "numbers": [0, 0], "tokens": [0, 0], "names": [0, 0],
              "copies": [0, 0], "dropped": [0, 0], "article_words": 0.0, "article_alarms": 0}
    print(f"split {args.split} (dev: lines 0-{DEV_LINES - 1} of each pair; evaluation: the rest)")
    print(f"articles: {WINDOW} consecutive lines joined; alarms/1k of the omission and addition rules on them, "
          "and one sentence dropped from each")
    print(f"{'pair':7s} {'lines':>6s} {'alarms/1k':>9s} {'numbers':>12s} {'tokens':>10s} {'names':>10s} {'copies':>10s}"
          f" {'art. alarms':>11s} {'dropped':>9s} {'MT findings/1k':>24s}")
    samples: list[str] = []
    began = time.perf_counter()
    for pair in pairs:
        source_language, target_language = pair.split("-")
        folder = DATA / pair
        sources = (folder / f"src.{source_language}").read_text(encoding="utf-8").splitlines()
        references = (folder / f"ref.{target_language}").read_text(encoding="utf-8").splitlines()
        lines = range(0, DEV_LINES) if args.split == "dev" else range(DEV_LINES, len(sources))
        rng = random.Random(args.seed)
        clean_words, clean_alarms = 0.0, 0
        caught = {"numbers": [0, 0], "tokens": [0, 0], "names": [0, 0], "copies": [0, 0], "dropped": [0, 0]}
        name_rng = random.Random(args.seed + 1)  # its own: the other injections stay as they were
        pool = name_pool([sources[i] for i in lines if i < len(references)],
                         [references[i] for i in lines if i < len(references)], target_language)
        for index in lines:
            if index >= len(references):
                break
            source, reference = sources[index], references[index]
            clean_words += words(reference, target_language)
            found = findings(mtqa.check, reference, source, target_language, source_language)
            clean_alarms += len(found)
            for f in found[:1]:
                if len([s for s in samples if s.startswith(pair)]) < args.examples:
                    samples.append(f"{pair} ref {index}: {f.rule} {f.text!r} {f.message}")
            damaged = change_a_number(source, reference, rng, target_language)
            if damaged is not None:
                text, (lo, hi) = damaged
                got = findings(mtqa.check, text, source, target_language, source_language)
                caught["numbers"][1] += 1
                caught["numbers"][0] += any(f.rule == "bilingual.number" and f.start <= lo and hi <= f.end
                                            for f in got)
            damaged = alter_a_token(source, reference, rng)
            if damaged is not None:
                text, span = damaged
                got = findings(mtqa.check, text, source, target_language, source_language)
                caught["tokens"][1] += 1
                caught["tokens"][0] += any(f.rule == "bilingual.token" and (span is None or (
                    f.start <= span[0] and span[1] <= f.end)) for f in got)
            damaged = replace_a_name(source, reference, name_rng, pool, target_language, source_language) \
                if args.names else None
            if damaged is not None:
                text, (lo, hi) = damaged
                got = findings(mtqa.check, text, source, target_language, source_language)
                caught["names"][1] += 1
                caught["names"][0] += any(f.rule == "bilingual.name" and f.start <= lo and hi <= f.end for f in got)
            long_enough = len(source.split()) >= 3 or (source_language in ("zh", "ja") and len(source) >= 8)
            if long_enough and index % 10 == 0:
                got = findings(mtqa.check, source, source, target_language, source_language)
                caught["copies"][1] += 1
                caught["copies"][0] += any(f.rule == "bilingual.untranslated" for f in got)
        article_words, article_alarms = 0.0, 0
        for source, reference in windows(sources, references, lines, source_language, target_language):
            article_words += words(reference, target_language)
            found = [f for f in findings(mtqa.check, reference, source, target_language, source_language)
                     if f.rule in ("bilingual.omission", "bilingual.addition")]
            article_alarms += len(found)
            for f in found[:1]:
                if len([x for x in samples if x.startswith(pair + " article")]) < args.examples:
                    samples.append(f"{pair} article: {f.rule} {f.text[:60]!r} {f.message}")
            damaged = drop_a_sentence(reference, rng)
            if damaged is not None:
                text, gap = damaged
                got = findings(mtqa.check, text, source, target_language, source_language)
                caught["dropped"][1] += 1
                caught["dropped"][0] += any(f.rule == "bilingual.omission" and f.start <= gap <= f.end for f in got)
        mt_cells = []
        for system in sorted(folder.glob(f"mt.*.{target_language}")):
            outputs = system.read_text(encoding="utf-8").splitlines()
            mt_words, mt_found = 0.0, 0
            for index in lines:
                if index >= len(outputs):
                    break
                mt_words += words(outputs[index], target_language)
                got = findings(mtqa.check, outputs[index], sources[index], target_language, source_language)
                mt_found += len(got)
                for f in got[:1]:
                    if len([s for s in samples if s.startswith(pair + " mt")]) < args.examples:
                        samples.append(f"{pair} mt {system.name.split('.')[1]} {index}: {f.rule} {f.text!r} {f.message}")
            mt_cells.append(f"{system.name.split('.')[1]} {1000 * mt_found / max(1, mt_words):.2f}")
        totals["clean_words"] += clean_words
        totals["clean_alarms"] += clean_alarms
        totals["article_words"] += article_words
        totals["article_alarms"] += article_alarms
        for kind in caught:
            totals[kind][0] += caught[kind][0]
            totals[kind][1] += caught[kind][1]

        def share(pair_count: list[int]) -> str:
            return f"{pair_count[0]}/{pair_count[1]}" if pair_count[1] else "-"

        print(f"{pair:7s} {len(lines):6d} {1000 * clean_alarms / max(1, clean_words):9.2f} "
              f"{share(caught['numbers']):>12s} {share(caught['tokens']):>10s} {share(caught['names']):>10s} "
              f"{share(caught['copies']):>10s} "
              f"{1000 * article_alarms / max(1, article_words):11.2f} {share(caught['dropped']):>9s} "
              f"{', '.join(mt_cells):>24s}")
    print(f"\nall pairs: {1000 * totals['clean_alarms'] / max(1, totals['clean_words']):.2f} alarms per 1,000 "
          f"reference words ({totals['clean_alarms']} in {totals['clean_words']:.0f}); caught: "
          + ", ".join(f"{k} {100 * totals[k][0] / max(1, totals[k][1]):.0f}% of {totals[k][1]}"
                      for k in ("numbers", "tokens", "names", "copies", "dropped") if totals[k][1])
          + f"; articles: {1000 * totals['article_alarms'] / max(1, totals['article_words']):.2f} omission and "
          f"addition alarms per 1,000 words ({totals['article_alarms']} in {totals['article_words']:.0f})"
          + f"; {time.perf_counter() - began:.0f} s")
    for line in samples:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
