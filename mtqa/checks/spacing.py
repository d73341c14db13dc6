"""Spacing around punctuation, quotes and brackets.

MT output often keeps the tokenizer's spaces (`he hadn 't said it .`,
`( 3 )`, `U.S .`, `$ 5`) or puts stray spaces inside quotation marks
(`will " no desire . "`). The repairs are mechanical, but this is the family
most prone to false alarms: the same spacing is right in another language
(French `mot :` and `« texte »`, German `5 %`), in a table, or in a
quotation that runs on into the next paragraph. So every rule knows the
language (see `spacing_lang`), pairs marks before judging them (see
`spacing_pairs`), and stays silent when unsure.

One check yields all spacing findings so that two rules never report, or
repair, the same characters twice.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Iterator

from mtqa.checks.spacing_lang import Profile, profile_for
from mtqa.checks.spacing_pairs import SpacingEdit, brackets, curly_quotes, paragraphs, straight_quotes
from mtqa.findings import Finding, TextUnit
from mtqa.rules import DISPLAY_ONLY, SAFE, CheckContext, Example, Rule, define_rule, make_finding, register_check
from mtqa.spans import ClaimedSpans

PUNCTUATION = "Fluency/Punctuation"
SPELLING = "Fluency/Spelling"

_RULES: dict[str, Rule] = {}


def _rule(name: str, category: str, severity: str, description: str, why: str, examples: list[Example],
          clean: list[Example], fix: str = SAFE, languages: tuple[str, ...] = ()) -> None:
    _RULES[name] = define_rule(f"spacing.{name}", category=category, severity=severity, description=description,
                               why=why, fix=fix, examples=examples, clean=clean, languages=languages)


_TOKENIZER_WHY = "A detokenizer step was skipped: the spacing of MT training data reaches the reader."
_rule(
    "quote-inner", PUNCTUATION, "minor", 'Space just inside quotation marks (" text ").', _TOKENIZER_WHY,
    [Example('He said " no " to the deal.', 'He said "no" to the deal.'),
     Example('The minister will " never give up. "', 'The minister will "never give up."')],
    [Example('He said "no" to the deal.'), Example("Il a dit « non » au projet.", lang="fr"),
     Example("Er sagte „nein“ zu dem Plan.", lang="de")],
)
_rule(
    "before-punctuation", PUNCTUATION, "minor", "Space before , . ; : ! ? where the language has none.",
    _TOKENIZER_WHY,
    [Example("The deal failed , he said .", "The deal failed, he said."),
     Example("Is it true ? Yes .", "Is it true? Yes.")],
    [Example("The deal failed, he said."), Example("Est-ce vrai ? Oui !", lang="fr")],
)
_rule(
    "after-opening", PUNCTUATION, "minor", "Space after an opening ¿ or ¡.", _TOKENIZER_WHY,
    [Example("¿ Qué pasa? Nada.", "¿Qué pasa? Nada.", lang="es"),
     Example("¡ Hola! dijo.", "¡Hola! dijo.", lang="es")],
    [Example("¿Qué pasa? Nada.", lang="es"), Example("¡Hola! dijo el alcalde.", lang="es")],
)
_rule(
    "bracket-inner", PUNCTUATION, "minor", "Space just inside brackets (( text )).", _TOKENIZER_WHY,
    [Example("The vote ( held on Monday ) passed.", "The vote (held on Monday) passed."),
     Example("The vote [ held on Monday ] passed.", "The vote [held on Monday] passed.")],
    [Example("The vote (held on Monday) passed."), Example("Choose a) tea or b) coffee.\nThen c) pay.")],
)
_rule(
    "tokenized-contraction", SPELLING, "major",
    "A contraction or elision split by a tokenizer (do n't, it 's, l' homme).",
    "A split contraction reads as two words, and spell-checkers flag both halves.",
    [Example("He do n't know and it 's late.", "He don't know and it's late."),
     Example("Il a vu l' homme et d' autres.", "Il a vu l'homme et d'autres.", lang="fr")],
    [Example("He doesn't know and it's late."), Example("Rock 'n' roll is here to stay.")],
)
_rule(
    "tokenized-abbreviation", SPELLING, "minor", "An abbreviation split from its final period (U.S .).",
    _TOKENIZER_WHY,
    [Example("The U.S . and Britain agreed.", "The U.S. and Britain agreed."),
     Example("Talks with the U.K . resumed.", "Talks with the U.K. resumed.")],
    [Example("The U.S. and the U.K. agreed."), Example("He lives in the U.S.")],
)
_rule(
    "currency", PUNCTUATION, "minor",
    "Space between a currency sign and its amount ($ 5, € 20), the euro sign after the amount (5 €), or "
    "before % in a paragraph with other tokenizer spacing (English).",
    "English writes $5 and 5%; the space is a tokenizer's. (`5 %` alone is ISO style and is left alone.)",
    [Example("Prices rose by $ 5 and £ 3 this year.", "Prices rose by $5 and £3 this year."),
     Example("Prices rose 6 % , he said .", "Prices rose 6%, he said.")],
    [Example("Prices rose 6% and then €5 more."), Example("Only 3 % of the infected went to hospital."),
     Example("Les prix ont augmenté de 6 % cette année.", lang="fr")],
    languages=("en",),
)
_rule(
    "tokenized-join", SPELLING, "major",
    "A join marker of Moses' aggressive tokenizer left in the text (well @-@ known, 1 @,@ 000, 3 @.@ 5).",
    "The marker tells a detokenizer to glue the pieces again; left in, it splits the word or number "
    "for the reader.",
    [Example("The well @-@ known mayor resigned.", "The well-known mayor resigned."),
     Example("About 1 @,@ 000 people, or 3 @.@ 5 percent, voted.", "About 1,000 people, or 3.5 percent, voted.")],
    [Example("Write to press@example.org or @mayor for a well-known answer."),
     Example("Scores were 3-2 and 1,000.5 points @ home.")],
)
_rule(
    "double-space", PUNCTUATION, "minor", "Two or more spaces between words.",
    "A doubled space shows as a gap in justified text; MT and copy-paste leave it.",
    [Example("The mayor said on Monday that the  bridge would reopen.",
             "The mayor said on Monday that the bridge would reopen."),
     Example("The council met and the  vote was held at noon in the town hall.",
             "The council met and the vote was held at noon in the town hall.")],
    [Example("The mayor said so.  Then he left."), Example("Name    Votes\nSmith   120\nJones   98")],
)
_rule(
    "cjk-inner", PUNCTUATION, "minor",
    "Spaces around full-width punctuation or between Chinese characters (word-segmented MT output).",
    "Chinese and Japanese have no spaces between words; spaces there are a segmenter's.",
    [Example("我们 今天 去 北京 。", "我们今天去北京。", lang="zh"),
     Example("他们 明天 回 上海 。", "他们明天回上海。", lang="zh")],
    [Example("我们今天去北京。", lang="zh"), Example("他说：我们明天回上海。", lang="zh")],
    languages=("zh", "ja"),
)
_rule(
    "missing-after-punctuation", PUNCTUATION, "minor",
    "No space after a comma or sentence period between words (word,word / end.Next).",
    "Joined sentences read as one word, and search and hyphenation treat them so.",
    [Example("The deal failed,he said.Then he left.", "The deal failed, he said. Then he left."),
     Example("The vote passed.The mayor left.", "The vote passed. The mayor left.")],
    [Example("Visit example.com or read 3.5 percent."), Example("The deal failed, he said. Then he left.")],
)
_rule(
    "unbalanced-quote", PUNCTUATION, "minor", "A quotation mark without its partner in the paragraph.",
    "A dropped quotation mark leaves the reader unsure where a quotation ends; only an editor can say.",
    [Example('The mayor said the army "would stay in the town.\n\nTalks resume on Monday.'),
     Example('She called the plan "a disgrace and left.\n\nThe vote is on Friday.')],
    [Example('"We will not leave," the mayor said. "This town is our home.\n'
             '"Nobody can force us out," she added.'),
     Example("Nobody can force us out,\u201d she added.")],
    fix=DISPLAY_ONLY,
)
_rule(
    "unbalanced-bracket", PUNCTUATION, "minor", "A bracket without its partner in the paragraph.",
    "A dropped bracket leaves the reader unsure where an aside ends; only an editor can say.",
    [Example("The plan (announced in May was dropped.\nOfficials declined to comment."),
     Example("The vote (held on Monday passed.\nThe mayor left.")],
    [Example("Choose a) tea or b) coffee.\nThen c) pay."), Example("The vote (held on Monday) passed.")],
    fix=DISPLAY_ONLY,
)

_HSPACE = "[ \t\u00a0\u202f\u2009]"
_CJK_PUNCT = "\u3001\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f"
# Only from the first space of a run: tried at every space, a run of n spaces
# with no mark after it costs n^2 steps (100 KB of spaces took minutes).
_BEFORE = re.compile("(?<!" + _HSPACE + ")" + _HSPACE + "+([,.;:!?" + _CJK_PUNCT + "]+)")
# A space after these is not "before punctuation" but part of a construct (`( ,`, `- .`).
_NO_ATTACH = frozenset("([{<\u00ab\u201e\u201a\u2039\u00bf\u00a1-\u2013\u2014/\\|&+=*#@\u2022\u00b7~^_")
_AFTER_OK = frozenset("\"'\u201d\u2019\u00bb\u203a)]}")
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]?|\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Ltd|Co|Corp|Jr|Sr|St|etc|vs|Gen|Gov|Sen"
    r"|Rep|No|Vol|Dept|Mt|Ft|Ave|Jan|Feb|Aug|Sept|Oct|Nov|Dec))$"
)
_TOKENIZED_RUNS = frozenset({".,", ".;", ".:", "?!", "!?", "!!", "??"})
_URL_BEFORE = re.compile(r"(?:://|www\.|@)\S*$")
_SCORE = re.compile(r"[ \t]*\d")
_TYPOGRAPHIC_SPACE = re.compile("[\u00a0\u202f\u2009]")
_EMOTICON_TAIL = re.compile(r"['-]?[()\[\]|DPpO]")
_ELLIPSIS_RUN = re.compile(r"\.\.+")

# English clitics left apart by a tokenizer: `do n't`, `it 's`, `hadn 't`, `I 'm`.
_CLITIC = re.compile(r" (n['\u2019]t|['\u2019](?:s|re|ve|ll|d|m|t))(?![\w'\u2019-])")
# Apostrophe spaced on both sides: `Virgil ' s Aeneid`, `O ' Neill`.
_SPACED_CLITIC = re.compile(r"(?<=\w)( ['\u2019] )(s)(?![\w'\u2019-])")
_SPACED_NAME = re.compile(r"(?<![\w'\u2019])([OD]|[dl])( ['\u2019] )(?=[A-Z\u00c0-\u00dd])")
# Romance elision left apart: `l' homme`, `qu' il`, `dell' anno`.
_ELISION = {
    "fr": re.compile(
        r"(?<![\w'\u2019])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)(['\u2019])( +)(?=[^\W\d_])",
        re.IGNORECASE,
    ),
    "it": re.compile(
        r"(?<![\w'\u2019])(?:l|dell|all|dall|nell|sull|coll|quell|quest|un|c|d|s|m|t|v|n)(['\u2019])( +)"
        r"(?=[^\W\d_])",
        re.IGNORECASE,
    ),
    "ca": re.compile(r"(?<![\w'\u2019])(?:l|d|s|m|t|n)(['\u2019])( +)(?=[^\W\d_])", re.IGNORECASE),
}
_INVERTED = re.compile("([\u00bf\u00a1])( +)(?=\\w)")
_CURRENCY = re.compile("[$\u00a3\u20ac\u00a5\u20b9]([ \u00a0]+)(?=\\d)")
_DOLLAR_PREFIX = re.compile(r"(?:US|A|C|NZ|HK|S)$")
_PERCENT = re.compile("([ \u00a0]+)%")
# `5 €`, `5,50 €`: German and French order, which MT carries into English (`€5`).
_SIGN_AFTER = re.compile("(?<![\\w.,])(\\d[\\d.,]*)[ \u00a0]+([\u20ac\u00a3])(?![\\w/])")
_DOUBLE = re.compile(r"(?<=\S)( {2,})(?=\S)")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_TEXT = _HAN + "\u3040-\u30ff"
_CJK_PUNCT_SPACE = re.compile(
    f"(?<=[{_CJK_TEXT}]) +(?=[\u300c\u300e\uff08\u3010\u300a\u3008])"
    f"|(?<=[\u300d\u300f\uff09\u3011\u300b\u3009]) +(?=[{_CJK_TEXT}])"
)
_SPACE_GAP = re.compile(r"(?<=\S) +(?=\S)")
_CJK_CHAR = re.compile(f"[{_CJK_TEXT}]")
_CJK_SENTENCE = re.compile("[^\u3002\uff01\uff1f]+[\u3002\uff01\uff1f]?")
_CJK_OPENERS = "\u300c\u300e\uff08\u3010\u300a\u3008"
_CJK_CLOSERS = "\u300d\u300f\uff09\u3011\u300b\u3009"
_MISSING_COMMA = re.compile(r"(,)(?=[^\W\d_]{2})")
_LETTERS = re.compile(r"[^\W\d_]*")
_MISSING_PERIOD = re.compile(r"\.(?=[^\W\d_]{2})")
# Paragraphs that carry several traces of Moses tokenization.
_TOKEN_SIGNS = re.compile(
    r" (?:(?P<attach>[,.](?=\s|$)|[)\]])|n['\u2019]t\b|['\u2019](?:s|re|ve|ll|m)\b|['\u2019] s\b)|[(\[] \w"
)
# A paragraph ending in `word .` is a tokenizer's even with no other trace.
_TOKENIZED_END = re.compile(r"\S [.!?:](?: ['\"])?$")
_SPLIT_ELISION = re.compile(r"(?<![\w'\u2019])(?:[dDlL]|o)( )(?=['\u2019][^\W\d_])")
_SPLIT_TIME = re.compile(r"(?<![\d:])\d{1,2}( : )\d{2}(?![\d:])")
_SPACED_NAME_AT = re.compile(r"(?<![\w'\u2019])(?:[OD]|[dl]) '$")
_STANDALONE_SINGLE = re.compile(r"(?<!\S)'(?!\S)")


@register_check(*(f"spacing.{name}" for name in _RULES))
def check_spacing(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    text = unit.text
    if not text:
        return
    language = context.language or ""
    profile = profile_for(language)
    spans = paragraphs(text)
    traced = _tokenized_spans(text, spans, 1) if language != "fr" else []
    tokenized = [span for span, signs in traced if signs >= 2]
    starts = frozenset(start for start, _ in tokenized)
    pairs = _has_pairs(text)
    sources: list[Iterable[SpacingEdit]] = [
        _join_markers(text) if "@" in text else (),
        _clitics(text, language, tokenized),
        straight_quotes(text, spans, profile, starts) if '"' in text else (),
        curly_quotes(text, spans, profile) if pairs else (),
        _single_quotes(text, spans) if language != "fr" and "'" in text else (),
        brackets(text, spans, starts) if pairs else (),
        _tokenized_times(text, tokenized),
        _before_punctuation(text, profile, tokenized),
        _inverted(text),
        _currency(text, [span for span, _ in traced]) if language == "en" else (),
        _cjk_inner(text, spans) if profile.cjk else (),
        _cjk_punctuation(text) if profile.cjk else (),
        _missing_after(text, profile),
        _double_spaces(text),
    ]
    taken = ClaimedSpans()
    for source in sources:
        for edit in source:
            if edit.replacement is not None and not taken.claim(edit.start, edit.end):
                continue
            suggestions = [] if edit.replacement is None else [edit.replacement]
            yield make_finding(f"spacing.{edit.kind}", unit, edit.start, edit.end, edit.message, suggestions)


_PAIR_CHARS = re.compile("[\"()\\[\\]{}\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f\u300a\u300b\uff08\uff09\u3010\u3011]")


def _has_pairs(text: str) -> bool:
    return _PAIR_CHARS.search(text) is not None


def _tokenized_spans(text: str, spans: list[tuple[int, int]], least: int) -> list[tuple[tuple[int, int], int]]:
    """Paragraphs with tokenizer traces (`word ,`, `do n't`, `( 3 )`), with their count (up to 2).

    Two traces, or one that ends the paragraph (`... of God .`), make a
    paragraph tokenized: its odd quotes and stray brackets are then read the
    way a detokenizer reads them.
    """
    counts = [0] * len(spans)
    starts = [start for start, _ in spans]
    for match in _TOKEN_SIGNS.finditer(text):
        position = match.start()
        if match.group("attach") and (not position or text[position - 1].isspace()):
            continue  # ` ,` after a space or at the start is not `word ,`
        number = bisect.bisect_right(starts, position) - 1
        if number >= 0 and position < spans[number][1]:
            counts[number] += 1
    found = []
    for (start, end), signs in zip(spans, counts):
        if _TOKENIZED_END.search(text, max(start, end - 6), end):
            signs = 2
        if signs >= least:
            found.append(((start, end), min(signs, 2)))
    return found


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether position falls in one of the (sorted, disjoint) spans."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _clitics(text: str, language: str, tokenized: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """`do n't` -> `don't`, `it 's` -> `it's`, `l' homme` -> `l'homme`."""
    if "'" not in text and "\u2019" not in text:
        return
    if language == "en":
        for match in _CLITIC.finditer(text):
            clitic = match.group(1)
            before = text[match.start() - 1] if match.start() else ""
            if not ("a" <= before.lower() <= "z"):
                continue
            if clitic[1:] == "t" and before not in "nN":
                continue  # `'t` only follows n: hadn 't, won 't
            yield SpacingEdit(
                "tokenized-contraction",
                match.start(),
                match.end(1),
                clitic,
                f"Contraction split by a space: {clitic!r} belongs to the word before",
            )
    if language != "fr":  # clean text never spaces an apostrophe on both sides
        for match in _SPACED_CLITIC.finditer(text):
            yield SpacingEdit(
                "tokenized-contraction",
                match.start(1),
                match.end(2),
                match.group(1).strip() + "s",
                "Possessive split by spaces around the apostrophe",
            )
        for match in _SPACED_NAME.finditer(text):
            yield SpacingEdit(
                "tokenized-contraction",
                match.start(2),
                match.end(2),
                match.group(2).strip(),
                "Name or elision split by spaces around the apostrophe",
            )
    for start, end in tokenized:
        for match in _SPLIT_ELISION.finditer(text, start, end):
            yield SpacingEdit(
                "tokenized-contraction",
                match.start(1),
                match.end(1),
                "",
                "Elision split from its word by a tokenizer (d 'Arc, o 'clock)",
            )
    elision = _ELISION.get(language)
    if elision is not None:
        for match in elision.finditer(text):
            yield SpacingEdit(
                "tokenized-contraction",
                match.start(1),
                match.end(2),
                match.group(1),
                "Elided word split from the next by a space",
            )


def _single_quotes(text: str, spans: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """A `'` with spaces on both sides is a tokenizer's: `' old monastery '`, `animals ' fats`.

    Clean text never spaces a single quote on both sides, so these pair
    safely; `' s` and `O ' Neill` are left to the contraction rule.
    """
    by_paragraph: dict[int, list[int]] = {}
    starts = [start for start, _ in spans]
    for match in _STANDALONE_SINGLE.finditer(text):
        index = match.start()
        if _SPACED_CLITIC.match(text, index - 1) or _SPACED_NAME_AT.search(text, max(0, index - 4), index + 1):
            continue
        number = bisect.bisect_right(starts, index) - 1
        if number >= 0 and index < spans[number][1]:
            by_paragraph.setdefault(number, []).append(index)
    for number, marks in by_paragraph.items():
        start, end = spans[number]
        attached = _attached_single_quotes(text, start, end)
        paired = _pair_with_attached(text, marks, attached) if attached else None
        if paired is not None:
            # `' 3' and ' 2 + 1 '`: the closing quote of `3'` pairs with the
            # first spaced one. Pairing the spaced ones alone put the next
            # quotation's opening mark on the word before it (`and' 2`).
            yield from paired
            continue
        if len(marks) % 2 == 0:
            for open_index, close_index in zip(marks[0::2], marks[1::2]):
                if close_index - open_index > 200 or text[open_index + 1] != " " or text[close_index - 1] != " ":
                    continue
                # the whole run of spaces: one at a time, `fix` would need a pass per space
                after_open = open_index + 1
                while after_open < close_index and text[after_open] == " ":
                    after_open += 1
                if after_open == close_index:
                    continue  # only spaces between the marks: nothing to attach them to
                before_close = close_index
                while before_close > after_open and text[before_close - 1] == " ":
                    before_close -= 1
                yield SpacingEdit("quote-inner", open_index, after_open, "'", "Space after the opening quotation mark")
                if before_close > after_open:
                    yield SpacingEdit("quote-inner", before_close, close_index + 1, "'",
                               "Space before the closing quotation mark")
        elif len(marks) == 1:
            index = marks[0]
            if index >= 2 and text[index - 1] == " " and text[index - 2] in "sSxzZ" and index + 1 < end:
                yield SpacingEdit("quote-inner", index - 1, index + 1, "'", "Possessive apostrophe split from its word")


