"""Put one weak-MT error of a given kind into a clean sentence.

Used by bench/fluency_recall.py: the clean sentence is the correction, so a
check's top suggestion either restores it or not. The kinds are those of
issue 9 (and mtqa/fluency/grammar.py), made the way MT makes them:

- aux: a tense/modal auxiliary swapped (`has no` -> `will no`, `hat` -> `wird`);
- agreement: a verb's number flipped (`were` -> `was`, `says` -> `say`);
- pronoun: an institution's `it`/`its` made personal (`it` -> `she`);
- preposition: a preposition after its governing word swapped;
- article: an article dropped, or swapped for another (case/gender in de/fr);
- function-word: `to`/`zu`/`de` dropped, or an extra `of`/`to` inserted;
- collocation: a support verb swapped (`made a decision` -> `did`);
- word-pair: a confusable word swapped (`economic` -> `economical`);
- verb-choice: the verb of a verb-object collocation swapped for a verb of
  another sense that MT picks from a dictionary (`raised concerns` -> `lifted`,
  `took steps` -> `grabbed`, `posed a threat` -> `put`): English only, and
  only before an object (an article, a possessive or a word in lower case).

Injection sites are drawn with a seeded random generator; names, numbers and
the first word of a sentence are never touched. This is bench code: the
checker does not import it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


@dataclass
class Injected:
    text: str  # the damaged sentence
    original: str  # the clean sentence (the expected correction)
    start: int  # damaged characters in `text` (empty for a deletion: the gap)
    end: int
    kind: str


SWAPS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {
        "aux": {"has": ("will", "is"), "have": ("will", "are"), "had": ("has", "will"), "is": ("will", "has"),
                "was": ("is", "has"), "will": ("has", "is"), "would": ("will",), "did": ("does",),
                "been": ("be",), "were": ("are",)},
        "agreement": {"were": ("was",), "was": ("were",), "are": ("is",), "is": ("are",), "have": ("has",),
                      "has": ("have",), "says": ("say",), "do": ("does",), "does": ("do",)},
        "pronoun": {"it": ("she", "he"), "its": ("his", "her")},
        "collocation": {"made": ("did",), "make": ("do",), "makes": ("does",), "take": ("make",),
                        "took": ("made",), "taken": ("made",), "raised": ("rose",), "held": ("made",),
                        "paid": ("gave",), "played": ("made",)},
        "word-pair": {"economic": ("economical",), "historic": ("historical",), "historical": ("historic",),
                      "effective": ("efficient",), "political": ("politic",), "electric": ("electrical",),
                      "current": ("actual",), "possible": ("eventual",), "sensitive": ("sensible",)},
        # Verbs of stance and support collocations, each with a verb of another of its senses
        # (the one a dictionary gives first for the source's verb), wrong before an object.
        "verb-choice": {"expressed": ("pronounced",), "express": ("pronounce",), "expresses": ("pronounces",),
                        "voiced": ("sounded",), "voice": ("sound",), "showed": ("pointed",), "show": ("point",),
                        "shows": ("points",), "raised": ("lifted",), "raise": ("lift",), "raises": ("lifts",),
                        "took": ("grabbed",), "take": ("grab",), "takes": ("grabs",), "taken": ("grabbed",),
                        "posed": ("put",), "pose": ("put",), "poses": ("puts",), "drew": ("pulled",),
                        "draw": ("pull",), "draws": ("pulls",)},
    },
    "de": {
        "aux": {"hat": ("ist", "wird"), "ist": ("hat", "wird"), "haben": ("sind", "werden"),
                "sind": ("haben", "werden"), "wurde": ("hat",), "wird": ("hat", "ist"), "hatte": ("war",),
                "war": ("hatte",)},
        "agreement": {"ist": ("sind",), "sind": ("ist",), "hat": ("haben",), "haben": ("hat",),
                      "war": ("waren",), "waren": ("war",), "wird": ("werden",), "werden": ("wird",)},
        "pronoun": {"sie": ("er",), "ihre": ("seine",), "ihr": ("sein",), "ihren": ("seinen",)},
        "article": {"der": ("den", "die"), "den": ("dem", "der"), "dem": ("den", "der"), "die": ("der", "das"),
                    "das": ("der", "die"), "des": ("der", "dem"), "einen": ("einem", "ein"), "einem": ("einen",),
                    "eine": ("einen", "ein"), "einer": ("eine",)},
        "collocation": {"getroffen": ("gemacht",), "gestellt": ("gemacht",), "genommen": ("gemacht",),
                        "geführt": ("gemacht",)},
    },
    "fr": {
        "aux": {"a": ("est",), "ont": ("sont",), "est": ("a",), "sont": ("ont",)},
        "agreement": {"est": ("sont",), "sont": ("est",), "a": ("ont",), "ont": ("a",), "était": ("étaient",),
                      "étaient": ("était",), "peut": ("peuvent",), "doit": ("doivent",)},
        "pronoun": {"elle": ("il",), "elles": ("ils",)},
        "article": {"le": ("la",), "la": ("le",), "les": ("le", "la"), "un": ("une",), "une": ("un",),
                    "du": ("de la",), "des": ("les",)},
        "collocation": {"pris": ("fait",), "prendre": ("faire",), "prend": ("fait",), "fait": ("pris",)},
    },
}
PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "en": ("of", "in", "on", "at", "to", "for", "with", "from", "by", "about"),
    "de": ("in", "an", "auf", "zu", "mit", "von", "für", "bei", "nach", "aus", "über"),
    "fr": ("à", "de", "en", "dans", "sur", "pour", "par", "avec"),
}
ARTICLES = {"en": ("the", "a", "an"), "de": ("der", "die", "das", "den", "dem", "ein", "eine"),
            "fr": ("le", "la", "les", "un", "une")}
DROPPABLE = {"en": ("to",), "de": ("zu",), "fr": ("de", "d'")}
INSTITUTIONS = re.compile(
    r"\b(company|government|ministry|agency|party|council|committee|court|police|bank|airline|union|association|"
    r"commission|club|team|firm|group|organisation|organization|department|administration|authority|"
    r"Regierung|Partei|Firma|Kommission|Polizei|Behörde|Bank|Gewerkschaft|Organisation|"
    r"entreprise|commission|société|banque|police|cour|organisation|association)\b",
    re.IGNORECASE,
)
KINDS = ("aux", "agreement", "pronoun", "preposition", "article", "function-word", "collocation", "word-pair",
         "verb-choice")
# What may follow a verb-choice site: an object (an article, a possessive, a word in lower case).
OBJECT_AFTER = re.compile(r" (?:the|a|an|its|their|his|her|our|no|new|[a-z]{4,})\b")


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


def _usable(text: str, span: tuple[int, int], position: int) -> bool:
    word = text[span[0] : span[1]]
    return position > 0 and word.islower() and not any(ch.isdigit() for ch in word)


def _replace(text: str, span: tuple[int, int], new: str, kind: str) -> Injected:
    start, end = span
    return Injected(text[:start] + new + text[end:], text, start, start + len(new), kind)


def inject(text: str, kind: str, language: str, rng: random.Random) -> Injected | None:
    """One error of `kind` in `text`, or None where the sentence offers no site."""
    words = _words(text)
    sites = [(k, span) for k, span in enumerate(words) if _usable(text, span, k)]
    rng.shuffle(sites)
    swaps = SWAPS.get(language, {}).get(kind)
    if kind == "article" and language == "en":
        swaps = None  # English MT drops articles; German and French confuse their forms
    for k, span in sites:
        word = text[span[0] : span[1]]
        if swaps is not None:
            if kind == "verb-choice" and not OBJECT_AFTER.match(text, span[1]):
                continue
            if word in swaps and not (kind == "pronoun" and not INSTITUTIONS.search(text[: span[0]])):
                return _replace(text, span, rng.choice(swaps[word]), kind)
        elif kind == "preposition":
            options = PREPOSITIONS.get(language, ())
            if word in options and k + 1 < len(words):
                return _replace(text, span, rng.choice([p for p in options if p != word]), kind)
        elif kind in ("article", "function-word"):
            droppable = ARTICLES if kind == "article" else DROPPABLE
            if word in droppable.get(language, ()) and text[span[1] : span[1] + 1] == " ":
                return Injected(text[: span[0]] + text[span[1] + 1 :], text, span[0], span[0], kind)
    return None


def target_words(injected: Injected) -> tuple[int, int]:
    """The span a finding must touch to count: the damaged word, or for a
    deletion the words on both sides of the gap."""
    text, start, end = injected.text, injected.start, injected.end
    if start == end:
        lo = start - 1
        while lo > 0 and text[lo - 1] != " ":
            lo -= 1
        hi = start
        while hi < len(text) and text[hi] not in " ,.;:!?":
            hi += 1
        return max(0, lo), hi
    return start, end
