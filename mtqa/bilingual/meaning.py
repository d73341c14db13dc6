"""What a sentence means, roughly, in any language: the mean of its tokens'
input embeddings in the fluency model (Gemma 3 270M, trained on 140
languages), for the sentence alignment of mtqa/bilingual/omissions.py.

Length alone cannot tell a short sentence dropped from a translator's
freedom, nor a dropped sentence from two merged into one. A translation and
its source share their meaning, and the mean token embedding of each
carries some of it across languages once what a whole text shares (its
language, its topic) is taken away. On WMT22 windows of five reference
lines (lines 0-299 of each pair), the true translation of a source line was
the most similar of the five in 76-97% of cases with that centring, 32-60%
without it.

No forward pass runs: the embedding rows are read from the prepared model's
safetensors file through a memory map (only the rows of the tokens used
are paged in), and the model's own Rust tokenizer splits the text. Where the
model is not installed and prepared (`mtqa models --prepare gemma3-270m`),
or `MTQA_SENTENCE_VECTORS=0`, `token_vectors()` answers None and the
alignment uses lengths, names and numbers only.
"""

from __future__ import annotations

import io
import json
import os
import struct
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from mtqa.fluency.cache import is_prepared, model_dir, remember

MODEL = "gemma3-270m"
ENVIRONMENT = "MTQA_SENTENCE_VECTORS"
_EMBEDDING_SUFFIX = "embed_tokens.weight"
_DTYPES = {"BF16": "<u2", "F32": "<f4", "F16": "<f2"}
COMMON_DIRECTIONS = 5  # principal directions of the embedding table taken out of every sentence vector
SAMPLE_STRIDE = 26


