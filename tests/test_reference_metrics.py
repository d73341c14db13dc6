"""BLEU, chrF and TER against a reference equal sacrebleu's own on the same lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mtqa
from tests.conftest import run_mtqa

RECORDS = [  # (MT, reference), written for this test
    ("The minister said the talks will continue on Monday.", "The minister said the talks would continue on Monday."),
    ("Police arrested 21 people in the the city centre.", "Police arrested 21 people in the city centre."),
    ("The budget rises of 3 percent next year.", "The budget will rise by 3 percent next year."),
    ("Farmers protest against the new water rules.", "Farmers are protesting against the new water rules."),
]


def sacrebleu(hypotheses: list[str], references: list[str], tmp_path: Path) -> list[float]:
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(hypotheses) + "\n", encoding="utf-8")
    ref.write_text("\n".join(references) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter",
                           "-b", "-w", "4"], capture_output=True, text=True, check=True)
    return [float(x) for x in json.loads(done.stdout)]


def test_corpus_figures_equal_sacrebleu_for_the_mt_and_the_fixed_text(tmp_path: Path):
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps({"id": str(i), "text": mt, "reference": ref, "lang": "en"}) + "\n"
                              for i, (mt, ref) in enumerate(RECORDS)), encoding="utf-8")
    payload = json.loads(run_mtqa("check", "--no-model", "--format", "json", str(export)).stdout)
    figures = payload["summary"]["reference"]
    references = [ref for _, ref in RECORDS]
    expected = sacrebleu([mt for mt, _ in RECORDS], references, tmp_path)
    assert [figures["mt"][m] for m in ("bleu", "chrf", "ter")] == expected
    fixed = [mtqa.fix(mt, "en") for mt, _ in RECORDS]
    assert fixed[1] == "Police arrested 21 people in the city centre."
    assert [figures["fixed"][m] for m in ("bleu", "chrf", "ter")] == sacrebleu(fixed, references, tmp_path)
    assert figures["fixed"]["bleu"] > figures["mt"]["bleu"]  # the doubled word's repair moved it toward the reference
    assert figures["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    second = payload["documents"][1]["scores"]
    assert second["fixed_chrf"] > second["chrf"] and set(second) >= {"bleu", "chrf", "ter", "fixed_ter"}


def test_the_tokenizer_follows_the_target_language():
    from mtqa.reference_metrics import tokenizer_for

    assert tokenizer_for("zh") == "zh" and tokenizer_for("en-GB") == "13a" and tokenizer_for("de") == "13a"
    assert tokenizer_for("ja") in ("ja-mecab", "char")


def test_no_reference_no_figures():
    result = mtqa.check("Police arrested 21 people.", "en")
    assert not any(key in result.scores for key in ("bleu", "chrf", "ter"))


def test_api_and_http_take_a_reference():
    import pytest

    result = mtqa.check(RECORDS[1][0], "en", reference=RECORDS[1][1])
    assert result.scores["fixed_chrf"] == 100.0
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from mtqa.pipeline import Options
    from mtqa.server import create_app

    payload = TestClient(create_app(Options(use_model=False))).post(
        "/check", json={"text": RECORDS[1][0], "lang": "en", "reference": RECORDS[1][1]}).json()
    assert payload["documents"][0]["scores"]["fixed_chrf"] == 100.0
    assert payload["summary"]["reference"]["segments"] == 1
