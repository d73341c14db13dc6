"""The scorer's tokenizer, read straight from tokenizer.json, answers as
transformers' AutoTokenizer does (ids, offsets, special tokens, decoding)."""

from __future__ import annotations

import pytest

from mtqa.fluency.tokenizer import RustTokenizer

TEXTS = [
    "The minister said on Monday that the talks would resume.",
    "Der Bürgermeister sagte, dass die Brücke am 3. Mai wieder öffnet.",
    "Le président a parlé à la télévision « hier soir ».",
    "Компания сообщила о росте цен на 5%.",
    "我们今天去北京。東京は晴れです。",
    "  two leading spaces, a tab\there and a newline\nthere",
    "emoji 😀, zero\u200bwidth and U+FFFD \ufffd",
    "",
]


def _same_as_auto(directory) -> None:
    transformers = pytest.importorskip("transformers")
    auto = transformers.AutoTokenizer.from_pretrained(str(directory))
    rust = RustTokenizer.load(directory)
    assert rust is not None
    assert (rust.bos_token_id, rust.eos_token_id, rust.pad_token_id) == (
        auto.bos_token_id, auto.eos_token_id, auto.pad_token_id)
    for text in TEXTS:
        expected = auto(text, add_special_tokens=False, return_offsets_mapping=True)
        got = rust(text, add_special_tokens=False, return_offsets_mapping=True)
        assert got["input_ids"] == list(expected["input_ids"])
        assert got["offset_mapping"] == [tuple(pair) for pair in expected["offset_mapping"]]
        for token in got["input_ids"][:5]:
            assert rust.decode([token]) == auto.decode([token])


@pytest.mark.model
def test_gemma_s_tokenizer_read_directly_matches_autotokenizer():
    from mtqa.fluency import cache

    if not cache.is_prepared("gemma3-270m"):
        pytest.skip("the Gemma model is not prepared in the cache")
    _same_as_auto(cache.model_dir("gemma3-270m"))


def test_a_directory_without_tokenizer_json_falls_back(tmp_path):
    assert RustTokenizer.load(tmp_path) is None


def test_a_tokenizer_without_bos_or_eos_falls_back(tmp_path):
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers.models import WordLevel

    tokenizer = tokenizers.Tokenizer(WordLevel({"a": 0, "<unk>": 1}, unk_token="<unk>"))
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    (tmp_path / "tokenizer_config.json").write_text('{"unk_token": "<unk>"}', encoding="utf-8")
    assert RustTokenizer.load(tmp_path) is None


def test_the_tiny_test_model_s_tokenizer_matches_autotokenizer(tiny_model_dir):
    _same_as_auto(tiny_model_dir)