_CLITIC_AFTER = re.compile(r"(?:s|re|ve|ll|d|m|t)\b", re.IGNORECASE)
_ATTACHED_SINGLE = re.compile(r"(?<![\w'])'(?=\w)|(?<=[\w.,!?])'(?![\w'])")
# Apostrophes of elision that touch one side of a word as a quotation mark
# does: `'em`, `'til`, `'90s`, `goin'`. Where a paragraph has one, which
# attached marks are quotes is a guess: the spaced marks are paired alone.
_ELISION_BEFORE = re.compile(r"(?:em|til|till|cause|tis|twas|n|\d\ds?)\b", re.IGNORECASE)
_ELISION_AFTER = re.compile(r"(?<=[a-z]{2}in)'", re.IGNORECASE)


def _attached_single_quotes(text: str, start: int, end: int) -> dict[int, str] | None:
    """Single quotes of a paragraph that touch a word on one side only:
    `'word` opens, `word'` closes (index -> "open" or "close"). Apostrophes
    inside words, plural possessives (`the dogs' owners`) and spaced
    clitics and names are none of these. None where one of them may be an
    apostrophe of elision (`'em`, `goin'`)."""
    found = {}
    for match in _ATTACHED_SINGLE.finditer(text, start, end):
        index = match.start()
        opens = index + 1 < end and text[index + 1].isalnum()
        closes = index > start and (text[index - 1].isalnum() or text[index - 1] in ".,!?")
        if not opens and not closes:
            continue  # `'_x`: touches neither a letter nor a digit
        if (opens and _ELISION_BEFORE.match(text, index + 1)) or (not opens and _ELISION_AFTER.match(text, index)):
            return None
        if not opens and text[index - 1] in "sSxzZ":
            continue  # a plural possessive
        if opens and _CLITIC_AFTER.match(text, index + 1):
            continue  # a contraction split from its word (`John 's`): the contraction rule's
        if _SPACED_NAME_AT.search(text, max(start, index - 4), index + 1):
            continue
        found[index] = "open" if opens else "close"
    return found


