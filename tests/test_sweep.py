"""The sweep over every word: the edit grammar, the screen, and what the
check reports for weak-MT errors (sentences written for these tests)."""

from __future__ import annotations

import pytest

from mtqa.fluency import grammar, sweep
from mtqa.fluency.candidates import SentenceEdit
from mtqa.fluency.words import word_spans


def _edits(sentence: str, word: str, language: str = "en") -> dict[str, str]:
    spans = word_spans(sentence)
    index = [sentence[s:e] for s, e in spans].index(word)
    return {edit.apply(sentence): edit.kind for edit in grammar.edits_at(sentence, spans, index, language)}


def test_grammar_proposes_the_repair_of_each_error_kind():
    assert _edits("The agency said dozens of homes was destroyed.", "was")[
        "The agency said dozens of homes were destroyed."] == "agreement"
    assert _edits("The airline said she would cut fares.", "she")["The airline said it would cut fares."] == "pronoun"
    assert _edits("The result depends from the weather.", "from")[
        "The result depends on the weather."] == "preposition"
    assert _edits("The company said the inflation rose.", "the")["The company said inflation rose."] == "delete"
    assert _edits("He visited capital of the region.", "capital")["He visited the capital of the region."] == "insert"
    assert _edits("The firm cited its economical situation.", "economical")[
        "The firm cited its economic situation."] == "word-pair"
    assert _edits("Die Regierung hat der Plan vorgestellt.", "der", "de")[
        "Die Regierung hat den Plan vorgestellt."] == "article"
    assert _edits("Le gouvernement a présenté sa plan lundi.", "sa", "fr")[
        "Le gouvernement a présenté son plan lundi."] == "pronoun"


def test_grammar_proposes_be_forms_support_verbs_an_and_the_article_of_a_name():
    assert _edits("The work had be completed by May.", "be")["The work had been completed by May."] == "aux"
    assert _edits("The council did a decision on Friday.", "did")[
        "The council made a decision on Friday."] == "collocation"
    assert _edits("She was able to make part in the race.", "make")[
        "She was able to take part in the race."] == "collocation"
    assert _edits("The board said it is option for now.", "option")[
        "The board said it is an option for now."] == "insert"
    # `an` only before a vowel letter: never `an said`
    assert "The board an said it is an option." not in _edits("The board said it is an option.", "said")
    assert _edits("A tabloid said that U.S. consulate closed.", "U")[
        "A tabloid said that the U.S. consulate closed."] == "insert"
    # a name after an article, or at the start of a sentence, gets nothing
    assert _edits("A tabloid said the U.S. consulate closed.", "U") == {}
    assert _edits("Washington said the consulate closed.", "Washington") == {}


def test_english_agreement_edits_only_words_with_a_number_partner():
    def number(word: str) -> list[tuple[str, str]]:
        return [(other, kind) for other, kind in grammar.substitutions(word, "en")
                if kind in ("agreement", "number")]

    # irregular auxiliaries are `agreement`; an -s ending, verb or noun alike, is `number`
    assert number("was") == [("were", "agreement")] and number("Has") == [("Have", "agreement")]
    assert number("says") == [("say", "number")] and number("report") == [("reports", "number")]
    assert number("Homes") == [("Home", "number")] and number("cities") == [("city", "number")]
    for word in ("theirs", "hers", "ours", "always", "news", "quickly", "these", "those", "about", "into"):
        assert number(word) == [], word


def test_grammar_never_edits_names_or_numbers():
    sentence = "The report by Will Smith listed 12 cases in May."
    spans = word_spans(sentence)
    for index, (start, end) in enumerate(spans):
        word = sentence[start:end]
        if word[:1].isupper() or word.isdigit():
            assert not [e for e in grammar.edits_at(sentence, spans, index, "en") if e.start < end and start < e.end]


def test_error_kinds_of_insertions_and_deletions():
    sentence = "They were able attend the meeting."
    assert grammar.error_kind(SentenceEdit(15, 15, "to ", kind="insert"), sentence, "en") == "function-word"
    assert grammar.error_kind(SentenceEdit(22, 22, "the ", kind="insert"), sentence, "en") == "article"
    assert grammar.error_kind(SentenceEdit(22, 26, "", kind="delete"), sentence, "en") == "article"


def test_select_keeps_separate_edits_and_the_best_of_neighbours():
    def found(word, gain):
        return sweep.SweepEdit(SentenceEdit(word * 5, word * 5 + 3, "x"), word, "agreement", 3.0, gain)

    chosen = sweep.select([found(3, 9.0), found(4, 7.0), found(10, 6.5)])
    assert [(f.word, f.gain) for f in chosen] == [(3, 9.0), (10, 6.5)]


