"""--jobs: a pool of check processes gives a serial run's results, in order,
survives a dying worker, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtqa import pool
from mtqa.findings import Document, TextUnit
from mtqa.pipeline import Options, check_document

ROOT = Path(__file__).resolve().parent.parent
CRASHING_WORKER = [sys.executable, str(Path(__file__).with_name("crashing_check_worker.py"))]

# Sentences with the artifacts MT leaves, clean ones, and hostile records.
TEMPLATES = [
    "The mayor said the the bridge would reopen on {n} May .",
    "Officials said Ma &amp; # 39;arrat had been shelled {n} times.",
    "The minister will \" no desire or intention to collide with Russia. \"",
    "Le prÃ©sident a rencontrÃ© {n} dÃ©putÃ©s hier.",
    "Der Bürgermeister sagte , dass die Brücke am {n}. Mai wieder öffnet.",
    "Police closed the road after {n} cars collided near the harbour.",
    "The council approved the budget by {n} votes to 12.",
    "Die Polizei sperrte die Straße.",
]
HOSTILE_LINES = [
    "this line is not JSON",
    json.dumps({"id": "nested", "text": [[[[[[[[[[[["deep"]]]]]]]]]]]]}),
    json.dumps({"id": "badlang", "text": "The talks resumed.", "lang": "xx-nowhere"}),
    json.dumps({"id": "surrogate", "text": "Broken \ud800 text from the CMS."}),
    json.dumps({"id": "empty", "text": ""}),
    json.dumps({"id": "source", "text": "Die Polizei sperrte die Straße.", "source": "Die Polizei sperrte die Straße.",
                "lang": "en"}),
]


def export_lines(count: int) -> list[str]:
    lines = []
    for n in range(count):
        record = {"id": f"r{n}", "text": TEMPLATES[n % len(TEMPLATES)].format(n=n)}
        if n % 3 == 0:
            record["lang"] = ("en", "fr", "de")[n % 9 // 3]
        lines.append(json.dumps(record, ensure_ascii=False))
        if n % 100 == 50:
            lines.append(HOSTILE_LINES[(n // 100) % len(HOSTILE_LINES)])
    return lines


def write_export(path: Path, count: int) -> Path:
    path.write_text("\n".join(export_lines(count)) + "\n", encoding="utf-8")
    return path


def documents(count: int) -> list[Document]:
    return [Document(id=f"d{n}", units=[TextUnit(text=TEMPLATES[n % len(TEMPLATES)].format(n=n))])
            for n in range(count)]


def test_a_jsonl_export_on_two_processes_reports_byte_for_byte_what_one_does(mtqa_cli, tmp_path):
    export = write_export(tmp_path / "export.jsonl", 1200)
    for output_format in ("jsonl", "sarif"):
        serial = mtqa_cli("check", "--no-model", "--jobs", "1", "--format", output_format, str(export))
        parallel = mtqa_cli("check", "--no-model", "--jobs", "2", "--format", output_format, str(export))
        assert serial.returncode == parallel.returncode == 2  # the hostile lines are input errors
        assert parallel.stdout == serial.stdout
        if output_format == "jsonl":
            ids = [json.loads(line)["id"] for line in parallel.stdout.splitlines()]
            assert [i for i in ids if i.startswith("r")] == [f"r{n}" for n in range(1200)]
            assert len(ids) == 1200 + 12  # and the hostile lines, each once


def test_results_come_back_in_input_order_across_batches(monkeypatch):
    monkeypatch.setattr(pool, "BATCH_DOCUMENTS", 3)  # many batches over both workers
    docs = documents(40)
    options = Options(use_model=False)
    expected = [check_document(d, options).to_json() for d in docs]
    with pool.CheckPool(2) as workers:
        results = list(workers.map(docs, options))
    assert [r.to_json() for r in results] == expected
    assert [r.document for r in results] == docs  # each result carries its own document back


def test_a_dying_worker_costs_only_the_document_that_killed_it(monkeypatch):
    monkeypatch.setattr(pool, "BATCH_DOCUMENTS", 4)
    docs = documents(20)
    docs[9] = Document(id="boom", units=[TextUnit(text="The talks resumed on Monday.")])
    options = Options(use_model=False)
    with pool.CheckPool(2, command=CRASHING_WORKER) as workers:
        results = list(workers.map(docs, options))
    assert [r.id for r in results] == [d.id for d in docs]  # every document once, in order
    failed = [r for r in results if r.error]
    assert [r.id for r in failed] == ["boom"]
    assert "died" in failed[0].error and "boom" in failed[0].error
    for document, result in zip(docs, results):
        if document.id != "boom":
            assert result.to_json() == check_document(document, options).to_json()


def test_the_cli_exits_2_and_names_the_document_when_a_worker_dies(tmp_path, monkeypatch):
    from mtqa.cli import EXIT_ERROR, iter_results
    from mtqa.formats import ReadOptions
    from mtqa.inputs import Input

    export = tmp_path / "export.jsonl"
    lines = export_lines(30)
    lines.insert(12, json.dumps({"id": "boom", "text": "The talks resumed."}))
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(pool.CheckPool, "__init__", _crashing_init(pool.CheckPool.__init__))
    results = list(iter_results([Input(str(export), export)], None, ReadOptions(), Options(use_model=False), jobs=2))
    assert len(results) == 31
    assert [r.id for r in results if r.error] == ["boom"]
    from mtqa.cli import exit_code

    assert exit_code(results, None) == EXIT_ERROR


def _crashing_init(original):
    def init(self, jobs, *, threads=None, command=None):
        original(self, jobs, threads=threads, command=CRASHING_WORKER)

    return init


def test_fix_in_place_on_two_processes_writes_what_one_does(mtqa_cli, tmp_path):
    serial_dir, parallel_dir = tmp_path / "serial", tmp_path / "parallel"
    for directory in (serial_dir, parallel_dir):
        directory.mkdir()
        for n, template in enumerate(TEMPLATES):
            (directory / f"article{n}.txt").write_text(template.format(n=n) + "\n", encoding="utf-8")
        write_export(directory / "export.jsonl", 150)
    names = sorted(p.name for p in serial_dir.glob("*.txt")) + ["export.jsonl"]
    serial = mtqa_cli("fix", "--no-model", "--jobs", "1", "--in-place", *[str(serial_dir / n) for n in names])
    parallel = mtqa_cli("fix", "--no-model", "--jobs", "2", "--in-place", *[str(parallel_dir / n) for n in names])
    # the export has bad lines: it is not rewritten in place, and both runs say so
    assert serial.returncode == parallel.returncode == 2
    assert parallel.stderr.replace(b"parallel", b"serial") == serial.stderr
    for name in names:
        assert (parallel_dir / name).read_bytes() == (serial_dir / name).read_bytes()
    assert (serial_dir / "article0.txt").read_text(encoding="utf-8") != TEMPLATES[0].format(n=0) + "\n"


def test_fix_of_a_jsonl_export_on_two_processes_is_the_serial_output(mtqa_cli, tmp_path):
    export = tmp_path / "clean.jsonl"
    export.write_text("\n".join(line for line in export_lines(400) if line not in HOSTILE_LINES) + "\n",
                      encoding="utf-8")
    serial = mtqa_cli("fix", "--no-model", "--jobs", "1", str(export))
    parallel = mtqa_cli("fix", "--no-model", "--jobs", "2", str(export))
    assert serial.returncode == parallel.returncode == 0
    assert parallel.stdout == serial.stdout
    assert len(parallel.stdout.splitlines()) == 400


@pytest.mark.slow
def test_ctrl_c_stops_every_worker_and_leaves_no_half_written_report(tmp_path):
    psutil = pytest.importorskip("psutil")
    export = write_export(tmp_path / "big.jsonl", 40000)
    report = tmp_path / "report.jsonl"
    env = dict(os.environ, NO_COLOR="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "mtqa", "check", "--no-model", "--jobs", "2", "--format", "jsonl",
         "-o", str(report), str(export)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
        # As from a terminal: a CI job started in the background inherits
        # SIGINT ignored, and Python then never raises KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    while len(parent.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    children = parent.children()
    assert len(children) == 2, "the pool's processes did not start"
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends: the whole group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode(errors="replace")[-500:]
    assert b"Traceback" not in stderr
    assert b"interrupted" in stderr
    assert not report.exists()
    assert list(tmp_path.iterdir()) == [export]  # no temp file left
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive


def test_batches_group_small_records_and_send_model_checks_one_by_one():
    docs = documents(200)
    grouped = list(pool.batches(docs, max_chars=pool.BATCH_CHARS, max_documents=pool.BATCH_DOCUMENTS))
    assert [d for batch in grouped for d in batch] == docs
    assert all(len(batch) <= pool.BATCH_DOCUMENTS for batch in grouped) and len(grouped) < 10
    assert [len(batch) for batch in pool.batches(docs[:5], max_chars=pool.BATCH_CHARS, max_documents=1)] == [1] * 5


def test_one_document_or_one_job_never_starts_a_process(monkeypatch):
    started = []
    monkeypatch.setattr(pool.CheckPool, "__init__", lambda self, *a, **k: started.append(a))
    options = Options(use_model=False)
    assert len(list(pool.check_documents(documents(1), options, jobs=4))) == 1
    assert len(list(pool.check_documents(documents(5), options, jobs=1))) == 5
    assert started == []


def test_jobs_must_be_positive(mtqa_cli, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The talks resumed.\n", encoding="utf-8")
    result = mtqa_cli("check", "--no-model", "--jobs", "0", str(article))
    assert result.returncode == 2 and b"--jobs" in result.stderr and b"Traceback" not in result.stderr
