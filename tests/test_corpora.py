"""The example corpus is the contract the mechanical rules aim at.

Each `corpora/<lang>/<name>.mt.txt` was written with deliberate MT damage and
corrected by hand into `<name>.fixed.txt`, changing only what a careful editor
changes mechanically (entities, mojibake, spacing and quotes, tokenizer
splits, doubled words and loops). Awkward phrasing and untranslated sentences
stay in the fixed text; they are listed in `<name>.notes.json`. The
`*.clean.txt` articles contain no damage at all, only things that look like
damage to a careless rule (`had had`, `die die`, `nous nous`, French no-break
spaces, `„…“`, `Bora Bora`, quotes spanning paragraphs), so any finding there
is a false alarm.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

import mtqa
from mtqa.findings import Finding

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
MT_FILES = sorted(CORPORA.glob("*/*.mt.txt"))
CLEAN_FILES = sorted(CORPORA.glob("*/*.clean.txt"))
ALL_TEXT_FILES = sorted(CORPORA.glob("*/*.txt"))
LANGUAGES = ("en", "fr", "de", "ru", "ja")


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _lang(path: Path) -> str:
    return path.parent.name


def _sibling(mt_path: Path, suffix: str) -> Path:
    return mt_path.with_name(mt_path.name[: -len(".mt.txt")] + suffix)


def _notes(mt_path: Path) -> dict:
    return json.loads(_read(_sibling(mt_path, ".notes.json")))


def _describe(findings: list[Finding], text: str) -> str:
    lines = []
    for f in findings:
        left = text[max(0, f.start - 30) : f.start].replace("\n", "⏎")
        right = text[f.end : f.end + 30].replace("\n", "⏎")
        lines.append(f"  {f.rule} [{f.start}:{f.end}] …{left}【{f.text}】{right}… -> {f.suggestions[:1]}")
    return "\n".join(lines)


def _line_diff(expected: str, actual: str) -> str:
    """Only the paragraphs that differ, so a failure on a long article stays readable."""
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected (.fixed.txt)", "mtqa.fix", lineterm="", n=0
    )
    return "\n".join(diff)


def _changed_spans(before: str, after: str) -> list[tuple[int, int]]:
    """Spans of `before` (code-point offsets) that differ from `after`.

    Paragraphs are aligned first and compared character by character only
    where they differ, which keeps SequenceMatcher fast on whole articles.
    """
    spans: list[tuple[int, int]] = []
    before_lines = before.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    offsets = [0]
    for line in before_lines:
        offsets.append(offsets[-1] + len(line))
    lines = difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        old = "".join(before_lines[i1:i2])
        new = "".join(after_lines[j1:j2])
        chars = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for ctag, a1, a2, _b1, _b2 in chars.get_opcodes():
            if ctag != "equal":
                spans.append((offsets[i1] + a1, offsets[i1] + a2))
    return spans


def _touches(finding: Finding, start: int, end: int) -> bool:
    """Overlap, or adjacency for insertions and for deletions next to the flagged word."""
    return finding.start <= end and start <= finding.end


# --- the corpus itself is well-formed -------------------------------------------------


def test_every_language_has_a_pair_and_a_clean_article() -> None:
    for lang in LANGUAGES:
        assert list((CORPORA / lang).glob("*.mt.txt")), lang
        assert list((CORPORA / lang).glob("*.clean.txt")), lang
    for mt_path in MT_FILES:
        assert _sibling(mt_path, ".fixed.txt").is_file(), mt_path
        assert _sibling(mt_path, ".notes.json").is_file(), mt_path


@pytest.mark.parametrize("path", ALL_TEXT_FILES, ids=_id)
def test_files_are_utf8_lf_with_blank_line_paragraphs(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert b"\r" not in raw
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_notes_point_at_their_text(mt_path: Path) -> None:
    mt = _read(mt_path)
    fixed = _read(_sibling(mt_path, ".fixed.txt"))
    notes = _notes(mt_path)
    assert notes["fluency"], "every MT article carries at least one awkward phrasing"
    assert notes["untranslated"], "every MT article carries one sentence left untranslated"
    for note in notes["fluency"] + notes["untranslated"]:
        assert mt[note["start"] : note["end"]] == note["text"], note
        assert fixed[note["fixed_start"] : note["fixed_end"]] == note["text"], note
        assert note["suggestion"] and note["suggestion"] != note["text"]
    # The mechanical notes, applied to the MT text, give exactly the fixed text.
    rebuilt = mt
    for note in sorted(notes["mechanical"], key=lambda n: n["start"], reverse=True):
        assert mt[note["start"] : note["end"]] == note["text"], note
        rebuilt = rebuilt[: note["start"]] + note["fix"] + rebuilt[note["end"] :]
    assert rebuilt == fixed


def test_cms_export_lines_follow_the_jsonl_contract() -> None:
    allowed = {"id", "text", "lang", "source", "source_lang", "reference"}
    rows = [json.loads(line) for line in _read(CORPORA / "cms-export.jsonl").splitlines()]
    assert 6 <= len(rows) <= 10
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row) <= allowed, row
        assert isinstance(row["text"], str) and row["text"]
        assert ("source" in row) == ("source_lang" in row), row


# --- the contract for the rules ------------------------------------------------------


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_fix_gives_the_hand_corrected_text(mt_path: Path) -> None:
    expected = _read(_sibling(mt_path, ".fixed.txt"))
    actual = mtqa.fix(_read(mt_path), _lang(mt_path))
    assert actual == expected, "\n" + _line_diff(expected, actual)


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_fix_is_idempotent(mt_path: Path) -> None:
    lang = _lang(mt_path)
    once = mtqa.fix(_read(mt_path), lang)
    twice = mtqa.fix(once, lang)
    assert twice == once, "\n" + _line_diff(once, twice)


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_every_hand_correction_is_explained_by_a_finding(mt_path: Path) -> None:
    mt = _read(mt_path)
    fixed = _read(_sibling(mt_path, ".fixed.txt"))
    findings = mtqa.check(mt, _lang(mt_path)).findings
    missed = [
        (start, end)
        for start, end in _changed_spans(mt, fixed)
        if not any(_touches(f, start, end) for f in findings)
    ]
    report = [
        f"  [{s}:{e}] …{mt[max(0, s - 20) : s]}【{mt[s:e]}】{mt[e : e + 20]}…".replace("\n", "⏎")
        for s, e in missed[:10]
    ]
    assert not missed, f"{len(missed)} corrections without a finding:\n" + "\n".join(report)


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_untranslated_sentence_is_flagged(mt_path: Path) -> None:
    mt = _read(mt_path)
    findings = mtqa.check(mt, _lang(mt_path)).findings
    for note in _notes(mt_path)["untranslated"]:
        hits = [f for f in findings if f.rule.startswith("language.") and f.start < note["end"] and note["start"] < f.end]
        assert hits, f"sentence left in {note['lang']} not flagged: {note['text']!r}"


@pytest.mark.parametrize("mt_path", MT_FILES, ids=_id)
def test_corrected_text_draws_only_the_untranslated_flag(mt_path: Path) -> None:
    """After the editor's corrections nothing mechanical is left to report
    but the odd phrasings the notes list (the corrected file keeps them; a
    calque rule may point at them)."""
    fixed = _read(_sibling(mt_path, ".fixed.txt"))
    untranslated = [(n["fixed_start"], n["fixed_end"]) for n in _notes(mt_path)["untranslated"]]
    phrasings = [(n["fixed_start"], n["fixed_end"]) for n in _notes(mt_path).get("fluency", [])]
    findings = mtqa.check(fixed, _lang(mt_path)).findings
    unexpected = [
        f
        for f in findings
        if not (f.rule.startswith("language.") and any(f.start < e and s < f.end for s, e in untranslated))
        and not (f.rule == "wording.calque" and any(f.start < e and s < f.end for s, e in phrasings))
    ]
    assert not unexpected, "\n" + _describe(unexpected, fixed)


@pytest.mark.parametrize("clean_path", CLEAN_FILES, ids=_id)
def test_clean_article_has_no_findings(clean_path: Path) -> None:
    text = _read(clean_path)
    findings = mtqa.check(text, _lang(clean_path)).findings
    assert not findings, "\n" + _describe(findings, text)


@pytest.mark.parametrize("clean_path", CLEAN_FILES, ids=_id)
def test_fix_leaves_clean_article_unchanged(clean_path: Path) -> None:
    text = _read(clean_path)
    fixed = mtqa.fix(text, _lang(clean_path))
    assert fixed == text, "\n" + _line_diff(text, fixed)


def _cms_rows() -> dict[str, dict]:
    rows = [json.loads(line) for line in _read(CORPORA / "cms-export.jsonl").splitlines()]
    return {row["id"]: row for row in rows}


def _check_row(row: dict) -> list[Finding]:
    return mtqa.check(
        row["text"], row.get("lang"), source=row.get("source"), source_lang=row.get("source_lang")
    ).findings


def test_cms_export_entity_line_is_flagged_and_fixed() -> None:
    row = _cms_rows()["en-ceasefire-01"]
    findings = _check_row(row)
    assert [f.rule for f in findings if f.rule.startswith("entities.")] == ["entities.garbled"]
    assert mtqa.fix(row["text"], "en") == (
        "In Qadira, presidential spokesman Nabil Sa'di sounded more cautious."
    )


@pytest.mark.parametrize("row_id", ["en-climate-02", "fr-budget-03", "ru-hockey-05"])
def test_cms_export_clean_lines_have_no_findings(row_id: str) -> None:
    row = _cms_rows()[row_id]
    findings = _check_row(row)
    assert not findings, "\n" + _describe(findings, row["text"])


def test_cms_export_line_without_lang_is_still_checked() -> None:
    row = _cms_rows()["en-ceasefire-08"]
    assert "lang" not in row
    assert mtqa.fix(row["text"]) == re.sub(r"U\.S \.", "U.S.", row["text"])
