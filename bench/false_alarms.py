"""False alarms of the mechanical rules on clean professional news.

Reads ../shared/data/clean-news/<lang>.{original,humantranslated}.txt (not part
of the repository; skipped cleanly when absent), runs `mtqa.check` without
the model over each line and prints findings per 1,000 words per language,
with the most frequent rules and a few examples so a rule can be tightened.

    python bench/false_alarms.py [--langs en,de,fr] [--max-lines N] [--examples 5]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import mtqa
from mtqa.segment import word_count

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clean-news"
DEFAULT_LANGS = "en,de,fr,es,ru,cs,ja,zh,uk,he,hi,is,hr"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--langs", default=DEFAULT_LANGS)
    parser.add_argument("--max-lines", type=int, default=0, help="per file; 0 = all")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--select", default="", help="comma-separated rule patterns")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    select = [s for s in args.select.split(",") if s]
    total_findings = 0
    print(f"{'lang':5} {'lines':>7} {'words':>9} {'findings':>9} {'per 1k words':>13}")
    for lang in args.langs.split(","):
        files = sorted(args.data.glob(f"{lang}.*.txt"))
        if not files:
            continue
        lines = words = 0
        by_rule: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        for path in files:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle):
                    if args.max_lines and number >= args.max_lines:
                        break
                    line = line.rstrip("\n")
                    if not line.strip():
                        continue
                    lines += 1
                    words += word_count(line)
                    result = mtqa.check(line, lang, select=select or None)
                    for finding in result.findings:
                        by_rule[finding.rule] += 1
                        if len(examples[finding.rule]) < args.examples:
                            left = max(0, finding.start - 40)
                            snippet = line[left : finding.end + 40]
                            examples[finding.rule].append(
                                f"{path.name}:{number + 1}: {finding.text!r} in …{snippet}…"
                            )
        count = sum(by_rule.values())
        total_findings += count
        rate = 1000 * count / words if words else 0.0
        print(f"{lang:5} {lines:>7} {words:>9} {count:>9} {rate:>13.3f}")
        for rule, n in by_rule.most_common():
            print(f"      {rule}: {n}")
            for example in examples[rule]:
                print(f"        {example}")
    print(f"total findings: {total_findings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
