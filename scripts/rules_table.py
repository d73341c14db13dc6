"""Write the README's rule table from the registry (mtqa/rules_doc.py).

    python scripts/rules_table.py          # rewrite README.md in place
    python scripts/rules_table.py --check  # exit 1 when README.md is stale

tests/test_rules_doc.py fails when the table in README.md is not what this
writes, so a rule added, renamed or re-documented updates the README by
running this once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mtqa.rules_doc import with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether README.md is current")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = with_table(current)
    if args.check:
        if wanted != current:
            print("README.md's rule table is stale: run python scripts/rules_table.py", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: rule table rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
