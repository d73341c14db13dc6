"""Repeated words and MT loops.

Neural MT sometimes emits a word twice (`the the`) or falls into a loop
(`of the of the of the`, `prayer prayer prayer …`); the fix keeps one copy.
Many doubles are correct, though: `had had` and `that that` in English,
`die die` and `Sie sie` in German, `nous nous` in French, `se se` in Czech,
reduplicated names (`Bora Bora`, `Lang Lang`), interjections (`bla bla`,
`no no`), intensifiers (`very very`), and whole languages where reduplication
is grammar (Hindi `धीरे धीरे`, Hebrew `לאט לאט`, Hausa `daban daban`). So the
rule is language-aware: allowlists per language, capitalised pairs taken as
names, and in reduplicating languages only function words are checked.

Only words separated by spaces count: punctuation between them (`no, no`) or a
line break means the writer meant it. Text without spaces (Chinese, Japanese)
gets a separate character-level loop check, since `谢谢` and `看看` are words.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache
from typing import Iterator, NamedTuple

from mtqa.findings import Finding, TextUnit
from mtqa.rules import SAFE, CheckContext, Example, define_rule, make_finding, register_check

define_rule(
    "repetition.doubled-word",
    category="Fluency/Grammar",
    severity="major",
    description="A word written twice in a row (the the, of of); the second copy is deleted.",
    why="A doubled word is the commonest slip MT and editing leave; readers notice it at once.",
    fix=SAFE,
    examples=[
        Example("He went to the the market.", "He went to the market."),
        Example("The talks of of the envoys ended.", "The talks of the envoys ended."),
    ],
    clean=[
        Example("She had had enough of it."),  # grammar doubles some words
        Example("Nous nous sommes trompés.", lang="fr"),
        Example("Ha ha, said the mayor."),
    ],
)
define_rule(
    "repetition.loop",
    category="Accuracy/Addition",
    severity="major",
    description="An MT loop: a word or phrase repeated (of the of the of the); one copy is kept.",
    why="A decoder that loops repeats a phrase the source says once: text the author never wrote.",
    fix=SAFE,
    examples=[
        Example("The price of the of the of the bread rose.", "The price of the bread rose."),
        Example("I'm holding the line I'm holding the line I'm holding the line now.",
                "I'm holding the line now."),
    ],
    clean=[
        Example("Yes, yes, the plan works."),
        Example("The talks went on and on, and the envoys left."),
    ],
)

# Interjections, onomatopoeia and intensifiers that people double on purpose,
# in any language (compared case-folded).
_UNIVERSAL = set(
    """
    ha haha he hi ho hm hmm mm uh um ah oh eh oi ai ay ey hey wow ooh aah
    bla blah la lala na yes yeah yep ya no nope non nein net nee ne si sí oui ja da
    bye tata night knock tut tsk hush shh boo choo cha chop yum ding dong tick tock
    tic tac toc bang boom pom tam tom dum zoom zum hop hip ole olé go come now there
    well so very really much many more too far long way little bit bon
    sehr viel vielen schnell très tres muy mucho molto velmi moc hodně bardzo
    nagyon dosta jako fait
    да нет ну ой ай ах эх ох так ля тсс бла очень дуже ні ага угу тук бум
    """.split()
)

# Doubles that grammar produces (`had had`, `die die`, `nous nous`), per
# language; interjections above apply everywhere.
_LEGIT: dict[str, set[str]] = {
    # had had; that that; searched for for days; lock in in; what it is is
    "en": {"had", "that", "for", "in", "on", "up", "out", "off", "over", "down", "by", "about", "do", "her"},
    # relative pronoun after article: die die, der der; Haben Sie sie gesehen
    "de": {"die", "der", "das", "den", "dem", "des", "sie", "ihr", "es", "wir"},
    "nl": {"dat", "die", "er"},
    "fr": {"nous", "vous"},
    "es": {"nos"},
    "it": set(),
    "pt": set(),
    # Je to to nejlepší; nebojí se se mnou mluvit; již již (almost)
    "cs": {"se", "to", "již", "ale", "hody"},
    "sk": {"sa", "to", "už"},
    "pl": {"się", "to"},
    # je je (is her), se se, da da
    "hr": {"je", "se", "da"},
    "sr": {"je", "se", "da"},
    "bs": {"je", "se", "da"},
    "sl": {"je", "se", "da"},
    # это это (this is this); чуть чуть, еле еле, едва едва
    "ru": {"это", "чуть", "еле", "едва", "точь", "крест", "волей"},
    "uk": {"це", "ледь", "ледве", "трохи"},
    # á á (on the river), sem sem, það það
    "is": {"á", "sem", "það", "að"},
}

# Doubles that are grammar only after certain words: `what it is is`.
_LEGIT_AFTER: dict[str, dict[str, set[str]]] = {
    "en": {"is": {"it", "this", "that", "what", "which", "thing", "problem", "question"}},
}

# Languages where doubling a word is ordinary grammar (plural, emphasis,
# distributives): only listed function words are checked there.
_REDUPLICATING = {
    "hi", "mr", "ne", "bn", "ur", "pa", "gu", "ta", "te", "kn", "ml", "si", "or", "as",
    "he", "yi", "ar", "fa", "ha", "yo", "sw", "tr", "az", "id", "ms", "tl", "vi", "th",
    "ko", "km", "lo", "my", "jv", "su", "am", "liv", "sah",
}

# Function words that are never doubled on purpose. They are flagged even
# when capitalised (`The the`) and are the only words checked in
# reduplicating languages.
_FUNCTION: dict[str, set[str]] = {
    "en": set("the a an of to and or but is are was were be been will would can could should "
              "with from at as into than then this these those they we he she it its their "
              "his our your you i not has have why when where which who what".split()),
    "de": set("ein eine einen einem einer und oder aber ist sind war waren wird werden hat haben "
              "mit von zu bei aus nach für auf im in am an zum zur nicht auch dass".split()),
    "fr": set("le la les un une des de du et ou mais est sont a ont dans sur pour par avec que qui "
              "ne pas se ce en au aux puis".split()),
    "es": set("el la los las un una unos unas de del y o pero es son en con por para que se no al "
              "lo le les su sus estar".split()),
    "it": set("il lo la i gli le un una di del della e o ma è sono in con per che non si".split()),
    "pt": set("o a os as um uma de do da dos das e ou mas é são em com por para que não se".split()),
    "nl": set("de het een en of maar is zijn was in op met van voor te niet".split()),
    "ru": set("и в во на с со к ко по за из от до у о об не но а что как или было были был была "
              "будет есть".split()),
    "uk": set("і й в у на з із до по за від не але а що як або було були був була буде".split()),
    "cs": set("a v ve na s z do o u k ke že jako nebo ale by je jsou bylo byl".split()),
    "pl": set("i w we na z do o u że jak lub ale jest są było był".split()),
    "hr": set("i u na s sa od do o za ali ili što kao".split()),
    "is": set("og í til um við frá en eða ekki var er".split()),
    "he": set("של על את עם אל כי גם אם או אבל רק עוד".split()),
    "hi": set("का की के को में से है हैं और पर ने था थी थे".split()),
    "tr": set("ve bir bu ile için da de ama".split()),
    "id": set("yang dan di ke dari untuk dengan ini itu".split()),
    "ms": set("yang dan di ke dari untuk dengan ini itu".split()),
}

# `again and again and again`, `step by step by step`: a loop of two words
# whose second one links copies of the first is an idiom.
_LINKERS = set(
    "and or by after to upon for und oder nach für et ou après par y o e tras por "
    "и или за по a i nebo po zu à a en до від".split()
)
# `и там и там` (there as well as there), `ni ... ni`, `either ... either`:
# a correlative conjunction makes two copies a construction.
_CORRELATIVES = set("и ни то или либо і ні чи або i ani buď ni ou soit o ya either neither".split())

_CHUNK = re.compile(r"\S+")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_HYPHENS = {"-", "\u2010", "\u2011"}
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u2009\u202f]+")


class _Token(NamedTuple):
    """A word of a line: a named tuple, built for every word of the text
    (a frozen dataclass cost more to build than the rest of the tokenising)."""

    start: int
    end: int
    key: str  # case-folded core, for comparison
    word: str  # core as written
    joined_left: bool  # no punctuation stripped at the start of its chunk
    joined_right: bool  # no punctuation stripped at the end of its chunk


def _tokens(text: str) -> list[_Token]:
    """Whitespace tokens with edge punctuation stripped.

    Splitting at spaces (rather than `\\w+`) keeps Indic words with their
    vowel signs whole and `Baden-Baden` as one word.
    """
    tokens: list[_Token] = []
    for match in _CHUNK.finditer(text):
        chunk = match.group()
        left, right = 0, len(chunk)
        while left < right and not _is_wordlike(chunk[left]):
            left += 1
        while right > left and not _is_wordlike(chunk[right - 1]):
            right -= 1
        if left == right:
            tokens.append(_Token(match.start(), match.end(), "", "", False, False))
            continue
        core = chunk[left:right]
        # `Ein- oder Zweifamilienhaus`: a truncated compound is not the word `ein`
        suspended = chunk[right : right + 1] in _HYPHENS
        tokens.append(
            _Token(
                match.start() + left,
                match.start() + right,
                core.casefold() + ("-" if suspended else ""),
                core,
                left == 0,
                right == len(chunk),
            )
        )
    return tokens


@lru_cache(maxsize=4096)  # asked for both edges of every token
def _is_wordlike(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _linked(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces between two words: no punctuation, no line break."""
    return (
        bool(left.key)
        and bool(right.key)
        and left.joined_right
        and right.joined_left
        and _HORIZONTAL_SPACE.fullmatch(text[left.end : right.start]) is not None
    )


