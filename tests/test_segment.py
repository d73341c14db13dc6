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


def test_a_german_date_does_not_end_a_sentence_at_its_day():
    text = "Der Stadtrat stimmt am 12. Mai ab. Die Sitzung beginnt am 3. Oktober um neun Uhr."
    assert _texts(text) == ["Der Stadtrat stimmt am 12. Mai ab.",
                            "Die Sitzung beginnt am 3. Oktober um neun Uhr."]


def test_a_number_at_the_end_of_a_sentence_still_ends_it():
    text = "The death toll rose to 12. Police said more bodies were found. It was 1999. May came."
    assert _texts(text) == ["The death toll rose to 12.", "Police said more bodies were found.", "It was 1999.",
                            "May came."]
