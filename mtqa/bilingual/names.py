"""Names a translation keeps: the proper nouns of a text written in Latin
letters, read where they can be told from other words.

A name is a word that starts with a capital inside a sentence (not its first
word, not after a colon, a list number or an opening quote, not in a line
whose words are mostly capitalised, a headline), is not written in lower case
elsewhere in the text, and is not a word every text of the language
capitalises: days, months, and the countries, languages and cities that
Babel's locale data names in the text's language or in English (`Praha` and
`Prague`, `Moskau` and `Moscow`, `Deutschland` and `Germany` are exonyms, not
changed names). German capitalises every noun, so no name is read from
German text. Acronyms are left out: languages translate them (`EU` is `UE`
in French, `NATO` is `OTAN`).

Names are compared loosely: by their first three letters without accents,
so that an inflected name (`Babiše`, `Petrem`, `Camilla`) is the name
(`Babiš`, `Peter`, `Camille`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mtqa.languages import rule_language
from mtqa.spans import SpanReach

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may stand between a sentence's end and its first word.
_OPENING = re.compile(r"[\s\"'“”„«»‘’()\[\]*•–—>|#-]*$")
_LIST_NUMBER = re.compile(r"(?:^|\n)\s*\(?\d{1,3}[.)]\s*$")  # `(2) The offender`, `3. If`
_OPENING_QUOTE = re.compile("[\"“„«‘‚「『]")
_SENTENCE_END = ".!?:;…\n"
NOUN_CAPITALISING = {"de", "lb"}
# Letters two forms of a name must share to be one name: declension changes
# more than the ending (`Petr`, `Petrem`, `Peter`; `Hall`, `Hallem`).
STEM_LETTERS = 3
LOOK_BEHIND = 80  # characters read before a word to tell whether a sentence begins with it
# Capitalised words that are no names in the languages read here: forms of
# address, and the titles English capitalises before a name (`Prime
# Minister Andrej Babiš`), which other languages write in lower case.
_NOT_NAMES = {"i", "mr", "mrs", "ms", "dr", "prof", "st", "sir", "madam", "mme", "mlle", "pan", "paní",
              "prime", "minister", "president", "secretary", "general", "chancellor", "king", "queen", "prince",
              "princess", "pope", "mayor", "governor", "senator", "duke", "duchess", "lord", "lady", "chief",
              "deputy", "foreign", "interior", "defence", "defense", "justice", "health", "finance"}


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    stem: str  # how it is compared (stem)


def stem(word: str) -> str:
    """How names are compared: the first STEM_LETTERS letters, accents and case dropped."""
    return _plain(word)[:STEM_LETTERS]


def readable(language: str | None) -> bool:
    """Whether names can be read from text of this language (Latin letters,
    only names capitalised)."""
    base = rule_language(language) or ""
    return bool(base) and base not in NOUN_CAPITALISING and base in _LATIN_SCRIPT


# Languages written in Latin letters that capitalise names only.
_LATIN_SCRIPT = {"en", "fr", "cs", "hr", "sk", "sl", "pl", "es", "it", "pt", "nl", "ro", "sv", "da", "no", "nb",
                 "fi", "et", "lv", "lt", "hu", "tr", "ca", "sr-latn", "bs", "is", "ga", "cy", "eu", "gl", "id",
                 "ms", "vi", "sq", "mt", "af", "sw", "ha", "yo", "tl"}


def names(text: str, language: str | None, *, anywhere: bool = False) -> list[Name]:
    """The names of a text, in order (none where `readable` says no); with
    `anywhere`, also capitalised words a sentence or a headline begins with
    (a name there cannot be told from another word, but it can be missed)."""
    if not readable(language):
        return []
    words = [(match.start(), match.group()) for match in _WORD.finditer(text)]
    lower = {word.casefold() for _, word in words if word[0].islower()}
    language_base = rule_language(language) or ""
    headlines = SpanReach(_title_case_lines(text))  # asked per word, answered in log time
    found = []
    for start, word in words:
        if not word[0].isupper() or len(word) < 3 or word.isupper() or not _latin(word):
            continue  # acronyms (`EU`, `NATO`) are translated; short words are initials
        folded = word.casefold()
        if folded in lower or folded in _NOT_NAMES or _is_common(word, language_base):
            continue
        if anywhere:
            found.append(Name(start, start + len(word), word, stem(word)))
            continue
        if headlines.covers(start, start + 1):
            continue  # `Support for China, Then Backed Off`: a headline capitalises every word
        before = text[max(0, start - LOOK_BEHIND):start]  # a window: the whole text before each word is quadratic
        opening = _OPENING.search(before)
        head = before[: opening.start()] if opening else before
        if not head or head[-1] in _SENTENCE_END or "\n" in before[len(head):] or _LIST_NUMBER.search(before):
            continue  # a sentence's first word is capitalised whatever it is
        if _OPENING_QUOTE.search(before, len(head)):
            continue  # a quoted title or label (`Klikněte na „Uložit“`) is capitalised too
        found.append(Name(start, start + len(word), word, stem(word)))
    return found


_NEIGHBOUR_BEFORE = re.compile(r"([^\W\d_]+) $")
_NEIGHBOUR_AFTER = re.compile(r" ([^\W\d_]+)")


def in_a_translated_phrase(text: str, name: Name, other_stems: set[str]) -> bool:
    """Whether a name stands beside another capitalised word and neither is
    in the other text: a phrase translated word by word (`White House`,
    `Bijela kuća`; `Supreme Court`), not a person's or a place's name."""
    neighbours = []
    before = _NEIGHBOUR_BEFORE.search(text, max(0, name.start - 40), name.start)
    after = _NEIGHBOUR_AFTER.match(text, name.end)
    for match in (before, after):
        if match and match.group(1)[0].isupper():
            neighbours.append(match.group(1))
    return bool(neighbours) and all(stem(word) not in other_stems for word in neighbours)


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in title case, as English headlines are: two or more
    words that are lower case in running text capitalised (`Over`, `Then`)."""
    found = []
    for line in re.finditer(r"[^\n]+", text):
        words = _WORD.findall(line.group())
        if sum(word in _TITLE_CASED for word in words[1:]) >= 2:
            found.append(line.span())
    return found


