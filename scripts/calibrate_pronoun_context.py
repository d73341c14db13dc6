"""Choose (calibration) or check (evaluation) the margin of the
sentence-opening pronoun check (mtqa/fluency/pronoun_context.py).

Reads consecutive lines of ../shared/data/clean-news/en.humantranslated.txt
(professional translations into English, one segment a line, documents in
order): lines 0-19,999 are the calibration split, 20,000 and after the
evaluation split. In the split:

- untouched: every line that opens with He / She / His / Her after another
  line; a finding there is a false alarm (counted per 1,000 words of all the
  split's lines, since the check looks at every sentence);
- damaged: lines that open with `The ministry` (any institution) and a
  verb after a line that names the same institution, or with `It said` /
  `It also` (a verb of reporting or acting) after a line that names any
  institution; the subject becomes `He` or `She` (alternately).

Prints, for margins from 2 to 12 nats: share of damaged lines flagged and
false alarms per 1,000 words. Needs the model and the data.

    python scripts/calibrate_pronoun_context.py [--split calibration|evaluation] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from mtqa.fluency import pronoun_context  # noqa: E402  (no model: the scorer loads in main)

DATA = ROOT.parent / "shared" / "data" / "clean-news" / "en.humantranslated.txt"
SPLITS = {"calibration": (0, 20000), "evaluation": (20000, None)}
INSTITUTION = re.compile(
    r"\b(government|ministry|company|commission|council|agency|police|party|committee|court|union|bank|"
    r"association|organi[sz]ation|firm|group|army|department|authority|parliament|board|office|"
    r"federation|institute|university|airline|club|league|corporation|administration|embassy|"
    r"service|regulator|network|station|newspaper|broadcaster)\b", re.IGNORECASE)
# `It said` / `The ministry said` after a line naming the ministry: the
# subject stands for the institution named before (`It will be`, `It had
# been known` are often no reference at all, and are left out).
VERBS = (r"(said|says|added|also|announced|cited|reported|called|plans|planned|expects|urged|warned|noted|"
         r"claimed|stated|argued|wants|wanted|decided|agreed|launched|issued|estimates|estimated|owns|operates|"
         r"employs|denied|confirmed|rejected|accused|insisted|promised|pledged|admitted|declined|has|had|will|"
         r"would|is|was)\b")
IT_ACTS = re.compile(r"It " + VERBS)
INSTITUTION_ACTS = re.compile(r"The " + INSTITUTION.pattern[2:-2] + r" " + VERBS, re.IGNORECASE)


def pairs(split: str, limit: int | None):
    lo, hi = SPLITS[split]
    lines = DATA.read_text(encoding="utf-8").splitlines()[lo:hi]
    words = sum(len(line.split()) for line in lines)
    clean, damaged = [], []
    for index in range(1, len(lines)):
        previous, line = lines[index - 1], lines[index]
        if pronoun_context.candidates([previous, line], "en"):  # what the check itself would look at
            clean.append((previous, line))
            continue
        pronoun = "He" if len(damaged) % 2 == 0 else "She"
        acts = INSTITUTION_ACTS.match(line)
        if acts and re.search(rf"\b{re.escape(acts.group(1))}\b", previous, re.IGNORECASE):
            damaged.append((previous, pronoun + line[acts.end(1):]))
        elif IT_ACTS.match(line) and not re.match(r"It (is|was|will|would|has|had)\b", line) \
                and INSTITUTION.search(previous):
            damaged.append((previous, pronoun + line[2:]))
    return words, clean[:limit], damaged[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="calibration")
    parser.add_argument("--limit", type=int, default=None, help="at most this many of each set")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} not found")
        return 0
    from mtqa.fluency.scorer import get_scorer

    scorer = get_scorer(None)
    words, clean, damaged = pairs(args.split, args.limit)

    def gains(items):
        found = [c for previous, line in items for c in pronoun_context.candidates([previous, line], "en")]
        values = []
        for start in range(0, len(found), 32):
            values.extend(pronoun_context.gains(scorer, found[start : start + 32]))
        return found, values

    clean_found, clean_gains = gains(clean)
    damaged_found, damaged_gains = gains(damaged)
    if args.limit:  # the alarms of the lines looked at, over the words of those lines only
        words = sum(len(line.split()) for _, line in clean)
    print(f"split {args.split}: {len(clean_found)} untouched openings, {len(damaged_found)} damaged, {words:,} words")
    for margin in (2, 3, 4, 5, 6, 7, 8, 9, 10, 12):
        flagged = sum(g >= margin for g in damaged_gains)
        alarms = sum(g >= margin for g in clean_gains)
        print(f"margin {margin:4.1f}: flagged {flagged}/{len(damaged_gains)} "
              f"({100 * flagged / max(1, len(damaged_gains)):.0f}%), false alarms {alarms} "
              f"({1000 * alarms / max(1, words):.3f} per 1,000 words)")
    ranked = sorted(zip(clean_gains, clean_found), key=lambda item: -item[0])[: args.examples]
    for gain, candidate in ranked:
        print(f"  untouched {gain:5.2f}: {candidate.previous[-80:]!r} | {candidate.sentence[:80]!r}")
    missed = sorted(zip(damaged_gains, damaged_found), key=lambda item: item[0])[: args.examples]
    for gain, candidate in missed:
        print(f"  damaged   {gain:5.2f}: {candidate.previous[-80:]!r} | {candidate.sentence[:80]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
