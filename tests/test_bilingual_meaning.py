"""Sentence meanings in the omission check (mtqa/bilingual/meaning.py and
the similarity term of mtqa/bilingual/omissions.py). Articles written for
these tests."""

from __future__ import annotations

import json
import struct

import pytest

import mtqa
from mtqa.bilingual import meaning
from mtqa.bilingual.omissions import gaps
from mtqa.segment import sentences

np = pytest.importorskip("numpy")

SOURCE = ("Der Winterdienst der Stadt war in der Nacht mit allen Fahrzeugen im Einsatz. "
          "Trotzdem blieben viele Nebenstraßen bis zum Morgen glatt. "
          "Mehrere Schulen im Norden der Stadt sagten den Unterricht ab. "
          "Die Busse fuhren mit großen Verspätungen. "
          "Ein Sprecher der Verkehrsbetriebe bat die Fahrgäste um Geduld. "
          "Für das Wochenende erwarten die Meteorologen mildere Temperaturen und Regen.")
TARGET = ("The city's winter service had all its vehicles out during the night. "
          "Even so, many side streets stayed icy until the morning. "
          "Several schools in the north of the city cancelled lessons. "
          "Buses ran with long delays. "
          "A spokesman for the transport company asked passengers to be patient. "
          "For the weekend, forecasters expect milder temperatures and rain.")
WITHOUT_LAST = TARGET[: TARGET.index(" For the weekend")]


def topics(source: str, target: str):
    """Stand-in meanings: a source sentence and its translation share one
    axis, whatever their words (what the real vectors approximate)."""
    pairs = list(zip((s.text.strip() for s in sentences(source)), (t.text.strip() for t in sentences(target))))

    def vectors(texts: list[str]) -> tuple:
        sums = np.zeros((len(texts), len(pairs)), dtype=np.float32)
        for row, text in enumerate(texts):
            for axis, pair in enumerate(pairs):
                if text.strip() in pair:
                    sums[row, axis] = 10.0
        return sums, np.full(len(texts), 10.0, dtype=np.float32)

    return vectors


topic_vectors = topics(SOURCE, TARGET)


def test_lengths_alone_name_the_neighbour_of_a_dropped_last_sentence():
    # The premise of the next test: the length alignment takes the spokesman's
    # sentence, of similar length, for the one dropped.
    (gap,) = gaps(SOURCE, WITHOUT_LAST, "de", "en")
    assert gap.source.text.startswith("Ein Sprecher")


def test_meanings_name_the_sentence_that_was_dropped():
    (gap,) = gaps(SOURCE, WITHOUT_LAST, "de", "en", vectors=topic_vectors)
    assert gap.kind == "omission"
    assert gap.source.text.startswith("Für das Wochenende")
    assert gap.start <= len(WITHOUT_LAST) <= gap.end


def test_meanings_leave_a_faithful_translation_clean():
    assert gaps(SOURCE, TARGET, "de", "en", vectors=topic_vectors) == []


def _wordier(extra: str) -> str:
    """TARGET with words added to its second sentence: the translator's
    freedom that hides, in the lengths, a short sentence dropped later on."""
    return TARGET.replace("until the morning.", f"until the morning{extra}.")


def test_a_dropped_sentence_whose_length_the_text_hides_is_found_by_its_meaning():
    translation = _wordier(" on Monday because of ice")
    dropped = translation.replace("Buses ran with long delays. ", "")
    assert gaps(SOURCE, dropped, "de", "en") == []  # the lengths around the gap are within a translator's freedom
    vectors = topics(SOURCE, translation)
    (gap,) = gaps(SOURCE, dropped, "de", "en", vectors=vectors)
    assert (gap.kind, gap.source.text) == ("omission", "Die Busse fuhren mit großen Verspätungen.")
    assert gap.start <= dropped.index("A spokesman") <= gap.end + 1
    assert gaps(SOURCE, translation, "de", "en", vectors=vectors) == []


def test_a_paragraph_whose_length_agrees_is_aligned_when_its_source_has_more_sentences():
    # The whole paragraph is within half a standard deviation of its source's
    # length, which alone would leave it unaligned.
    translation = _wordier(" on Monday because of the black ice")
    dropped = translation.replace("Buses ran with long delays. ", "")
    vectors = topics(SOURCE, translation)
    (gap,) = gaps(SOURCE, dropped, "de", "en", vectors=vectors)
    assert gap.source.text.startswith("Die Busse")
    assert gaps(SOURCE, translation, "de", "en", vectors=vectors) == []


def test_vectors_that_cannot_be_read_leave_the_length_answer(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"\xff" * 64)
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    broken = meaning.LazyTokenVectors(tmp_path)
    assert gaps(SOURCE, WITHOUT_LAST, "de", "en", vectors=broken) == gaps(SOURCE, WITHOUT_LAST, "de", "en")
    with pytest.raises(meaning.Unavailable):
        broken(["again"])  # and it does not try to load twice


