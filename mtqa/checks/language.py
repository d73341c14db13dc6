"""Text left in another language or script.

Two rules:

- `language.untranslated`: a sentence whose language is not the document's,
  e.g. a German sentence left in an English article. Language id on one
  sentence is fragile, so it only speaks when it is sure: the sentence is
  long enough once names, numbers, URLs, quotations and parenthesised glosses
  are taken out; CLD2 calls it reliably and confidently for another language;
  langdetect agrees; the verdict survives removing capitalised words (names);
  and the other language is not a close relative that detectors confuse with
  the document's (Norwegian/Danish/Swedish, Croatian/Serbian/Bosnian,
  Czech/Slovak, Malay/Indonesian …).
- `language.wrong-script`: words in a script the document's language does not
  use (a Cyrillic word in a Japanese article), and words mixing look-alike
  letters of two scripts (`Mоscow` with a Cyrillic `о`). Latin is never
  wrong: brands and names are written in it everywhere.

Both flag only: deciding what the text should say is the translator's job.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from mtqa import langid
from mtqa.findings import Finding, TextUnit
from mtqa.rules import DISPLAY_ONLY, CheckContext, Example, define_rule, make_finding, register_check
from mtqa.segment import sentences
from mtqa.spans import SpanReach

define_rule(
    "language.untranslated",
    category="Accuracy/Untranslated text",
    severity="major",
    description="A sentence is not in the document's language (left untranslated).",
    why="A sentence the MT system skipped reaches the reader in the source language.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The mayor said the bridge would reopen. "
                "Der Bürgermeister sagte, dass die Brücke bald wieder geöffnet wird."),
        Example("The ministry confirmed the news on Monday. "
                "La ministre a confirmé la nouvelle lundi dernier à Paris."),
    ],
    clean=[
        Example("The mayor said «Liberté, égalité, fraternité» at the ceremony."),
        Example("The mayor met Emmanuel Macron and Olaf Scholz in Paris."),
    ],
)
define_rule(
    "language.wrong-script",
    category="Accuracy/Untranslated text",
    severity="major",
    description="A word in a script the document's language does not use.",
    why="A name or word left in the source's script cannot be read by the target's readers.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The talks in Москва ended on Monday."),
        Example("The delegates met in Москва and Київ."),
    ],
    clean=[
        Example("The talks in Moscow ended on Monday."),
        Example("Компания сообщила о росте цен на 5%.", lang="ru"),
    ],
)
define_rule(
    "language.mixed-script",
    category="Fluency/Spelling",
    severity="major",
    description="A word mixing look-alike letters of two scripts (Latin o inside a Cyrillic word).",
    why="The word looks right and is not: search, spell-checking and screen readers fail on it.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("The company Ноvartis said so."),
        Example("Компания сообщила о рoсте цен.", lang="ru"),
    ],
    clean=[
        Example("The company Novartis said so."),
        Example("Компания сообщила о росте цен.", lang="ru"),
    ],
)

MIN_WORDS = 5
MIN_LETTERS = 25
MIN_CONFIDENCE = 0.9
LANGDETECT_ALONE_MIN_WORDS = 8

# Languages a detector confuses with each other on one sentence; a "foreign"
# verdict for a relative is not evidence of untranslated text.
_RELATIVES_GROUPS = (
    {"no", "nb", "nn", "da", "sv"},
    {"hr", "sr", "bs", "sh", "me", "sl"},
    {"cs", "sk"},
    {"ms", "id"},
    {"es", "gl", "ca", "ast"},
    {"pt", "gl"},
    {"ca", "oc"},
    {"fr", "oc"},
    {"ru", "be"},
    {"uk", "be"},
    {"bg", "mk"},
    {"hi", "mr", "ne", "sa", "bh", "mai"},
    {"fa", "prs", "tg"},
    {"nl", "af", "fy", "li"},
    {"de", "lb", "gsw"},
    {"tr", "az"},
    {"kk", "ky"},
    {"is", "fo"},
    {"ga", "gd"},
    {"tl", "fil"},
    {"xh", "zu"},
    {"ro", "mo"},
    {"zh", "zh-Hant"},
)
# Asymmetric: a Japanese sentence written only in kanji reads as Chinese.
_ONE_WAY = {"ja": {"zh"}}


def _related(document: str, detected: str) -> bool:
    if document == detected or detected in _ONE_WAY.get(document, ()):
        return True
    return any(document in group and detected in group for group in _RELATIVES_GROUPS)


# What is taken out of a sentence before asking a detector: it says nothing
# about the sentence's own language. Bracketed and quoted spans first (each
# alternative scans to its closing mark, so one pass stays linear), then
# whole tokens (URLs, e-mail, numbers, codes) judged one token at a time:
# patterns such as `\S*\d\S*` or `\S+@\S+\.\w+` backtrack over every start
# in a long token and made a 10 KB line of `(` or `a@` take seconds.
_ENCLOSED = re.compile(
    r"\([^()]*\)|\[[^\[\]]*\]"  # glosses: (Deutsche Bahn), [sic]
    r"|“[^“”]*”|„[^„“”]*[“”]|«[^«»]*»|»[^«»]*«|\"[^\"]*\"|‘[^‘’]{3,}’|「[^「」]*」|『[^『』]*』"  # quotations
)
# Only the tokens that may be noise reach the callback: a URL, an address,
# a handle or a number has one of these characters (or starts `www.`). The
# lookbehind pins every match to a token's start, so a long token without
# one is scanned once, not from every position in it.
# `\d` leaves out the digits that are not decimal (`m²`, `①`): listed too.
_OTHER_DIGITS = ("\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
                 "\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
                 "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a")
_TOKEN = re.compile(r"(?<!\S)(?:www\.\S*|\S*?[\d@#:" + _OTHER_DIGITS + r"]\S*)")
_HANDLE = re.compile(r"[@#]\w+")  # @handles, #hashtags
_EMAIL_TAIL = re.compile(r"\.\w")
# A character every noise pattern needs; most sentences have none, and
# searching for one class is far cheaper than trying each pattern.
_NOISE_HINT = re.compile(r"[\d(\[“„«»\"‘「『@#/]|www\.")


def _without_noise(sentence: str) -> str:
    """The sentence with URLs, e-mail addresses, handles, hashtags, numbers,
    glosses and quotations blanked out (linear in its length)."""
    if not _NOISE_HINT.search(sentence):
        return sentence
    return _TOKEN.sub(_token_without_noise, _ENCLOSED.sub(" ", sentence))


def _token_without_noise(match: re.Match) -> str:
    token = match.group()
    if "://" in token or token.startswith("www.") or any(ch.isdigit() for ch in token):
        return " "  # URLs; numbers, dates, codes
    at = token.find("@")
    if at > 0 and _EMAIL_TAIL.search(token, at + 2):
        return " "  # e-mail
    return _HANDLE.sub(" ", token) if "@" in token or "#" in token else token


_WORD = re.compile(r"[^\W\d_]{2,}")


@register_check("language.untranslated", "language.wrong-script", "language.mixed-script")
def check_language(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    language = context.document_language or context.language
    if not language:
        return
    untranslated: list[tuple[int, int]] = []
    if langid.can_identify(language):
        for span in sentences(unit.text):
            detected = _foreign_language(span.text, language)
            if detected is not None:
                untranslated.append((span.start, span.end))
                yield make_finding(
                    "language.untranslated",
                    unit,
                    span.start,
                    span.end,
                    f"Sentence appears to be in {langid.language_name(detected)} ({detected}), "
                    f"not {langid.language_name(language)} ({language}): left untranslated?",
                    context={"detected_language": detected},
                )
    if not unit.text.isascii():
        reported = SpanReach(untranslated)
        for finding in _scripts(unit, language):
            # A whole sentence already reported as untranslated needs no
            # second finding for the foreign script of its words.
            if finding.rule == "language.wrong-script" and reported.covers(finding.start, finding.end):
                continue
            yield finding


def _foreign_language(sentence: str, language: str) -> str | None:
    """The language of a sentence when it is surely not the document's; else None."""
    cleaned = _without_noise(sentence)
    words = _WORD.findall(cleaned)
    letters = sum(len(word) for word in words)
    if len(words) < MIN_WORDS or letters < MIN_LETTERS:
        return None
    if _speaks_only(cleaned, language):
        return None  # the common case, decided before any detector runs
    detected = _identify(cleaned, len(words), language)
    if detected is None or _related(language, detected):
        return None
    # Names and titles carry no language: "J'ai acheté l'ebook Ascendance of
    # a Bookworm" must still read as foreign once capitalised words are gone,
    # and a sentence that is mostly names is not evidence of anything.
    # In German nouns are capitalised too; what is left is function words
    # and verbs, which are the most telling part anyway.
    without_names = _drop_names(cleaned)
    remaining = _WORD.findall(without_names)
    if len(remaining) < 3 or sum(len(w) for w in remaining) < 15:
        return None
    if detected not in _CAPITALISES_NOUNS and len(remaining) < 0.65 * len(words):
        return None  # a third capitalised: titles ("spiele It's My Party and I'll Cry")
    again = _identify(without_names, len(remaining), language)
    if again is None or not _related(detected, again):
        return None
    if _speaks(cleaned, language, detected) or not _letters_agree(cleaned, language, detected):
        return None
    # Second opinion from another model: it must agree, and see no trace of
    # the document's language ("Two representatives of Sdružení nezávislých
    # kandidátů were elected" is English with a Czech name).
    opinions = langid.langdetect_probabilities(cleaned)
    if not opinions:
        return None
    best = max(opinions, key=opinions.__getitem__)
    if opinions[best] < 0.8 or not _related(detected, best):
        return None
    if sum(p for code, p in opinions.items() if _related(language, code)) >= 0.1:
        return None
    return detected


