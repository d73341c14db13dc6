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


def test_bad_requests_are_rejected_clearly(client: TestClient) -> None:
    assert client.post("/check", json={"lang": "en"}).status_code == 422
    response = client.post("/check", json={"text": "x", "lang": "klingon"})
    assert response.status_code == 422 and "unknown language" in response.text


def test_rules_and_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert any(rule["id"] == "entities.garbled" for rule in client.get("/rules").json())