def _write_safetensors(path, tensors: dict[str, tuple[str, tuple[int, int], bytes]]) -> None:
    header, offset, blobs = {}, 0, []
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def test_the_embedding_table_is_read_from_safetensors_in_float32_and_bfloat16(tmp_path):
    table = np.arange(12, dtype=np.float32).reshape(4, 3) * 0.5 - 1.0  # exact in bfloat16
    other = np.ones((2, 2), dtype=np.float32).tobytes()
    path = tmp_path / "f32.safetensors"
    _write_safetensors(path, {"lm_head.bias": ("F32", (2, 2), other),
                              "model.embed_tokens.weight": ("F32", (4, 3), table.tobytes())})
    read, is_bfloat16 = meaning.embedding_table(path)
    assert not is_bfloat16 and np.array_equal(np.asarray(read), table)

    halves = (table.view(np.uint32) >> 16).astype(np.uint16)  # bfloat16: the top 16 bits
    path = tmp_path / "bf16.safetensors"
    _write_safetensors(path, {"lm_head.bias": ("F32", (2, 2), other),
                              "model.embed_tokens.weight": ("BF16", (4, 3), halves.tobytes())})
    read, is_bfloat16 = meaning.embedding_table(path)
    assert is_bfloat16
    assert np.array_equal((np.asarray(read).astype(np.uint32) << 16).view(np.float32), table)


def test_a_file_that_is_not_safetensors_is_refused(tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(struct.pack("<Q", 10**12) + b"{}")
    with pytest.raises(ValueError):
        meaning.embedding_table(path)


def test_no_vectors_without_a_prepared_model_or_when_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(meaning.ENVIRONMENT, "1")
    meaning.token_vectors.cache_clear()
    assert meaning.token_vectors() is None
    monkeypatch.setenv(meaning.ENVIRONMENT, "0")
    meaning.token_vectors.cache_clear()
    assert meaning.token_vectors() is None


def test_the_real_model_names_the_dropped_sentence_through_check(gemma, monkeypatch):
    monkeypatch.setenv(meaning.ENVIRONMENT, "1")
    meaning.token_vectors.cache_clear()
    assert meaning.token_vectors() is not None
    result = mtqa.check(WITHOUT_LAST, "en", source=SOURCE, source_lang="de", select=["bilingual"])
    (finding,) = result.findings
    assert finding.rule == "bilingual.omission"
    assert finding.source_text.startswith("Für das Wochenende")
    assert mtqa.check(TARGET, "en", source=SOURCE, source_lang="de", select=["bilingual"]).findings == []


def test_the_direction_every_token_leans_along_is_found_and_taken_out():
    rng = np.random.default_rng(7)
    lean = np.zeros(8, dtype=np.float32)
    lean[3] = 1.0
    rows = rng.normal(0, 0.1, (600, 8)).astype(np.float32) + rng.normal(0, 5, (600, 1)).astype(np.float32) * lean
    (direction,) = meaning.common_directions(rows, False, count=1)
    assert abs(abs(float(direction[3])) - 1.0) < 0.01

    class Encoded:
        def __init__(self, ids):
            self.ids = ids

    class Tokenizer:
        def encode_batch(self, texts, add_special_tokens=False):
            return [Encoded([ord(c) % 600 for c in text]) for text in texts]

    vectors = meaning.TokenVectors(rows, False, Tokenizer())
    sums, counts = vectors(["abc", "", "déjà vu"])
    assert list(counts) == [3, 0, 7]
    assert np.abs(sums @ vectors._common.T).max() < 1e-3  # nothing left along the common directions
    assert not sums[1].any()


def test_the_common_directions_are_kept_beside_the_weights_and_read_back(tmp_path):
    rows = np.random.default_rng(3).normal(0, 1, (300, 6)).astype(np.float32)
    _write_safetensors(tmp_path / "model.safetensors",
                       {"model.embed_tokens.weight": ("F32", (300, 6), rows.tobytes())})
    table, is_bfloat16 = meaning.embedding_table(tmp_path / "model.safetensors")
    first = meaning._remembered_directions(tmp_path, table, is_bfloat16)
    kept = tmp_path / meaning.DIRECTIONS_FILE
    assert kept.is_file() and np.array_equal(np.load(kept), first)
    np.save(kept, np.zeros_like(first))  # what is kept is what is used
    assert not meaning._remembered_directions(tmp_path, table, is_bfloat16).any()
    np.save(kept, np.zeros((2, 2), dtype=np.float32))  # a file of another shape is made again
    assert np.array_equal(meaning._remembered_directions(tmp_path, table, is_bfloat16), first)
