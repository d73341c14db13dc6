"""Sentence segmentation: abbreviations read from a sentence's end, offsets exact."""

from mtqa.segment import sentences


def _texts(text: str) -> list[str]:
    spans = sentences(text)
    assert all(text[s.start:s.end] == s.text for s in spans)
    return [s.text for s in spans]


def test_a_long_sentence_ending_in_a_title_does_not_end_there():
    text = ("The committee, which met on Tuesday in the capital after weeks of delay, heard from Mlle. "
            "Dupont and from Dr. Weber. Both spoke briefly.")
    assert _texts(text) == ["The committee, which met on Tuesday in the capital after weeks of delay, heard from "
                            "Mlle. Dupont and from Dr. Weber.", "Both spoke briefly."]


def test_a_word_that_ends_like_an_abbreviation_still_ends_a_sentence():
    # `A.` ending `USA.` is no initial: the word boundary before it is read from the text before the tail.
    assert _texts("The vote was held across the USA. Then came the count.") == [
        "The vote was held across the USA.", "Then came the count."]
    assert _texts("The talks went on for hours in St. Gallen. No deal.") == [
        "The talks went on for hours in St. Gallen.", "No deal."]