def _pair_with_attached(text: str, spaced: list[int], attached: dict[int, str]) -> list[SpacingEdit] | None:
    """Pair every quotation mark of the paragraph in order, spaced and
    attached ones together, when the attached ones sit where an opening and
    a closing mark belong; then attach each spaced mark to its quotation.
    None for any other arrangement (the spaced marks are then paired alone)."""
    marks = sorted([(index, "either") for index in spaced] + list(attached.items()))
    if len(marks) % 2:
        return None
    pairs = list(zip(marks[0::2], marks[1::2]))
    if any(first[1] == "close" or second[1] == "open" for first, second in pairs):
        return None
    edits = []
    for (open_index, open_role), (close_index, close_role) in pairs:
        if close_index - open_index > 200:
            continue
        if open_role == "either" and text[open_index + 1] == " " and text[open_index + 2 : close_index].strip():
            after_open = open_index + 1
            while text[after_open] == " ":
                after_open += 1
            edits.append(SpacingEdit("quote-inner", open_index, after_open, "'", "Space after the opening quotation mark"))
        if close_role == "either" and text[close_index - 1] == " " and text[open_index + 1 : close_index - 1].strip():
            before_close = close_index
            while text[before_close - 1] == " ":
                before_close -= 1
            edits.append(SpacingEdit("quote-inner", before_close, close_index + 1, "'",
                                     "Space before the closing quotation mark"))
    return edits