def _identify(text: str, words: int, language: str) -> str | None:
    """A confident language for `text`, or None.

    CLD2 first. It stays silent ("Unknown") on many ordinary Russian and
    Ukrainian sentences, so in documents in a Cyrillic-script language a
    longer sentence written wholly in Cyrillic may be judged by langdetect
    alone, when it is all but certain.
    """
    guess = langid.detect_cld2(text)
    if guess is not None:
        if guess.reliable and guess.confidence >= MIN_CONFIDENCE:
            return guess.language
        return None
    if words < LANGDETECT_ALONE_MIN_WORDS or _SCRIPTS.get(language) != {"CYRILLIC", "LATIN"}:
        return None
    if not langid.langdetect_knows(language):
        return None
    if _unique_markers(language) & set(text.lower()):
        # Letters no other Cyrillic alphabet has (Russian ы, э, ё): whatever
        # langdetect said, `_letters_agree` would reject it, so don't ask.
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff") < 0.9 * len(letters):
        return None
    opinions = langid.langdetect_probabilities(text)
    best = max(opinions, key=opinions.__getitem__, default=None)
    return best if best is not None and opinions[best] >= 0.99 else None


# Letters only one of several Cyrillic alphabets has. Detectors confuse
# Russian and Ukrainian with near certainty ("Але я не перестану тебе любити"
# is Ukrainian; langdetect says Russian at 0.99999), the alphabet does not.
_MARKERS = {
    "ru": set("ыэъё"),
    "uk": set("іїєґ"),
    "be": set("ўі"),
    "bg": set("ъщ"),
    "sr": set("ђћџљњј"),
    "mk": set("ѓќѕљњџј"),
    "kk": set("әғқңөұүһі"),
}


