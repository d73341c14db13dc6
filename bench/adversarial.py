"""Time growth of the mechanical check (no model) on pathological inputs.

Each family builds a text of about N bytes from one repeated pattern that once
made a check super-linear (fuzzing, issue 10). For each size, `check` and
`fix` run in a fresh process (a child is killed at --budget seconds, printed
`>budget`), best of --repeat; with --rounds N every size is measured N
times, in turn, and its best kept. For comparison, `ftfy.fix_text` runs on the
same text in a child of its own (after ftfy on megabytes, a check in the
same process ran up to 20 % slower). The `bilingual-*` families check the text
against a source built the same way (the source repeated as often as the
target's pattern, or once), which runs the bilingual rules (numbers, tokens,
omitted and added sentences). Printed per family: seconds per size, the growth
per 10x of size in CPU time and in wall-clock time (target: at most 12x, read
on CPU time, which leaves out time the core spent on another tenant), and
whether 100 KB stays under 0.5 s (wall clock). ftfy's own growth on the same
text is printed beside it: at megabytes it shows what the machine's caches
and memory add to a linear algorithm (another tenant's use of the memory
slows a 5 MB input more than a 500 KB one that stays in cache).

    python bench/adversarial.py [--sizes 1000,10000,100000] [--families a,b] [--budget 20] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name -> (pattern repeated to the size, format read as, prefix, suffix)
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "email-like": ("a@", "text", "", ""),
    "mojibake": ("cafÃ© ", "text", "", ""),
    "french-mojibake": ("Le prÃ©sident a annoncÃ© une rÃ©forme trÃ¨s attendue. ", "text", "", ""),
    "spaces": (" ", "text", "a", "b"),
    "tabs": ("\t", "text", "a", "b"),
    "quotes": ('"', "text", "", ""),
    "entity-starts": ("&#", "text", "", ""),
    "entities": ("a &quot; ", "text", "", ""),
    "parens": ("(", "text", "", ""),
    "space-before-punct": (" ,", "text", "a", ""),
    "cyrillic": ("привет ", "text", "", ""),
    "cjk": ("中文", "text", "", ""),
    "repeated-word": ("the ", "text", "", ""),
    "repeated-phrase": ("I am here ", "text", "", ""),
    "html-unclosed": ("<div><p><b><i>x", "html", "", ""),
    "html-text": ("<p>a &amp; b</p>", "html", "", ""),
    "bilingual-numbers": ("At 12:30 on 1.2.2020 ", "text", "", ""),
    "bilingual-changed-numbers": ("5 and 70 ", "text", "", ""),
    "bilingual-sentences": ("The mayor spoke. ", "text", "", ""),
    "bilingual-one-source-sentence": ("The mayor spoke. ", "text", "", ""),
    "bilingual-tokens": ("{name} %s https://a.example/x ", "text", "", ""),
}
# bilingual family -> (source pattern, repeated like the target's or once)
SOURCES: dict[str, tuple[str, str]] = {
    "bilingual-numbers": ("Um 12.30 Uhr am 2.1.2020 ", "same"),  # day and month swapped: every date changed
    "bilingual-changed-numbers": ("6 und 71 ", "same"),  # every number changed: the pairing of changed ones
    "bilingual-sentences": ("Der Bürgermeister sprach lange über den Haushalt der Stadt. ", "same"),
    "bilingual-one-source-sentence": ("Der Bürgermeister sprach. ", "once"),
    "bilingual-tokens": ("{nom} %d https://b.example/y ", "same"),
}

CHILD = r"""
import json, sys, time
family, size, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pattern, fmt, prefix, suffix = json.loads(sys.argv[4])
source_spec = json.loads(sys.argv[5])
count = max(1, (size - len(prefix) - len(suffix)) // len(pattern))
text = prefix + pattern * count + suffix
source = None
if source_spec:
    source = source_spec[0] * (count if source_spec[1] == "same" else 1)
import ftfy
from mtqa.api import check
from mtqa.formats import format_for, read_document
from mtqa.formats.base import ReadOptions
from mtqa.pipeline import Options, check_document

def run_check():
    if source is not None:
        return check(text, "en", source=source, source_lang="de")
    if fmt == "text":
        return check(text, "en")
    document = read_document(format_for("x." + fmt), text.encode(), "x." + fmt, ReadOptions())
    return check_document(document, Options(language="en", use_model=False))

# (wall, cpu) seconds, each the best of `repeat` runs: the wall clock also
# counts time another tenant held the core, the process's CPU time does not.
def best(fn):
    walls, cpus = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - began); cpus.append(time.process_time() - began_cpu)
    return min(walls), min(cpus)

# One measurement per process: after ftfy on megabytes the heap is no longer
# fresh, and the check's time then depends on what ran before it.
what = sys.argv[6]
if what == "check":
    check("Warm up.", "en", source="Aufwärmen.", source_lang="de")  # rules load on the first check