def _spaceless(char: str) -> bool:
    """Scripts written without spaces between words."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF66 <= code <= 0xFF9F
        or 0x0E00 <= code <= 0x0EFF
        or 0x1000 <= code <= 0x109F
        or 0x1780 <= code <= 0x17FF
    )


def _checkable(token: _Token) -> bool:
    """Numbers, symbols and words of spaceless scripts are never doubled-word errors."""
    return (
        bool(token.key)
        and any(ch.isalpha() for ch in token.key)
        and not any(ch.isdigit() for ch in token.key)
        and not any(_spaceless(ch) for ch in token.key)
    )


_ANY_FUNCTION: set[str] = set().union(*_FUNCTION.values())


def _legit_double(
    first: _Token, second: _Token, language: str, sentence_start: bool, previous: str
) -> bool:
    """Is `first second` (same word twice) something a writer means?"""
    key = first.key
    if previous in _LEGIT_AFTER.get(language, {}).get(key, ()):
        return True
    # Without a language, a word that is a function word anywhere counts as
    # one (`The the` is an error in any language that has `the`).
    function = _FUNCTION.get(language, set()) if language else _ANY_FUNCTION
    if key in _UNIVERSAL or all(part in _UNIVERSAL for part in key.split("-")):
        return True  # bla bla, ля-ля-ля ля-ля-ля
    if len(key) == 1 and (first.word != second.word or not second.joined_right):
        return True  # labels and initials: `Tab A a`, `M. I. Kalinin i I. V.`
    if language in _REDUPLICATING:
        return key not in function
    if key in _LEGIT.get(language, set()):
        return True
    if not language and any(key in words for words in _LEGIT.values()):
        return True
    if len(key) == 1 and key not in function:
        return True  # initials, list letters: `M M`, `A a`
    if first.word[0].isupper() and (second.word[0].isupper() or not sentence_start):
        # Names (Bora Bora, Lang Lang), emphasis in capitals (LOVE LOVE), a
        # name before the same word (Will will), a German noun before its
        # verb (Spiele spiele ich); but `The The` and `The the` are errors.
        return key not in function
    return False


def _is_sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"'“”„«»‘’([")
    return not before or before[-1] in ".!?…:;\n"


@register_check("repetition.loop", "repetition.doubled-word")
def check_repetition(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    yield from _spaceless_loops(unit)
    language = context.language or ""
    # Copies joined across a line break are meant (the writer broke the line),
    # so each line is searched on its own, and the pre-filter skips lines
    # without any candidate before they are tokenised.
    for line in _LINE.finditer(unit.text):
        if not _may_repeat(line.group()):
            continue
        for start, end, phrase, size, copies in _repeats(line.group(), language):
            start += line.start()
            end += line.start()
            if size == 1 and copies == 2:
                yield make_finding(
                    "repetition.doubled-word", unit, start, end, f"Word {phrase!r} written twice", [phrase]
                )
            else:
                yield make_finding(
                    "repetition.loop", unit, start, end, f"{phrase!r} repeated {copies} times in a row", [phrase]
                )


_LINE = re.compile(r"[^\n]+")


def _repeats(text: str, language: str | None) -> Iterator[tuple[int, int, str, int, int]]:
    """(start, end, the phrase to keep, its size in words, copies) for each repeat in one line."""
    tokens = _tokens(text)
    links = [_linked(text, a, b) for a, b in zip(tokens, tokens[1:])]
    index = 0
    while index < len(tokens) - 1:
        found = _repeat_at(tokens, links, index)
        if found is None:
            index += 1
            continue
        size, copies = found
        first, last = tokens[index], tokens[index + size * copies - 1]
        keep_end = tokens[index + size - 1].end
        phrase = text[first.start : keep_end]
        if size == 1 and not _checkable(first):
            index += copies
            continue
        previous = tokens[index - 1].key if index and links[index - 1] else ""
        if size == 1 and _legit_double(
            first, tokens[index + 1], language, _is_sentence_start(text, first.start), previous
        ):
            index += copies
            continue
        if size > 1 and (
            _legit_phrase(tokens[index : index + size]) or (copies < 3 and language in _REDUPLICATING)
        ):
            index += size * copies
            continue
        yield first.start, last.end, phrase, size, copies
        index += size * copies


def _may_repeat(text: str) -> bool:
    """Cheap pre-filter: could any word or phrase repeat here?

    A repeat needs a word equal to the next one, or a pair of words equal to
    the pair n places on (n <= 6). Comparing shifted lists with `map(eq, ...)`
    runs in C, and most lines are told sooner: no pair of words comes twice
    anywhere in them. It is looser than the real test (punctuation is
    dropped, not checked), never stricter.
    """
    words = _PUNCTUATION.sub("", text).casefold().split()
    if any(map(operator.eq, words, words[1:])):
        return True
    pairs = list(zip(words, words[1:]))
    if len(set(pairs)) == len(pairs):
        return False
    return any(any(map(operator.eq, pairs, pairs[n:])) for n in range(2, 7))


def _repeat_at(tokens: list[_Token], links: list[bool], index: int) -> tuple[int, int] | None:
    """The shortest n-gram (1-6 words) starting here that repeats; (size, copies).

    One word must come twice (doubled word) or three times (loop); a phrase
    of two or more words twice. All copies must be joined by plain spaces.
    """
    if index >= len(links) or not links[index]:
        return None  # every repeat joins this word to the next by plain space
    key = tokens[index].key
    if not key or not any(
        tokens[index + step].key == key for step in range(1, min(7, len(tokens) - index))
    ):
        return None  # the first word never comes back within six words: no repeat
    for size in range(1, 7):
        if index + size > len(tokens) or not all(links[index : index + size - 1]):
            continue
        phrase = [t.key for t in tokens[index : index + size]]
        copies = 1
        while True:
            begin = index + copies * size
            end = begin + size
            if end > len(tokens):
                break
            # every gap from the n-gram's start to this copy's end is plain
            # space: those before this copy were checked with the copies before
            if not all(links[begin - 1 : end - 1]):
                break
            if [t.key for t in tokens[begin:end]] != phrase:
                break
            copies += 1
        if copies >= 2:
            if size > 1 and _periodic([t.key for t in tokens[index : index + size]]):
                continue  # `prayer prayer` twice is `prayer` four times: found at size 1
            return size, copies
    return None


def _periodic(keys: list[str]) -> bool:
    size = len(keys)
    return any(size % p == 0 and keys == keys[:p] * (size // p) for p in range(1, size))


def _legit_phrase(words: list[_Token]) -> bool:
    """Phrases whose doubling is an idiom or a chant, not a loop."""
    keys = [w.key for w in words]
    if all(key in _UNIVERSAL for key in keys):
        return True  # tick tock tick tock, bla bla bla
    if not any(_checkable(w) and len(w.key) > 1 for w in words):
        return True  # numbers and symbols: `44 x 33 x 33`
    if len(keys) == 2 and keys[1] in _LINKERS:
        return True  # again and again and again; von Stadt zu Stadt zu fördern
    if len(keys) == 2 and keys[0] in _CORRELATIVES:
        return True  # и там и там (both here and there), ni l'un ni l'autre
    if any(_spaceless(ch) for w in words for ch in w.key):
        return True  # tokenised CJK: handled at character level
    if all(w.word[:1].isupper() for w in words):
        return True  # titles and names: `New York New York`, `Duran Duran`
    return False


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# A run of 2-40 CJK characters (at least one Han) repeated without spaces.
_CJK_RUN = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,40}?)\1+")


def _spaceless_loops(unit: TextUnit) -> Iterator[Finding]:
    """Loops in Chinese/Japanese text: `在该地区在该地区在该地区`.

    ABAB verb reduplication (`研究研究`, `看看`), laughter (`哈哈哈`) and
    spoken emphasis (`原来如此原来如此`) are not loops, so a unit must come
    three times, or twice when it is six characters or more; single-character
    runs never count.
    """
    text = unit.text
    if not _CJK_CHAR.search(text):
        return
    for match in _CJK_RUN.finditer(text):
        piece = match.group(1)
        copies = len(match.group()) // len(piece)
        if len(set(piece)) == 1 or _periodic(list(piece)):
            continue
        if not any("\u3400" <= ch <= "\u9fff" for ch in piece):
            continue  # kana onomatopoeia: ドンドンドン
        if copies < 3 and len(piece) < 6:
            continue  # 原来如此原来如此 (I see, I see): speech, not a loop
        if piece in _CJK_IDIOMS:
            continue
        if _inside_quotes(text, match.start()):
            continue  # chants: 「加油加油加油」
        yield make_finding(
            "repetition.loop",
            unit,
            match.start(),
            match.end(),
            f"{piece!r} repeated {copies} times in a row",
            [piece],
        )


# Repeated on purpose: 何度も何度も (over and over), 一次又一次.
_CJK_IDIOMS = {"何度も", "何回も", "何度", "一遍", "一次", "一步", "一天天", "再三"}

_OPENERS = {"“": "”", "「": "」", "『": "』", "«": "»", "„": "“", "\"": "\""}


def _inside_quotes(text: str, position: int) -> bool:
    """Is `position` after an opening quote that is not closed before it?"""
    before = text[:position]
    for opener, closer in _OPENERS.items():
        if opener == closer:
            if before.count(opener) % 2 == 1:
                return True
        elif before.rfind(opener) > before.rfind(closer):
            return True
    return False