@lru_cache(maxsize=None)
def _unique_markers(language: str) -> frozenset[str]:
    """Marker letters of this alphabet that no other listed alphabet has."""
    others = set().union(*(letters for code, letters in _MARKERS.items() if code != language))
    return frozenset(_MARKERS.get(language, set()) - others)


def _letters_agree(text: str, language: str, detected: str) -> bool:
    """Where both alphabets have marker letters: the detected one's must be
    there and the document's must not."""
    ours, theirs = _MARKERS.get(language), _MARKERS.get(detected)
    if ours is None or theirs is None:
        return True
    letters = set(text.lower())
    return bool(letters & (theirs - ours)) and not letters & (ours - theirs)


_CAPITALISES_NOUNS = {"de", "lb"}

# The commonest function words: a sentence that uses several of the
# document language's own (and not the detected language's) is written in
# the document's language around foreign names and titles, whatever the
# letter statistics say ("William Johnsons Expedition ging es kaum besser als
# Shirleys" reads as English to both detectors).
_FUNCTION_WORDS = {
    code: set(words.split())
    for code, words in {
        "en": "the a an of to and or in on at for from with by as is are was were be been has have had "
        "not this that these those it its he she they we you his her their our which who what when will "
        "would can could should also but than then there",
        "de": "der die das den dem des ein eine einen einem einer und oder aber nicht ist sind war waren "
        "wird werden hat haben mit von zu zum zur bei aus nach für auf im am an als auch dass wie es sich "
        "sie er wir ich noch nur schon kaum über unter",
        "fr": "le la les un une des de du et ou mais est sont était a ont dans sur pour par avec que qui "
        "ne pas se ce cette il elle ils nous vous au aux plus comme son sa ses leur",
        "es": "el la los las un una unos unas de del y o pero es son era está en con por para que se no al "
        "lo le les su sus como más muy ha han fue este esta",
        "it": "il lo la i gli le un una di del della dei e o ma è sono era in con per che non si al come "
        "più anche ha hanno questo questa",
        "pt": "o a os as um uma de do da dos das e ou mas é são era em com por para que não se ao como "
        "mais também foi este esta",
        "nl": "de het een en of maar is zijn was waren in op met van voor te niet dat die er ook als bij "
        "naar om heeft hebben",
        "ru": "и в во на с со к по за из от до у о об не но а что как или было были был была будет это "
        "он она они мы его её их также уже",
        "uk": "і й в у на з із до по за від не але а що як або було були був була буде це він вона вони "
        "ми його її їх також вже",
        "cs": "a v ve na s se z do o u k že jako nebo ale by je jsou bylo byl byla to už mi jsem si tak "
        "jak který která které",
        "sk": "a v vo na s so z do o u k že ako alebo ale by je sú bolo bol bola to už mi som si tak "
        "ako ktorý ktorá ktoré",
        "pl": "i w we na z ze do o u że jak lub ale jest są było był była to już się nie tak który która",
        "hr": "i u na s sa od do o za ali ili što kao je su bio bila biti se da ne to",
        "sv": "och i på med av till för att som är var det den en ett inte har han hon de vi",
        "da": "og i på med af til for at som er var det den en et ikke har han hun de vi",
        "no": "og i på med av til for at som er var det den en et ikke har han hun de vi",
        "is": "og í á til um við frá en eða ekki var er sem það að hann hún þeir",
        "ro": "și în pe cu de la din pentru că nu este sunt a fost un o care mai",
        "hu": "a az és egy hogy nem is van volt meg de már csak még",
        "tr": "ve bir bu ile için da de ama çok daha olarak gibi",
        "id": "yang dan di ke dari untuk dengan ini itu tidak akan juga pada adalah",
    }.items()
}


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _speaks(text: str, language: str, detected: str) -> bool:
    """Does the sentence use the document language's own function words?"""
    own = _FUNCTION_WORDS.get(language)
    if not own:
        return False
    own = own - _FUNCTION_WORDS.get(detected, set())
    words = [w.lower() for w in _LETTER_RUN.findall(text)]
    hits = sum(1 for w in words if w in own)
    return hits >= max(2, 0.15 * len(words))


