"""Numbers of a source and its translation, read the way each language writes them.

`1,000.5` (English) is `1.000,5` in German and `1 000,5` in French; `12%` is
`12 %`; `three` is `drei` is `3`; `2 pm` is `14:00` is `14 Uhr`; `５` is `5`.
Each number written with digits becomes a set of values it may stand for:
one value where the language's decimal sign is known (Babel's locale data),
both readings of `1,000` where it is not. A source number is accounted for
by a target number that may stand for the same value. A number spelled out
(num2words's words for 0-20 in the language), or a month named next to a
number (Babel's month names), accounts for one written with digits on the
other side, but is never itself required: `one of them` is no number to
carry over.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Callable, Iterator, NamedTuple

from mtqa.languages import rule_language
from mtqa.spans import SpanReach

# A number written with digits: grouped thousands (`1,000,000`, `1.000`,
# `1 000`, `1'000`), then an optional decimal part; or plain digits with an
# optional decimal part. Digits of any script (`５`, `٣`).
_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:(?P<group>[,.'\u00a0\u202f ])\d{3})(?:(?P=group)\d{3})*(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)(?!\d)"
)
# Clock times: `14:00`, `14.30 Uhr`, `14h30`, `2 pm`, `2:30 p.m.`.
_TIME = re.compile(
    r"(?<!\d)(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s?(?P<half>[ap]\.?\s?m\.?)(?![\w])"
    r"|(?<![\d.,:：])(?P<hour24>\d{1,2})[:h：](?P<minute24>\d{2})(?![\d:：])"
    r"|(?<![\d.,:])(?P<cjk_hour>\d{1,2})\s?[点點時时]\s?(?P<cjk_minute>\d{1,2})\s?分",  # `10 点 50 分`, `10時50分`
    re.IGNORECASE,
)
_CJK_AFTERNOON = re.compile(r"(?:下午|午後|晚上|夜)\s?$")
# A word with the apostrophes inside it: Ukrainian writes `п'ять` (five) and
# `сім'я` (family, not `сім`, seven) with one; French elides (`d'un`).
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
# Dates written with digits: `12.12.19`, `01.09.2004`, `12/12/2019`, `2022-04-03`, and a month with its
# year (`4.2022`): each part is a number of its own, which the other side may write in another order.
_DATE = re.compile(
    r"(?<![\d.,/-])(?:(?P<first>\d{1,2})(?P<sign>[./-])(?P<second>\d{1,2})(?P=sign)(?P<third>\d{4}|\d{2})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2})"
    r"|(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d{2})"
    # a day and month without a year, before a word in lower case or a placeholder: `am 26.12. versendet`
    r"|(?P<day>[012]?\d|3[01])\.(?P<day_month>0?[1-9]|1[0-2])\.(?=\s+[a-zäöüßéèàç]|#))(?![\d.,/-]?\d)"
)


_ENTITY_BEFORE = re.compile(r"&\s?(?:amp;\s?)*#\s?[xX]?$")
_CLOCK_LIKE = re.compile(r"(\d{1,2})[.,](\d{2})")
# A word right after a number may be a scale (million, Millionen, тыс., 万, 亿):
# the number then also stands for itself times each of these.
# (and a letter stuck to it: `$3K`, `£75m`)
_SCALE_AFTER = re.compile(r"[ \u00a0]?(?:[^\W\d_]{2,}|[万萬亿億千百]|[kKmMbB](?![^\W\d_]))")
_SCALES = (1e3, 1e4, 1e6, 1e8, 1e9, 1e12)


def _time(hour: int, minute: int) -> float:
    """A time of day as a value no count takes: minutes of the day, negated."""
    return -1.0 - (hour % 24) * 60 - minute


class Number(NamedTuple):
    """A number as written: where, the text, and the values it may stand for.
    (A named tuple: immutable like a frozen dataclass, and made three times
    faster, which counts where a text holds tens of thousands of numbers.)"""

    start: int
    end: int
    text: str
    values: frozenset[float]
    # What it stands for read with a scale word after it (`3 million` is
    # `300 万`): any word may be one, so these pair only where no value as
    # written does (`1 music` is no million).
    scaled: frozenset[float] = frozenset()


def digits_of(text: str) -> str:
    """Unicode digits as ASCII (`５` -> `5`); other characters unchanged."""
    if text.isascii():
        return text  # nearly every number: nothing to convert
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)


def _decimal_sign(language: str | None) -> str | None:
    if not language:
        return None
    return _babel_decimal(rule_language(language) or "")


@lru_cache(maxsize=None)
def _babel_decimal(language: str) -> str | None:
    try:
        from babel import Locale, UnknownLocaleError
        from babel.numbers import get_decimal_symbol
    except ImportError:
        return None
    try:
        return get_decimal_symbol(Locale.parse(language))
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=4096)
def _values(token: str, decimal: str | None) -> frozenset[float]:
    """The values a digit string may stand for (`1,000`: 1000 or 1.0);
    kept for the numbers a text repeats (years, counts, tables)."""
    plain = digits_of(token).replace("\u00a0", " ").replace("\u202f", " ")
    readings = []
    signs = [decimal] if decimal in (".", ",") else [".", ","]
    single = re.fullmatch(r"\d+([.,])(\d+)", plain)
    if single and len(single.group(2)) != 3:
        signs = [single.group(1)]  # `37.7`, `2,50`: only a decimal sign, whatever the locale says
    for sign in signs:
        other = "," if sign == "." else "."
        if plain.count(sign) > 1:
            continue  # `1.000.000` cannot have `.` as its decimal sign
        candidate = plain.replace(other, "").replace(" ", "").replace("'", "").replace(sign, ".")
        try:
            readings.append(float(candidate))
        except ValueError:
            continue
    if not readings:  # a grouping the locale does not use: read it as grouped thousands
        try:
            readings.append(float(re.sub(r"[^\d]", "", plain)))
        except ValueError:
            pass
    return frozenset(readings)


# Every pattern above starts with a digit that follows no digit: matches can
# only begin where a run of digits does, so each is tried there alone (the
# same matches as finditer, without trying every other position). The runs
# themselves come from `\d+`, which scans in half the time of `(?<!\d)\d`.
_DIGIT_RUN = re.compile(r"\d+")


def _at_runs(pattern: re.Pattern, text: str, runs: list[int]) -> Iterator[re.Match]:
    """pattern.finditer(text), for a pattern whose matches start at `runs`."""
    end = 0
    for start in runs:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match:
            yield match
            end = max(match.end(), start + 1)


# A decade: `90er`, `1990s`, `90's`, `90-е`, `1990-ih`, `90年代`, `années 90`.
_DECADE_AFTER = re.compile(r"(?:er|s|['’]s|-(?:е|х|ые|ых|ih|tih|ima|s))(?![^\W\d_])|\s*年代")
_DECADE_BEFORE = re.compile(r"(?:années|anni|años|jaren)\s+$", re.IGNORECASE)
_CJK_CENTURY_DECADE = re.compile(r"(?P<century>\d{1,2})\s*世纪\s*(?P<decade>\d0)\s*年代")


def _decade_values(digits: str) -> frozenset[float]:
    """The other ways of writing a decade: `90er` is the 1990s (or the
    2090s), `1990s` is the `90s`."""
    if not digits.isdigit() or not digits.endswith("0"):
        return frozenset()
    if len(digits) == 2:
        return frozenset({1900.0 + int(digits), 2000.0 + int(digits)})
    if len(digits) == 4:
        return frozenset({float(int(digits) % 100)})
    return frozenset()


@lru_cache(maxsize=4096)  # the same numbers come back (years, counts)
def _scaled(values: frozenset[float]) -> frozenset[float]:
    """The values times each scale, rounded (8.2 * 1e6 is 8199999.999999999,
    and must be 820 万), less the values themselves."""
    return frozenset(round(value * scale, 6) for value in values for scale in _SCALES) - values


_NONE: frozenset[float] = frozenset()


def numbers(text: str, language: str | None) -> list[Number]:
    """Every number written with digits. A clock time's values are its time
    of day and its hour, 12- and 24-hour (`2 pm` accounts for `14:00` and
    for the `14` of `14 Uhr`)."""
    decimal = _decimal_sign(language)
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    runs = [match.start() for match in _DIGIT_RUN.finditer(text)]
    if not runs:
        return found
    for match in _at_runs(_TIME, text, runs):
        if match.group("hour") is not None:
            hour = int(digits_of(match.group("hour")))
            minute = int(digits_of(match.group("minute") or "0"))
            if not 1 <= hour <= 12 or minute > 59:
                continue
            afternoon = match.group("half").lower().startswith("p")
            hour24 = hour % 12 + (12 if afternoon else 0)
        elif match.group("hour24") is not None:
            hour24, minute = int(digits_of(match.group("hour24"))), int(digits_of(match.group("minute24")))
            if hour24 > 24 or minute > 59:
                continue
            if hour24 < 12 and _CJK_AFTERNOON.search(text, max(0, match.start() - 4), match.start()):
                hour24 += 12  # 午後５：３０: 5.30 pm
        else:
            hour24, minute = int(digits_of(match.group("cjk_hour"))), int(digits_of(match.group("cjk_minute")))
            if hour24 > 24 or minute > 59:
                continue
            if hour24 < 12 and _CJK_AFTERNOON.search(text, max(0, match.start() - 4), match.start()):
                hour24 += 12  # 下午 3 点: 3 pm
        written = float(int(digits_of(match.group("hour") or match.group("hour24") or match.group("cjk_hour"))))
        values = frozenset({_time(hour24, minute), float(hour24), written})
        found.append(Number(match.start(), match.end(), match.group(), values))
        taken.append(match.span())
    times = SpanReach(taken)
    for match in _at_runs(_DATE, text, runs):
        if times.overlaps(match.start(), match.end()):
            continue  # overlaps a clock time
        # `12.12.19` is `12/12/19`; `01.09.2004` is `1 September 2004`
        for group in ("first", "second", "third", "iso_year", "iso_month", "iso_day", "month", "year", "day",
                      "day_month"):
            if match.group(group) is not None:
                part = match.group(group)
                found.append(Number(match.start(group), match.end(group), part,
                                    frozenset({float(int(digits_of(part)))})))
        taken.append(match.span())
    for match in _at_runs(_CJK_CENTURY_DECADE, text, runs) if "世纪" in text else ():
        if times.overlaps(match.start(), match.end()):
            continue
        century, decade = int(digits_of(match.group("century"))), int(digits_of(match.group("decade")))
        # `19 世纪 80 年代`, the 80s of the 19th century: the 1880s
        found.append(Number(match.start(), match.end(), match.group(),
                            frozenset({float((century - 1) * 100 + decade), float(decade)})))
        taken.append(match.span())
    taken.sort()
    next_time = 0  # times, dates and numbers all come in text order: one pass over each
    for match in _at_runs(_NUMBER, text, runs):
        while next_time < len(taken) and taken[next_time][1] <= match.start():
            next_time += 1
        if next_time < len(taken) and taken[next_time][0] <= match.start():
            continue  # part of a clock time or a date
        start, end, token = match.start(), match.end(), match.group()
        if text.find("#", max(0, start - 8), start) >= 0 and _ENTITY_BEFORE.search(text, max(0, start - 8), start):
            continue  # `&#39;`, `& # 39;`: a character reference, no number (the entity rules report it)
        values = written = _values(token, decimal)
        # `3 million` is `300 万` is `3 Millionen`; `7 тыс.` is `7,000`
        scaled = _scaled(values) if _SCALE_AFTER.match(text, end) else _NONE
        digits = digits_of(token)
        if digits.endswith("0") and (
                _DECADE_AFTER.match(text, end)
                or _DECADE_BEFORE.search(text, max(0, start - 8), start)):
            values |= _decade_values(digits)
        clock = _CLOCK_LIKE.fullmatch(digits) if 4 <= len(digits) <= 5 else None
        if clock and int(clock.group(1)) <= 24 and int(clock.group(2)) < 60:
            values |= {_time(int(clock.group(1)), int(clock.group(2)))}  # `14.30 Uhr`
        if values is not written:
            scaled = scaled - values  # (the cached sets are shared: a number makes no set of its own)
        if values:
            found.append(Number(start, end, token, values, scaled))
    return sorted(found, key=lambda n: n.start)


def spelled_values(text: str, language: str | None) -> list[float]:
    """Values of the numbers written without digits: small numbers spelled
    out, month names next to a number (`12 May`, `Mai 2022`) or capitalised
    (`from March to June` for `3至6月`; not the verb `may`), Roman numerals
    (`XVII` century) and Chinese / Japanese numerals (`第二`, `十二月`)."""
    base = rule_language(language) or ""
    words = _spelled(base)
    months = _months(base)
    stems = _stems(base)
    found: list[float] = []
    # The words of the text, case-folded, each with how often it comes; the
    # number words and month names among them by set intersection (reading
    # the words one by one was most of the bilingual pass's number reading).
    folded = text.casefold()
    if len(folded) == len(text):
        counts = Counter(_WORD.findall(folded))
    else:  # `İ`, `ΐ` fold to letters and combining marks, which would split their word in two
        counts = Counter(word.casefold() for word in _WORD.findall(text))
    if "'" in text or "’" in text or "ʼ" in text:
        for written in [word for word in counts if not word.isalpha()]:
            word = _as_read(written, words)
            if word != written:
                counts[word] += counts.pop(written)
    for word in counts.keys() & words.keys():
        found.extend([words[word]] * counts[word])
    if stems:  # inflected or compound: `trinaestogodišnjak`, `восемнадцати`
        for word in [word for word in counts if len(word) >= 7 and word[:3] in stems and word not in words]:
            value = next((value for stem, value in stems[word[:3]] if word.startswith(stem)), None)
            if value is not None:
                found.extend([value] * counts[word])
    has_digits = None
    for word in sorted(counts.keys() & months.keys() - words.keys()):
        if len(word) >= 7 and word[:3] in stems:
            continue  # a number word's stem's place (`_WORD`'s reading: no month)
        # A month capitalised counts; in lower case, next to a number (`le 12 mai`).
        for start, end in _month_places(text, folded, word, words):
            if text[start].isupper():
                found.append(months[word])
            else:
                if has_digits is None:
                    has_digits = bool(_DIGIT_RUN.search(text))
                if has_digits and _next_to_a_number(text, start, end):
                    found.append(months[word])
    for match in _ROMAN_WORD.finditer(text):
        written = match.group()
        if _after_a_letter(text, match.start()):
            continue  # the end of a word: `COVID`
        word = written.casefold()
        if word in words or word in months or (len(word) >= 7 and word[:3] in stems):
            continue  # read above
        if _ROMAN.fullmatch(written):
            found.append(float(_roman(written)))
    for match in _CJK_NUMERAL.finditer(text):
        value = _cjk_value(match.group())
        if value is not None:
            found.append(float(value))
        approximate = _CJK_APPROXIMATE.match(match.group())
        if approximate:  # 七八十, seventy or eighty: the lower of the two as well
            found.append(float(value - _CJK_UNITS.get(approximate.group(1), 0)))
    return found


def _month_places(text: str, folded: str, month: str, words: dict[str, float]) -> Iterator[tuple[int, int]]:
    """Where the case-folded `month` stands as a word (or after an elided
    article: `d'Avril`) in `text`. Found in the folded text where folding
    kept every offset (the name first and the letter before it tested apart:
    a look-behind first would make the regex try every position); else
    (`Straße`, `Μαΐου` fold longer) word by word, as `_WORD` reads them."""
    if len(folded) == len(text):
        for match in re.finditer(re.escape(month) + r"(?![^\W\d_]|['’ʼ][^\W\d_])", folded):
            if not _after_a_letter(folded, match.start()):
                yield match.start(), match.end()
        return
    for match in _WORD.finditer(text):
        written = match.group()
        folded_word = written.casefold()
        word = _as_read(folded_word, words)
        if len(word) < len(folded_word):  # read without its elided article: `Avril` of `d'Avril`
            written = re.split("['’ʼ]", written)[-1]
        if word == month:
            yield match.end() - len(written), match.end()


# A word of Roman numeral letters alone (what follows is no letter, nor an
# apostrophe and letters: `XVII's` is no numeral, as `_WORD` reads it).
_ROMAN_WORD = re.compile(r"[MDCLXVI]{2,}(?![^\W\d_]|['’ʼ][^\W\d_])")


def spelling_screen(text: str, language: str | None) -> Callable[[frozenset[float]], bool]:
    """A test of whether `text` may spell out one of some values (False
    only where spelled_values would find none of them): one of the
    language's words, stems or month names of those values stands in the
    text as a word (`one`, not the end of `someone`), or a Roman or CJK
    numeral does. A few substring searches per value, each value once,
    instead of reading every word: most articles spell out none of the
    numbers the other side lacks."""
    if _ROMAN_RUN.search(text) or _CJK_NUMERAL.search(text):
        return lambda values: True
    forms = _forms_by_value(rule_language(language) or "")
    folded = text.casefold()
    seen: dict[float, bool] = {}

    def may_spell(values: frozenset[float]) -> bool:
        for value in values:
            if value in forms:
                if value not in seen:
                    seen[value] = any(_stands_as_a_word(folded, form, whole) for form, whole in forms[value])
                if seen[value]:
                    return True
        return False

    return may_spell


_ROMAN_RUN = re.compile("[MDCLXVI]{2}")
_LETTER = re.compile(r"[^\W\d_]")  # what `_WORD` reads as a letter


def _after_a_letter(text: str, at: int) -> bool:
    """Whether a letter comes right before `at`: a match there is inside a word."""
    return at > 0 and _LETTER.match(text, at - 1) is not None


def _as_read(word: str, words: dict[str, float]) -> str:
    """A case-folded word of `_WORD` as the number words are looked up: its
    apostrophes as `'` (`п’ять` is `п'ять`), and after an elided article or
    preposition the word alone (`d'un` is `un`)."""
    if word.isalpha():
        return word
    word = word.translate(_APOSTROPHES)
    if "'" in word and word not in words:
        word = word.rsplit("'", 1)[1]
    return word


def _stands_as_a_word(text: str, form: str, whole: bool) -> bool:
    """Whether `form` starts a word of `text` (and, if `whole`, ends it)."""
    at = text.find(form)
    while at >= 0:
        if not _after_a_letter(text, at) and not (whole and _LETTER.match(text, at + len(form))):
            return True
        at = text.find(form, at + 1)
    return False


@lru_cache(maxsize=None)
def _forms_by_value(language: str) -> dict[float, tuple[tuple[str, bool], ...]]:
    """What a word of each value starts with, case-folded, and whether it is
    the whole word: the number word (up to an apostrophe inside it, which the
    text may write another way), its stem (any ending), the month name."""
    forms: dict[float, set[tuple[str, bool]]] = {}

    def add(value: float, word: str, whole: bool) -> None:
        head = re.split("['’ʼ]", word)[0]
        forms.setdefault(value, set()).add((head, whole and head == word))

    for word, value in _spelled(language).items():
        add(value, word, True)
    for entries in _stems(language).values():
        for stem, value in entries:
            add(value, stem, False)
    for name, value in _months(language).items():
        add(value, name, True)
    return {value: tuple(sorted(found)) for value, found in forms.items()}


_ROMAN = re.compile(r"(?=[MDCLXVI]{2,})M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[char]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total


# Two neighbouring digits before a unit: an estimate (`七八十`, 70 or 80;
# `三四百`, 300 or 400); read as the higher, with the lower added.
_CJK_APPROXIMATE = re.compile("(?:一二|二三|三四|四五|五六|六七|七八|八九)([十百千])$")
_CJK_NUMERAL = re.compile("[〇零一二两兩三四五六七八九十百千万萬亿億]+")
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_MYRIAD = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def _cjk_value(numeral: str) -> int | None:
    """`二十四` -> 24, `三千` -> 3000, `两` -> 2 (the common forms)."""
    total = section = digit = 0
    for char in numeral:
        if char in _CJK_MYRIAD:
            total += ((section + digit) or 1) * _CJK_MYRIAD[char]  # `万名`: ten thousand people
            section = digit = 0
        elif char in _CJK_UNITS:
            section += (digit or 1) * _CJK_UNITS[char]
            digit = 0
        else:
            value = {"两": 2, "兩": 2, "〇": 0, "零": 0}.get(char)
            digit = value if value is not None else int(unicodedata.numeric(char))
    return total + section + digit


def _next_to_a_number(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d\.?\s*$", text[max(0, start - 6) : start]) or re.match(r"\s*\d", text[end : end + 4]))


# Languages num2words lacks, read with a close relative's number words:
# Croatian and Bosnian count as Serbian in Latin letters (`tri`, `četiri`).
_SPELLED_AS = {"hr": "sr", "bs": "sr"}


@lru_cache(maxsize=None)
def _spelled(language: str) -> dict[str, float]:
    """num2words's words for 0-20, the tens and 100 and 1000 in the language,
    where it has them (`ninety-year-old`, `une soixantaine`, `hundred`)."""
    language = _SPELLED_AS.get(language, language)
    if not language:
        return {}
    try:
        from num2words import num2words
    except ImportError:
        return {}
    words: dict[str, float] = {}
    for value in [*range(0, 21), *range(30, 100, 10), 100, 1000]:
        try:
            spelled = num2words(value, lang=language)
        except (NotImplementedError, KeyError, ValueError, TypeError, AttributeError):
            return {}
        if value >= 100 and " " in spelled:
            spelled = spelled.split()[-1]  # `one hundred`, `одна тысяча`: the word is the scale's
        if " " not in spelled and "-" not in spelled:  # one word only: `twenty`, not `twenty-one`
            words.setdefault(spelled.casefold(), float(value))
    return words


@lru_cache(maxsize=None)
def _stems(language: str) -> dict[str, list[tuple[str, float]]]:
    """The language's number words of six letters or more less their last
    letter, by their first three letters, longest first: the stems that
    inflected and compound forms start with (`trinaest-ogodišnjak`, 13-year-old;
    `osmnácti-letý`; `восемнадцат-и`)."""
    stems: dict[str, list[tuple[str, float]]] = {}
    for word, value in _spelled(language).items():
        if len(word) >= 6:
            stems.setdefault(word[:3], []).append((word[:-1], value))
    for entries in stems.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return stems


@lru_cache(maxsize=None)
def _months(language: str) -> dict[str, float]:
    """Babel's month names (wide and abbreviated) of the language."""
    if not language:
        return {}
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        return {}
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return {}
    months: dict[str, float] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context][width].items():
                for word in _WORD.findall(name):
                    months.setdefault(word.casefold(), float(number))
    return months


__all__ = ["Number", "digits_of", "spelling_screen", "numbers", "spelled_values"]
