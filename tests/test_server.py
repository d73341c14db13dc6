"""The HTTP API a CMS calls: same findings and JSON contract as the CLI."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from mtqa.pipeline import Options  # noqa: E402
from mtqa.server import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Options(use_model=False)))


def test_check_returns_the_json_contract(client: TestClient) -> None:
    text = "Rebels withdrew from Kafr & # 39; Nabl on Sunday, officials said."
    response = client.post("/check", json={"text": text, "lang": "en", "id": "story-17"})
    assert response.status_code == 200
    payload = response.json()
    document = payload["documents"][0]
    assert document["id"] == "story-17"
    assert document["fixed_text"] == "Rebels withdrew from Kafr'Nabl on Sunday, officials said."
    finding = document["findings"][0]
    assert text[finding["start"] : finding["end"]] == finding["text"]
    assert payload["summary"]["findings"] == 1


def test_fix_returns_plain_text(client: TestClient) -> None:
    response = client.post("/fix", json={"text": "Il a dit &quot;non&quot;.", "lang": "fr"})
    assert response.status_code == 200
    assert response.text == 'Il a dit "non".'


def test_jsonl_batch_reports_bad_lines_and_goes_on(client: TestClient) -> None:
    body = b'{"id": "1", "text": "It&apos;s late."}\n{oops\n{"id": "3", "text": "Fine text here."}\n'
    payload = client.post("/check/jsonl", content=body).json()
    assert [d["id"] for d in payload["documents"]] == ["1", "body:2", "3"]
    assert "not valid JSON" in payload["documents"][1]["error"]
    assert payload["documents"][0]["fixed_text"] == "It's late."
    assert payload["summary"]["errors"] == 1


def test_jsonl_export_streams_one_result_line_per_record_when_asked(client: TestClient) -> None:
    body = (b'{"id": "1", "text": "It&apos;s late."}\n{oops\n'
            b'{"id": "3", "text": "He went to the the market.", "lang": "en"}\n')
    response = client.post("/check/jsonl", content=body, headers={"Accept": "application/x-ndjson"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["id"] for line in lines] == ["1", "body:2", "3"]
    assert lines[0]["fixed_text"] == "It's late." and "not valid JSON" in lines[1]["error"]
    assert [f["rule"] for f in lines[2]["findings"]] == ["repetition.doubled-word"]
    # the same records as the envelope's documents
    assert lines == client.post("/check/jsonl", content=body).json()["documents"]


def test_bad_requests_are_rejected_clearly(client: TestClient) -> None:
    assert client.post("/check", json={"lang": "en"}).status_code == 422
    response = client.post("/check", json={"text": "x", "lang": "klingon"})
    assert response.status_code == 422 and "unknown language" in response.text


def test_options_are_validated_as_the_cli_does(client: TestClient) -> None:
    for body in ({"text": "x", "lang": "en", "select": ["entitie"]},
                 {"text": "x", "lang": "en", "ignore": ["nope"]}):
        response = client.post("/check", json=body)
        assert response.status_code == 422 and "no rule or family named" in response.text
    response = client.post("/check", content=b'{"text": "x", "lang": "en", "min_confidence": NaN}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422


def test_lone_surrogates_and_bad_records_are_answered_not_crashed(client: TestClient) -> None:
    body = b'{"text": "He said \\ud800 hello.", "lang": "en"}'
    for path in ("/check", "/fix"):
        response = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 200, path
    assert [f["rule"] for f in client.post("/check", content=body, headers={"Content-Type": "application/json"})
            .json()["documents"][0]["findings"]] == ["encoding.replacement-char"]
    export = (b'{"id": "a", "text": "He went to the the market.", "lang": "xx"}\n'
              b'{"id": "b", "text": "x", "source": ' + b"[" * 100_000 + b"]" * 100_000 + b'}\n'
              b'{"id": "c", "text": "He said \\ud800 hi.", "lang": "en"}\n')
    response = client.post("/check/jsonl", content=export)
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert "unknown language" in documents[0]["error"] and "too deeply" in documents[1]["error"]
    assert [f["rule"] for f in documents[2]["findings"]] == ["encoding.replacement-char"]


def test_body_limits_and_content_type(client: TestClient) -> None:
    from mtqa import server

    response = client.post("/check", content=b"text=hello", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    huge = b'{"text": "' + b"a" * (server.MAX_BODY_BYTES + 10) + b'"}'
    response = client.post("/check", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and len(response.content) < 1000  # refused, not echoed
    server.MAX_JSONL_BYTES, saved = 1000, server.MAX_JSONL_BYTES
    try:
        response = client.post("/check/jsonl", content=b'{"text": "a"}\n' * 200)
        assert response.status_code == 413
    finally:
        server.MAX_JSONL_BYTES = saved
    response = client.post("/check", json={"text": "x" * 100, "lang": "en", "min_confidence": 7})
    assert response.status_code == 422 and "x" * 100 not in response.text  # no input echoed


def test_rules_and_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert any(rule["id"] == "entities.garbled" for rule in client.get("/rules").json())


# -- a real `mtqa serve`: a slow check must neither stall the service nor run for ever -------

import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(url: str, body: dict | None = None, timeout: float = 120) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _call_streamed(url: str, body: bytes, timeout: float = 120) -> tuple[int, list[dict]]:
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/x-ndjson"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, [json.loads(line) for line in response.read().splitlines()]


def _serve(*extra: str):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mtqa", "serve", "--no-model", "--port", str(port), "--request-timeout", "2",
         "--body-timeout", "1", "--header-timeout", "2", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if _call(base + "/health", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("mtqa serve did not start: " + process.stderr.read().decode()[-2000:])
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def served():
    yield from _serve()


@pytest.fixture(scope="module")
def served_by_two():
    yield from _serve("--workers", "2")


# 1.8 MB of mojibake: a linear but long check (many seconds), past the 2 s limit
SLOW_BODY = {"text": "cafÃ© " * 300_000, "lang": "en"}


def _while_a_slow_check_runs(base: str, action, name: str):
    """Start the slow check, run `action()` while it runs; (action's answer,
    the slow check's answer, the order in which the two were answered)."""
    events: list[str] = []
    outcome: dict = {}

    def slow() -> None:
        outcome["slow"] = _call(base + "/check", SLOW_BODY)
        events.append("slow answered")

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.5)  # the slow check is running
    answer = action()
    events.append(f"{name} answered")
    worker.join(120)
    return answer, outcome["slow"], events


