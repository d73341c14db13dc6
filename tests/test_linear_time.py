"""Pathological lines that made a check quadratic or cubic (fuzzing, issue 10).

Each input below took from minutes to hours at this size before its fix
(the times and dates of the bilingual number reading about 15 minutes)
(`"a@" * n`: 8 KB took 37 s and grew cubically). The check of all of them
runs in a child process with a hang guard far above the seconds they now
take: this is not a benchmark (bench/adversarial.py measures the growth),
only proof that none of them runs away again. Their findings are checked too,
so that a fix that skips the work is not mistaken for a fast one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = 200_000
HANG_GUARD_SECONDS = 300

CHILD = r"""
import json, sys
from mtqa.api import check
from mtqa.formats import format_for
from mtqa.formats.base import ReadOptions
from mtqa.pipeline import Options, check_document

size = int(sys.argv[1])
texts = {
    "email-like": "a@" * (size // 2),
    "spaces": "a" + " " * size + "b",
    "tabs": "a" + "\t" * size + "b",
    "parens": "(" * size,
    "entity-starts": "&#" * (size // 2),
    "cjk": "中文" * (size // 2),
    "repeated-word": "the " * (size // 4),
    "mojibake": "cafÃ© " * (size // 6),
}
rules = {}
for name, text in texts.items():
    rules[name] = sorted({f.rule for f in check(text, "en").findings})
# the bilingual number reading: clock times and dates in one long line (quadratic once), at five times the size
times_and_dates = "12:30 1.2.2020 " * (5 * size // 15)
changed = times_and_dates[:-5] + "2021 "
rules["times-and-dates"] = sorted({f.rule for f in check(changed, "en", source=times_and_dates,
                                                           source_lang="de", select=["bilingual"]).findings})
# every number changed: the pairing of missing and new numbers (quadratic once)
renumbered = check("22 " * (size // 3), "en", source="11 " * (size // 3), source_lang="de", select=["bilingual"])
rules["numbers-changed"] = [len(renumbered.findings), sorted({f.rule for f in renumbered.findings})]
# every name changed: the pairing of missing and new names (quadratic once)
copies = size // 27
renamed = check("In Paris, Smith met Jones. " * copies, "en", source="In Paris, Smith met Brown. " * copies,
                source_lang="fr", select=["bilingual.name"])
rules["names-changed"] = [len(renamed.findings), sorted({f.rule for f in renamed.findings})]
html = ("<div><p><b><i>x" * (size // 16)).encode()
document = format_for("page.html").read(html, "page.html", ReadOptions())
rules["html-unclosed"] = sorted({f.rule for f in check_document(document, Options(language="en", use_model=False)).findings})
print(json.dumps(rules))
"""


def test_pathological_lines_are_checked_in_linear_time():
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(SIZE)],
        capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rules = json.loads(done.stdout.strip().splitlines()[-1])
    # 33,333 copies of one damaged word: once repaired, one loop, reported with its repair (fix.ExplainedFix)
    assert rules["mojibake"] == ["repetition.loop"]
    assert rules["repeated-word"] == ["repetition.loop"]  # `the the the ...` is one loop
    assert rules["spaces"] == ["spacing.double-space"]
    assert rules["times-and-dates"] == ["bilingual.number"]  # the one year changed
    assert rules["numbers-changed"] == [SIZE // 3, ["bilingual.number"]]  # each `11` became `22`
    assert rules["names-changed"] == [SIZE // 27, ["bilingual.name"]]  # each `Brown` became `Jones`
    for name in ("email-like", "parens", "entity-starts", "html-unclosed"):
        assert not any(rule.startswith("language.") for rule in rules[name]), name  # noise, not a language