_TITLE_CASED = {"The", "And", "Of", "For", "With", "From", "Over", "After", "About", "Into", "Than", "That",
                "This", "Then", "Will", "Have", "Has", "Says", "Said", "Are", "Was", "Were", "Not", "But", "Out",
                "Off", "Back", "New", "How", "Why", "What", "Who", "When", "Your", "Its", "Their", "More"}


def same_word(one: str, other: str) -> bool:
    """Whether two capitalised words are one name or one word translated by
    its cognate (`Muzeum` and `Museum`, `Fotbalové` and `Football`, `Plzně`
    and `Pilsen`): their spellings, made alike, mostly agree."""
    a, b = _spelling(one), _spelling(other)
    return difflib.SequenceMatcher(None, a, b).ratio() >= COGNATE_RATIO


COGNATE_RATIO = 0.6
_SPELLINGS = (("ph", "f"), ("ck", "k"), ("c", "k"), ("w", "v"), ("y", "i"), ("z", "s"), ("j", "i"))


def _spelling(word: str) -> str:
    plain = _plain(word)
    for written, said in _SPELLINGS:
        plain = plain.replace(written, said)
    return re.sub(r"(.)\1", r"\1", plain)  # double letters as one


def _latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(ch, "") for ch in word if ch.isalpha())


@lru_cache(maxsize=1 << 14)
def _is_common(word: str, language: str) -> bool:
    """Whether a capitalised word is one of the words the language (or
    English) capitalises that are no names here, or a declined form of one:
    the same first four letters and about its length (`Londýně`,
    `Londýn`), or nearly the same spelling (`Kinu`, `Kina`)."""
    plain = _plain(word)
    for common in _common_words(language).get(plain[:2], ()):
        if abs(len(common) - len(plain)) > 2:
            continue
        if (len(common) >= 5 and len(plain) >= len(common) - 1 and plain[:4] == common[:4]) or \
                difflib.SequenceMatcher(None, plain, common).ratio() >= 0.8:
            return True
    return False


def _plain(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().casefold()


@lru_cache(maxsize=None)
def _common_words(language: str) -> dict[str, tuple[str, ...]]:
    """The words a language capitalises that are no names here, without
    accents and case, by their first two letters: Babel's days, months,
    territories, languages and time-zone cities (Babel names a city where
    the language's name differs from the English one), in the language and
    in English."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        return {}
    texts: list[str] = []
    for code in {language, "en"}:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        for context in ("format", "stand-alone"):
            texts += locale.days.get(context, {}).get("wide", {}).values()
            texts += locale.months.get(context, {}).get("wide", {}).values()
        texts += locale.territories.values()
        texts += locale.languages.values()
        for names_of_zone in locale.time_zones.values():
            city = names_of_zone.get("city")
            if city and len(_WORD.findall(city)) == 1:  # `St. John’s` would make `John` a city
                texts.append(city)
    try:
        import zoneinfo

        zones = zoneinfo.available_timezones()
    except (ImportError, OSError):
        zones = set()
    # English city names are the time zones' (`Europe/Prague`), one word only
    # (`America/St_Johns` would make `John` a city).
    texts += [zone.rsplit("/", 1)[-1] for zone in zones if "_" not in zone.rsplit("/", 1)[-1]]
    buckets: dict[str, set[str]] = {}
    for text in texts:
        for word in _WORD.findall(str(text)):
            if len(word) >= 4 and word[0].isupper():
                plain = _plain(word)
                buckets.setdefault(plain[:2], set()).add(plain)
    return {first: tuple(sorted(words)) for first, words in buckets.items()}


__all__ = ["Name", "in_a_translated_phrase", "names", "readable", "same_word", "stem"]
