"""The edit grammar of weak MT: which small edits to consider at every word.

The sweep (mtqa/fluency/sweep.py) looks at every word of every sentence, not
only at the most surprising one. For each word it asks this module for the
edits a post-editor makes to MT at that spot, by error kind:

- `aux`: another auxiliary or modal (`will no intention` -> `has`);
- `agreement`: the other number of an auxiliary or irregular verb (`homes
  was` -> `were`, `they has` -> `have`);
- `number`: an English word's other number by its -s ending (`the agency
  say` -> `says`, `rubbing alcohols`): a noun's number is often a choice, not
  an error, so it has a margin of its own (off in English today);
- `pronoun`: `she`/`he` for an institution -> `it`, `his`/`her` -> `its`;
- `preposition`: another preposition (`depends from` -> `on`, `able for`);
- `article`: another article or case form (`der Plan` -> `den`, `sa plan`),
  a dropped one (`the inflation rose`), or a missing one before a noun;
- `function-word`: a missing `to` / `zu` / `de`, or an extra function word;
- `word-pair`: the wrong word of a confusable pair (`economical` for
  `economic`);
- `collocation`: another support verb in the same form (`did a decision` ->
  `made`, `make part in` -> `take`): MT picks the verb a source language
  pairs with the noun.

Every edit is a substitution, deletion or insertion at one word: the sweep
judges all of them from the scores of one forward pass (the model's
expectation of the first new token) and rescoring only the few the model
clearly prefers. Names and numbers are never edited.
"""

from __future__ import annotations

from mtqa.fluency.candidates import FUNCTION_WORDS, SentenceEdit, base_language, is_protected, match_case

# Classes whose members MT confuses with each other, per language. A word's
# substitutes are the other members of its classes (kinds as in the module doc).
SUBSTITUTES: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "en": {
        "aux": (("has", "have", "had", "will", "would", "is", "are", "was", "were", "does", "do", "did",
                 "can", "could"),
                ("don't", "doesn't", "didn't", "won't"), ("isn't", "aren't", "wasn't", "weren't"),
                ("hasn't", "haven't", "hadn't"), ("be", "been", "being")),
        "pronoun": (("it", "he", "she", "they"), ("its", "his", "her", "their"), ("it", "him", "her", "them")),
        "preposition": (FUNCTION_WORDS["en"]["preposition"],),
        "article": (("the", "a", "an"),),
        # Support verbs by form: base, -s, past, past participle, -ing.
        "collocation": tuple(zip(*(("make", "makes", "made", "made", "making"),
                                   ("do", "does", "did", "done", "doing"),
                                   ("take", "takes", "took", "taken", "taking"),
                                   ("give", "gives", "gave", "given", "giving"),
                                   ("hold", "holds", "held", "held", "holding"),
                                   ("pay", "pays", "paid", "paid", "paying"),
                                   ("play", "plays", "played", "played", "playing"),
                                   ("raise", "raises", "raised", "raised", "raising"),
                                   ("keep", "keeps", "kept", "kept", "keeping"),
                                   ("put", "puts", "put", "put", "putting")))),
    },
    "de": {
        "aux": (("ist", "hat", "wird"), ("sind", "haben", "werden"), ("war", "hatte", "wurde"),
                ("waren", "hatten", "wurden")),
        "agreement": (("ist", "sind"), ("hat", "haben"), ("war", "waren"), ("wird", "werden"),
                      ("hatte", "hatten"), ("wurde", "wurden"), ("kann", "können"), ("muss", "müssen")),
        "article": (("der", "die", "das", "den", "dem", "des"), ("ein", "eine", "einen", "einem", "einer", "eines"),
                    ("kein", "keine", "keinen", "keinem", "keiner", "keines")),
        "preposition": (("in", "an", "auf", "zu", "mit", "von", "für", "bei", "nach", "aus", "über", "gegen"),
                        ("im", "am", "zum", "vom", "beim"), ("zur", "zum")),
        "pronoun": (("er", "sie", "es"), ("sein", "ihr"), ("seine", "ihre"), ("seinen", "ihren"),
                    ("seinem", "ihrem"), ("seiner", "ihrer")),
    },
    "fr": {
        "aux": (("a", "est"), ("ont", "sont"), ("avait", "était"), ("avaient", "étaient")),
        "agreement": (("est", "sont"), ("a", "ont"), ("était", "étaient"), ("avait", "avaient"),
                      ("sera", "seront"), ("peut", "peuvent"), ("doit", "doivent")),
        "article": (("le", "la", "les", "un", "une", "des"), ("du", "de", "des"), ("au", "aux", "à")),
        "preposition": (("à", "de", "en", "dans", "sur", "pour", "par", "avec", "contre", "sans", "chez", "vers"),),
        "pronoun": (("il", "elle"), ("ils", "elles"), ("son", "sa", "ses", "leur")),
    },
}
# English agreement: these irregular pairs (`agreement`); any other word's
# other number is made by its -s ending (`number`; the model rejects non-words).
EN_AGREEMENT = (("is", "are"), ("was", "were"), ("has", "have"), ("does", "do"), ("isn't", "aren't"),
                ("wasn't", "weren't"), ("hasn't", "haven't"), ("doesn't", "don't"))
