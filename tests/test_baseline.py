"""Baselines: old findings stay quiet, new damage is reported, edits elsewhere don't matter."""

from __future__ import annotations

import json

import pytest

import mtqa
from mtqa.baseline import BASELINE_VERSION, filter_new, load_baseline, write_baseline
from mtqa.errors import MtqaError

ARTICLE = (
    "Residents of Ma & # 39; arrat fled on Monday.\n\n"
    "The mayor said it&#39;s too early to return.\n\n"
    "Aid groups said roads to the south were still closed.\n"
)


def check(text: str, lang: str = "en", id: str = "news/idlib.txt"):
    return mtqa.check(text, lang, id=id)


def new_rules(results) -> list[tuple[str, str]]:
    return [(r.id, f.rule) for r in results for f in r.findings]


@pytest.fixture
def baseline(tmp_path):
    path = tmp_path / "mtqa-baseline.json"
    written = write_baseline([check(ARTICLE)], path)
    assert written == 2
    return load_baseline(path)


def test_file_format_has_a_version_and_readable_entries(tmp_path):
    path = tmp_path / "b.json"
    write_baseline([check(ARTICLE)], path)
    data = json.loads(path.read_text("utf-8"))
    assert data["version"] == BASELINE_VERSION
    assert data["tool"] == "mtqa"
    entry = next(e for e in data["findings"] if e["rule"] == "entities.garbled")
    assert entry["document"] == "news/idlib.txt"
    assert entry["text"] == " & # 39; "
    assert entry["before"] == "Residents of Ma"
    assert entry["after"] == "arrat fled on Monday"
    assert "start" not in entry and "line" not in entry


def test_unchanged_article_has_no_new_findings(baseline):
    assert new_rules(filter_new([check(ARTICLE)], baseline)) == []


def test_edits_elsewhere_do_not_make_old_findings_new(baseline):
    edited = "Updated at 10:00 with comments from aid groups.\n\n" + ARTICLE.replace("still closed", "closed again")
    assert new_rules(filter_new([check(edited)], baseline)) == []


def test_new_damage_is_reported(baseline):
    edited = ARTICLE.replace("roads to the south", "roads to the south &quot;")
    assert new_rules(filter_new([check(edited)], baseline)) == [("news/idlib.txt", "entities.moses-escape")]


def test_counts_matter(tmp_path):
    two = "Ma & # 39; arrat. Ma & # 39; arrat.\n"
    path = tmp_path / "b.json"
    write_baseline([check(two)], path)
    three = "Ma & # 39; arrat. Ma & # 39; arrat. Ma & # 39; arrat.\n"
    filtered = filter_new([check(three)], load_baseline(path))
    assert new_rules(filtered) == [("news/idlib.txt", "entities.garbled")]


def test_same_text_in_another_place_is_new(baseline):
    edited = ARTICLE + "\nA convoy left for Ma & # 39; arrat late on Tuesday night.\n"
    filtered = filter_new([check(edited)], baseline)
    assert new_rules(filtered) == [("news/idlib.txt", "entities.garbled")]
    (finding,) = filtered[0].findings
    assert finding.line == 7


def test_fixing_a_neighbour_keeps_the_other_side_matched(tmp_path):
    text = "Le maire d&#39;Alep a parlé , puis il est parti.\n"
    path = tmp_path / "b.json"
    write_baseline([check(text, "fr", id="alep.txt")], path)
    # The editor repaired the entity; the space before the comma is still there
    # and its left context changed.
    repaired = "Le maire d'Alep a parlé , puis il est parti.\n"
    assert new_rules(filter_new([check(repaired, "fr", id="alep.txt")], load_baseline(path))) == []


def test_other_documents_do_not_share_a_baseline(baseline):
    assert new_rules(filter_new([check(ARTICLE, id="news/other.txt")], baseline)) == [
        ("news/other.txt", "entities.garbled"),
        ("news/other.txt", "entities.literal"),
    ]


def test_windows_paths_match_posix_ones(baseline):
    assert new_rules(filter_new([check(ARTICLE, id="news\\idlib.txt")], baseline)) == []


def test_rewrapped_paragraph_still_matches(tmp_path):
    text = "Der Minister sagte , es sei\nein schwerer Tag gewesen.\n"
    path = tmp_path / "b.json"
    write_baseline([check(text, "de", id="de.txt")], path)
    rewrapped = "Der  Minister sagte , es sei ein\nschwerer Tag gewesen.\n"
    filtered = filter_new([check(rewrapped, "de", id="de.txt")], load_baseline(path))
    assert [f.rule for f in filtered[0].findings if f.rule == "spacing.before-punctuation"] == []


def test_bad_baseline_files_are_refused_clearly(tmp_path):
    with pytest.raises(MtqaError, match="not found"):
        load_baseline(tmp_path / "missing.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"version": 99, "tool": "mtqa", "findings": []}', "utf-8")
    with pytest.raises(MtqaError, match="version 99"):
        load_baseline(wrong)
    other = tmp_path / "sarif.json"
    other.write_text('{"version": "2.1.0", "runs": []}', "utf-8")
    with pytest.raises(MtqaError, match="not an mtqa baseline"):
        load_baseline(other)
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1, "tool": "mtqa", "findings": [{"rule": "x"}]}', "utf-8")
    with pytest.raises(MtqaError, match="entry 1"):
        load_baseline(broken)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", "utf-8")
    with pytest.raises(MtqaError, match="cannot read baseline"):
        load_baseline(garbage)
