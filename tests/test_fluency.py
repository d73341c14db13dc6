"""Tests of the fluency model layer and the `fluency` rule family.

Fast tests need no weights: candidate generation, token-to-word mapping, the
conversion cache (with a fake converter) and the scorer on a tiny randomly
initialised GPT-2 built in a temporary directory. Tests marked `model` use the
real Gemma 3 270M weights and skip when the package is not installed.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import logprob_tolerance

from mtqa.fluency import ModelUnavailable, cache, candidates, sources
from mtqa.fluency.candidates import SentenceEdit
from mtqa.fluency.scorer import ScoredText, TokenScore
from mtqa.fluency.words import word_scores, word_spans

# -- candidates ---------------------------------------------------------------------


def _words(sentence: str) -> list[tuple[int, int]]:
    return word_spans(sentence)


def _rewrites(sentence: str, index: int, language: str = "en", predicted=None) -> set[str]:
    edits = candidates.generate(sentence, _words(sentence), index, language, predicted)
    return {edit.apply(sentence) for edit in edits}


def test_wrong_auxiliary_gets_the_right_one_among_candidates():
    sentence = "The ministry said the government will no plans to raise taxes."
    index = [sentence[s:e] for s, e in _words(sentence)].index("no")
    rewrites = _rewrites(sentence, index)
    assert "The ministry said the government has no plans to raise taxes." in rewrites
    assert "The ministry said the government had no plans to raise taxes." in rewrites


def test_missing_article_and_extra_preposition_are_candidates():
    sentence = "She visited capital of the region on last week."
    words = [sentence[s:e] for s, e in _words(sentence)]
    assert "She visited the capital of the region on last week." in _rewrites(sentence, words.index("capital"))
    assert "She visited capital of the region last week." in _rewrites(sentence, words.index("last"))


def test_german_article_substitution():
    sentence = "Die Regierung hat der Plan gestern vorgestellt."
    words = [sentence[s:e] for s, e in _words(sentence)]
    assert "Die Regierung hat den Plan gestern vorgestellt." in _rewrites(sentence, words.index("Plan"), "de")


def test_names_and_numbers_are_never_edited():
    sentence = "Merkel met 40 delegates in Brussels on Friday."
    for index in range(len(_words(sentence))):
        for edit in candidates.generate(sentence, _words(sentence), index, "en", {index: ["Putin", "the"]}):
            changed = sentence[edit.start : edit.end]
            assert not any(part in changed for part in ("Merkel", "40", "Brussels", "Friday"))


def test_model_guesses_never_replace_a_content_word():
    sentence = "Officials expressed their strong regret over the incident."
    words = [sentence[s:e] for s, e in _words(sentence)]
    index = words.index("regret")
    edits = candidates.generate(sentence, _words(sentence), index, "en", {index: ["concern", "the"]})
    assert not [e for e in edits if e.replacement == "concern"]
    assert "Officials expressed their strong the regret over the incident." in {e.apply(sentence) for e in edits}


def test_collocation_candidates_replace_the_governing_verb_in_its_form():
    sentence = "The union dropped its anger at the court ruling."
    words = [sentence[s:e] for s, e in _words(sentence)]
    index = words.index("anger")
    edits = candidates.generate(sentence, _words(sentence), index, "en", {index - 2: [], index: []})
    replacements = {e.replacement for e in edits if e.start == _words(sentence)[index - 2][0]}
    assert "expressed" in replacements and "voiced" in replacements
    assert "express" not in replacements  # the past tense of "dropped" is kept


def test_collocation_candidates_replace_a_verb_right_before_its_object_or_the_verb_itself():
    # `lifted concerns`: no function word between the verb and the surprising noun
    sentence = "Residents lifted concerns about the new road."
    spans = _words(sentence)
    words = [sentence[s:e] for s, e in spans]
    for index in (words.index("concerns"), words.index("lifted")):
        edits = candidates.generate(sentence, spans, index, "en", {index: []})
        verb = [e for e in edits if e.start == spans[words.index("lifted")][0] and e.kind == "collocation"]
        assert "raised" in {e.replacement for e in verb} and all(e.content for e in verb)
    # a word in its base form after no auxiliary is no verb slot: no support verbs for "road"
    index = words.index("road")
    edits = candidates.generate(sentence, spans, index, "en", {index: []})
    assert not [e for e in edits if e.kind == "collocation" and e.start == spans[index][0]]


def test_verb_forms_are_regular_inflections():
    forms = candidates.verb_forms("continues", "en")
    assert {"continue", "continued", "continuing"} <= set(forms)
    assert "continues" not in forms
    assert candidates.verb_forms("Paris", "en") == []
    assert candidates.verb_forms("arbeitet", "de") == []


def test_deletion_takes_one_adjacent_space():
    sentence = "They arrived to at the border."
    words = [sentence[s:e] for s, e in _words(sentence)]
    assert "They arrived at the border." in _rewrites(sentence, words.index("at"))


def test_swaps_of_meaning_bearing_function_words_are_never_auto_applied():
    from mtqa.fluency.review import _changes_reference_or_relation as changes_meaning

    def edit(sentence: str, old: str, new: str) -> candidates.SentenceEdit:
        start = sentence.index(old)
        return candidates.SentenceEdit(start, start + len(old), new)

    pointed = "From the pier you can see that wreck below."
    assert changes_meaning(pointed, edit(pointed, "that", "the"), "en")  # which wreck
    owned = "The club sold its stadium."
    assert changes_meaning(owned, edit(owned, "its", "his"), "en")  # whose stadium
    played = "They played against Granada."
    assert changes_meaning(played, edit(played, "against", "in"), "en")
    # Auxiliaries and articles are the errors the rewrites exist for.
    auxiliary = "The government will no desire to fight."
    assert not changes_meaning(auxiliary, edit(auxiliary, "will", "has"), "en")
    article = "She bought a apple."
    assert not changes_meaning(article, edit(article, "a", "an"), "en")


def test_tense_classes():
    assert candidates.tense("will") == "present"
    assert candidates.tense("had") == "past"
    assert candidates.tense("desire") is None


# -- words --------------------------------------------------------------------------


def test_token_scores_map_onto_words():
    text = "Das Bundesamt meldete 12 Fälle."
    # tokens: "Das", " Bundes", "amt", " meldete", " 12", " Fälle", "."
    spans = [(0, 3), (4, 10), (10, 13), (14, 21), (22, 24), (25, 30), (30, 31)]
    logprobs = [-2.0, -5.0, -0.5, -3.0, -4.0, -6.0, -0.1]
    tokens = [TokenScore(s, e, lp, 3.0, i) for i, ((s, e), lp) in enumerate(zip(spans, logprobs))]
    words = word_scores(ScoredText(text, tokens))
    assert [w.text for w in words] == ["Das", "Bundesamt", "meldete", "12", "Fälle"]
    bundesamt = words[1]
    assert bundesamt.surprisal == pytest.approx(5.5)
    assert bundesamt.first_surprisal == pytest.approx(5.0)
    assert bundesamt.excess == pytest.approx(2.0)
    assert words[3].is_name_or_number and words[1].is_name_or_number
    assert not words[2].is_name_or_number


def test_words_keep_inner_apostrophes_and_hyphens():
    text = "It wasn't a north-western town."
    assert [text[s:e] for s, e in word_spans(text)] == ["It", "wasn't", "a", "north-western", "town"]


# -- sources ------------------------------------------------------------------------


def test_resolve_names_aliases_and_errors(tmp_path):
    assert sources.resolve(None).name == "gemma3-270m"
    assert sources.resolve("SmolLM2").known.licence == "Apache-2.0"
    assert sources.resolve("some-org/some-model").location == "some-org/some-model"
    with pytest.raises(ModelUnavailable, match="unknown model"):
        sources.resolve("no-such-model")
    with pytest.raises(ModelUnavailable, match="config.json"):
        sources.resolve(str(tmp_path))


# -- cache ---------------------------------------------------------------------------


def _slow_converter(scratch: Path, output: Path) -> None:
    counter = output.parents[2] / "conversions.txt"
    with counter.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(0.5)
    (output / "config.json").write_text("{}")


def _prepare_in(root: str) -> str:
    os.environ["MTQA_CACHE_DIR"] = root
    return str(cache.prepare_dir(cache.model_dir("fake"), _slow_converter))


def test_cache_root_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    assert cache.model_dir("gemma3-270m") == tmp_path / "models" / "gemma3-270m"


def test_two_processes_prepare_once(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.map(_prepare_in, [str(tmp_path)] * 2)
    assert results[0] == results[1]
    assert len((tmp_path / "conversions.txt").read_text().split()) == 1
    target = Path(results[0])
    assert (target / cache.READY).is_file() and (target / "config.json").is_file()


def test_failed_conversion_leaves_nothing_behind(monkeypatch, tmp_path):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    target = cache.model_dir("fake")

    def broken(scratch: Path, output: Path) -> None:
        (output / "model.safetensors").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(ModelUnavailable, match="disk full"):
        cache.prepare_dir(target, broken)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir() if not p.name.endswith(".lock")] == []
    # A leftover directory without the READY marker is rebuilt, not trusted.
    target.mkdir()
    (target / "model.safetensors").write_bytes(b"half")
    cache.prepare_dir(target, lambda scratch, output: (output / "config.json").write_text("{}"))
    assert not (target / "model.safetensors").exists() and (target / cache.READY).is_file()


def _fake_float32_copy(monkeypatch, tmp_path, weights: bytes) -> Path:
    """A prepared float32 copy of a fake known model, and a bfloat16
    converter that records what it read."""
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    full = cache.model_dir("fake")
    full.mkdir(parents=True, exist_ok=True)
    (full / "model.safetensors").write_bytes(weights)
    (full / cache.READY).write_text("{}")
    monkeypatch.setattr(cache, "prepare", lambda known: full)

    def converter(source, dtype):
        def convert(scratch: Path, output: Path) -> None:
            (output / "model.safetensors").write_bytes((source / "model.safetensors").read_bytes() + b"-bf16")
        return convert

    monkeypatch.setattr(cache, "_dtype_converter", converter)
    return full


def test_a_bfloat16_copy_is_made_once_and_again_when_its_float32_copy_changes(monkeypatch, tmp_path):
    known = sources.KNOWN["gemma3-270m"]
    full = _fake_float32_copy(monkeypatch, tmp_path, b"v1")
    assert cache.prepare_in_dtype(known, "float32") == full
    half = cache.prepare_in_dtype(known, "bfloat16")
    assert half != full and (half / "model.safetensors").read_bytes() == b"v1-bf16"
    stamp = (half / cache.READY).stat().st_mtime_ns
    assert cache.prepare_in_dtype(known, "bfloat16") == half and (half / cache.READY).stat().st_mtime_ns == stamp
    time.sleep(0.01)
    (full / "model.safetensors").write_bytes(b"v2, prepared again")
    assert (cache.prepare_in_dtype(known, "bfloat16") / "model.safetensors").read_bytes() == b"v2, prepared again-bf16"


def test_a_cache_where_no_bfloat16_copy_can_be_written_loads_the_float32_one(monkeypatch, tmp_path):
    known = sources.KNOWN["gemma3-270m"]
    full = _fake_float32_copy(monkeypatch, tmp_path, b"v1")

    def read_only(*args, **kwargs):
        raise ModelUnavailable("could not prepare the model: [Errno 30] Read-only file system")

    monkeypatch.setattr(cache, "prepare_dir", read_only)
    assert cache.prepare_in_dtype(known, "bfloat16") == full


def test_missing_package_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    ghost = sources.KnownModel(
        name="ghost", package="mtqa_no_such_package", distribution="x", install="pip install ghost-model",
        description="", licence="", languages="en", gguf=lambda scratch: scratch,
    )
    with pytest.raises(ModelUnavailable, match="pip install ghost-model"):
        cache.prepare(ghost)


# -- scorer on a tiny random model ----------------------------------------------------------

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


def test_token_offsets_point_into_the_text(tiny):
    text = "the minister has no intention of resigning ."
    scored = tiny.token_logprobs([text])[0]
    assert [text[t.start : t.end] for t in scored.tokens] == text.split()
    assert all(t.logprob <= 0 and t.entropy >= 0 for t in scored.tokens)


def test_scores_entropy_and_top_k_are_those_of_the_models_log_softmax(tiny):
    # The post-processing shares one exp between normaliser and entropy: it
    # must give what log_softmax over the model's own logits gives.
    text = "the minister has no intention of resigning ."
    scored = tiny.token_logprobs([text], top_k=3)[0]
    ids = torch.tensor([[tiny.prefix_id] + [t.token_id for t in scored.tokens]])
    with torch.inference_mode():
        logp = torch.log_softmax(tiny.model(input_ids=ids).logits[0, :-1].float(), dim=-1)
    for position, token in enumerate(scored.tokens):
        row = logp[position]
        assert token.logprob == pytest.approx(row[token.token_id].item(), abs=1e-4)
        assert token.entropy == pytest.approx(-(row.exp() * row).sum().item(), abs=1e-4)
        best = row.topk(3)
        assert [i for i, _ in token.top] == best.indices.tolist()
        assert [lp for _, lp in token.top] == pytest.approx(best.values.tolist(), abs=1e-4)


def test_batching_and_padding_do_not_change_scores(tiny):
    short = "the minister has no intention ."
    long = "a report on the minister has no intention of resigning ."
    alone = tiny.token_logprobs([short])[0]
    batched = tiny.token_logprobs([long, short, "the"])[1]
    assert [t.logprob for t in batched.tokens] == pytest.approx([t.logprob for t in alone.tokens], abs=1e-4)
    assert tiny.sequence_logprob([short])[0] == pytest.approx(sum(t.logprob for t in alone.tokens), abs=1e-4)


def test_top_k_lists_the_most_likely_tokens(tiny):
    scored = tiny.token_logprobs(["the minister"], top_k=3)[0]
    top = scored.tokens[1].top
    assert len(top) == 3
    assert [lp for _, lp in top] == sorted((lp for _, lp in top), reverse=True)
    assert scored.tokens[1].logprob <= top[0][1] + 1e-6


def test_scorer_is_loaded_once_per_process(tiny, tiny_model_dir):
    from mtqa.fluency.scorer import get_scorer

    assert get_scorer(str(tiny_model_dir)) is tiny


def test_a_broken_model_directory_is_a_clear_error(tmp_path):
    from mtqa.fluency.scorer import get_scorer

    (tmp_path / "config.json").write_text('{"model_type": "gpt2", "n_layer": "broken"}')
    with pytest.raises(ModelUnavailable, match="cannot load model"):
        get_scorer(str(tmp_path))


def test_importing_the_checks_does_not_load_torch():
    code = "import sys, mtqa.checks, mtqa.checks.fluency, mtqa.fluency.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_models_command_lists_known_models(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from mtqa.fluency.cli import models_command

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(models_command, [])
    assert result.exit_code == 0
    assert "gemma3-270m (default)" in result.output and "Apache-2.0" in result.output
    result = CliRunner().invoke(models_command, ["--prepare", "no-such-model"])
    assert result.exit_code != 0 and "unknown model" in result.output


# -- the real model (Gemma 3 270M) ----------------------------------------------------------



@pytest.mark.model
def test_gemma_prefers_fluent_sentences_in_three_languages(gemma):
    pairs = [
        ("The minister has no intention of resigning.", "The minister will no intention of resigning."),
        ("Die Regierung hat den Plan am Montag vorgestellt.", "Die Regierung hat der Plan am Montag vorgestellt."),
        ("Le gouvernement a présenté son plan lundi.", "Le gouvernement a présenté sa plan lundi."),
    ]
    scores = gemma.sequence_logprob([text for pair in pairs for text in pair])
    for i in range(0, len(scores), 2):
        assert scores[i] > scores[i + 1], pairs[i // 2]


@pytest.mark.model
def test_wrong_auxiliary_is_flagged_and_fixed(gemma):
    from mtqa.fluency.review import review

    text = "The club said on Tuesday that its coach will no plans to leave before the end of the season."
    proposals = review(text, "en", "gemma3-270m")
    assert len(proposals) == 1
    proposal = proposals[0]
    assert "will" in text[proposal.start : proposal.end]
    assert proposal.suggestions[0] == text[proposal.start : proposal.end].replace("will", "has")


@pytest.mark.model
def test_rewrites_in_a_garbled_sentence_are_suggested_not_applied(gemma):
    # A post-editor rewrites a garbled sentence as a whole: a local fix is
    # shown to the editor but never applied on its own, however large its gain.
    import mtqa

    from mtqa.fluency.review import FLUENT_SENTENCE, GARBLED_CONFIDENCE_CAP

    text = ("Minister of transports told what the bridge will no be finished because dozens of builders "
            "was without money since of him.")
    result = mtqa.check(text, "en", use_model=True, select=["fluency.awkward"])
    assert result.findings, "expected a rewrite suggestion"
    for finding in result.findings:
        assert finding.suggestions and finding.context["sentence_fluency"] < FLUENT_SENTENCE
        assert finding.confidence <= GARBLED_CONFIDENCE_CAP
    assert result.fixed_text == text


@pytest.mark.model
def test_clean_news_sentences_are_not_flagged(gemma):
    from mtqa.fluency.review import review

    text = (
        "The city council approved the new budget on Thursday after a long debate. "
        "Der Bürgermeister sagte, die Stadt werde im nächsten Jahr mehr Geld für Schulen ausgeben."
    )
    assert review(text, "en", "gemma3-270m") == []


@pytest.mark.model
def test_document_scores_rank_the_fluent_version_higher(gemma):
    import mtqa
    import mtqa.checks.fluency  # noqa: F401  (registers the document scorer)

    good = mtqa.check("The minister has no intention of resigning.", "en", use_model=True, select=["fluency"])
    bad = mtqa.check("The minister will no intention of resigning.", "en", use_model=True, select=["fluency"])
    assert good.scores["logprob"] > bad.scores["logprob"]
    assert -10 < good.scores["fluency"] < 0


def test_rescoring_with_a_shared_prefix_equals_full_scoring(tiny):
    # Rewrites of one sentence, edited at different words (substitution,
    # insertion, deletion), some sharing the text before their edit: the
    # ranking path (shared output-layer rows, log-prob only) must give the
    # same per-token log-probs as scoring each text from the same character on.
    original = "the minister has no intention of resigning ."
    texts = [
        original,
        "the minister will no intention of resigning .",
        "the minister has a intention of resigning .",
        "the minister has no intention on resigning .",
        "the minister has the no intention of resigning .",
        "the minister no intention of resigning .",
        "a report on the minister has no intention .",
    ]
    cuts = [0, 13, 17, 30, 17, 13, 0]
    full = tiny.token_logprobs(texts, score_from=cuts)
    reused = tiny.rescore(texts, cuts)
    for expected, got in zip(full, reused):
        assert [(t.start, t.end, t.token_id) for t in got.tokens] == [
            (t.start, t.end, t.token_id) for t in expected.tokens
        ]
        assert [t.logprob for t in got.tokens] == pytest.approx([t.logprob for t in expected.tokens], abs=1e-3)
    # Scoring from the end of a text scores nothing.
    assert tiny.rescore([original], [len(original)])[0].tokens == []



def _first_token_gains_match_full_scoring(scorer, original: str, rewrites: list[tuple[str, int]]) -> None:
    """first_token_gains (two output-layer rows) must equal the difference of
    the log-probs full scoring gives the rewrite's and the original's token at
    the edit."""
    scored = scorer.token_logprobs([original], keep_states=True)[0]
    texts, cuts = [t for t, _ in rewrites], [c for _, c in rewrites]
    gains = scorer.first_token_gains(scored, texts, cuts)
    tolerance = logprob_tolerance(scorer)  # two rows of the output layer, or a whole chunk
    for (text, cut), gain in zip(rewrites, gains):
        first = scorer.token_logprobs([text], score_from=[cut])[0].tokens[0]
        index = next(k for k, t in enumerate(scored.tokens) if t.start >= cut)
        assert gain == pytest.approx(first.logprob - scored.tokens[index].logprob, abs=tolerance), text
    # Without a kept state at the edit the rewrite cannot be judged this way.
    scored.states = {}
    assert scorer.first_token_gains(scored, texts, cuts) == [None] * len(texts)


def test_first_token_gains_equal_full_scoring(tiny):
    original = "the minister has no intention of resigning ."
    _first_token_gains_match_full_scoring(tiny, original, [
        ("the minister will no intention of resigning .", 13),  # substitution
        ("the minister has the no intention of resigning .", 17),  # insertion
        ("the minister no intention of resigning .", 13),  # deletion
    ])


@pytest.mark.model
def test_first_token_gains_equal_full_scoring_with_gemma(gemma):
    original = "The Turkish government will no desire to be drawn into a wider war."
    _first_token_gains_match_full_scoring(gemma, original, [
        ("The Turkish government has no desire to be drawn into a wider war.", 23),
        ("The Turkish government will have no desire to be drawn into a wider war.", 28),
        ("The Turkish government no desire to be drawn into a wider war.", 23),
    ])


def test_word_level_qe_with_a_model_it_was_not_trained_for_is_a_clear_error(tiny_model_dir, monkeypatch):
    # The QE head reads Gemma's scores; with any other model it must refuse
    # (one clear message), not compute probabilities from the wrong inputs.
    from mtqa.errors import MtqaError
    from mtqa.findings import Document, TextUnit
    from mtqa.pipeline import Options, check_document

    monkeypatch.setenv("MTQA_THREADS", "1")
    document = Document(id="t", units=[TextUnit(text="the minister has no intention of resigning .")], language="en")
    options = Options(language="en", model=str(tiny_model_dir), extend_select=["fluency.likely-edit"])
    try:
        result = check_document(document, options)
    except MtqaError as error:
        message = str(error)
    else:
        message = result.error or ""
    assert "no QE head" in message and "gemma3-270m" in message


def test_the_document_score_reads_long_lines_in_bounded_pieces():
    """A 1.8 MB line with no full stop made the document scorer ask for 810 GB of attention."""
    from mtqa.checks.fluency import _bounded
    from mtqa.fluency.review import MAX_SENTENCE_CHARS

    line = "cafÃ© " * 3000 + "x" * 1500
    pieces = _bounded(line)
    assert all(len(piece) <= MAX_SENTENCE_CHARS for piece in pieces)
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "")  # nothing dropped
    assert _bounded("A short sentence.") == ["A short sentence."]