def _tokenized_times(text: str, tokenized: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """`11 : 07` -> `11:07` where a tokenizer split the clock time."""
    for start, end in tokenized:
        for match in _SPLIT_TIME.finditer(text, start, end):
            yield SpacingEdit("before-punctuation", match.start(1), match.end(1), ":", "Clock time split by spaces")


def _before_punctuation(text: str, profile: Profile, tokenized: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """`word ,` -> `word,` unless the language spaces that mark (French `mot :`)."""
    for match in _BEFORE.finditer(text):
        start = match.start()
        if start == 0:
            continue
        previous = text[start - 1]
        run = match.group(1)
        mark = run[0]
        if previous.isspace() or previous in _NO_ATTACH or previous in profile.openers:
            continue
        if previous in ".,;:!?" and not (
            _inside(start, tokenized) and previous + mark in _TOKENIZED_RUNS
        ):
            continue  # `, .` is doubled punctuation, not spacing; `J.F. ,` and `! ! !` are a tokenizer's
        if previous in ")(" and start >= 2 and text[start - 2] in ":;=":
            continue  # after an emoticon: `Danke :) !`
        end = match.end(1)
        after = text[end] if end < len(text) else ""
        if mark in profile.space_before:
            continue
        if mark in ".,;:" and _URL_BEFORE.search(text, max(0, start - 200), start):
            continue  # `https://example.org .`: the space keeps the mark out of the address
        if mark in ":;!?" and _TYPOGRAPHIC_SPACE.search(match.group(), 0, len(match.group()) - len(run)):
            continue  # a deliberate no-break space (French-style typography), not a tokenizer's
        if mark == ".":
            if run.startswith(".."):
                if not (_inside(start, tokenized) and _ELLIPSIS_RUN.fullmatch(run)):
                    continue
            elif after.isalnum() or after == "_":
                continue  # `.NET`, `.45`
        elif mark == ",":
            if after and not after.isspace() and after not in _AFTER_OK:
                continue  # `,5`, or `,Wort‘` typed for a German low quote
        elif mark in ":;":
            if after and not after.isspace() and after not in _AFTER_OK:
                continue  # `://`
            if _EMOTICON_TAIL.match(text, end):
                continue  # `:)`, `;-)`, `:')`
            if mark == ":" and previous.isdigit() and _SCORE.match(text, end):
                continue  # a score: `2 : 1`
        elif mark in "!?":
            if after and not after.isspace() and after not in _AFTER_OK and after not in ".,;:":
                continue
        mark_end = start + len(match.group()) - len(run) + (len(run) if run.startswith("..") else 1)
        kind = "before-punctuation"
        if mark == "." and _ABBREVIATION.search(text, max(0, start - 24), start):
            kind = "tokenized-abbreviation"
        shown = text[start + len(match.group()) - len(run) : mark_end]
        yield SpacingEdit(kind, start, mark_end, shown, f"Space before {shown!r}")


def _inverted(text: str) -> Iterator[SpacingEdit]:
    """`¿ Qué?` -> `¿Qué?`."""
    if "\u00bf" not in text and "\u00a1" not in text:
        return
    for match in _INVERTED.finditer(text):
        yield SpacingEdit("after-opening", match.start(1), match.end(2), match.group(1), f"Space after {match.group(1)!r}")


_JOIN_MARKER = re.compile(r"(?<=\w) ?@([-,./])@ ?(?=\w)")


def _join_markers(text: str) -> Iterator[SpacingEdit]:
    """`well @-@ known` -> `well-known`: Moses' `-a` splits hyphens (and
    separators inside numbers) into ` @-@ `, which only its detokenizer undoes."""
    for match in _JOIN_MARKER.finditer(text):
        yield SpacingEdit("tokenized-join", match.start(), match.end(), match.group(1),
                   f"Tokenizer join marker @{match.group(1)}@")


def _currency(text: str, traced: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """English writes `$5`, `€5` and `5%` with no space, and the euro or
    pound sign before the amount (`5 €` is German and French order).

    `5 %` is also ISO style, which some English writers follow; only in a
    paragraph that shows other tokenizer traces is it certainly an artifact.
    """
    for match in _CURRENCY.finditer(text):
        symbol = match.start()
        if text[symbol] == "$":
            prefix = _DOLLAR_PREFIX.search(text, max(0, symbol - 2), symbol)
            symbol = prefix.start() if prefix else symbol
        if symbol and (text[symbol - 1].isalnum() or text[symbol - 1] in "$_"):
            continue  # part of a word or code
        yield SpacingEdit(
            "currency", symbol, match.end(1), text[symbol : match.start(1)], "Space after the currency symbol"
        )
    for match in _SIGN_AFTER.finditer(text):
        amount, sign = match.group(1), match.group(2)
        if amount[-1] in ".,":
            continue  # `5. €` is no amount
        yield SpacingEdit("currency", match.start(), match.end(), sign + amount,
                          f"English writes the {'euro' if sign == '€' else 'pound'} sign before the amount")
    if "%" in text and traced:
        for match in _PERCENT.finditer(text):
            if not match.start() or not text[match.start() - 1].isdigit() or not _inside(match.start(), traced):
                continue
            yield SpacingEdit("currency", match.start(1), match.end(), "%", "Space before % (English writes 5%)")


def _cjk_inner(text: str, spans: list[tuple[int, int]]) -> Iterator[SpacingEdit]:
    """Chinese and Japanese have no spaces between words; word-segmented MT output does.

    Clean text uses an occasional space too (between headline parts, in a
    transliterated name, after a sentence), so only a sentence where spaces
    split the characters throughout counts as segmented. There the spaces
    between CJK characters, digits and `%` go; a space next to a Latin word
    stays (one, as many writers put it there).
    """
    if not _CJK_CHAR.search(text):
        return
    for start, end in spans:
        for sentence in _CJK_SENTENCE.finditer(text, start, end):
            gaps = list(_SPACE_GAP.finditer(text, sentence.start(), sentence.end()))
            if len(gaps) < 3:
                continue
            # Only spaces between two CJK characters prove segmentation: `212 人`
            # and `Brian May 刚` are ordinary (pangu-style) spacing.
            inner = sum(1 for g in gaps if _CJK_CHAR.match(text[g.start() - 1]) and _CJK_CHAR.match(text[g.end()]))
            cjk = len(_CJK_CHAR.findall(text, sentence.start(), sentence.end()))
            if inner < 3 or inner * 5 < cjk:
                continue
            for match in gaps:
                left, right = text[match.start() - 1], text[match.end()]
                if _joins(left, right):
                    yield SpacingEdit("cjk-inner", match.start(), match.end(), "", "Space in word-segmented CJK text")
                elif match.end() - match.start() > 1:
                    yield SpacingEdit("cjk-inner", match.start(), match.end(), " ", "Run of spaces in segmented CJK text")


def _joins(left: str, right: str) -> bool:
    left_cjk = bool(_CJK_CHAR.match(left)) or left in _CJK_PUNCT or left in _CJK_CLOSERS
    right_cjk = bool(_CJK_CHAR.match(right)) or right in _CJK_PUNCT or right in _CJK_CLOSERS + _CJK_OPENERS
    if left_cjk and (right_cjk or right.isdigit() or right == "%"):
        return True
    if (left.isdigit() or left == "%" or left in _CJK_OPENERS) and right_cjk:
        return True
    return left.isdigit() and right == "%"


def _cjk_punctuation(text: str) -> Iterator[SpacingEdit]:
    """`首相は 「延長しない」 と` -> `首相は「延長しない」と`: full-width brackets carry their own space.

    Not “ ”: Chinese writers often space them off from Latin words
    (`节目 “Mann ki Baat” 中`), and a space after `。` or `？` is a common
    sentence separator.
    """
    if " " not in text:
        return
    for match in _CJK_PUNCT_SPACE.finditer(text):
        yield SpacingEdit("cjk-inner", match.start(), match.end(), "", "Space next to full-width punctuation")


def _missing_after(text: str, profile: Profile) -> Iterator[SpacingEdit]:
    """`word,word` -> `word, word`; `end.Next` -> `end. Next` (letters only, not URLs)."""
    if profile.cjk:
        return
    for match in _MISSING_COMMA.finditer(text):
        if match.start() < 2 or not (text[match.start() - 1].isalpha() and text[match.start() - 2].isalpha()):
            continue
        token = _token_around(text, match.start())
        if _looks_technical(token):
            continue
        yield SpacingEdit(
            "missing-after-punctuation",
            match.start(1),
            match.end(1),
            match.group(1) + " ",
            f"No space after {match.group(1)!r}",
        )
    for match in _MISSING_PERIOD.finditer(text):
        position = match.start()
        token = _token_around(text, position)
        if _looks_technical(token) or token.count(".") != 1:
            continue  # `e.g.Foo`, `news.Yahoo.com`, paths and addresses
        before, _, after = token.partition(".")
        before = before.lstrip("(\"'\u201c\u201e\u00ab")
        after = _LETTERS.match(after).group()
        if len(before) < 3 or len(after) < 2 or not (before.isalpha() and before.islower()):
            continue  # `ул.Горького`, `u.Test`: abbreviations
        if not (after[0].isupper() and after[1:].islower()):
            continue  # `ASP.NET`, `Node.JS`
        yield SpacingEdit("missing-after-punctuation", position, position + 1, ". ", "No space after the period")


def _token_around(text: str, position: int) -> str:
    left = position
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = position
    while right < len(text) and not text[right].isspace():
        right += 1
    return text[left:right]


def _looks_technical(token: str) -> bool:
    return any(sign in token for sign in ("/", "@", "www", "://", "_", "=", "#")) or any(ch.isdigit() for ch in token)


def _double_spaces(text: str) -> Iterator[SpacingEdit]:
    """Runs of spaces inside a sentence: `on the  occupied`.

    Not after a sentence (two spaces there are a typing convention), not
    before a capital (a headline or label separator: `Speed   slow` is a
    form, `Mie Seven-Eleven  Start` a headline), not in aligned table lines,
    and not in a line spaced out throughout (a layout, not a slip).
    """
    if "  " not in text:
        return
    lines = text.split("\n")
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    columns = [_run_columns(line) for line in lines]
    for number, line in enumerate(lines):
        if not columns[number]:
            continue
        aligned = any(
            0 <= other < len(lines) and columns[number] & columns[other] for other in (number - 1, number + 1)
        )
        if aligned or len(columns[number]) * 3 > line.count(" "):
            continue
        base = offsets[number]
        for match in _DOUBLE.finditer(line):
            left, right = line[match.start(1) - 1], line[match.end(1)]
            if not (left.isalnum() or left == ",") or not (right.islower() or right.isdigit()):
                continue
            yield SpacingEdit(
                "double-space",
                base + match.start(1),
                base + match.end(1),
                " ",
                f"{len(match.group(1))} spaces in a row",
            )


def _run_columns(line: str) -> set[int]:
    """Columns where a run of 2+ spaces ends: aligned columns across lines mean a table."""
    if "  " not in line:
        return set()
    return {match.end(1) for match in _DOUBLE.finditer(line)}