def test_a_check_past_the_time_limit_is_stopped_and_health_answers_meanwhile(served):
    (status, health), slow, events = _while_a_slow_check_runs(
        served, lambda: _call(served + "/health", timeout=30), "health")
    assert status == 200 and health["ready"] is True
    assert events == ["health answered", "slow answered"]  # not queued behind the check
    code, payload = slow
    assert code == 503
    assert payload["time_limit_s"] == 2 and "time limit" in payload["error"]
    # the service goes on: the next check runs in a fresh check process
    code, payload = _call(served + "/check", {"text": "He went to the the market.", "lang": "en"})
    assert code == 200
    assert payload["summary"]["by_rule"] == {"repetition.doubled-word": 1}


def test_a_streamed_export_reports_a_record_past_the_time_limit_and_goes_on(served):
    export = (json.dumps({"id": "slow", **SLOW_BODY}) + "\n"
              + json.dumps({"id": "next", "text": "He went to the the market.", "lang": "en"}) + "\n").encode()
    code, lines = _call_streamed(served + "/check/jsonl", export)
    assert code == 200 and [line["id"] for line in lines] == ["slow", "next"]
    assert "time limit" in lines[0]["error"] and lines[0]["fixed_text"] == ""  # as every error record
    assert [f["rule"] for f in lines[1]["findings"]] == ["repetition.doubled-word"]


def test_a_connection_late_with_its_headers_is_closed_and_the_service_goes_on(served):
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as silent, \
            socket.create_connection((host, int(port)), timeout=30) as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and the rest never comes
        assert silent.recv(4096) == b""  # closed by the server (a socket timeout here: it never was)
        assert slow.recv(4096) == b""
    assert _call(served + "/health", timeout=10)[0] == 200


def test_a_stalled_body_is_answered_408_and_the_service_goes_on(served):
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 100\r\n\r\n{\"text\": \"He")  # and then nothing
        reply = b""
        while b"stalled" not in reply:  # headers and body may come in separate segments
            piece = connection.recv(4096)
            if not piece:
                break
            reply += piece
    assert reply.startswith(b"HTTP/1.1 408") and b"stalled" in reply
    assert _call(served + "/health", timeout=10)[0] == 200


def test_with_two_workers_a_slow_check_holds_one_and_the_other_serves(served_by_two):
    assert _call(served_by_two + "/health")[1]["workers"] == 2
    (code, payload), slow, events = _while_a_slow_check_runs(  # the slow check holds one worker
        served_by_two,
        lambda: _call(served_by_two + "/check", {"text": "He went to the the market.", "lang": "en"}), "quick")
    assert code == 200 and payload["summary"]["by_rule"] == {"repetition.doubled-word": 1}
    assert events == ["quick answered", "slow answered"]  # one worker: it would wait for the slow one
    assert slow[0] == 503
    # both workers serve again afterwards
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(_call(served_by_two + "/check", {
        "text": "The talks resumed on Monday.", "lang": "en"})[0])) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200] * 4
