"""A rule's documentation, written from the registry: `mtqa rules --explain`
and the README's rule table (scripts/rules_table.py writes it; a test fails
when the README is stale), so neither can drift from the rules' code."""

from __future__ import annotations

import difflib

from mtqa.rules import RULES, Example, Rule, iter_rules, load_checks

README_START = "<!-- rules table: written by scripts/rules_table.py from the registry; do not edit -->"
README_END = "<!-- end of rules table -->"

def find_rule(rule_id: str) -> Rule:
    """The rule with this id; KeyError naming the closest ids when there is none."""
    load_checks()
    if rule_id in RULES:
        return RULES[rule_id]
    close = difflib.get_close_matches(rule_id, list(RULES), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `mtqa rules` lists them"
    raise KeyError(f"no rule {rule_id!r}{hint}")


def explain(rule: Rule) -> str:
    """The rule's page, in the order ruff's rule docs use: what it does, why
    it matters, examples and what to write instead, and text it leaves alone."""
    lines = [f"# {rule.id}", "", f"{rule.category}, {rule.severity.label}; languages: "
             f"{', '.join(rule.languages) or 'all'}" + ("; needs the fluency model" if rule.needs_model else "")
             + ("; opt-in (turn on with --extend-select)" if rule.opt_in else ""), "",
             "## What it does", rule.description, "", "## Why it matters", rule.why, "",
             "## Fix", rule.fix_help, "", "## Examples"]
    for example in rule.examples:
        lines.append(f"- {_quoted(example)}")
        if example.fixed is not None and example.fixed != example.text:
            lines.append(f"  fixed: {example.fixed!r}")
    lines += ["", "## Left alone"]
    lines += [f"- {_quoted(example)}" for example in rule.clean]
    return "\n".join(lines) + "\n"


def _quoted(example: Example) -> str:
    where = f" [{example.lang}]" if example.lang else ""
    source = f" (source{f' [{example.source_lang}]' if example.source_lang else ''}: {example.source!r})" \
        if example.source is not None else ""
    return f"{example.text!r}{where}{source}"


def markdown_table() -> str:
    """The README's table: one row per rule, with its first example."""
    rows = ["| rule | severity | languages | fix | finds | example |", "|---|---|---|---|---|---|"]
    for rule in iter_rules():
        example = rule.examples[0] if rule.examples else None
        shown = ""
        if example is not None:
            shown = _cell(repr(example.text))
            if example.fixed is not None and example.fixed != example.text:
                shown += " → " + _cell(repr(example.fixed))
        fix = rule.fix + (", opt-in" if rule.opt_in else "")
        rows.append(f"| `{rule.id}` | {rule.severity.label} | {', '.join(rule.languages) or 'all'} | {fix} | "
                    f"{_cell(rule.description)} | {shown} |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    """Markdown shows entities as characters: `&amp;quot;` must stay literal in the table."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def with_table(readme: str) -> str:
    """`readme` with the text between the table's markers replaced by markdown_table()."""
    start = readme.index(README_START) + len(README_START)
    end = readme.index(README_END)
    return readme[:start] + "\n" + markdown_table() + readme[end:]


__all__ = ["explain", "find_rule", "markdown_table", "with_table"]