@lru_cache(maxsize=None)
def _distinct_function_words(language: str) -> frozenset[str]:
    """The language's function words that no other listed language shares."""
    others = set().union(*(words for code, words in _FUNCTION_WORDS.items() if code != language))
    return frozenset(_FUNCTION_WORDS.get(language, set()) - others)


def _speaks_only(text: str, language: str) -> bool:
    """`_speaks` for every possible detected language at once.

    Words no other language shares are a subset of `own - detected` for any
    detected language, so when they alone clear `_speaks`' bar the verdict
    is already known and the detectors need not run.
    """
    distinct = _distinct_function_words(language)
    if not distinct:
        return False
    words = _LETTER_RUN.findall(text)
    hits = sum(1 for word in words if word.lower() in distinct)
    return hits >= max(2, 0.15 * len(words))


def _drop_names(text: str) -> str:
    """Remove capitalised words after the first (names, titles, acronyms)."""
    chunks = text.split()
    kept = chunks[:1] + [chunk for chunk in chunks[1:] if not any(ch.isupper() for ch in chunk)]
    return " ".join(kept)


# --- scripts -----------------------------------------------------------------

_SCRIPTS: dict[str, set[str]] = {}
for _codes, _scripts_of in (
    ("ru uk be bg mk kk ky mn tg sah ba tt cv", {"CYRILLIC"}),
    ("sr", {"CYRILLIC"}),
    ("el", {"GREEK"}),
    ("ja", {"HAN", "HIRAGANA", "KATAKANA"}),
    ("zh", {"HAN", "BOPOMOFO"}),
    ("ko", {"HANGUL", "HAN"}),
    ("he yi", {"HEBREW"}),
    ("ar fa ur ps ckb ug sd", {"ARABIC"}),
    ("hi mr ne sa mai", {"DEVANAGARI"}),
    ("bn as", {"BENGALI"}),
    ("pa", {"GURMUKHI"}),
    ("gu", {"GUJARATI"}),
    ("ta", {"TAMIL"}),
    ("te", {"TELUGU"}),
    ("kn", {"KANNADA"}),
    ("ml", {"MALAYALAM"}),
    ("si", {"SINHALA"}),
    ("or", {"ORIYA"}),
    ("th", {"THAI"}),
    ("lo", {"LAO"}),
    ("km", {"KHMER"}),
    ("my", {"MYANMAR"}),
    ("ka", {"GEORGIAN"}),
    ("hy", {"ARMENIAN"}),
    ("am ti", {"ETHIOPIC"}),
    ("bo", {"TIBETAN"}),
    (
        "en de fr es it pt nl cs sk pl hr bs sl ro hu fi et lv lt is tr sv da no nb nn id ms vi "
        "ha sw yo ig zu xh af ga gd cy eu ca gl sq mt lb tl az uz tk so",
        set(),
    ),
):
    for _code in _codes.split():
        _SCRIPTS[_code] = _scripts_of | {"LATIN"}


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name (CJK ideographs -> HAN)."""
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "HAN"
    if "KATAKANA" in name:
        return "KATAKANA"
    if name.startswith("FULLWIDTH LATIN"):
        return "LATIN"
    if name.startswith(("MODIFIER", "HALFWIDTH HANGUL")):
        return "HANGUL" if "HANGUL" in name else "COMMON"
    return name.split(" ", 1)[0] if name else "COMMON"


_LETTERS = re.compile(r"[^\W\d_]+")
# Internationalised domain names are addresses, not text.
# The domain alternative starts only where a run of name characters starts:
# tried inside a long run of letters (CJK text has no spaces), each start
# scanned to the run's end, quadratic.
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.-])[\w.-]+\.(?:рф|рус|укр|срб|мкд|бг|бел|қаз|мон|中国|中國|公司|网络|香港|台灣|日本)\b\S*")
# A gloss in parentheses or a quotation may rightly keep the original script:
# "Xi Jinping (习近平)", the slogan «Слава Україні».
_GLOSS = re.compile(
    r"\([^()]*\)|\[[^\[\]]*\]|“[^“”]*”|„[^„“”]*[“”]|«[^«»]*»|»[^«»]*«|\"[^\"]*\"|「[^「」]*」|『[^『』]*』"
)

# Letters that look alike across Latin, Cyrillic and Greek, keyed by the
# script they would be replaced with.
_LOOKALIKES = {
    "CYRILLIC": dict(zip("aeopcyxijsëABEKMHOPCTXYIJSË", "аеорсухіјѕёАВЕКМНОРСТХУІЈЅЁ")),
    "LATIN": dict(
        zip(
            "аеорсухіјѕԁԛԝАВЕКМНОРСТХУІЈЅοΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
            "aeopcyxijsdqwABEKMHOPCTXYIJSoABEZHIKMNOPTYX",
        )
    ),
}


@lru_cache(maxsize=1 << 16)
def _may_flag(word: str, language: str) -> bool:
    """Whether a word could be a finding of _scripts at all: letters of two
    scripts, or of one the language does not use. Most words of a text are
    repeats of a few thousand, so this is asked once per distinct word of a
    text, and answered from a cache across texts."""
    scripts = _word_scripts(word)
    if len(scripts) > 1:
        return True
    expected = _SCRIPTS.get(language)
    return expected is not None and len(word) >= 2 and bool(scripts) and not (scripts <= expected)


@lru_cache(maxsize=1 << 14)
def _letter_script(char: str) -> str:
    """The script `_word_scripts` counts for a character of a word, or
    COMMON for one that is no part of any word."""
    return _script(char) if _LETTERS.match(char) else "COMMON"


def _only_latin_letters(text: str) -> bool:
    """Whether every letter of the text is Latin (or of no script).

    Then no word mixes two scripts and none is written in another one: the
    answer for every Latin-script text (accents and all), told from its
    distinct characters, a few dozen, instead of its distinct words."""
    return all(_letter_script(char) in _LATIN_OR_COMMON for char in set(text) if not char.isascii())


_LATIN_OR_COMMON = frozenset({"LATIN", "COMMON"})


def _scripts(unit: TextUnit, language: str) -> Iterator[Finding]:
    text = unit.text
    expected = _SCRIPTS.get(language)
    if (expected is None or "LATIN" in expected) and _only_latin_letters(text):
        return
    if not any(_may_flag(word, language) for word in set(_LETTERS.findall(text)) if not word.isascii()):
        return  # the common case: every word in the language's scripts, decided per distinct word
    # Built when first needed, and asked in log time per word (a scan of
    # every gloss per word was quadratic in a Russian article full of «»).
    glosses: SpanReach | None = None
    pending: tuple[int, int, str] | None = None  # a wrong-script fragment being extended
    urls: SpanReach | None = None
    for match in _LETTERS.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        if match.start() and text[match.start() - 1] == "\\":
            continue  # a literal escape such as `\nА` is not a word
        if urls is None:
            urls = SpanReach(m.span() for m in _URL.finditer(text))
        if urls.overlaps(match.start(), match.start() + 1):
            continue  # стопкоронавирус.рф, https://премияарсеньева.рф/
        scripts = _word_scripts(word)
        if len(scripts) > 1:
            finding = _mixed(unit, match, scripts, expected)
            if finding is not None:
                yield finding
            continue
        if expected is None or not scripts or len(word) < 2:
            continue
        script = next(iter(scripts))
        if script in expected or script == "COMMON":
            continue
        if glosses is None:
            glosses = SpanReach(m.span() for m in _GLOSS.finditer(text))
        if glosses.covers(match.start(), match.end()):
            continue
        if pending and pending[2] == script and not _LETTERS.search(text, pending[1], match.start()):
            pending = (pending[0], match.end(), script)  # one fragment: `новый закон`
            continue
        if pending:
            yield _wrong_script(unit, pending, language)
        pending = (match.start(), match.end(), script)
    if pending:
        yield _wrong_script(unit, pending, language)


@lru_cache(maxsize=1 << 16)
def _word_scripts(word: str) -> frozenset[str]:
    """Scripts of a word's letters; cached, as news repeats its words."""
    return frozenset(_script(ch) for ch in word) - {"COMMON"}


