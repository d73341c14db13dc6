"""One interface to a causal language model: log-probabilities of text.

Everything model-based in mtqa (anomaly detection, ranking rewrites, document
scores) goes through `LanguageModelScorer`, so the model can change without the
checks knowing. Per-token scores carry character offsets into the text that was
scored, so a surprising token maps back to the words an editor sees.

Costs on a small CPU: the output layer of a 262k-token vocabulary dominates a
270M model's forward pass, so the head is applied in chunks (bounded memory)
and everything a caller may need per position (log-prob of the actual token,
the entropy of the prediction, the top-k alternatives) is taken from one pass.
The model runs in bfloat16 where that measures faster on the CPU, else in
float32 (model_dtype; MTQA_DTYPE overrides), and the post-processing of each chunk of logits (log-sum-exp, gather,
entropy, top-k) runs POST_ROWS rows at a time, so that the working set stays
in cache instead of streaming 256 x 262k floats per step (half the time).
Where the model has kept rows (output_vocabulary.py: 72,896 of Gemma's
262,144, the tokens of English, German and French news), the head runs on
those alone, and each token is normalised against them plus its own row:
the detection pass takes 0.54x the time of the full layer, and log-probs move
by a few thousandths of a nat at the median (bench/fluency_vocabulary.py).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any, Sequence

from mtqa.fluency.dtype_choice import DTYPES
from mtqa.fluency.errors import ModelUnavailable
from mtqa.fluency.sources import ModelSpec, resolve

# Token budget of one padded batch; the vocabulary projection is computed for
# at most HEAD_CHUNK positions at a time (HEAD_CHUNK x 262k floats ~ 270 MB).
BATCH_TOKENS = 1024
HEAD_CHUNK = 256
POST_ROWS = 4  # rows of logits post-processed at a time (4 x 262k float32 = 4 MB)
PAD_WASTE = 0.15  # padding allowed in a batch, relative to its real tokens


@dataclass
class TokenScore:
    """One token of a scored text: where it is, and what the model thought of it."""

    start: int  # character offsets into the scored text
    end: int
    logprob: float  # natural log of P(token | everything before it)
    entropy: float  # entropy (nats) of the model's prediction at this position
    token_id: int
    top: list[tuple[int, float]] = field(default_factory=list)  # (token id, log-prob) best first


@dataclass
class ScoredText:
    text: str
    tokens: list[TokenScore]
    # Hidden states by token index (the state that predicted that token), kept
    # only where a caller asked (token_logprobs(keep_states=True)) and only
    # for the few positions it goes on to need (detect keeps those a rewrite
    # may edit): with them, `first_token_gains` compares alternatives at a
    # position for two rows of the output layer instead of its full width.
    states: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)
    # The model's keys and values for every position of the text (mtqa/fluency/
    # continuation.py), kept only where a caller asked (keep_cache=True) and
    # dropped by it once its rewrites are scored: rewrites then run only the
    # tokens from their edit on, with the sentence's whole left context.
    cache: Any = field(default=None, repr=False, compare=False)

    @property
    def logprob(self) -> float:
        """Summed log-probability: comparable between rewrites of different length."""
        return float(sum(t.logprob for t in self.tokens))


class LanguageModelScorer:
    """A loaded causal LM with its tokenizer; build it with `get_scorer`."""

    def __init__(self, model: Any, tokenizer: Any, name: str, threads: int | None = None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.threads = threads
        prefix = tokenizer.bos_token_id
        if prefix is None:
            prefix = tokenizer.eos_token_id
        if prefix is None:
            raise ModelUnavailable(f"{name}: tokenizer has neither a BOS nor an EOS token to start from")
        self.prefix_id = int(prefix)
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.prefix_id
        self._lock = threading.Lock()  # torch modules are not re-entrant across threads here
        self._word_tokens: dict[str, int | None] = {}
        # The output layer's kept rows (output_vocabulary.py), None for all of
        # them; benches set it to None to compare.
        self.reduced_head = ReducedHead.for_model(self.model, name)

    # -- the interface -------------------------------------------------------

    def token_logprobs(
        self,
        texts: Sequence[str],
        *,
        top_k: int = 0,
        score_from: Sequence[int] | None = None,
        keep_states: bool = False,
        keep_cache: bool = False,
    ) -> list[ScoredText]:
        """Per-token log-probs (with char offsets, entropy, top-k) for each text.

        `score_from[i]`: only tokens starting at or after this character of
        text i are scored (the output layer, most of the cost, is skipped for
        the others). Rewrites of one sentence share the text before the edit,
        so their log-probs differ only from there on. `keep_states`: attach
        every scored token's hidden state (ScoredText.states, views into the
        batch's states): callers copy the few they need and drop the rest.
        `keep_cache`: attach each text's keys and values (ScoredText.cache,
        see mtqa/fluency/continuation.py), where the model's cache allows it.
        """
        encoded = [self._encode(text) for text in texts]
        results: list[ScoredText | None] = [None] * len(texts)
        for batch in self._batches([len(ids) for ids, _ in encoded]):
            skips = []
            for i in batch:
                offsets = encoded[i][1]
                cut = score_from[i] if score_from is not None else 0
                skips.append(first_token_from(offsets, cut))
            scored, states, caches = self._score_batch(
                [encoded[i][0] for i in batch], top_k, skips, keep_states, keep_cache
            )
            for index, skip, rows, kept, cache in zip(batch, skips, scored, states, caches):
                offsets = encoded[index][1][skip:]
                tokens = [
                    TokenScore(start, end, lp, ent, tid, top)
                    for (start, end), (lp, ent, tid, top) in zip(offsets, rows)
                ]
                results[index] = ScoredText(texts[index], tokens, cache=cache)
                if kept is not None:
                    results[index].states = {skip + k: kept[k] for k in range(kept.shape[0])}
        return [r if r is not None else ScoredText(t, []) for r, t in zip(results, texts)]

    def sequence_logprob(self, texts: Sequence[str], *, score_from: Sequence[int] | None = None) -> list[float]:
        """Summed natural-log probability of each text (from `score_from`, see token_logprobs)."""
        return [scored.logprob for scored in self.token_logprobs(texts, score_from=score_from)]

    def rescore(self, texts: Sequence[str], score_from: Sequence[int]) -> list[ScoredText]:
        """Log-probs of each text's tokens from `score_from` on: the ranking path for rewrites.

        Same values as token_logprobs (within float rounding) for less work.
        Rewrites of one sentence share the text before their edit, and a
        hidden state depends only on the tokens up to it, so positions with
        the same token history (above all the one predicting the first edited
        token, shared by every rewrite at that word) go through the output
        layer, most of the cost, once. Only the actual token's log-prob is
        taken (a log-sum-exp and a gather, no entropy or top-k: tokens carry
        entropy NaN), and the last token, which predicts nothing, is not run.
        One padded batch per BATCH_TOKENS: a keys/values cache of the shared
        prefix was measured too and was slower (many small forward calls).
        """
        import torch

        encoded = [self._encode(text) for text in texts]
        skips = []
        for i, (ids, offsets) in enumerate(encoded):
            skips.append(first_token_from(offsets, score_from[i]))
        owners: list[list[int]] = [[] for _ in texts]
        pairs: list[tuple[int, int]] = []
        states = []
        seen: dict[tuple[int, ...], int] = {}
        count = 0
        with self._lock, torch.inference_mode():
            for batch in self._batches([len(encoded[i][0]) - 1 for i in range(len(texts))]):
                batch = [i for i in batch if skips[i] < len(encoded[i][1])]
                if not batch:
                    continue
                ids, mask = self._pad([encoded[i][0][:-1] for i in batch])
                hidden = self.model.base_model(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state
                for row, i in enumerate(batch):
                    sequence = encoded[i][0]
                    for position in range(skips[i], len(sequence) - 1):
                        key = tuple(sequence[: position + 1])
                        state = seen.get(key)
                        if state is None:
                            state = seen[key] = count
                            states.append(hidden[row, position : position + 1])
                            count += 1
                        owners[i].append(len(pairs))
                        pairs.append((state, sequence[position + 1]))
            logprobs = self._chosen_logprobs(torch.cat(states) if states else None, pairs)
        results = []
        for i, text in enumerate(texts):
            offsets = encoded[i][1][skips[i] :]
            tokens = [
                TokenScore(start, end, logprobs[k], float("nan"), pairs[k][1])
                for (start, end), k in zip(offsets, owners[i])
            ]
            results.append(ScoredText(text, tokens))
        return results

    def first_token_gains(
        self, original: ScoredText, texts: Sequence[str], score_from: Sequence[int]
    ) -> list[float | None]:
        """For rewrites of `original`: how much more the model expected each
        rewrite's first new token (the first at or after score_from[i]) than
        the original's token at that position, in nats.

        Exact, and nearly free: both tokens are predicted from the original's
        state at that position and share its normaliser, so two output-layer
        rows replace the full vocabulary. None where the original kept no
        state there (token_logprobs(keep_states=True)) or the rewrite
        tokenises its shared prefix differently.
        """
        import torch

        known = [t.token_id for t in original.tokens]
        wanted: list[tuple[int, int] | None] = []
        for text, cut in zip(texts, score_from):
            ids, offsets = self._encode(text)
            index = first_token_from(offsets, cut)
            shared = index < len(offsets) and ids[1 : index + 1] == known[:index]
            fits = shared and index < len(known) and index in original.states
            wanted.append((index, ids[index + 1]) if fits else None)
        weight = self.model.get_output_embeddings().weight
        gains: list[float | None] = []
        with self._lock, torch.inference_mode():
            for item in wanted:
                if item is None:
                    gains.append(None)
                    continue
                index, token = item
                logits = self._softcap(weight[[token, known[index]]].float() @ original.states[index].float())
                gains.append(float(logits[0] - logits[1]))
        return gains

    def _chosen_logprobs(self, states, pairs: list[tuple[int, int]]) -> list[float]:
        """log P(token | state) for each (state index, token) pair, in the
        pairs' order, applying the output layer to HEAD_CHUNK states at a time
        (the pairs are visited in state order for that)."""
        import torch

        if states is None or not pairs:
            return []
        order = sorted(range(len(pairs)), key=lambda k: pairs[k][0])
        rows = torch.tensor([pairs[k][0] for k in order], dtype=torch.long)
        wanted = torch.tensor([pairs[k][1] for k in order], dtype=torch.long)
        chosen: list[float] = []
        for lo, block in self._logit_blocks(states):
            here = (rows >= lo) & (rows < lo + block.shape[0])
            local = rows[here] - lo
            norm = torch.logsumexp(block, dim=-1)[local]
            logit, norm = self._target_logits(block, local, wanted[here], states[lo + local], norm)
            chosen.extend((logit - norm).tolist())
        logprobs = [0.0] * len(pairs)
        for k, value in zip(order, chosen):
            logprobs[k] = value
        return logprobs

    def _logit_blocks(self, states):
        """(offset, float32 logits) of POST_ROWS states at a time: the output
        layer runs on HEAD_CHUNK states (in the model's dtype), and what
        follows it reads a few rows at a time, which stay in cache."""
        for start in range(0, states.shape[0], HEAD_CHUNK):
            logits = self._raw_logits(states[start : start + HEAD_CHUNK])
            for sub in range(0, logits.shape[0], POST_ROWS):
                yield start + sub, self._softcap(logits[sub : sub + POST_ROWS].float())

    def _raw_logits(self, states):
        """The output layer on a chunk of hidden states, in the model's dtype
        (_logit_blocks converts a few rows at a time to float32): its kept
        rows only where the model has a reduced head (output_vocabulary.py),
        so column k is token self.reduced_head.kept[k] there."""
        if self.reduced_head is not None:
            import torch

            return torch.nn.functional.linear(states, self.reduced_head.weight)
        return self.model.get_output_embeddings()(states)

    def _target_logits(self, block, local, targets, states, norm):
        """The float32 logit of each target token (of block row local[i],
        whose hidden state is states[i]) and its normaliser: with a reduced
        head, a target outside the kept rows is scored from its own row and
        added to the normaliser, so every log-prob stays below 0 and is
        exact against the kept rows plus itself."""
        import torch

        if self.reduced_head is None:
            return block[local, targets], norm
        columns = self.reduced_head.column[targets]
        inside = columns >= 0
        logit = block[local, columns.clamp(min=0)]
        if not bool(inside.all()):
            outside = ~inside
            rows = self.model.get_output_embeddings().weight[targets[outside]].float()
            own = self._softcap((rows * states[outside].float()).sum(-1))
            logit = logit.clone()
            logit[outside] = own
            norm = norm.clone()
            norm[outside] = torch.logaddexp(norm[outside], own)
        return logit, norm

    def _softcap(self, logits):
        """The final soft-capping some models (Gemma 2) apply to their logits."""
        import torch

        softcap = getattr(self.model.config, "final_logit_softcapping", None)
        return torch.tanh(logits / softcap) * softcap if softcap else logits

    def word_token(self, word: str) -> int | None:
        """The first token of `word` where it follows a space in running text
        (cached: the sweep asks for the same few hundred words again and again)."""
        if word not in self._word_tokens:
            ids = self.tokenizer(" " + word, add_special_tokens=False)["input_ids"]
            self._word_tokens[word] = int(ids[0]) if ids else None
        return self._word_tokens[word]

    def decode(self, token_id: int) -> str:
        return self.tokenizer.decode([token_id])

    def forward_only(self, texts: Sequence[str]) -> None:
        """The bare model forward pass over the same batches (a speed baseline)."""
        import torch

        encoded = [self._encode(text)[0] for text in texts]
        with self._lock, torch.inference_mode():
            for batch in self._batches([len(ids) for ids in encoded]):
                ids, mask = self._pad([encoded[i] for i in batch])
                self.model(input_ids=ids, attention_mask=mask)

    # -- internals ------------------------------------------------------------

    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Token ids (with the start token prepended) and offsets of the scored tokens."""
        encoding = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = [self.prefix_id] + list(encoding["input_ids"])
        offsets = [_trim(text, start, end) for start, end in encoding["offset_mapping"]]
        return ids, offsets

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Group texts of similar length so padding wastes little work: a
        batch closes at BATCH_TOKENS padded tokens, or when padding would
        exceed PAD_WASTE of its real tokens (on an 800-word article this cut
        the padded positions from 1,828 to 1,117 of 1,066, and the
        transformer's time by a fifth; small batches cost little on a CPU)."""
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        batches: list[list[int]] = []
        current: list[int] = []
        real = 0
        for index in order:
            longest = max([lengths[i] for i in current] + [lengths[index]])
            padded = longest * (len(current) + 1)
            if current and (padded > BATCH_TOKENS or padded > (real + lengths[index]) * (1 + PAD_WASTE)):
                batches.append(current)
                current, real = [], 0
            current.append(index)
            real += lengths[index]
        if current:
            batches.append(current)
        return batches

    def _pad(self, sequences: list[list[int]]):
        import torch

        width = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
            mask[row, : len(sequence)] = 1
        return ids, mask

    def _score_batch(
        self,
        sequences: list[list[int]],
        top_k: int,
        skips: list[int] | None = None,
        keep_states: bool = False,
        keep_cache: bool = False,
    ):
        """Scores of every real (non-padding) position of a padded batch, per
        sequence its scored positions' hidden states (None unless kept) and its
        keys and values (None unless kept).

        The positions of all rows are flattened before the output layer: its
        weight (vocabulary x hidden, 670 MB for Gemma) is then read once per
        HEAD_CHUNK positions instead of once per row, which on a CPU is the
        difference between memory-bound and compute-bound.
        """
        import torch

        ids, mask = self._pad(sequences)
        lengths = [len(s) - 1 for s in sequences]  # positions predicting tokens 1..n
        skips = skips or [0] * len(sequences)
        with self._lock, torch.inference_mode():
            output = self.model.base_model(input_ids=ids, attention_mask=mask, use_cache=keep_cache)
            hidden = output.last_hidden_state
            caches = [None] * len(sequences)
            if keep_cache:
                from mtqa.fluency.continuation import sequence_caches

                caches = sequence_caches(getattr(output, "cache", None), [len(s) for s in sequences])
            keep = torch.zeros_like(mask, dtype=torch.bool)
            for row, (n, skip) in enumerate(zip(lengths, skips)):
                keep[row, skip:n] = True
            states = hidden[keep]  # (positions, hidden), row-major
            targets = torch.cat([ids[row, 1 + skip : n + 1] for row, (n, skip) in enumerate(zip(lengths, skips))])
            flat: list[tuple[float, float, int, list]] = []
            for at, block in self._logit_blocks(states):
                rows = slice(at, at + block.shape[0])
                flat.extend(self._post_process(block, targets[rows], top_k, states[rows]))
        rows, kept = [], []
        position = 0
        for n, skip in zip(lengths, skips):
            count = max(0, n - skip)
            rows.append(flat[position : position + count])
            kept.append(states[position : position + count] if keep_states else None)
            position += count
        return rows, kept, caches

    def _post_process(self, logits, targets, top_k: int, states) -> list[tuple[float, float, int, list]]:
        """Per row of float32 logits (a few rows, whose hidden states are
        `states`): log-prob of the target token, entropy of the prediction
        (over the kept rows of a reduced head), and the top-k (id, log-prob)."""
        import torch

        # One pass of exp over the row's logits serves both the normaliser and
        # the entropy (-sum p log p = log Z - sum p * logit), shifted by the
        # row's maximum, which topk finds anyway: half the time of
        # logsumexp, then exp again for the entropy.
        top, top_ids = logits.topk(max(1, top_k), dim=-1)
        exp = (logits - top[:, :1]).exp()
        total = exp.sum(-1)
        norm = top[:, 0] + total.log()
        entropy = norm - (exp * logits).sum(-1) / total
        logit, target_norm = self._target_logits(logits, torch.arange(logits.shape[0]), targets, states, norm)
        chosen = logit - target_norm
        if top_k:
            top_lp = top - norm[:, None]
            if self.reduced_head is not None:
                top_ids = self.reduced_head.kept[top_ids]
            tops = [list(zip(i, lp)) for i, lp in zip(top_ids.tolist(), top_lp.tolist())]
        else:
            tops = [[] for _ in range(logits.shape[0])]
        return list(zip(chosen.tolist(), entropy.tolist(), targets.tolist(), tops))


@dataclass
class ReducedHead:
    """The kept rows of the output layer (output_vocabulary.py): their ids,
    a contiguous copy of their weights, and each token's column (-1 outside)."""

    kept: Any  # LongTensor of token ids, ascending
    weight: Any  # (kept, hidden) in the model's dtype
    column: Any  # LongTensor over the full vocabulary

    @classmethod
    def for_model(cls, model: Any, name: str) -> "ReducedHead | None":
        """The model's reduced head, or None for the full one (output_vocabulary.kept_rows)."""
        from mtqa.fluency.output_vocabulary import kept_rows

        embeddings = model.get_output_embeddings()
        if embeddings is None or getattr(embeddings, "bias", None) is not None:
            return None  # a head with a bias is not one matrix product of kept rows
        weight = embeddings.weight
        try:
            rows = kept_rows(name, weight.shape[0])
        except ValueError as error:
            raise ModelUnavailable(str(error)) from error
        return None if rows is None else cls.from_rows(weight, rows)

    @classmethod
    def from_rows(cls, weight: Any, rows: Sequence[int]) -> "ReducedHead":
        """The head of `weight` (vocabulary x hidden) cut to `rows` (ascending ids)."""
        import torch

        kept = torch.tensor(list(rows), dtype=torch.long)
        column = torch.full((weight.shape[0],), -1, dtype=torch.long)
        column[kept] = torch.arange(len(kept))
        with torch.no_grad():
            reduced = weight[kept].contiguous()
        return cls(kept, reduced, column)


def first_token_from(offsets: list[tuple[int, int]], cut: int) -> int:
    """Index of the first token starting at or after character `cut`
    (len(offsets) when none does)."""
    return next((k for k, (start, _) in enumerate(offsets) if start >= cut), len(offsets))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without the leading space some tokenizers fold into a token."""
    while start < end and text[start].isspace():
        start += 1
    return start, end


# -- loading, once per process -------------------------------------------------

_SCORERS: dict[str, LanguageModelScorer] = {}
_LOAD_LOCK = threading.Lock()


def get_scorer(model: str | None = None) -> LanguageModelScorer:
    """The process-wide scorer for `model` (None = default), loaded on first use."""
    spec = resolve(model)
    with _LOAD_LOCK:
        scorer = _SCORERS.get(spec.name)
        if scorer is None:
            scorer = load(spec)
            _SCORERS[spec.name] = scorer
        return scorer


def load(spec: ModelSpec) -> LanguageModelScorer:
    """Load a model (preparing the cache for packaged ones); ModelUnavailable on failure."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        raise ModelUnavailable(
            f"the fluency model needs torch and transformers ({error.name} is missing): "
            "pip install 'mtqa[model]', or run with --no-model"
        ) from error
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    threads = apply_threads()
    dtype = model_dtype()
    if spec.known is not None:
        from mtqa.fluency.cache import prepare_in_dtype

        location = str(prepare_in_dtype(spec.known, dtype))
    else:
        location = str(spec.location)
    try:
        import torch

        from pathlib import Path

        from mtqa.fluency.tokenizer import RustTokenizer

        tokenizer = RustTokenizer.load(Path(location)) or AutoTokenizer.from_pretrained(location)
        model = AutoModelForCausalLM.from_pretrained(location, dtype=getattr(torch, dtype))
    except Exception as error:  # transformers raises OSError, ValueError, KeyError...
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelUnavailable(f"cannot load model {spec.name}: {first}") from error
    if not getattr(tokenizer, "is_fast", False):
        raise ModelUnavailable(f"{spec.name}: needs a fast tokenizer (tokenizer.json) for offsets")
    return LanguageModelScorer(model, tokenizer, spec.name, threads)


# -- how the model runs: dtype and threads ---------------------------------------

_THREADS: int | None = None  # set by --threads (set_threads); else MTQA_THREADS; else 1


def set_threads(threads: int | None) -> None:
    """The torch thread count for this process (None: MTQA_THREADS, else 1).

    Applied at model load, and at once when torch is already loaded."""
    global _THREADS
    if threads is not None and threads < 1:
        raise ModelUnavailable(f"--threads must be at least 1, not {threads}")
    _THREADS = threads
    if _SCORERS:
        apply_threads()


def thread_count() -> int:
    """One thread unless told otherwise. On a shared 2-core machine a second
    thread was ~1.8x faster only while the other core was idle and several
    times slower when it was busy, and probing at start-up cost ~12 s for a
    choice that was almost always 1 (issue 9)."""
    if _THREADS is not None:
        return _THREADS
    forced = os.environ.get("MTQA_THREADS", "").strip()
    if not forced:
        return 1
    try:
        count = int(forced)
    except ValueError:
        raise ModelUnavailable(f"MTQA_THREADS must be a whole number, not {forced!r}") from None
    if count < 1:
        raise ModelUnavailable(f"MTQA_THREADS must be at least 1, not {count}")
    return count


def apply_threads() -> int:
    import torch

    torch.set_num_threads(thread_count())
    return torch.get_num_threads()


def model_dtype() -> str:
    """MTQA_DTYPE where set, else the dtype measured faster on this CPU
    (bfloat16 only where it takes at most 0.75x float32's time), measured
    once and remembered in the cache directory (mtqa/fluency/dtype_choice.py)."""
    forced = os.environ.get("MTQA_DTYPE", "").strip().lower()
    if forced and forced not in DTYPES:
        raise ModelUnavailable(f"MTQA_DTYPE must be one of {', '.join(DTYPES)}, not {forced!r}")
    if forced:
        return forced
    from mtqa.fluency.cache import cache_root
    from mtqa.fluency.dtype_choice import chosen

    return chosen(cache_root())