# Words with an -s ending (or none) that no verb or noun shares with a
# number partner: stripping or adding the -s makes another word (`theirs` ->
# `their`, `always` -> `alway`) or a non-word, and costs a verification each.
EN_NO_NUMBER = frozenset({
    "hers", "ours", "yours", "theirs", "this", "thus", "always", "perhaps", "news", "series", "species",
    "sometimes", "towards", "afterwards", "besides", "whereas", "nevertheless", "politics", "economics",
    "whose", "those", "these", "themselves", "ourselves", "yourselves", "itself", "himself", "herself",
})
# Function words that MT inserts where none belongs, or leaves out, per language.
DELETABLE: dict[str, frozenset[str]] = {
    "en": frozenset({"the", "a", "an", "of", "to", "for", "in", "on", "at", "by", "with", "from", "that", "it"}),
    "de": frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "zu", "es", "sich", "von"}),
    "fr": frozenset({"le", "la", "les", "un", "une", "de", "des", "du", "à", "en", "y"}),
}
INSERTABLE: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "an", "to", "of", "has", "have", "is", "be"),
    "de": ("die", "der", "das", "den", "zu", "sich", "es"),
    "fr": ("le", "la", "les", "de", "à", "que", "se"),
}
# Articles that a name may need (`the U.S. consulate`, `the Capitol`): the only
# edits tried before a name, which is itself never edited.
NAME_ARTICLES: dict[str, tuple[str, ...]] = {"en": ("the",)}
# `an` goes before a vowel sound: trying it before `said` costs a verification for nothing.
EN_VOWEL_LETTERS = frozenset("aeiouhAEIOUH")
# Confusable word pairs (each direction) that MT systems mix up.
WORD_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("economic", "economical"), ("historic", "historical"), ("classic", "classical"),
           ("electric", "electrical"), ("politic", "political"), ("effective", "efficient"),
           ("sensible", "sensitive"), ("actual", "current"), ("eventual", "possible")),
}


def _english_agreement(word: str) -> list[tuple[str, str]]:
    """(other number, kind) of an English word: the irregular pairs are
    `agreement`, the -s ending `number` (verbs and nouns alike: the spelling
    cannot tell them apart)."""
    lowered = word.lower()
    for a, b in EN_AGREEMENT:
        if lowered == a:
            return [(b, "agreement")]
        if lowered == b:
            return [(a, "agreement")]
    other = _other_number(lowered)
    return [(other, "number")] if other else []


def _other_number(lowered: str) -> str | None:
    """The word with its -s ending added or taken off; None for words
    without a number partner."""
    if not lowered.isalpha() or len(lowered) < 4 or lowered in EN_NO_NUMBER or lowered.endswith("ly"):
        return None
    if any(lowered in words for words in FUNCTION_WORDS["en"].values()):
        return None  # function words have their own classes above
    if lowered.endswith("ies") and len(lowered) > 4:
        return lowered[:-3] + "y"
    if lowered.endswith(("ches", "shes", "sses", "xes")):
        return lowered[:-2]
    if lowered.endswith("s") and not lowered.endswith(("ss", "us", "is")):
        return lowered[:-1]
    return lowered + "s"


def substitutions(word: str, language: str | None) -> list[tuple[str, str]]:
    """(replacement, kind) for one word, its own case kept."""
    base = base_language(language)
    lowered = word.lower()
    found: dict[str, str] = {}
    if base == "en":
        for other, kind in _english_agreement(word):
            found.setdefault(other, kind)
    for kind, classes in SUBSTITUTES.get(base, {}).items():
        for members in classes:
            if lowered in members:
                for other in members:
                    if other != lowered:
                        found.setdefault(other, kind)
    for a, b in WORD_PAIRS.get(base, ()):
        if lowered == a:
            found.setdefault(b, "word-pair")
        elif lowered == b:
            found.setdefault(a, "word-pair")
    return [(match_case(other, word), kind) for other, kind in found.items()]


def edits_at(sentence: str, words: list[tuple[int, int]], index: int, language: str | None) -> list[SentenceEdit]:
    """The grammar's edits at words[index]: substitutions of the word, its
    deletion, and insertions before it. `SentenceEdit.kind` names the error kind."""
    base = base_language(language)
    start, end = words[index]
    word = sentence[start:end]
    space_before = start > 0 and sentence[start - 1] == " "
    previous = sentence[words[index - 1][0] : words[index - 1][1]].lower() if index > 0 else ""
    if is_protected(word):
        if not (space_before and word[:1].isalpha() and previous.isalpha()):
            return []
        if previous in FUNCTION_WORDS.get(base, {}).get("article", ()):
            return []
        return [SentenceEdit(start, start, article + " ", kind="insert") for article in NAME_ARTICLES.get(base, ())]
    if not word.isalpha() and "'" not in word:
        return []
    edits: list[SentenceEdit] = []
    for replacement, kind in substitutions(word, language):
        edits.append(SentenceEdit(start, end, replacement, kind=kind))
    lowered = word.lower()
    if lowered in DELETABLE.get(base, ()) and index + 1 < len(words):
        space_after = end < len(sentence) and sentence[end] == " "
        edits.append(SentenceEdit(start, end + 1 if space_after else end, "", kind="delete"))
    if space_before:
        for inserted in INSERTABLE.get(base, ()):
            if inserted == "an" and word[:1] not in EN_VOWEL_LETTERS:
                continue
            if inserted != lowered and inserted != previous:
                edits.append(SentenceEdit(start, start, inserted + " ", kind="insert"))
    return edits


def error_kind(edit: SentenceEdit, sentence: str, language: str | None) -> str:
    """The error kind an edit repairs, for findings and the recall bench: an
    inserted or deleted article is an `article` error, any other inserted or
    deleted word a `function-word` one."""
    if edit.kind not in ("insert", "delete"):
        return edit.kind
    word = (edit.replacement if edit.kind == "insert" else sentence[edit.start : edit.end]).strip().lower()
    articles = SUBSTITUTES.get(base_language(language), {}).get("article", ())
    return "article" if any(word in members for members in articles) else "function-word"


__all__ = ["edits_at", "error_kind", "substitutions"]