class TokenVectors:
    """Sums of token embedding rows per text, and token counts, with the
    table's strongest directions taken out (`COMMON_DIRECTIONS`)."""

    def __init__(self, table: Any, is_bfloat16: bool, tokenizer: Any, common: Any = None) -> None:
        self._table = table
        self._is_bfloat16 = is_bfloat16
        self._tokenizer = tokenizer
        self.width = int(table.shape[1])
        self._common = common if common is not None else common_directions(table, is_bfloat16)

    def __call__(self, texts: Sequence[str]) -> tuple[Any, Any]:
        """(sums: len(texts) x width float32, counts: len(texts))."""
        import numpy

        sums = numpy.zeros((len(texts), self.width), dtype=numpy.float32)
        counts = numpy.zeros(len(texts), dtype=numpy.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            ids = encoding.ids
            if not ids:
                continue
            sums[row] = _float32(self._table[numpy.asarray(ids)], self._is_bfloat16).sum(axis=0, dtype=numpy.float32)
            counts[row] = len(ids)
        if len(self._common):
            sums -= (sums @ self._common.T) @ self._common
        return sums, counts


def common_directions(table: Any, is_bfloat16: bool, count: int = 0) -> Any:
    """The `count` (default COMMON_DIRECTIONS) principal directions of the
    embedding rows, read from every SAMPLE_STRIDE-th row (10,083 of
    Gemma's 262,144: 0.13 s). Every token's embedding leans along them
    (frequency, script, position in the vocabulary), so they swamp what a
    sentence says; taken out, the true translation of a WMT22 reference
    line was the most similar of five in 94% of windows (lines 500-799 of
    every pair), against 87% with them."""
    import numpy

    count = count or COMMON_DIRECTIONS
    rows = _float32(numpy.asarray(table[::SAMPLE_STRIDE]), is_bfloat16)
    rows = rows - rows.mean(axis=0, dtype=numpy.float32)
    _values, vectors = numpy.linalg.eigh(rows.T @ rows)
    return numpy.ascontiguousarray(vectors[:, ::-1][:, :count].T)


def _float32(rows: Any, is_bfloat16: bool) -> Any:
    """Rows of the table as float32; bfloat16 words are the top half of a float32."""
    import numpy

    if is_bfloat16:
        return (rows.astype(numpy.uint32) << 16).view(numpy.float32)
    return rows.astype(numpy.float32, copy=False)


class Unavailable(Exception):
    """The prepared model's vectors could not be read (a damaged cache)."""


class LazyTokenVectors:
    """TokenVectors loaded at the first call (about 1 s: the tokenizer's
    262k-token vocabulary), so that units that never reach the meaning
    comparison (one sentence each) do not pay for it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._loaded: TokenVectors | None = None
        self._failed = False

    def __call__(self, texts: Sequence[str]) -> tuple[Any, Any]:
        if self._loaded is None:
            if self._failed:
                raise Unavailable(f"cannot read the token vectors of {self.directory}")
            try:
                self._loaded = load(self.directory)
            except Exception as error:  # a damaged file fails in many ways; lengths still work
                self._failed = True
                raise Unavailable(f"cannot read the token vectors of {self.directory}: {error}") from error
        return self._loaded(texts)


@lru_cache(maxsize=1)
def token_vectors() -> LazyTokenVectors | None:
    """The prepared model's token vectors, once per process; None where
    they are not to be had (see the module's docstring). Cheap: a file test;
    the vectors load when first used."""
    if os.environ.get(ENVIRONMENT, "").strip() == "0":
        return None
    for name in (f"{MODEL}.bfloat16", MODEL):
        directory = model_dir(name)
        if is_prepared(name) and (directory / "model.safetensors").is_file() \
                and (directory / "tokenizer.json").is_file():
            return LazyTokenVectors(directory)
    return None


def load(directory: Path) -> TokenVectors:
    """Token vectors from a model directory (safetensors weights and tokenizer.json)."""
    from tokenizers import Tokenizer

    table, is_bfloat16 = embedding_table(directory / "model.safetensors")
    common = _remembered_directions(directory, table, is_bfloat16)
    return TokenVectors(table, is_bfloat16, Tokenizer.from_file(str(directory / "tokenizer.json")), common)


DIRECTIONS_FILE = "mtqa-sentence-directions.npy"


def _remembered_directions(directory: Path, table: Any, is_bfloat16: bool) -> Any:
    """The common directions of the model in `directory`, computed once and
    kept beside its weights (reading the sampled rows from a cold disk took
    0.5 s); computed every time where the cache cannot be written. A copy
    prepared again replaces the whole directory, and the file with it."""
    import numpy

    path = directory / DIRECTIONS_FILE
    try:
        kept = numpy.load(path, allow_pickle=False)
        if kept.shape == (COMMON_DIRECTIONS, table.shape[1]) and kept.dtype == numpy.float32:
            return kept
    except (OSError, ValueError):
        pass
    common = common_directions(table, is_bfloat16).astype(numpy.float32)
    kept_bytes = io.BytesIO()
    numpy.save(kept_bytes, common, allow_pickle=False)
    remember(path, kept_bytes.getvalue())
    return common


def embedding_table(path: Path) -> tuple[Any, bool]:
    """The input embedding matrix of a safetensors file as a read-only
    memory map (raw 16-bit words for bfloat16, which numpy lacks), and
    whether it is bfloat16. The format: an 8-byte little-endian header
    length, a JSON header of name -> dtype, shape, data offsets, the data."""
    import numpy

    with path.open("rb") as handle:
        (header_length,) = struct.unpack("<Q", handle.read(8))
        if header_length > 100_000_000:
            raise ValueError(f"{path}: not a safetensors file")
        header = json.loads(handle.read(header_length))
    names = [name for name in header if name.endswith(_EMBEDDING_SUFFIX)]
    if not names:
        raise KeyError(f"{path}: no {_EMBEDDING_SUFFIX}")
    entry = header[min(names, key=len)]
    dtype = _DTYPES.get(entry["dtype"])
    if dtype is None or len(entry["shape"]) != 2:
        raise ValueError(f"{path}: embedding of dtype {entry['dtype']} and shape {entry['shape']}")
    begin, _end = entry["data_offsets"]
    table = numpy.memmap(path, dtype=dtype, mode="r", offset=8 + header_length + begin, shape=tuple(entry["shape"]))
    return table, entry["dtype"] == "BF16"


__all__ = ["ENVIRONMENT", "LazyTokenVectors", "TokenVectors", "Unavailable", "embedding_table", "load",
           "token_vectors"]