def test_a_tense_keeping_edit_under_its_margin_is_offered_first_where_another_flagged_the_site():
    # `will " no desire` in a past-tense sentence: `had` clears the aux
    # margin (10 nats), `has` gains less (8.2) but keeps the tense, and by
    # preference (gain less the tense-change cost) it ranks first.
    from mtqa.fluency.review import _worth_offering

    def found(replacement, gain, penalty):
        return sweep.SweepEdit(SentenceEdit(20, 24, replacement), 4, "aux", 6.0, gain, "en",
                               penalty=penalty)

    had, has, would = found("had", 11.45, 3.5), found("has", 8.17, 0.0), found("would", 1.9, 3.5)
    assert had.accepted and not has.accepted and not would.accepted
    offered = sorted((f for f in (had, has, would) if _worth_offering(f, had)), key=lambda f: -f.preference)
    assert [f.edit.replacement for f in offered] == ["has", "had"]
    # Under its margin and behind the flagged edit by preference: not offered.
    assert not _worth_offering(found("is", 9.0, 3.5), had)


def test_opening_pronouns_are_candidates_in_english_after_another_sentence():
    from mtqa.fluency import pronoun_context

    texts = ["The agency published its report.", "She said prices rose.", "Hermes said so.", "His view was clear."]
    found = pronoun_context.candidates(texts, "en")
    assert [(c.index, c.pronoun, c.replacement) for c in found] == [(1, "She", "It"), (3, "His", "Its")]
    assert pronoun_context.candidates(["She said so.", "He left."], "en")[0].index == 1  # never the first
    # German and French institutions may rightly be `sie` / `elle`.
    assert pronoun_context.candidates(["Die Regierung tagte.", "Sie beschloss nichts."], "de") == []


# -- with the real model ------------------------------------------------------------


@pytest.mark.model
def test_errors_at_their_own_word_are_found_and_repaired(gemma):
    from mtqa.fluency.review import review

    cases = {
        "The agency said on Monday that dozens of homes was destroyed by the floods in the north.": "were",
        "The committee said its members were not able for attend the meeting on Friday.": "to",
        "The company said its economical situation had improved over the past six months.": "economic",
    }
    for text, expected in cases.items():
        proposals = review(text, "en", "gemma3-270m")
        assert len(proposals) == 1, (text, proposals)
        assert proposals[0].suggestions[0] == expected, (text, proposals[0])


@pytest.mark.model
def test_an_error_that_shows_only_in_the_next_word_is_found(gemma, monkeypatch):
    """`the council will` reads fine; `will no objection` does not. The model
    cannot prefer `had` where `will` stands, so only right-hand evidence (the
    anomalous next word) lets the edit in. The margin is set here (the
    calibration moves it: 10 nats in float32, 11 in bfloat16, where this
    sentence gains 10.6): the test is of the mechanism, not of a margin."""
    from mtqa.fluency import review as review_module
    from mtqa.fluency.review import review

    monkeypatch.setitem(sweep.LANGUAGE_MARGINS["en"], "aux/behind", 10.0)
    review_module.forget_analyses()
    text = "Officials said the council will no objection to the new route if residents are consulted."
    (proposal,) = review(text, "en", "gemma3-270m")
    assert text[proposal.start : proposal.end] == "will"
    assert proposal.suggestions[0] in ("has", "had")
    assert proposal.context["screen"] < sweep.SCREEN_GAIN
    review_module.forget_analyses()  # the analysis cache holds what this margin accepted


@pytest.mark.model
def test_articles_and_function_words_are_verified_only_from_their_own_screen(gemma, monkeypatch):
    """English articles and function words need 10 and 8 nats: an insertion the
    model prefers by less than KIND_SCREEN where it stands is not verified (it
    never reached its margin on the calibration lines, and cost a third of the
    verifications). Without that screen this fluent sentence verifies an
    article the model prefers by under 4.5 nats."""
    from mtqa.fluency import review as review_module

    text = ("Residents of the valley said heavy rain had flooded several roads, and volunteers were helping "
            "families move furniture to higher floors.")
    verified: list = []
    real_verify = sweep.verify

    def recording(scorer, candidates):
        verified.extend(candidate[2] for candidate in candidates)
        return real_verify(scorer, candidates)

    monkeypatch.setattr(sweep, "verify", recording)

    def screens_of_kinds() -> list[float]:
        verified.clear()
        review_module.forget_analyses()
        review_module.review(text, "en", "gemma3-270m")
        return [c.gain for c in verified if grammar.error_kind(c.edit, text, "en") in ("article", "function-word")
                and c.gain >= sweep.SCREEN_GAIN]

    assert all(gain >= sweep.screen_for("article", "en") for gain in screens_of_kinds())
    monkeypatch.setattr(sweep, "KIND_SCREEN", {})
    assert any(gain < 4.5 for gain in screens_of_kinds())
    review_module.forget_analyses()


def test_a_kind_screen_below_the_common_one_lets_edits_in_ahead_of_right_hand_evidence(monkeypatch):
    """A kind may be verified from a screen below SCREEN_GAIN (sweep.KIND_SCREEN,
    bench/fluency_recall.py --dump-screens): its edits that clear that screen
    are judged by the kind's own margin, not as edits let in by right-hand
    evidence, while a kind on the common screen keeps calling them `behind`."""
    monkeypatch.setitem(sweep.KIND_SCREEN, "en", {"aux": 0.0})
    aux = sweep.SweepEdit(SentenceEdit(4, 8, "has"), 1, "aux", 1.5, 12.0, "en", right=9.0)
    article = sweep.SweepEdit(SentenceEdit(4, 4, "the "), 1, "article", 1.5, 12.0, "en", right=9.0)
    assert not aux.behind and aux.margin == sweep.margin_for("aux", "en")
    assert article.behind and article.margin == sweep.margin_for("article", "en", behind=True)


