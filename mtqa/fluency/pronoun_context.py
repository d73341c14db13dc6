"""`He also cited` where the sentence before named a commission: a personal
pronoun that opens a sentence and stands for an institution.

MT from languages whose nouns have grammatical gender (German `die
Kommission ... Sie`, French `la commission ... elle`, Russian, Arabic) turns
the pronoun for an institution into `he` or `she`. Inside one sentence the
sweep sees both the noun and the pronoun (`the airline said she`); at the
start of a sentence the antecedent lies in the sentence before, which the
per-sentence analysis does not see. So for English sentences that open with
He / She / His / Her, the model scores the pronoun and the next words twice,
after the previous sentence: as written and with It / Its; the gain of the
neuter form, in nats, decides (PRONOUN_CONTEXT_MARGIN, chosen on calibration
lines by scripts/calibrate_pronoun_context.py). Only English: German and
French use `sie`, `elle` for feminine institutions correctly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.fluency.candidates import base_language

NEUTER = {"He": "It", "She": "It", "His": "Its", "Her": "Its"}
LANGUAGES = frozenset({"en"})
WINDOW_WORDS = 3  # words scored after the pronoun
CONTEXT_CHARS = 400  # of the previous sentence, at most (its end)
# Nats the neuter form must gain over the pronoun as written, with the
# previous sentence as context (scripts/calibrate_pronoun_context.py, on
# calibration lines: 1 alarm on 609 openings left as they are, 0.003 per
# 1,000 words; 5 nats drew 2, 4 nats 5).
PRONOUN_CONTEXT_MARGIN = 6.0
_OPENING = re.compile(r"(He|She|His|Her)\b(?!['’])")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class PronounCandidate:
    """A sentence that opens with a personal pronoun, and the one before it."""

    index: int  # of the sentence in the caller's list
    previous: str
    sentence: str
    pronoun: str  # as written (`He`)

    @property
    def replacement(self) -> str:
        return NEUTER[self.pronoun]


def candidates(sentences: list[str], language: str | None) -> list[PronounCandidate]:
    """The sentences (by index) that open with He / She / His / Her and follow
    another sentence of the same text."""
    if base_language(language) not in LANGUAGES:
        return []
    found = []
    for index in range(1, len(sentences)):
        match = _OPENING.match(sentences[index])
        previous = sentences[index - 1].strip()
        if match and previous:
            found.append(PronounCandidate(index, previous[-CONTEXT_CHARS:], sentences[index], match.group(1)))
    return found


def _window_end(sentence: str) -> int:
    """End of the pronoun and the WINDOW_WORDS words after it."""
    words = list(_WORD.finditer(sentence))
    return words[min(len(words) - 1, WINDOW_WORDS)].end() if words else len(sentence)


def gains(scorer, found: list[PronounCandidate]) -> list[float]:
    """Per candidate: log-prob of the neuter form and the next words minus
    that of the pronoun as written, both after the previous sentence (nats)."""
    texts, cuts = [], []
    for candidate in found:
        neuter = candidate.replacement + candidate.sentence[len(candidate.pronoun):]
        for sentence in (candidate.sentence, neuter):
            # Only up to the window's end: the model reads left to right, so
            # the words after it change nothing scored, and cost a pass.
            prefix = candidate.previous + " "
            texts.append(prefix + sentence[: _window_end(sentence)])
            cuts.append(len(prefix))
    if not texts:
        return []
    scored = scorer.token_logprobs(texts, score_from=cuts)
    sums = [sum(t.logprob for t in s.tokens) for s in scored]  # each text ends where its window does
    return [sums[k + 1] - sums[k] for k in range(0, len(sums), 2)]
