"""Which rows of the output layer the scorer normalises over.

Gemma 3's output layer has 262,144 rows, one per token of a tokenizer made for
140 languages, and on a CPU it is half the cost of the model's forward pass.
The fluency check reads English and German (and measures French), where the
model's probability lies almost wholly on a quarter of those rows. The
scorer therefore computes log-sum-exp, entropy and top-k over the rows kept
here (plus the actual token's own row, so a token outside them is still
scored exactly against that normaliser): the head costs about 0.3x, and a
log-prob moves by a few thousandths of a nat at the median (the bfloat16
weights alone move it more). `scripts/choose_output_vocabulary.py` chooses
the rows on calibration text and writes `vocab/<model>.json`;
`bench/fluency_vocabulary.py` measures the effect on held-out text.

A model without such a file, a file made for another vocabulary size, or
MTQA_FULL_VOCABULARY=1 keeps the full output layer.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

VOCABULARY_DIR = Path(__file__).with_name("vocab")
FULL_ENV = "MTQA_FULL_VOCABULARY"


@dataclass(frozen=True)
class OutputVocabulary:
    """Kept token ids (ascending) of a model's output layer."""

    model: str
    size: int  # rows of the full output layer
    kept: tuple[int, ...]

    def to_json(self, chosen_by: str) -> str:
        bits = bytearray((self.size + 7) // 8)
        for token in self.kept:
            bits[token >> 3] |= 1 << (token & 7)
        packed = base64.b64encode(zlib.compress(bytes(bits), 9)).decode("ascii")
        record = {"model": self.model, "size": self.size, "kept": len(self.kept), "chosen_by": chosen_by, "bitmask": packed}
        return json.dumps(record, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "OutputVocabulary":
        record = json.loads(text)
        size = int(record["size"])
        bits = zlib.decompress(base64.b64decode(record["bitmask"]))
        if len(bits) != (size + 7) // 8:
            raise ValueError(f"bitmask holds {len(bits)} bytes for {size} rows")
        kept = tuple(8 * i + j for i, byte in enumerate(bits) if byte for j in range(8) if byte >> j & 1)
        if kept and kept[-1] >= size:
            raise ValueError(f"bitmask keeps row {kept[-1]} of {size}")
        if len(kept) != int(record["kept"]):
            raise ValueError(f"bitmask keeps {len(kept)} rows, the record says {record['kept']}")
        return cls(str(record["model"]), size, kept)


def path_for(model: str) -> Path:
    return VOCABULARY_DIR / f"{model}.json"


def kept_rows(model: str, size: int) -> tuple[int, ...] | None:
    """The rows to normalise over for `model` with an output layer of `size`
    rows; None for the full layer (no file, another size, or the override)."""
    if os.environ.get(FULL_ENV, "").strip() not in ("", "0"):
        return None
    path = path_for(model)
    if not path.is_file():
        return None
    try:
        vocabulary = OutputVocabulary.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, zlib.error) as error:
        raise ValueError(f"{path}: unreadable output vocabulary ({error})") from error
    if vocabulary.size != size or vocabulary.model != model:
        return None
    return vocabulary.kept
