"""Score rewrites of a sentence from their edit on, with the sentence's whole
left context, by reusing the keys and values of the pass that scored it.

A rewrite shares the text before its edit with the original, and the
transformer computed the keys and values of those tokens when it scored the
original. Kept (LanguageModelScorer.token_logprobs(keep_cache=True)), they let
a rewrite run only its new tokens, the edit and the few words after it. The
alternative is to rescore a window of context around the edit together with
the same window of the original: about three times the tokens on an
800-word article, and the left context cut short.

All rewrites of all sentences run in a few padded batches. Each row's prefix
keys and values are left-padded to the batch's longest prefix. The new tokens
then sit in the same columns, attend to their own prefix only (the mask), and
keep their true positions (position ids). The log-probs equal those of scoring
the whole rewritten sentence, within float rounding (tests/test_continuation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mtqa.fluency.scorer import LanguageModelScorer, ScoredText, TokenScore, first_token_from

# Below the smallest sliding attention window of the packaged models (Gemma 3:
# 512): a sliding layer's cache keeps only the last window of positions, so a
# longer prefix is rescored whole instead (sentences are rarely this long).
MAX_PREFIX = 480
BATCH_ROWS = 32  # rewrites per forward pass: the prefix keys/values are copied per row


@dataclass(frozen=True)
class Rewrite:
    """A rewritten sentence to score against its original from `cut` on."""

    original: ScoredText  # scored with keep_cache=True, all tokens scored
    text: str  # the whole rewritten sentence
    cut: int  # first character where the two differ (the same in both)
    end: int  # the rewrite's tokens starting before this character of `text` are scored


def sequence_caches(cache: Any, lengths: list[int]) -> list[list[tuple[Any, Any]] | None]:
    """Per sequence of a padded batch, its keys and values (one (K, V) pair
    per layer, views of shape heads x length x dim), or None where they cannot
    be reused (a sliding layer dropped positions, a cache of another kind)."""
    layers = getattr(cache, "layers", None)
    pairs = [(getattr(layer, "keys", None), getattr(layer, "values", None)) for layer in layers or ()]
    width = max(lengths, default=0)
    if not pairs or any(k is None or v is None or k.shape[2] != width for k, v in pairs):
        return [None] * len(lengths)
    return [
        [(k[row, :, :n], v[row, :, :n]) for k, v in pairs] if n <= MAX_PREFIX else None
        for row, n in enumerate(lengths)
    ]


def score(scorer: LanguageModelScorer, rewrites: list[Rewrite]) -> list[ScoredText]:
    """Per rewrite, the log-probs of its tokens from `cut` up to `end`."""
    results: list[ScoredText | None] = [None] * len(rewrites)
    plans: list[tuple[int, list[int], list[tuple[int, int]], int, int]] = []
    fallback: list[int] = []
    for index, rewrite in enumerate(rewrites):
        ids, offsets = scorer._encode(rewrite.text)
        first = first_token_from(offsets, rewrite.cut)
        stop = first_token_from(offsets, rewrite.end)
        if stop <= first:
            results[index] = ScoredText(rewrite.text, [])
        elif _shares_prefix(rewrite.original, ids, first):
            plans.append((index, ids, offsets, first, stop))
        else:
            fallback.append(index)
    for batch in _batches(plans):
        for index, tokens in _run_batch(scorer, rewrites, batch):
            results[index] = ScoredText(rewrites[index].text, tokens)
    if fallback:
        rescored = scorer.rescore([rewrites[i].text for i in fallback], [rewrites[i].cut for i in fallback])
        for index, scored in zip(fallback, rescored):
            end = rewrites[index].end
            results[index] = ScoredText(scored.text, [t for t in scored.tokens if t.start < end])
    return [r if r is not None else ScoredText(w.text, []) for r, w in zip(results, rewrites)]


def _shares_prefix(original: ScoredText, ids: list[int], first: int) -> bool:
    """The original's cache covers the rewrite's tokens before `first`: both
    tokenise the text before the edit alike, and all of it was scored."""
    cache = original.cache
    if cache is None or first > MAX_PREFIX or first < 1:
        return False
    length = cache[0][0].shape[1]
    known = [t.token_id for t in original.tokens]
    return len(known) == length - 1 and ids[1 : first + 1] == known[:first]


def _batches(plans: list) -> list[list]:
    """Rewrites of similar new length together (padding is paid on every layer)."""
    ordered = sorted(plans, key=lambda plan: plan[4] - plan[3])
    return [ordered[i : i + BATCH_ROWS] for i in range(0, len(ordered), BATCH_ROWS)]


def _run_batch(scorer: LanguageModelScorer, rewrites: list[Rewrite], batch: list):
    """One forward pass over the new tokens of a batch of rewrites.

    Row b feeds the rewrite's tokens first..stop-1 (ids index first is the
    last shared one, fed again so that its output predicts the first new
    token) after the original's keys and values of positions 0..first-1."""
    import torch
    from transformers import DynamicCache

    width = max(first for _, _, _, first, _ in batch)
    length = max(stop - first for _, _, _, first, stop in batch)
    rows = len(batch)
    template = rewrites[batch[0][0]].original.cache
    layers = []
    for layer, (key, _value) in enumerate(template):
        keys = key.new_zeros((rows, key.shape[0], width, key.shape[2]))
        values = torch.zeros_like(keys)
        for row, (index, _, _, first, _) in enumerate(batch):
            k, v = rewrites[index].original.cache[layer]
            keys[row, :, width - first :] = k[:, :first]
            values[row, :, width - first :] = v[:, :first]
        layers.append((keys, values))
    inputs = torch.full((rows, length), scorer.pad_id, dtype=torch.long)
    mask = torch.zeros((rows, width + length), dtype=torch.long)
    positions = torch.zeros((rows, length), dtype=torch.long)
    for row, (_, ids, _, first, stop) in enumerate(batch):
        inputs[row, : stop - first] = torch.tensor(ids[first:stop], dtype=torch.long)
        mask[row, width - first : width + stop - first] = 1
        positions[row] = torch.arange(first, first + length)
    states, pairs, owners, seen = [], [], [], {}
    with scorer._lock, torch.inference_mode():
        cache = DynamicCache(ddp_cache_data=layers, config=scorer.model.config)
        hidden = scorer.model.base_model(
            input_ids=inputs, attention_mask=mask, position_ids=positions, cache=cache, use_cache=False
        ).last_hidden_state
        for row, (_, ids, _, first, stop) in enumerate(batch):
            owned = []
            for j in range(stop - first):
                key = tuple(ids[: first + j + 1])  # same token history, same state
                state = seen.get(key)
                if state is None:
                    state = seen[key] = len(states)
                    states.append(hidden[row, j : j + 1])
                owned.append(len(pairs))
                pairs.append((state, ids[first + j + 1]))
            owners.append(owned)
        logprobs = scorer._chosen_logprobs(torch.cat(states), pairs)
    for (index, ids, offsets, first, stop), owned in zip(batch, owners):
        yield index, [
            TokenScore(start, end, logprobs[k], float("nan"), pairs[k][1])
            for (start, end), k in zip(offsets[first:stop], owned)
        ]


__all__ = ["MAX_PREFIX", "Rewrite", "score", "sequence_caches"]