def _wrong_script(unit: TextUnit, fragment: tuple[int, int, str], language: str) -> Finding:
    start, end, script = fragment
    return make_finding(
        "language.wrong-script",
        unit,
        start,
        end,
        f"{script.title()} text {unit.text[start:end]!r} in a {langid.language_name(language)} "
        "document: left untranslated?",
    )


def _mixed(
    unit: TextUnit, match: re.Match[str], scripts: frozenset[str], expected: set[str] | None
) -> Finding | None:
    """A word with letters of two alphabets where one side is all look-alikes.

    `Moscоw` (Cyrillic о) is a spelling error that search and spell checkers
    cannot see; `iPhoneом` or `CO₂-Ausstoß` are not flagged because the
    minority letters are not look-alikes or the scripts are not alphabets
    that share shapes.
    """
    if not scripts <= {"LATIN", "CYRILLIC", "GREEK"}:
        return None
    word = match.group()
    counts = {script: sum(1 for ch in word if _script(ch) == script) for script in scripts}
    # On a tie the document's own alphabet wins: `еë` is Cyrillic with a Latin ë.
    native = (expected or set()) - {"LATIN"}
    majority = max(counts, key=lambda s: (counts[s], s in native, s == "LATIN"))
    if majority == "GREEK":
        return None
    table = _LOOKALIKES["CYRILLIC" if majority == "CYRILLIC" else "LATIN"]
    minority = [ch for ch in word if _script(ch) not in (majority, "COMMON")]
    if not minority or not all(ch in table for ch in minority):
        return None
    repaired = "".join(table.get(ch, ch) if _script(ch) != majority else ch for ch in word)
    foreign = sorted({_script(ch).title() for ch in minority})
    return make_finding(
        "language.mixed-script",
        unit,
        match.start(),
        match.end(),
        f"Word {word!r} mixes {majority.title()} with look-alike {'/'.join(foreign)} letters "
        f"({''.join(minority)!r})",
        [repaired],
    )
