"""How the fluency model runs: threads without a start-up probe, dtype, batches,
and the HTTP service loading the model before it reports ready.

Uses the tiny randomly initialised GPT-2 of test_fluency (no real weights)."""

from __future__ import annotations

import time

import pytest

from mtqa.fluency import ModelUnavailable, scorer as scorer_module

pytest.importorskip("torch")
pytest.importorskip("transformers")


@pytest.fixture()
def fresh_threads(monkeypatch):
    monkeypatch.delenv("MTQA_THREADS", raising=False)
    monkeypatch.setattr(scorer_module, "_THREADS", None)
    yield


def test_one_thread_by_default_and_no_probe(fresh_threads, monkeypatch, tiny_model_dir):
    import torch

    torch.set_num_threads(2)
    monkeypatch.setattr(scorer_module, "_SCORERS", {})
    calls = []
    original = scorer_module.LanguageModelScorer.forward_only
    monkeypatch.setattr(scorer_module.LanguageModelScorer, "forward_only",
                        lambda self, texts: calls.append(texts) or original(self, texts))
    scorer = scorer_module.get_scorer(str(tiny_model_dir))
    assert scorer.threads == 1 and torch.get_num_threads() == 1
    assert calls == []  # loading timed nothing


def test_threads_from_the_environment_and_the_option(fresh_threads, monkeypatch):
    monkeypatch.setattr(scorer_module, "_SCORERS", {})  # no loaded model: nothing is applied to torch
    monkeypatch.setenv("MTQA_THREADS", "2")
    assert scorer_module.thread_count() == 2
    scorer_module.set_threads(3)
    assert scorer_module.thread_count() == 3  # --threads wins over MTQA_THREADS
    monkeypatch.setenv("MTQA_THREADS", "many")
    scorer_module.set_threads(None)
    with pytest.raises(ModelUnavailable, match="MTQA_THREADS must be a whole number"):
        scorer_module.thread_count()
    with pytest.raises(ModelUnavailable, match="at least 1"):
        scorer_module.set_threads(0)


def test_cli_rejects_zero_threads():
    from click.testing import CliRunner

    from mtqa.cli import cli

    result = CliRunner().invoke(cli, ["check", "--threads", "0", "-"], input="Text.")
    assert result.exit_code == 2 and "--threads" in result.output


def test_dtype_is_measured_once_per_cpu_and_overridable(monkeypatch, tmp_path):
    pytest.importorskip("torch")
    from mtqa.fluency import dtype_choice

    monkeypatch.delenv("MTQA_DTYPE", raising=False)
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    timings = iter([{"float32": 1.0, "bfloat16": 0.45}, {"float32": 1.0, "bfloat16": 0.9}])
    measured = []
    monkeypatch.setattr(dtype_choice, "measure", lambda: measured.append(1) or next(timings))
    assert scorer_module.model_dtype() == "bfloat16"
    assert scorer_module.model_dtype() == "bfloat16" and len(measured) == 1  # remembered, not measured again
    # Another CPU (or torch) measures again; a gain under a quarter keeps float32.
    monkeypatch.setattr(dtype_choice, "cpu_signature", lambda: "another-cpu")
    assert scorer_module.model_dtype() == "float32" and len(measured) == 2
    # A corrupt record is measured again, never an error.
    (tmp_path / dtype_choice.CHOICE_FILE).write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(dtype_choice, "measure", lambda: {"float32": 1.0, "bfloat16": 0.5})
    assert scorer_module.model_dtype() == "bfloat16"
    monkeypatch.setenv("MTQA_DTYPE", "float32")
    assert scorer_module.model_dtype() == "float32"
    monkeypatch.setenv("MTQA_DTYPE", "int3")
    with pytest.raises(ModelUnavailable, match="MTQA_DTYPE"):
        scorer_module.model_dtype()


def test_the_dtype_probe_times_both_dtypes():
    pytest.importorskip("torch")
    from mtqa.fluency import dtype_choice

    seconds = dtype_choice.measure()
    assert set(seconds) == {"float32", "bfloat16"} and all(0 < value < 5 for value in seconds.values())


def test_batches_bound_padding(tiny):
    # 30 sentences of 10..39 tokens: one batch of 1,024 padded tokens would
    # pad the short ones to the longest; buckets keep padding under 15 %.
    lengths = list(range(10, 40))
    batches = tiny._batches(lengths)
    assert sorted(i for batch in batches for i in batch) == list(range(30))
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded <= 1.15 * sum(lengths)
    assert all(len(b) * max(lengths[i] for i in b) <= scorer_module.BATCH_TOKENS for b in batches)


def test_bfloat16_scores_match_float32(tiny_model_dir, monkeypatch):
    texts = ["the minister has no intention of resigning .", "a short one ."]
    monkeypatch.setattr(scorer_module, "_SCORERS", {})
    monkeypatch.setenv("MTQA_DTYPE", "float32")
    full = scorer_module.get_scorer(str(tiny_model_dir)).token_logprobs(texts, top_k=3)
    monkeypatch.setattr(scorer_module, "_SCORERS", {})
    monkeypatch.setenv("MTQA_DTYPE", "bfloat16")
    half = scorer_module.get_scorer(str(tiny_model_dir)).token_logprobs(texts, top_k=3)
    for a, b in zip(full, half):
        assert [t.token_id for t in a.tokens] == [t.token_id for t in b.tokens]
        assert max(abs(x.logprob - y.logprob) for x, y in zip(a.tokens, b.tokens)) < 0.1


# -- the HTTP service ------------------------------------------------------------


def test_server_warms_the_model_up_before_it_is_ready(tiny_model_dir, monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from mtqa import server
    from mtqa.pipeline import Options

    monkeypatch.setattr(scorer_module, "_SCORERS", {})
    release = __import__("threading").Event()
    real_run = server.check_document

    def slow_check(document, options):
        release.wait(10)
        return real_run(document, options)

    monkeypatch.setattr(server, "check_document", slow_check)
    options = Options(use_model=True, model=str(tiny_model_dir), language="en")
    with TestClient(server.create_app(options, warm_up=True)) as client:
        starting = client.get("/health")
        assert starting.status_code == 503 and starting.json()["ready"] is False
        release.set()
        for _ in range(200):
            health = client.get("/health")
            if health.status_code == 200:
                break
            time.sleep(0.05)
        assert health.json()["ready"] is True
        assert str(tiny_model_dir.resolve()) in scorer_module._SCORERS  # loaded before any request


def test_server_reports_a_model_that_fails_to_load(tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from mtqa import server
    from mtqa.pipeline import Options

    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    options = Options(use_model=True, model=str(broken), language="en")
    with TestClient(server.create_app(options, warm_up=True)) as client:
        for _ in range(200):
            health = client.get("/health")
            if health.json()["status"] != "starting":
                break
            time.sleep(0.05)
        assert health.status_code == 503 and health.json()["status"] == "error"
        assert "cannot load model" in health.json()["error"]
