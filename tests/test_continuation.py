"""Rewrites scored from their edit on with the original's keys and values
(mtqa/fluency/continuation.py) must give the log-probs of scoring the whole
rewritten sentence: the sweep's and the rewrite ranking's gains rest on it."""

from __future__ import annotations

import pytest
from conftest import logprob_tolerance

from mtqa.fluency import continuation
from mtqa.fluency.continuation import Rewrite


def whole(scorer, rewrite: Rewrite):
    """The reference: the rewritten sentence scored from scratch."""
    scored = scorer.token_logprobs([rewrite.text], score_from=[rewrite.cut])[0]
    return [(t.start, t.end, t.token_id, t.logprob) for t in scored.tokens if t.start < rewrite.end]


def assert_same(scorer, rewrites):
    got = continuation.score(scorer, rewrites)
    for rewrite, result in zip(rewrites, got):
        expected = whole(scorer, rewrite)
        assert [(t.start, t.end, t.token_id) for t in result.tokens] == [e[:3] for e in expected], rewrite.text
        for token, reference in zip(result.tokens, expected):
            assert token.logprob == pytest.approx(reference[3], abs=logprob_tolerance(scorer)), rewrite.text
        assert expected, rewrite.text  # each case scores something


def test_tiny_model_rewrites_match_whole_sentence_scores(tiny):
    originals = tiny.token_logprobs(
        ["the minister will no intention of resigning .", "a report on the minister ."], keep_cache=True
    )
    assert all(o.cache is not None for o in originals)
    first, second = originals
    rewrites = [
        Rewrite(first, "the minister has no intention of resigning .", 13, 30),  # substitution
        Rewrite(first, "the minister will has no intention of resigning .", 18, 40),  # insertion
        Rewrite(first, "the minister no intention of resigning .", 13, 20),  # deletion
        Rewrite(second, "a report on a minister .", 12, 99),  # to the end
        Rewrite(second, "the report on the minister .", 0, 10),  # at the first token: rescored whole
    ]
    assert_same(tiny, rewrites)


def test_without_a_cache_the_rewrite_is_rescored(tiny):
    original = tiny.token_logprobs(["the minister will no intention of resigning ."])[0]
    assert original.cache is None
    assert_same(tiny, [Rewrite(original, "the minister has no intention of resigning .", 13, 40)])


def test_gemma_batches_of_many_rewrites_match(gemma):
    sentences = [
        "The government will no desire or intention to collide with Russia, the ministry said on Friday.",
        "Dozens of homes was destroyed by the storm that hit the coast on Monday night.",
        "She said the airline depends from its partners in Europe.",
    ]
    first, second, third = gemma.token_logprobs(sentences, keep_cache=True)
    rewrites = [
        Rewrite(first, sentences[0].replace("will no", "has no"), 15, 60),
        Rewrite(first, sentences[0].replace("will no", "will have no"), 20, 70),
        Rewrite(first, sentences[0].replace("the ministry", "ministry"), 69, 95),
        Rewrite(second, sentences[1].replace("was", "were"), 16, 60),
        Rewrite(second, sentences[1].replace("the storm", "a storm"), 33, 80),
        Rewrite(third, sentences[2].replace("from", "on"), 29, 99),
    ]
    assert_same(gemma, rewrites)
