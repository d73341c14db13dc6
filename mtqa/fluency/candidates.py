"""Rewrite candidates for a flagged word: small edits a post-editor would make.

MT disfluencies are mostly wrong function words (`will no desire` for `has no
desire`), a missing or extra article or preposition, a wrong verb form, or a
wrong collocate. Candidates are therefore the smallest edits around the flagged
word: substitute, insert or delete a function word, change a verb form, or take
what the model itself predicted at that position. Names and numbers are never
edited; the caller ranks candidates by whole-sentence log-probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtqa.languages import rule_language

# Closed word classes per language. An MT system confuses words within a
# class (and auxiliaries across tense/modality), so each word's alternatives
# are the other members of its classes.
FUNCTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "aux": ("is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would",
                "can", "could", "should", "must", "may", "might", "does", "do", "did"),
        "article": ("the", "a", "an"),
        "preposition": ("of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "into",
                        "over", "against", "under", "after", "before", "during", "between"),
        "pronoun": ("it", "its", "they", "their", "he", "his", "she", "her", "this", "that", "these", "those"),
        "conjunction": ("and", "or", "but", "that", "which", "who", "as", "than"),
        "negation": ("not", "no"),
    },
    "de": {
        "aux": ("ist", "sind", "war", "waren", "hat", "haben", "hatte", "hatten", "wird", "werden",
                "wurde", "wurden", "kann", "können", "soll", "sollen", "muss", "müssen"),
        "article": ("der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"),
        "preposition": ("in", "im", "an", "am", "auf", "zu", "zum", "zur", "mit", "von", "vom", "für", "bei",
                        "nach", "aus", "über", "gegen"),
        "negation": ("nicht", "kein", "keine", "keinen"),
    },
    "fr": {
        "aux": ("est", "sont", "était", "étaient", "a", "ont", "avait", "avaient", "sera", "seront",
                "peut", "peuvent", "doit", "doivent"),
        "article": ("le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'"),
        "preposition": ("à", "au", "aux", "de", "en", "dans", "sur", "pour", "par", "avec", "contre", "sans"),
        "negation": ("ne", "pas", "n'"),
    },
}
# Words worth trying as an insertion before a flagged word when the model's own
# guesses are not at hand (short closed list).
INSERTIONS: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "to", "of", "has", "have", "is", "are", "be", "that", "not"),
    "de": ("die", "der", "das", "zu", "nicht", "sich"),
    "fr": ("le", "la", "les", "de", "à", "que", "pas"),
}


# Support verbs: a noun that reads oddly after its verb (`withdraw its
# dissatisfaction`) is most often a wrong collocate, and the right one is
# usually one of a few light verbs. Forms: base, 3rd person -s, past.
SUPPORT_VERBS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "en": (("express", "expresses", "expressed"), ("voice", "voices", "voiced"), ("show", "shows", "showed"),
           ("raise", "raises", "raised"), ("make", "makes", "made"), ("take", "takes", "took"),
           ("give", "gives", "gave")),  # not `have`: `stared` -> `had` reads well to the model, and says nothing
    "de": (("äußern", "äußert", "äußerte"), ("zeigen", "zeigt", "zeigte"), ("machen", "macht", "machte"),
           ("nehmen", "nimmt", "nahm"), ("geben", "gibt", "gab")),
    "fr": (("exprimer", "exprime", "exprimait"), ("montrer", "montre", "montrait"), ("faire", "fait", "faisait"),
           ("prendre", "prend", "prenait"), ("donner", "donne", "donnait")),
}
# Auxiliaries by tense: English, German and French (French `a` is left out:
# it is also the English article).
PAST = {"was", "were", "had", "did", "would", "could", "might", "should",
        "war", "waren", "hatte", "hatten", "wurde", "wurden", "était", "étaient", "avait", "avaient"}
PRESENT = {"is", "are", "am", "has", "have", "does", "do", "will", "can", "shall", "may", "must",
           "ist", "sind", "hat", "haben", "wird", "werden", "est", "sont", "ont"}


def tense(word: str) -> str | None:
    """Coarse tense of a verb form (English forms, de/fr auxiliaries), for
    preferring tense-keeping fixes."""
    lowered = word.lower()
    if lowered in PAST or (lowered.endswith("ed") and len(lowered) > 4):
        return "past"
    if lowered in PRESENT:
        return "present"
    return None


@dataclass(frozen=True, order=True)
class SentenceEdit:
    """Replace sentence[start:end] with `replacement` (insertions have start == end)."""

    start: int
    end: int
    replacement: str
    kind: str = "substitute"  # substitute | insert | delete | model | verb-form
    content: bool = False  # changes a meaning-bearing word: needs a larger model margin

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]


def classes_of(word: str, language: str | None) -> list[tuple[str, ...]]:
    table = FUNCTION_WORDS.get(base_language(language), {})
    lowered = word.lower()
    return [members for members in table.values() if lowered in members]


def is_function_word(word: str, language: str | None) -> bool:
    return bool(classes_of(word, language))


def is_protected(word: str) -> bool:
    """Names, acronyms and numbers: never rewritten."""
    return any(ch.isdigit() for ch in word) or word[:1].isupper()


def verb_forms(word: str, language: str | None) -> list[str]:
    """Regular English inflections of a word (the model rejects non-words)."""
    if base_language(language) != "en" or not word.isalpha() or len(word) < 3 or not word.islower():
        return []
    stems = {word}
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            stems.update({stem, stem + "e"})
    forms: set[str] = set()
    for stem in stems:
        forms.update({stem, stem + "s", stem + "ed", stem + "ing"})
        if stem.endswith("e"):
            forms.update({stem + "d", stem[:-1] + "ing"})
    forms.discard(word)
    return sorted(forms)


_WORDLIKE = re.compile(r"^\w+(?:[-'’]\w+)*$", re.UNICODE)


def generate(
    sentence: str,
    words: list[tuple[int, int]],
    index: int,
    language: str | None,
    predicted: dict[int, list[str]] | None = None,
) -> list[SentenceEdit]:
    """Candidate edits around words[index] (and the word before it).

    `predicted[i]` holds the model's top next-word guesses at word i's position;
    they enter as substitutes for function words and as insertions.
    """
    predicted = predicted or {}
    edits: set[SentenceEdit] = set()
    for position in sorted(set(predicted) | {index - 1, index}):
        if position < 0 or position > index:
            continue
        start, end = words[position]
        word = sentence[start:end]
        if is_protected(word):
            continue
        function = is_function_word(word, language)
        negation = word.lower() in FUNCTION_WORDS.get(base_language(language), {}).get("negation", ())
        for members in classes_of(word, language):
            for other in members:
                if other != word.lower():
                    edits.add(SentenceEdit(start, end, match_case(other, word)))
        if position < index - 1:
            # The head of the phrase before a flagged word (`will` in `will no
            # plans`, `withdraw` in `withdraw its dissatisfaction`): its
            # class mates (above) or, for a verb, the usual support verbs.
            if not function and word.isalpha():
                for form in _support_forms(word, language):
                    edits.add(SentenceEdit(start, end, form, kind="collocation", content=True))
            continue
        if function and not negation:  # a negation is meaning: never dropped
            edits.add(_deletion(sentence, start, end))
        elif _inflected(word, sentence, start, language):
            for form in verb_forms(word, language):
                edits.add(SentenceEdit(start, end, form, kind="verb-form"))
            # A verb of the wrong sense right before its object, or itself the
            # surprise (`lifted concerns`, `grabbed steps`): the support verbs.
            for form in _support_forms(word, language):
                edits.add(SentenceEdit(start, end, form, kind="collocation", content=True))
        for guess in predicted.get(position, []):
            # The model's guesses enter only as function words: a guessed
            # content word would change what the sentence says.
            if not _WORDLIKE.match(guess) or guess.lower() == word.lower() or not is_function_word(guess, language):
                continue
            if function and not negation:
                edits.add(SentenceEdit(start, end, match_case(guess, word), kind="model"))
            edits.add(SentenceEdit(start, start, guess + " ", kind="insert"))
        if position not in predicted:
            # Without the model's guesses, try the usual missing words. With
            # them, the guesses are the insertions: far fewer to rescore.
            for inserted in INSERTIONS.get(base_language(language), ()):
                edits.add(SentenceEdit(start, start, inserted + " ", kind="insert"))
    return sorted(edits)


def _inflected(word: str, sentence: str, start: int, language: str | None) -> bool:
    """Worth trying other verb forms: the word looks inflected, or follows an
    auxiliary or `to` (English only; other languages get no verb forms)."""
    if base_language(language) != "en" or not word.islower():
        return False
    if word.endswith(("ed", "ing", "s")):
        return True
    previous = sentence[:start].split()[-1:] or [""]
    return previous[0].lower() in FUNCTION_WORDS["en"]["aux"] or previous[0].lower() == "to"


def _support_forms(word: str, language: str | None) -> list[str]:
    """Support verbs in the same form slot as `word` (base, -s, past)."""
    lowered = word.lower()
    slot = 0
    if base_language(language) == "en":
        slot = 2 if lowered.endswith("ed") else 1 if lowered.endswith("s") and not lowered.endswith("ss") else 0
    forms = [verbs[slot] for verbs in SUPPORT_VERBS.get(base_language(language), ())]
    return [f for f in forms if f != lowered]


def _deletion(sentence: str, start: int, end: int) -> SentenceEdit:
    """Delete a word with one of its neighbouring spaces."""
    if end < len(sentence) and sentence[end] == " ":
        return SentenceEdit(start, end + 1, "", kind="delete")
    if start > 0 and sentence[start - 1] == " ":
        return SentenceEdit(start - 1, end, "", kind="delete")
    return SentenceEdit(start, end, "", kind="delete")


def match_case(word: str, model: str) -> str:
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def base_language(language: str | None) -> str:
    return rule_language(language) or "en"
