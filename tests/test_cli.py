"""The `mtqa` command as a CI step and an editor use it: exit codes, formats, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_mtqa

ARTICLE = (
    "Officials in the town of Tell & # 39; Abyad said on Tuesday that the convoy had arrived.\n"
    "\n"
    "The governor described the situation as &quot;under control&quot; and promised more aid.\n"
)
FIXED = (
    "Officials in the town of Tell'Abyad said on Tuesday that the convoy had arrived.\n"
    "\n"
    'The governor described the situation as "under control" and promised more aid.\n'
)
CLEAN = "The central bank left interest rates unchanged on Thursday, citing slowing inflation.\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def assert_no_traceback(result) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode()


def test_check_reports_line_and_column_and_exits_zero_by_default(article: Path) -> None:
    result = run_mtqa("check", "--no-model", "--lang", "en", str(article))
    out = result.stdout.decode()
    assert result.returncode == 0
    assert f"{article}:1:{ARTICLE.index(' & #') + 1}" in out  # the space before '&' on line 1
    assert f"{article}:3:41" in out
    assert "entities.garbled" in out and "entities.moses-escape" in out
    assert "3 findings" in out


def test_fail_on_sets_the_exit_code(article: Path, tmp_path: Path) -> None:
    assert run_mtqa("check", "--no-model", "--fail-on", "major", str(article)).returncode == 1
    assert run_mtqa("check", "--no-model", "--fail-on", "critical", str(article)).returncode == 0
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    assert run_mtqa("check", "--no-model", "--fail-on", "minor", str(clean)).returncode == 0


def test_json_follows_the_contract(article: Path) -> None:
    result = run_mtqa("check", "--no-model", "--format", "json", str(article))
    payload = json.loads(result.stdout)
    assert payload["mtqa"]
    document = payload["documents"][0]
    assert document["id"] == str(article)
    assert document["language"] == "en"
    assert document["fixed_text"] == FIXED
    first = document["findings"][0]
    for key in ("rule", "category", "severity", "start", "end", "text", "message", "suggestions", "confidence", "origin"):
        assert key in first
    # Offsets are code points into the text.
    assert ARTICLE[first["start"] : first["end"]] == first["text"] == " & # 39; "
    assert payload["summary"]["findings"] == 3
    assert payload["summary"]["by_severity"] == {"major": 3}


def test_offsets_are_code_points_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    text = "Le ministère de l’Intérieur a décidé « à l’unanimité » que l & # 39; État paierait.\n"
    path.write_text(text, encoding="utf-8")
    finding = json.loads(run_mtqa("check", "--no-model", "--lang", "fr", "--format", "json", str(path)).stdout)[
        "documents"
    ][0]["findings"][0]
    assert text[finding["start"] : finding["end"]] == " & # 39; "


def test_stdin_is_read_with_dash() -> None:
    result = run_mtqa("check", "--no-model", "--format", "json", "-", input=ARTICLE.encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["documents"][0]["fixed_text"] == FIXED


def test_jsonl_input_continues_past_bad_lines(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_bytes(
        b'{"id": "a1", "text": "The mayor &apos;s office declined to comment.", "lang": "en"}\n'
        b"{not json}\n"
        b'{"id": "a3", "text": 42}\n'
        b'["a list"]\n'
        b"\n"
        b'{"id": "a6", "text": "Die Regierung hat am Montag neue Regeln beschlossen.", "lang": "de"}\n'
    )
    result = run_mtqa("check", "--no-model", "--input-format", "jsonl", "--format", "jsonl", str(export))
    assert_no_traceback(result)
    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["id"] for line in lines] == ["a1", f"{export}:2", "a3", f"{export}:4", "a6"]
    assert lines[0]["fixed_text"] == "The mayor's office declined to comment."
    assert "line 2" in lines[1]["error"] and "not valid JSON" in lines[1]["error"]
    assert '"text" must be a string' in lines[2]["error"]
    assert "expected a JSON object" in lines[3]["error"]
    assert lines[4]["findings"] == [] and lines[4]["language"] == "de"
    assert b"line 2" in result.stderr


def test_fix_writes_output_and_leaves_input_alone(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.txt"
    result = run_mtqa("fix", "--no-model", str(article), "-o", str(out))
    assert result.returncode == 0
    assert out.read_text(encoding="utf-8") == FIXED
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_fix_to_stdout_and_diff(article: Path) -> None:
    assert run_mtqa("fix", "--no-model", str(article)).stdout.decode() == FIXED
    diff = run_mtqa("fix", "--no-model", "--diff", str(article)).stdout.decode()
    assert diff.startswith(f"--- a/{article}")
    assert "-Officials in the town of Tell & # 39; Abyad" in diff
    assert "+Officials in the town of Tell'Abyad" in diff
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_fix_in_place_keeps_a_backup(article: Path) -> None:
    result = run_mtqa("fix", "--no-model", "--in-place", str(article))
    assert result.returncode == 0
    assert article.read_text(encoding="utf-8") == FIXED
    assert (article.parent / "article.txt.orig").read_text(encoding="utf-8") == ARTICLE
    assert not list(article.parent.glob("*.mtqa-tmp"))


def test_fix_in_place_writes_through_a_symlink_and_cleans_leftovers(tmp_path: Path) -> None:
    """The link was replaced by a regular file and its target left unchanged."""
    (tmp_path / "store").mkdir()
    target = tmp_path / "store" / "article.txt"
    target.write_text(ARTICLE, encoding="utf-8")
    link = tmp_path / "article.txt"
    link.symlink_to(target)
    leftover = tmp_path / "store" / ".article.txt.k1ll3d.mtqa-tmp"  # what a SIGKILL mid-write leaves
    leftover.write_bytes(b"half")
    result = run_mtqa("fix", "--no-model", "--in-place", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "article.txt.orig").read_text(encoding="utf-8") == ARTICLE
    assert not leftover.exists()
    assert not list(tmp_path.rglob("*.mtqa-tmp"))


def test_fix_keeps_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("\ufeffIt&apos;s done.\r\nNext line.\r\n".encode("utf-8"))
    out = tmp_path / "out.txt"
    assert run_mtqa("fix", "--no-model", str(path), "-o", str(out)).returncode == 0
    assert out.read_bytes() == "\ufeffIt's done.\r\nNext line.\r\n".encode("utf-8")


def test_fix_jsonl_rewrites_text_fields(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text(
        json.dumps({"id": "x", "text": "He said &quot;no&quot;.", "lang": "en", "section": "world"}) + "\n",
        encoding="utf-8",
    )
    result = run_mtqa("fix", "--no-model", str(export))
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert record == {"id": "x", "text": 'He said "no".', "lang": "en", "section": "world"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"binary"),
        ("Le caf\u00e9 est ferm\u00e9.".encode("latin-1"), b"not valid UTF-8"),
        (b"", b"empty"),
        (b"   \n\n", b"empty"),
    ],
)
def test_bad_files_get_a_clear_error_and_exit_2(tmp_path: Path, content: bytes, message: bytes) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    for command in (["check"], ["fix"], ["check", "--format", "json"]):
        result = run_mtqa(*command, "--no-model", str(path))
        assert result.returncode == 2
        assert message in result.stdout + result.stderr
        assert_no_traceback(result)
    assert path.read_bytes() == content


def test_latin1_file_can_be_read_with_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("L&apos;arr\u00eat du caf\u00e9.".encode("latin-1"))
    out = tmp_path / "out.txt"
    assert run_mtqa("fix", "--no-model", "--encoding", "latin-1", str(path), "-o", str(out)).returncode == 0
    assert out.read_bytes() == "L'arr\u00eat du caf\u00e9.".encode("latin-1")


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs without writing them
    result = run_mtqa("check", "--no-model", str(path))
    assert result.returncode == 2
    assert b"50.0 MiB, over the 20 MiB limit" in result.stdout
    assert_no_traceback(result)


def test_one_bad_file_does_not_stop_the_others(article: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run_mtqa("check", "--no-model", "--format", "json", str(missing), str(article))
    assert result.returncode == 2
    documents = json.loads(result.stdout)["documents"]
    assert documents[0]["error"] == "no such file"
    assert len(documents[1]["findings"]) == 3


def test_directory_is_walked(tmp_path: Path, article: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.txt").write_text(CLEAN, encoding="utf-8")
    result = run_mtqa("check", "--no-model", "--format", "json", str(tmp_path))
    ids = [d["id"] for d in json.loads(result.stdout)["documents"]]
    assert ids == [str(article), str(tmp_path / "sub" / "other.txt")]


def test_directory_walk_reads_every_format(tmp_path: Path) -> None:
    """The README's CI recipe checks a directory: HTML, Markdown, PO and XLIFF
    files in it were skipped (the format table was read before the optional
    formats registered)."""
    (tmp_path / "page.html").write_text("<p>He went to the the market.</p>\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("He went to the the market.\n", encoding="utf-8")
    (tmp_path / "ui.po").write_text('msgid "a"\nmsgstr "He went to the the market."\n', encoding="utf-8")
    (tmp_path / "unit.xlf").write_text(
        '<?xml version="1.0"?><xliff version="1.2"><file source-language="de" target-language="en">'
        '<body><trans-unit id="1"><source>Er ging zum Markt.</source><target>He went to the the market.</target>'
        "</trans-unit></body></file></xliff>\n", encoding="utf-8")
    result = run_mtqa("check", "--no-model", "--lang", "en", "--format", "json", str(tmp_path))
    documents = json.loads(result.stdout)["documents"]
    assert sorted(Path(d["id"]).name for d in documents) == ["notes.md", "page.html", "ui.po", "unit.xlf"]
    assert all(any(f["rule"] == "repetition.doubled-word" for f in d["findings"]) for d in documents)


def test_a_format_whose_extra_is_missing_is_refused_not_read_as_text(monkeypatch) -> None:
    from mtqa import formats
    from mtqa.errors import MtqaError

    formats.format_for("x.txt")  # the optional formats registered
    monkeypatch.delitem(formats.FORMATS, "xliff")
    with pytest.raises(MtqaError, match=r"pip install 'mtqa\[formats\]'"):
        formats.format_for("unit.xlf")
    assert ".xlf" in formats.known_extensions()  # a directory walk still finds it, and says why it cannot read it


def test_usage_errors_exit_2(article: Path) -> None:
    for args in (
        ["check", "--lang", "klingon", str(article)],
        ["check", "--select", "nonsense.rule", str(article)],
        ["check", "--fail-on", "fatal", str(article)],
        ["fix", "--in-place", "-o", "x.txt", str(article)],
        ["frobnicate"],
    ):
        result = run_mtqa(*args)
        assert result.returncode == 2, args
        assert_no_traceback(result)


def test_select_and_ignore(article: Path) -> None:
    only = json.loads(run_mtqa("check", "--no-model", "--format", "json", "--select", "entities.garbled", str(article)).stdout)
    assert {f["rule"] for f in only["documents"][0]["findings"]} == {"entities.garbled"}
    rest = json.loads(run_mtqa("check", "--no-model", "--format", "json", "--ignore", "entities.garbled", str(article)).stdout)
    assert "entities.garbled" not in {f["rule"] for f in rest["documents"][0]["findings"]}


def test_config_file_is_honoured(tmp_path: Path, article: Path) -> None:
    (tmp_path / "mtqa.toml").write_text(
        'ignore = ["entities.moses-escape"]\nfail-on = "major"\n[severity]\n"entities.garbled" = "critical"\n',
        encoding="utf-8",
    )
    result = run_mtqa("check", "--no-model", "--format", "json", str(article), cwd=tmp_path)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("entities.garbled", "critical")]


def test_pyproject_tool_section_and_bad_config(tmp_path: Path, article: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mtqa]\nselect = ["entities.moses-escape"]\n', encoding="utf-8")
    findings = json.loads(run_mtqa("check", "--no-model", "--format", "json", str(article), cwd=tmp_path).stdout)[
        "documents"
    ][0]["findings"]
    assert {f["rule"] for f in findings} == {"entities.moses-escape"}
    (tmp_path / "mtqa.toml").write_text("colour = 'blue'\n", encoding="utf-8")
    result = run_mtqa("check", "--no-model", str(article), cwd=tmp_path)
    assert result.returncode == 2 and b"unknown key" in result.stderr
    assert_no_traceback(result)


def test_rules_lists_every_rule_with_metadata() -> None:
    rules = json.loads(run_mtqa("rules", "--format", "json").stdout)
    ids = {r["id"] for r in rules}
    assert {"entities.garbled", "entities.literal", "entities.double-escaped", "entities.moses-escape"} <= ids
    for rule in rules:
        assert rule["category"] and rule["severity"] in {"minor", "major", "critical"}
        assert isinstance(rule["autofix"], bool)


def test_fix_several_files_in_place(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(CLEAN, encoding="utf-8")
    assert run_mtqa("fix", "--no-model", str(first), str(second)).returncode == 2  # needs --in-place
    assert first.read_text(encoding="utf-8") == ARTICLE
    result = run_mtqa("fix", "--no-model", "--in-place", "--backup-suffix", "", str(first), str(second))
    assert result.returncode == 0
    assert first.read_text(encoding="utf-8") == FIXED
    assert second.read_text(encoding="utf-8") == CLEAN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # no backups asked for


def test_the_api_refuses_what_the_cli_refuses() -> None:
    """One validation for every entry point (mtqa.options): the API accepted
    a misspelt rule (and returned nothing), an unknown language, a NaN."""
    import mtqa
    from mtqa.options import OptionsError

    text = "He went to the the market."
    for kwargs, param in (({"select": ["entitie"]}, "select"), ({"lang": "xx"}, "lang"),
                          ({"min_confidence": float("nan")}, "min_confidence"), ({"ignore": ["nope"]}, "ignore")):
        with pytest.raises(OptionsError) as raised:
            mtqa.check(text, **{"lang": "en", **kwargs})
        assert raised.value.param == param
    result = run_mtqa("check", "--no-model", "--select", "entitie", "-", input=text.encode())
    assert result.returncode == 2 and b"entitie" in result.stderr
    # a language with its region is its language everywhere (spacing.currency was dropped for en-US)
    assert [f.rule for f in mtqa.check("The ticket costs $ 25 now.", "en-US").findings] == ["spacing.currency"]


def test_jsonl_bad_records_are_their_own_errors_and_the_run_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "deep", "text": "Hello.", "source": "[" * 100_000}),  # a string: fine
        '{"id": "nested", "text": "x", "source": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"id": "badlang", "text": "He went to the the market.", "lang": "xx-nonsense"}),
        json.dumps({"id": "lone", "text": "He said \ud800 hello.", "lang": "en"}),
        json.dumps({"id": "ok", "text": "He went to the the market.", "lang": "en-GB"}),
    ]
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for output in ("json", "jsonl", "sarif", "github", "text"):
        result = run_mtqa("check", "--no-model", "--format", output, str(export))
        assert result.returncode == 2, (output, result.stderr[-500:])  # bad lines are input errors
        assert b"Traceback" not in result.stderr
    documents = json.loads(run_mtqa("check", "--no-model", "--format", "json", str(export)).stdout)["documents"]
    by_id = {d["id"]: d for d in documents}
    assert "nests its JSON too deeply" in by_id[f"{export}:2"]["error"]
    assert "unknown language 'xx-nonsense'" in by_id["badlang"]["error"]
    assert [f["rule"] for f in by_id["lone"]["findings"]] == ["encoding.replacement-char"]
    assert [f["rule"] for f in by_id["ok"]["findings"]] == ["repetition.doubled-word"]
    fixed = run_mtqa("fix", str(export))
    assert fixed.returncode in (0, 1, 2) and b"Traceback" not in fixed.stderr
    fixed.stdout.decode("utf-8")  # encodable: no lone surrogate written


def test_utf16_without_bom_names_the_encoding_to_use(tmp_path: Path) -> None:
    """It was called binary with no hint."""
    for encoding in ("utf-16-le", "utf-16-be"):
        article = tmp_path / f"{encoding}.txt"
        article.write_bytes("He went to the the market.\nAnd then he left.\n".encode(encoding))
        result = run_mtqa("check", "--no-model", "--lang", "en", str(article))
        assert result.returncode == 2 and f"--encoding {encoding}".encode() in result.stdout + result.stderr
        result = run_mtqa("check", "--no-model", "--lang", "en", "--encoding", encoding, "--format", "json",
                          str(article))
        assert [f["rule"] for f in json.loads(result.stdout)["documents"][0]["findings"]] == ["repetition.doubled-word"]


def test_options_come_from_the_configuration_under_the_flags():
    # One builder for every entry point (mtqa.options.built): a flag wins, an
    # option the flag leaves out keeps the file's value, and a configured
    # min-confidence of 0 stays 0 (it read as "not set" and became 0.9).
    from mtqa.cli import build_options
    from mtqa.config import Config

    config = Config(lang="de", select=["spacing"], min_confidence=0.0)
    options = build_options(config, None, (), (), True, None, None)
    assert (options.language, options.select, options.min_confidence, options.use_model) == ("de", ["spacing"], 0.0, False)
    options = build_options(config, "en-US", ("entities",), (), True, None, 0.5, unsafe_fixes=True)
    assert (options.language, options.select, options.min_confidence, options.unsafe_fixes) == ("en", ["entities"], 0.5, True)
    # An empty string is no value either: a request's `lang: ""` keeps the
    # service's language, `--model ""` the configured model.
    from mtqa.options import Options, built

    options = built(Options(language="de", model="smollm2"), language="", model="")
    assert (options.language, options.model) == ("de", "smollm2")
