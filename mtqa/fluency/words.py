"""Map model tokens onto the words an editor sees.

Subword tokens are the model's unit; findings, gold QE tags and rewrites are
about words. A word here is a run of letters/digits with inner apostrophes or
hyphens (`don't`, `north-western`), so punctuation never joins a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.fluency.scorer import ScoredText

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


@dataclass
class WordScore:
    start: int
    end: int
    text: str
    surprisal: float  # -log P(word | left context), summed over its tokens (nats)
    first_surprisal: float  # of the word's first token
    entropy: float  # the model's uncertainty where the word begins (nats)
    token_index: int  # index of the word's first token in ScoredText.tokens

    @property
    def excess(self) -> float:
        """How much more surprising the word is than the model expected there."""
        return self.first_surprisal - self.entropy

    @property
    def is_name_or_number(self) -> bool:
        """Capitalised, all-caps, or digit-bearing words: surprising but rarely wrong."""
        return any(ch.isdigit() for ch in self.text) or self.text[:1].isupper()


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def word_scores(scored: ScoredText) -> list[WordScore]:
    """Aggregate token scores into word scores (tokens assigned by their start)."""
    spans = word_spans(scored.text)
    words: list[WordScore] = []
    token_index = 0
    tokens = scored.tokens
    for start, end in spans:
        while token_index < len(tokens) and tokens[token_index].end <= start:
            token_index += 1
        members = []
        j = token_index
        while j < len(tokens) and tokens[j].start < end:
            members.append(j)
            j += 1
        if not members:
            continue
        first = tokens[members[0]]
        words.append(
            WordScore(
                start=start,
                end=end,
                text=scored.text[start:end],
                surprisal=-sum(tokens[k].logprob for k in members),
                first_surprisal=-first.logprob,
                entropy=first.entropy,
                token_index=members[0],
            )
        )
    return words
