"""The reduced output layer: the kept rows' file, and log-probs against them.

The scorer normalises over the rows kept for a model (mtqa/fluency/
output_vocabulary.py) plus the actual token's own row. These tests compute
what that must give straight from the model's full logits and compare.
"""

from __future__ import annotations

import math

import pytest
from conftest import logprob_tolerance

from mtqa.fluency import output_vocabulary
from mtqa.fluency.output_vocabulary import OutputVocabulary, kept_rows


def test_the_file_round_trips_and_is_refused_when_it_does_not_fit(tmp_path, monkeypatch):
    monkeypatch.setattr(output_vocabulary, "VOCABULARY_DIR", tmp_path)
    monkeypatch.delenv(output_vocabulary.FULL_ENV, raising=False)
    vocabulary = OutputVocabulary("toy", 1000, (0, 1, 7, 8, 999))
    (tmp_path / "toy.json").write_text(vocabulary.to_json("by hand"), encoding="utf-8")
    assert kept_rows("toy", 1000) == (0, 1, 7, 8, 999)
    assert kept_rows("toy", 1001) is None  # another vocabulary: the full layer
    assert kept_rows("other", 1000) is None  # no file
    monkeypatch.setenv(output_vocabulary.FULL_ENV, "1")
    assert kept_rows("toy", 1000) is None
    monkeypatch.delenv(output_vocabulary.FULL_ENV)
    (tmp_path / "toy.json").write_text('{"model": "toy", "size": 1000, "kept": 5, "bitmask": "not base64!"}')
    with pytest.raises(ValueError, match="unreadable output vocabulary"):
        kept_rows("toy", 1000)


def test_the_shipped_gemma_rows_are_a_quarter_of_its_vocabulary():
    text = output_vocabulary.path_for("gemma3-270m").read_text(encoding="utf-8")
    vocabulary = OutputVocabulary.from_json(text)
    assert vocabulary.size == 262144
    assert 0.2 < len(vocabulary.kept) / vocabulary.size < 0.35
    assert list(vocabulary.kept) == sorted(set(vocabulary.kept))
    assert set(range(300)) <= set(vocabulary.kept)  # control and special tokens


@pytest.fixture()
def tiny_reduced(tiny):
    """The tiny model with a head that keeps 8 of its 14 rows: `intention`,
    `resigning`, `.`, `report` and `on` (ids 7, 9, 10, 12, 13) and `has` (4) are out."""
    from mtqa.fluency.scorer import ReducedHead

    weight = tiny.model.get_output_embeddings().weight
    tiny.reduced_head = ReducedHead.from_rows(weight, [0, 1, 2, 3, 5, 6, 8, 11])
    yield tiny
    tiny.reduced_head = None


def expected_logprobs(scorer, text: str, kept: list[int]) -> list[float]:
    """log P(token) against the kept rows plus the token's own, from the full logits."""
    import torch

    ids = [scorer.prefix_id] + scorer.tokenizer(text, add_special_tokens=False)["input_ids"]
    with torch.inference_mode():
        logits = scorer.model(input_ids=torch.tensor([ids])).logits[0].float()
    values = []
    for position, token in enumerate(ids[1:]):
        row = logits[position]
        rows = sorted(set(kept) | {token})
        values.append(float(row[token] - torch.logsumexp(row[rows], dim=-1)))
    return values


def test_log_probs_are_normalised_over_the_kept_rows_and_the_token_itself(tiny_reduced):
    text = "the minister has no intention of resigning ."
    kept = tiny_reduced.reduced_head.kept.tolist()
    want = expected_logprobs(tiny_reduced, text, kept)
    scored = tiny_reduced.token_logprobs([text], top_k=3)[0]
    assert [t.logprob for t in scored.tokens] == pytest.approx(want, abs=1e-4)
    assert all(t.logprob < 0 for t in scored.tokens)  # a token outside the rows too
    # The ranking path (one normaliser per shared history) gives the same values.
    rescored = tiny_reduced.rescore([text], [0])[0]
    assert [t.logprob for t in rescored.tokens] == pytest.approx(want, abs=1e-4)
    # Alternatives are real token ids, all of kept rows, best first.
    for token in scored.tokens:
        ids = [i for i, _ in token.top]
        assert set(ids) <= set(kept)
        assert [lp for _, lp in token.top] == sorted((lp for _, lp in token.top), reverse=True)
        assert math.isfinite(token.entropy) and 0 <= token.entropy <= math.log(len(kept)) + 1e-4


def test_the_full_layer_is_used_without_kept_rows(tiny):
    text = "a report on the minister ."
    everything = list(range(tiny.model.get_output_embeddings().weight.shape[0]))
    assert tiny.reduced_head is None
    scored = tiny.token_logprobs([text])[0]
    assert [t.logprob for t in scored.tokens] == pytest.approx(expected_logprobs(tiny, text, everything), abs=1e-4)


@pytest.mark.model
def test_gemma_scores_news_nearly_as_with_its_full_layer(gemma):
    """On a plain news sentence every token moves by less than the bfloat16
    weights' own rounding allows (conftest.logprob_tolerance), and the
    reduced normaliser, a sum over fewer rows, never lowers a log-prob."""
    assert gemma.reduced_head is not None
    text = "The government said on Tuesday that it would raise the minimum wage next year."
    reduced = gemma.token_logprobs([text])[0]
    head, gemma.reduced_head = gemma.reduced_head, None
    try:
        full = gemma.token_logprobs([text])[0]
    finally:
        gemma.reduced_head = head
    tolerance = max(logprob_tolerance(gemma), 0.05)
    for a, b in zip(full.tokens, reduced.tokens):
        assert a.token_id == b.token_id
        assert -tolerance < b.logprob - a.logprob < tolerance