def test_kinds_without_a_calibrated_margin_are_never_proposed():
    """Calibration switched some kinds off per language: their margin is
    infinite, so no gain makes them a finding."""
    off = sweep.SweepEdit(SentenceEdit(4, 7, "der"), 1, "function-word", 1.0, 50.0, "de", right=9.0)
    assert off.behind and not off.accepted
    assert sweep.margin_for("word-pair", "de") == float("inf")
    unknown = sweep.SweepEdit(SentenceEdit(4, 7, "ist"), 1, "agreement", 5.0, 50.0, "pt")
    assert unknown.margin == sweep.margin_for("agreement", "de")  # the most cautious language's


@pytest.mark.model
def test_meaning_changing_repairs_are_suggested_not_applied(gemma):
    from mtqa.fluency.review import review

    text = "The airline said she would cut prices on domestic routes from next month."
    (proposal,) = review(text, "en", "gemma3-270m")
    assert text[proposal.start : proposal.end] == "she" and proposal.suggestions[0] == "it"
    assert proposal.context["edit"] == "pronoun" and proposal.fix == "display-only"


@pytest.mark.model
def test_a_wrong_support_verb_is_suggested_not_applied(gemma):
    from mtqa.api import check

    text = "The striker was unable to make part in the training session on Tuesday because of an injury."
    (finding,) = check(text, "en", use_model=True).findings
    assert finding.text == "make" and finding.suggestions[0] == "take"
    assert finding.context["edit"] == "collocation" and finding.applicability == "display-only"
    # A content word: never applied, whatever --min-confidence says (its
    # confidence was only capped below the default 0.9 before).
    assert check(text, "en", use_model=True, min_confidence=0.05).fixed_text == text
    fluent = text.replace("make part", "take part")
    assert check(fluent, "en", use_model=True).findings == []


@pytest.mark.model
def test_two_errors_in_one_sentence_are_both_found(gemma):
    from mtqa.fluency.review import review

    text = ("The airline said she would cut prices because dozens of routes was losing money "
            "over the past year.")
    proposals = review(text, "en", "gemma3-270m")
    assert [text[p.start : p.end] for p in proposals] == ["she", "was"]


@pytest.mark.model
def test_the_sweep_is_silent_on_fluent_sentences(gemma):
    from mtqa.fluency.review import review

    text = (
        "The airline said it would cut prices on domestic routes from next month. "
        "Dozens of homes were destroyed by the floods, the agency said on Monday. "
        "Whether the deal survives depends on the outcome of talks between the two parties. "
        "Die Regierung hat den Plan am Montag im Parlament vorgestellt."
    )
    assert review(text, "en", "gemma3-270m") == []


def test_model_findings_do_not_echo_a_repeated_word(gemma):
    """`in the the coastal towns`: the repetition rule reports `the the`; the
    sweep also proposed deleting `the` (0.93, auto-applied on top)."""
    import mtqa

    text = "Local authorities say more than 12,000 people have arrived in the the coastal towns since the announcement."
    findings = mtqa.check(text, "en", use_model=True).findings
    assert [(f.rule, f.text) for f in findings if f.rule.startswith("repetition.")] == [
        ("repetition.doubled-word", "the the")]
    assert not [f for f in findings if f.origin == "model"]
    assert mtqa.fix(text, "en", use_model=True) == text.replace("the the", "the")


def test_tokenised_sentence_ends_are_still_prose():
    """`... with Russia . "`: a tokenizer's spaced closing quote left the sentence unjudged."""
    from mtqa.fluency.review import _is_prose

    assert _is_prose('The government will " no desire or intention to collide with Russia . "')
    assert _is_prose("He left ( for good ) .") and _is_prose("She said: «Non.»")
    assert not _is_prose("Ministers meet in Brussels on Monday")  # a headline


@pytest.mark.model
def test_a_pronoun_for_the_institution_of_the_sentence_before_is_suggested(gemma):
    from mtqa.fluency.review import review

    flagged = "The airline announced on Tuesday that it would cut 2,000 jobs by the end of the year. " \
              "She said the cuts would mostly affect its ground staff in Europe."
    proposals = [p for p in review(flagged, "en", "gemma3-270m") if p.context.get("edit") == "pronoun"]
    assert [(flagged[p.start : p.end], p.suggestions, p.fix) for p in proposals] == [("She", ["It"], "display-only")]
    # A person in the sentence before: nothing to say.
    for clean in ("The finance minister, Anna Berg, presented the budget to parliament on Monday. "
                  "She also said that the number of civil servants would fall.",
                  "Police arrested a 34-year-old man on Friday evening near the station. "
                  "He is suspected of having robbed two shops in the town centre."):
        assert review(clean, "en", "gemma3-270m") == []
