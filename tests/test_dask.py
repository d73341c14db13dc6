"""mtqa on Dask: a LocalCluster gives a serial run's results, and a worker
killed mid-run loses no record and duplicates none."""

from __future__ import annotations

import io
import json
import os
import signal

import pytest

distributed = pytest.importorskip("distributed")
dask_bag = pytest.importorskip("dask.bag")

from mtqa import dask as mtqa_dask  # noqa: E402
from mtqa.formats.jsonl import iter_documents  # noqa: E402
from mtqa.pipeline import Options, check_document  # noqa: E402

from test_pool import HOSTILE_LINES, export_lines, write_export  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def export_documents(count: int):
    body = ("\n".join(export_lines(count)) + "\n").encode("utf-8")
    return list(iter_documents(io.BytesIO(body), "export.jsonl"))


def test_a_local_cluster_checks_an_export_as_a_serial_run_does(client, monkeypatch):
    monkeypatch.setattr(mtqa_dask, "PARTITION_DOCUMENTS", 100)  # a dozen tasks over both workers
    documents = export_documents(1200)
    options = Options(use_model=False)
    expected = [check_document(d, options).to_json() for d in documents]
    results = list(mtqa_dask.check_documents_on(client, documents, options))
    assert [r.to_json() for r in results] == expected
    assert all(r.document is d for r, d in zip(results, documents))
    assert sum(1 for r in results if r.error) == 6  # not JSON, nested too deep, unknown language: twice each


def test_a_worker_killed_mid_run_loses_no_record_and_duplicates_none(client, monkeypatch):
    monkeypatch.setattr(mtqa_dask, "PARTITION_DOCUMENTS", 40)
    documents = export_documents(3000)
    options = Options(use_model=False)
    expected = [check_document(d, options).to_json() for d in documents]
    checked = mtqa_dask.check_documents_on(client, documents, options)
    results = [next(checked)]  # the run is under way: partitions are queued on both workers
    processing = client.processing()
    victim = max(processing, key=lambda address: len(processing[address]))
    assert processing[victim], "no task was running on the worker about to be killed"
    pids = client.run(os.getpid)
    os.kill(pids[victim], signal.SIGKILL)  # as an out-of-memory kill would
    results.extend(checked)
    assert [r.id for r in results] == [d.id for d in documents]  # every record once, in order
    assert [r.to_json() for r in results] == expected


def test_check_bag_returns_one_result_per_record(client):
    lines = [line for line in export_lines(300) if line not in HOSTILE_LINES]
    records = [json.loads(line) for line in lines] + [{"id": "no-text"}]
    bag = dask_bag.from_sequence(records, npartitions=4)
    results = mtqa_dask.check_bag(bag, use_model=False).compute()
    assert [r["id"] for r in results[:-1]] == [record["id"] for record in records[:-1]]
    assert results[-1]["id"] == "no-text" and "text" in results[-1]["error"]
    first = check_document(next(iter_documents(io.BytesIO((lines[0] + "\n").encode()), "x")), Options())
    assert results[0]["findings"] == first.to_json()["findings"]
    assert results[0]["fixed_text"] != records[0]["text"]  # `the the` and the spaced full stop are fixed


def test_check_frame_keeps_the_index_and_reports_each_row():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"text": ["He went to the the market .", "The talks resumed."],
                              "lang": ["en", None]}, index=[7, 9])
    out = mtqa_dask.check_frame(frame)
    assert list(out.index) == [7, 9] and list(out.columns) == list(mtqa_dask.RESULT_COLUMNS)
    assert "repetition.doubled-word" in out.loc[7, "findings"]
    assert json.loads(out.loc[9, "findings"]) == []
    assert out.loc[7, "fixed_text"] == "He went to the market."


def test_the_cli_on_a_local_cluster_writes_the_serial_report(mtqa_cli, tmp_path):
    export = write_export(tmp_path / "export.jsonl", 400)
    serial = mtqa_cli("check", "--no-model", "--jobs", "1", "--format", "jsonl", str(export))
    on_dask = mtqa_cli("check", "--no-model", "--scheduler", "local", "--jobs", "2", "--format", "jsonl", str(export))
    assert on_dask.returncode == serial.returncode == 2
    assert on_dask.stdout == serial.stdout


def test_an_unreachable_scheduler_is_a_clear_error(mtqa_cli, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The talks resumed.\n", encoding="utf-8")
    result = mtqa_cli("check", "--no-model", "--scheduler", "tcp://127.0.0.1:9", str(article))
    assert result.returncode == 2
    assert b"cannot reach the Dask scheduler" in result.stderr and b"Traceback" not in result.stderr



def test_fix_on_a_local_cluster_writes_the_serial_output(mtqa_cli, tmp_path):
    export = tmp_path / "clean.jsonl"
    export.write_text("\n".join(line for line in export_lines(200) if line not in HOSTILE_LINES) + "\n",
                      encoding="utf-8")
    serial = mtqa_cli("fix", "--no-model", "--jobs", "1", str(export))
    on_dask = mtqa_cli("fix", "--no-model", "--scheduler", "local", "--jobs", "2", str(export))
    assert on_dask.returncode == serial.returncode == 0
    assert on_dask.stdout == serial.stdout and len(on_dask.stdout.splitlines()) == 200
