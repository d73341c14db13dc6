"""`mtqa check --format jsonl -o DIR/`: numbered JSONL parts and a manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import run_mtqa


def export(path: Path, records: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for index in range(records):
            text = "He went to the the market." if index % 3 == 0 else "The council met on Monday."
            handle.write(json.dumps({"id": f"r{index}", "text": text, "lang": "en"}) + "\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")  # one bad record: an error line, exit 2


def test_parts_hold_every_record_once_in_order_and_the_manifest_the_outcome(tmp_path: Path):
    export(tmp_path / "export.jsonl", 25)
    out = tmp_path / "results"
    (out).mkdir()
    (out / "part-00007.jsonl").write_text("stale\n")  # a previous run's part goes
    (out / "notes.txt").write_text("mine\n")  # anything else stays
    done = run_mtqa("check", "--no-model", "--format", "jsonl", "-o", f"{out}/", "--part-records", "10",
                    str(tmp_path / "export.jsonl"))
    assert done.returncode == 2, done.stderr.decode()  # the bad line
    manifest = json.loads((out / "manifest.json").read_text())
    assert [p["file"] for p in manifest["parts"]] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert [p["records"] for p in manifest["parts"]] == [10, 10, 6]
    assert (manifest["records"], manifest["documents_with_errors"], manifest["exit_code"]) == (26, 1, 2)
    ids = []
    for part in manifest["parts"]:
        data = (out / part["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == part["sha256"]
        lines = [json.loads(line) for line in data.decode().splitlines()]
        assert (lines[0]["id"], lines[-1]["id"]) == (part["first_id"], part["last_id"])
        ids += [line["id"] for line in lines]
    assert ids[:25] == [f"r{i}" for i in range(25)] and len(ids) == 26
    assert manifest["findings"] == 9  # `the the` in r0, r3, ... r24
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "notes.txt", "part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    single = run_mtqa("check", "--no-model", "--format", "jsonl", str(tmp_path / "export.jsonl"))
    assert b"".join((out / p["file"]).read_bytes() for p in manifest["parts"]) == single.stdout


def test_a_directory_takes_only_jsonl_without_a_baseline(tmp_path: Path):
    export(tmp_path / "export.jsonl", 3)
    for extra in (("--format", "json"), ("--format", "jsonl", "--baseline", str(tmp_path / "b.json"))):
        done = run_mtqa("check", "--no-model", "-o", f"{tmp_path}/out/", *extra, str(tmp_path / "export.jsonl"))
        assert done.returncode == 2 and b"JSONL parts" in done.stderr and b"Traceback" not in done.stderr