wall, cpu = best(lambda: ftfy.fix_text(text)) if what == "ftfy" else best(run_check)
print(json.dumps({what: wall, what + "_cpu": cpu}))
"""


def measure(family: str, size: int, repeat: int, budget: float) -> dict | None:
    """{"check": seconds, "ftfy": seconds}, each from its own child process;
    None when the check ran out of budget."""
    result: dict = {}
    for what in ("check", "ftfy"):
        try:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, family, str(size), str(repeat), json.dumps(FAMILIES[family]),
                 json.dumps(SOURCES.get(family)), what],
                capture_output=True, text=True, timeout=budget, cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            if what == "check":
                return None
            result[what] = float("nan")
            continue
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"rc {done.returncode}"}
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def timed_family(family: str, sizes: list[int], repeat: int, rounds: int,
                 budget: float) -> tuple[list[float | None], list[float | None], list[float]]:
    """Wall and CPU seconds of the check per size (None from a size on that
    ran out of budget or failed), each the best of its `rounds`, and ftfy's
    wall seconds per size measured. The sizes are measured in turn,
    round after round, so that a slow spell of a shared machine falls on
    all of them alike rather than on one size's repeats: measured one size
    after the other, the 1 MB -> 5 MB growth of one family varied from 7x to
    17x per 10x between runs of the same code."""
    times: list[float | None] = [float("inf")] * len(sizes)
    cpu_times: list[float | None] = [float("inf")] * len(sizes)
    ftfy_seconds: list[float] = [float("inf")] * len(sizes)
    reached = len(sizes)
    for _ in range(rounds):
        for k, size in enumerate(sizes[:reached]):
            result = measure(family, size, repeat, budget)
            if result is None or "error" in result:
                if result is not None:
                    print(f"  {family}: {result['error']}", file=sys.stderr)
                reached = k
                break
            times[k] = min(times[k], result["check"])
            cpu_times[k] = min(cpu_times[k], result["check_cpu"])
            ftfy_seconds[k] = min(ftfy_seconds[k], result["ftfy"])
    times = times[:reached] + [None] * (reached < len(sizes))
    cpu_times = cpu_times[:reached] + [None] * (reached < len(sizes))
    return times, cpu_times, ftfy_seconds[:reached]


def worst_growth(sizes: list[int], times: list[float | None]) -> float | None:
    """The largest growth of time per 10x of size between neighbouring sizes,
    whatever the step (1 MB to 5 MB: the ratio to the power 1/log10(5));
    None when no step has two measured times above 2 ms."""
    growth = [
        (b / a) ** (1 / math.log10(sb / sa))
        for (sa, a), (sb, b) in zip(zip(sizes, times), zip(sizes[1:], times[1:]))
        if a and b and a > 0.002
    ]
    return max(growth) if growth else None


def _growth_cell(growth: float | None) -> str:
    return f"{growth if growth is not None else float('nan'):9.1f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per child before it is killed")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every size this many times, in turn, and keep each size's best")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    print(f"{'family':20s} " + " ".join(f"{s:>10d}" for s in sizes)
          + "   growth/10x (cpu, wall, ftfy's)  ftfy@max  verdict")
    failures = 0
    for family in families:
        times, cpu_times, ftfy_seconds = timed_family(family, sizes, args.repeat, args.rounds, args.budget)
        ftfy_last = ftfy_seconds[-1] if ftfy_seconds else None
        ftfy_growth = worst_growth(sizes[: len(ftfy_seconds)], list(ftfy_seconds))
        cells = [f"{t:10.3f}" if t is not None else f"{'>' + str(int(args.budget)):>10s}" for t in times]
        cells += [f"{'':>10s}"] * (len(sizes) - len(cells))
        worst_cpu, worst_wall = worst_growth(sizes, cpu_times), worst_growth(sizes, times)
        at_100k = dict(zip(sizes, times)).get(100000)
        # The verdict reads CPU time, which leaves out time the core spent on
        # another tenant. It does not leave out slower memory while another
        # tenant runs: on this project's shared 2-core machine CPU and wall
        # time agreed within 0.1x per 10x, and runs of the same code still
        # ranged from 9.6x to 13.1x per 10x (stop 30). The ftfy column is the check.
        ok = None not in times and (worst_cpu is None or worst_cpu <= 12) and (at_100k is None or at_100k <= 0.5)
        failures += not ok
        print(f"{family:20s} " + " ".join(cells)
              + f"   {_growth_cell(worst_cpu)} {_growth_cell(worst_wall)} {_growth_cell(ftfy_growth)}"
              f"  {ftfy_last if ftfy_last is not None else float('nan'):8.3f}  {'ok' if ok else 'SLOW'}")
    print(f"\n{failures} famil{'y' if failures == 1 else 'ies'} over target (growth <= 12x per 10x, 100 KB <= 0.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
