"""Damaged characters: mojibake, control and invisible characters, U+FFFD.

Text that went through a wrong decode (`cafÃ©`, `donâ€™t`) is repaired with
ftfy, but only with its encoding fixers: quote uncurling, width folding,
ligature splitting, NFC and line-break changes would "fix" text that is
already right, which the design forbids. ftfy sees one line at a time and only
lines that are not pure ASCII (ASCII cannot be mojibake), and the costly
alignment of original against repaired text runs only where ftfy changed
something, so the family costs about what one ftfy pass costs.

Each repair is reported where it happened, widened to the damaged word, so an
editor sees `cafÃ©` -> `café` rather than one finding for the whole text.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from functools import lru_cache
from typing import Iterator

import ftfy
import ftfy.badness

from mtqa.findings import Finding, TextUnit
from mtqa.rules import DISPLAY_ONLY, SAFE, CheckContext, Example, define_rule, make_finding, register_check
from mtqa.spans import SpanReach

CATEGORY = "Fluency/Character encoding"

define_rule(
    "encoding.mojibake",
    category=CATEGORY,
    severity="major",
    description="Text decoded with the wrong encoding (cafÃ©, donâ€™t); ftfy's repair is suggested.",
    why="A reader sees garbage in place of accented letters and quotation marks; search and "
    "spell-checking miss the word.",
    fix=SAFE,
    examples=[
        Example("Le prÃ©sident a parlÃ© hier soir.", "Le président a parlé hier soir.", lang="fr"),
        Example("He said he didnâ€™t know.", "He said he didn’t know."),
        Example("Die StraÃŸe bleibt gesperrt.", "Die Straße bleibt gesperrt.", lang="de"),
    ],
    clean=[
        Example("The café reopened and Zoë came back."),
        Example("Le président a parlé à la télévision.", lang="fr"),
        Example("« Ça ira », a dit le maire à 20 h.", lang="fr"),
    ],
)
define_rule(
    "encoding.control-char",
    category=CATEGORY,
    severity="major",
    description="A C0/C1 control character or terminal escape sequence inside the text.",
    why="Invisible in most editors, it breaks XML and JSON exports and shows as a box or "
    "a colour change on some screens.",
    fix=SAFE,
    examples=[
        Example("The town\x07 was quiet.", "The town was quiet."),
        Example("The \x1b[31mred\x1b[0m alert ended.", "The red alert ended."),
    ],
    clean=[
        Example("The town was quiet.\nThe next day it was not."),
        Example("Columns\tseparated by tabs stay."),
    ],
)
define_rule(
    "encoding.zero-width",
    category=CATEGORY,
    severity="minor",
    description="An invisible zero-width character where the script does not use one.",
    why="It splits a word for search, hyphenation and spell-checking while looking intact.",
    fix=SAFE,
    examples=[
        Example("The zero\u200bwidth space hides here.", "The zerowidth space hides here."),
        Example("The minister\u200b said no.", "The minister said no."),
    ],
    clean=[
        Example("می\u200cخواهم بروم.", lang="fa"),  # Persian needs the zero-width non-joiner
        Example("Prices \u2013 and rents \u2014 rose."),
    ],
)
define_rule(
    "encoding.bidi-control",
    category=CATEGORY,
    severity="minor",
    description="An invisible bidirectional control character (U+200E, U+200F, U+061C, U+202A-U+202E, "
    "U+2066-U+2069) in left-to-right text, left by copying from a right-to-left page.",
    why="It reorders what the reader sees without showing itself (a name or number may read backwards) "
    "and breaks search in the published article.",
    fix=SAFE,
    examples=[
        Example("The mayor\u200e said no.", "The mayor said no."),
        Example("Read \u202ethe notice\u202c now.", "Read the notice now."),
    ],
    clean=[
        Example("\u05e9\u05dc\u05d5\u05dd\u200f 2024 \u05e2\u05d5\u05dc\u05dd", lang="he"),  # RTL text needs its marks
        Example("\u0645\u0631\u062d\u0628\u0627 \u200eBBC\u200e \u0647\u0646\u0627", lang="en"),  # a paragraph with RTL script
    ],
)
define_rule(
    "encoding.bom",
    category=CATEGORY,
    severity="minor",
    description="A byte-order mark (U+FEFF) inside the text, left over from joining files.",
    why="An invisible character inside a word breaks search and shows as a box in some fonts.",
    fix=SAFE,
    examples=[
        Example("Joined\ufefffiles leave marks.", "Joinedfiles leave marks."),
        Example("The first part.\ufeff The second part.", "The first part. The second part."),
    ],
    clean=[
        Example("The first part. The second part."),
        Example("A file with no byte-order mark at all."),
    ],
)
define_rule(
    "encoding.replacement-char",
    category=CATEGORY,
    severity="major",
    description="U+FFFD (also mis-decoded, `ï¿½`) or a lone surrogate: a character was lost in conversion "
    "and cannot be recovered.",
    why="The original letter is gone: only the source or the original file can say what it was.",
    fix=DISPLAY_ONLY,
    examples=[
        Example("A lost \ufffd character.", "A lost \ufffd character."),
        Example("Caf\ufffd prices rose.", "Caf\ufffd prices rose."),
        # U+FFFD mis-decoded: repaired to the U+FFFD it was (encoding.mojibake), and still a loss
        Example("Caf\u00ef\u00bf\u00bd prices rose.", "Caf\ufffd prices rose."),
    ],
    clean=[
        Example("A question mark? Not a lost character."),
        Example("The café kept its accent."),
    ],
)

# Only the fixers that undo wrong decoding; everything else could change
# correct text (curly quotes, full-width CJK punctuation, ligatures, NFC).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # the entities family owns entities
    remove_terminal_escapes=False,  # reported as control characters instead
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,  # would turn damage into U+FFFD, not a repair
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# The right double quote is UTF-8 E2 80 9D; 0x9D has no Windows-1252
# character, so the decoder drops it and `â€` is left alone ("the â€œbestâ€
# deal"). ftfy then reads `â€ ` as a dagger (E2 80 A0). Restoring the lost
# byte first lets ftfy produce the quote that was meant. `â€` followed by a
# character that Windows-1252 gives a continuation byte is left to ftfy.
# Windows-1250 (Central European) gives continuation bytes other letters
# (`â€ś` is `“` read as Windows-1250): those are left to ftfy too.
_CONTINUATION = ("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ" + "".join(map(chr, range(0x80, 0xC0)))
                 + bytes(range(0x80, 0xC0)).decode("cp1250", errors="ignore"))
_LOST_CLOSING_QUOTE = re.compile("â€(?![" + re.escape(_CONTINUATION) + "\ufffd])")  # `â€�`: ftfy's

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # ANSI terminal escape (colour codes)
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u180e\u2061-\u2064\ufeff]+")
# `ï¿½` is U+FFFD's UTF-8 bytes read as Latin-1/Windows-1252: the character
# was lost first and the loss then mis-decoded. It is repaired as ftfy does,
# to the U+FFFD it was (one character, the mark every tool knows), and
# reported as the loss it is, before and after: only the source can say
# which character was lost.
_MISDECODED_REPLACEMENT = "\u00ef\u00bf\u00bd"
_LOST = re.compile(f"\ufffd+|[\ud800-\udfff]|(?:{_MISDECODED_REPLACEMENT})+")
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]+")
# Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
# presentation forms) and the languages written in them: there the marks
# are how mixed-direction text is typed.
_RTL_SCRIPT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr"}
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2060-\u2064\u180e\ufeff\ufffd\ud800-\udfff"
                      "\u061c\u202a-\u202e\u2066-\u2069]"
                      f"|{_MISDECODED_REPLACEMENT}")

# Scripts in which ZWNJ/ZWJ (and, for some, ZWSP) are part of correct
# spelling: Arabic-script languages (Persian mi‌khaham), Indic scripts
# (Hindi half forms), Sinhala, Myanmar, Khmer, Tibetan, Mongolian.
_JOINER_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic Ext.
    (0x0900, 0x0DFF),  # Devanagari .. Sinhala
    (0x0F00, 0x109F),  # Tibetan, Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari extended
    (0xFB50, 0xFEFC),  # Arabic presentation forms
)
# Scripts written without spaces that use ZWSP to mark word breaks.
_ZWSP_SCRIPTS = ((0x0E00, 0x0EFF), (0x0F00, 0x109F), (0x1780, 0x17FF))
_ZWSP_LANGUAGES = {"th", "lo", "km", "my", "bo", "dz"}


def _in_ranges(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _is_emoji_part(char: str) -> bool:
    """Emoji ZWJ sequences (family, profession emoji) need the joiner."""
    code = ord(char)
    return (
        unicodedata.category(char) == "So"
        or 0x1F000 <= code <= 0x1FAFF
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or code == 0x20E3
    )


@register_check(
    "encoding.mojibake",
    "encoding.control-char",
    "encoding.zero-width",
    "encoding.bidi-control",
    "encoding.bom",
    "encoding.replacement-char",
)
def check_encoding(unit: TextUnit, context: CheckContext) -> Iterator[Finding]:
    text = unit.text
    repaired: list[tuple[int, int]] = []
    if not text.isascii():
        position = 0
        for line in text.split("\n"):
            if not line.isascii():
                for start, piece in _pieces(line):
                    for finding in _mojibake(unit, piece, position + start, context.language):
                        repaired.append((finding.start, finding.end))
                        yield finding
            position += len(line) + 1
    if not _SUSPECT.search(text):
        return
    yield from _controls(unit, repaired)
    yield from _invisibles(unit, context.language)
    yield from _bidi_controls(unit, context.language)
    yield from _lost_characters(unit)


PIECE = 65536  # characters: ftfy's time grows faster than its input on a line of megabytes
# Where a line may be cut for ftfy: at a space after an ASCII character other
# than a space, or after one that Windows-1252 gives a UTF-8 continuation byte
# (`©` of `cafÃ©`), if the characters before it then read as a whole UTF-8
# sequence. A space inside a damaged sequence is a no-break space that lost
# its byte (`Ã  la`, `â€ `, `â© `), and none of these is taken for a cut.
_BYTE_OF = {char: 0x80 + n for n, char in enumerate(bytes(range(0x80, 0x100)).decode("sloppy-windows-1252"))}
_CONTINUATION_CHARS = "".join(char for char, byte in _BYTE_OF.items() if byte < 0xC0)
_BREAK_CANDIDATE = re.compile(
    r"(?<=[\x00-\x1f\x21-\x7f]) |(?<=[" + re.escape(_CONTINUATION_CHARS) + "]) "
)


def _ends_whole_sequence(line: str, end: int) -> bool:
    """Whether the characters before `end`, read as Windows-1252 bytes, end
    in a lead byte and exactly the continuation bytes it asks for."""
    continuations = 0
    position = end - 1
    while position >= 0 and continuations < 4:
        byte = _BYTE_OF.get(line[position])
        if byte is None:
            return False
        if byte < 0xC0:
            continuations += 1
            position -= 1
            continue
        wanted = 1 if byte <= 0xDF else 2 if byte <= 0xEF else 3 if byte <= 0xF4 else 0
        return byte >= 0xC2 and wanted == continuations
    return False


def _safe_break(line: str, start: int) -> re.Match[str] | None:
    """The first place from `start` where the line may be cut (see above)."""
    for candidate in _BREAK_CANDIDATE.finditer(line, start):
        if line[candidate.start() - 1] < "\x80" or _ends_whole_sequence(line, candidate.start()):
            return candidate
    return None


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """A line as ftfy is given it, with each piece's offset: whole up to
    PIECE characters, else cut at the first safe space after PIECE
    characters (see `_BREAK_CANDIDATE`), so that no damaged sequence is cut.
    On one 4 MB line ftfy took 4.1 s whole and 1.5 s in pieces of 60,000
    characters; and ftfy cuts a line over a million characters itself,
    anywhere, even inside a sequence, which it then cannot decode whole."""
    start = 0
    while len(line) - start > PIECE:
        cut = _safe_break(line, start + PIECE)
        if cut is None:
            break
        yield start, line[start:cut.end()]
        start = cut.end()
    yield start, line[start:] if start else line


def _mojibake(unit: TextUnit, line: str, offset: int, language: str | None) -> Iterator[Finding]:
    """ftfy on one line; one finding per damaged word where it changed something."""
    fixed = _cyrillic_codepage(line) if language in _CYRILLIC_LANGUAGES else None
    if fixed is not None:
        how = " (Windows-1251 read as Windows-1252)"
    else:
        if "â€" not in line and _ftfy_leaves(line):
            return
        prepared = _LOST_CLOSING_QUOTE.sub("â€\x9d", line) if "â€" in line else line
        fixed = ftfy.fix_text(prepared, FTFY_CONFIG)
        if prepared is not line and fixed.count("\x9d") > line.count("\x9d"):
            # ftfy found no quote there (a hopeless garble): the restored
            # byte would come out as a control character of fix's making.
            prepared, fixed = line, ftfy.fix_text(line, FTFY_CONFIG)
        if fixed == line:
            return
        fixed = _extend_to_neighbours(line, fixed)
        how = _explain(prepared)
    for start, end, replacement in _changed_spans(line, fixed):
        if replacement.count("\ufffd") > _losses(line[start:end]):
            continue  # ftfy could only say a character is lost: no repair to offer
        # A Windows symbol-font glyph decodes to a private-use character that
        # shows as a box; the repair drops it rather than keep invisible junk.
        replacement = _PRIVATE_USE.sub("", replacement)
        damaged = line[start:end]
        if _is_c1_only(damaged):
            message = f"C1 control character for Windows-1252 {replacement!r}"
        else:
            message = f"Mojibake {damaged!r} should read {replacement!r}{how}"
        yield make_finding(
            "encoding.mojibake",
            unit,
            offset + start,
            offset + end,
            message,
            [replacement],
        )


# ftfy's encoding fixer starts by asking its own badness test whether the text
# looks like mojibake at all, and every other fixer FTFY_CONFIG enables needs
# a C1 control character or a surrogate. A line with none of the three comes
# back unchanged, so it is told without the call, which costs another 60 % of
# that test in fixer dispatch; most non-ASCII lines of news are such lines.
# (Over max_decode_length ftfy would test each segment on its own.)
_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")


def _ftfy_leaves(line: str) -> bool:
    """Whether ftfy.fix_text(line, FTFY_CONFIG) surely returns the line as it is."""
    return (
        len(line) <= FTFY_CONFIG.max_decode_length
        and not _C1_OR_SURROGATE.search(line)
        and not ftfy.badness.is_bad(line)
    )


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_WRONG_DECODINGS = ("sloppy-windows-1251", "sloppy-windows-1252")


def _losses(damaged: str) -> int:
    """Characters already marked lost in a damaged span: U+FFFD, and U+FFFD
    mis-decoded. A repair may write as many U+FFFD (`ï¿½` -> U+FFFD, `â€�`,
    a quote whose last byte was lost, -> U+FFFD), never more: fix would
    then mark a loss of its own making."""
    return damaged.count("\ufffd") + damaged.count(_MISDECODED_REPLACEMENT)


def _extend_to_neighbours(line: str, fixed: str) -> str:
    """Repair short words ftfy left between words it repaired.

    In a line mixing sound and damaged text ftfy repairs sequences that are
    unmistakably mojibake, but a two-letter word such as `РІ` (UTF-8 `в`
    read as Windows-1251) looks plausible on its own and is left:
    `лучшей РІ сезоне`. Next to a repaired word, a word that decodes
    cleanly the same wrong way is damaged too.
    """
    original_words, fixed_words = line.split(" "), fixed.split(" ")
    if len(original_words) != len(fixed_words):
        return fixed
    changed = [a != b for a, b in zip(original_words, fixed_words)]
    for index, word in enumerate(fixed_words):
        if changed[index] or not word or word.isascii() or "\ufffd" in word:
            continue  # U+FFFD is a loss, not mojibake: ftfy's codecs would make it byte 0x1A
        if not (index and changed[index - 1]) and not (index + 1 < len(changed) and changed[index + 1]):
            continue
        for codec in _WRONG_DECODINGS:
            try:
                decoded = word.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            if decoded != word and decoded.isprintable() and not ftfy.is_bad(decoded):
                fixed_words[index] = decoded
                changed[index] = True  # lets the next short word join in
                break
    return " ".join(fixed_words)

# Single-byte Cyrillic text (Windows-1251) shown as Windows-1252: "Ïðèâåò"
# for "Привет". ftfy leaves mixups between two single-byte code pages alone,
# but in a document that should be Cyrillic a line of accented Latin letters
# without one Cyrillic letter can only be this.
_CYRILLIC_LANGUAGES = {"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn"}
_CP1252_TO_CP1251: dict[int, str] = {}
for _byte in range(0x80, 0x100):
    _target = bytes([_byte]).decode("cp1251", errors="replace")
    if _target == "\ufffd":
        continue
    _CP1252_TO_CP1251[_byte] = _target  # the byte read as Latin-1 (C1 controls)
    try:
        _CP1252_TO_CP1251[ord(bytes([_byte]).decode("cp1252"))] = _target
    except UnicodeDecodeError:
        pass
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")


def _cyrillic_codepage(line: str) -> str | None:
    """The line re-read as Windows-1251, when it is plainly that mojibake."""
    accented = len(_LATIN1_LETTER.findall(line))
    if accented < 8:
        return None
    letters = sum(1 for ch in line if ch.isalpha())
    if accented < 0.6 * letters or any("\u0400" <= ch <= "\u04ff" for ch in line):
        return None
    fixed = line.translate(_CP1252_TO_CP1251)
    cyrillic = sum(1 for ch in fixed if "\u0400" <= ch <= "\u04ff")
    if cyrillic < 0.8 * letters or ftfy.is_bad(fixed):
        return None  # UTF-8 mojibake (ÐŸÑ€Ð¸) reads as `РџСЂРё` here: ftfy's case
    return fixed


def _explain(line: str) -> str:
    """ftfy's own account of the repair (e.g. UTF-8 read as Windows-1252)."""
    steps = ftfy.fix_and_explain(line, FTFY_CONFIG._replace(explain=True)).explanation or []
    encodings = [value for action, value in steps if action in ("encode", "decode")]
    if len(encodings) >= 2:
        return f" ({encodings[1].upper()} read as {encodings[0].replace('sloppy-', '').title()})"
    return ""


_C1 = re.compile("[\x80-\x9f]")


def _is_c1_only(text: str) -> bool:
    if not _C1.search(text):
        return False  # nearly every damaged word: no C1 character at all
    return all("\x80" <= ch <= "\x9f" or ch.isalnum() for ch in text) and any(
        "\x80" <= ch <= "\x9f" for ch in text
    )


@lru_cache(maxsize=4096)  # asked for every character around every repair
def _word_char(char: str) -> bool:
    """Characters a span widens over: letters and digits of spaced scripts.

    CJK and Thai have no spaces, so widening there would swallow a sentence.
    """
    if not (char.isalnum() or unicodedata.category(char).startswith("M")):
        return False
    code = ord(char)
    return not (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0x0E00 <= code <= 0x0EFF)


def _changed_spans(original: str, fixed: str, reach: int = 30) -> list[tuple[int, int, str]]:
    """Align code points and return (start, end, replacement) per damaged word.

    Edits separated only by word characters belong to one word (`naÃ¯veÃ©`);
    each group is widened over the word characters around it, which are equal
    in both texts, so the same widening applies to the fixed side.
    """
    groups: list[list[int]] = []  # [i1, i2, j1, j2]
    for i1, i2, j1, j2 in _changes(original, fixed):
        if groups:
            last = groups[-1]
            between = original[last[1] : i1]
            if len(between) <= reach and all(_word_char(ch) for ch in between):
                last[1], last[3] = i2, j2
                continue
        groups.append([i1, i2, j1, j2])
    widened: list[list[int]] = []
    for i1, i2, j1, j2 in groups:
        left = 0
        while left < reach and i1 - left > 0 and _word_char(original[i1 - left - 1]):
            left += 1
        right = 0
        while right < reach and i2 + right < len(original) and _word_char(original[i2 + right]):
            right += 1
        span = [i1 - left, i2 + right, j1 - left, j2 + right]
        if widened and span[0] <= widened[-1][1]:
            # Touches the previous word: both edges lie in equal runs, so the
            # pair keeps the alignment.
            widened[-1][1], widened[-1][3] = span[1], span[3]
        else:
            widened.append(span)
    return [(i1, i2, fixed[j1:j2]) for i1, i2, j1, j2 in widened]


# Words searched ahead for the next word both texts share, and the most
# characters aligned code point by code point at once.
_RESYNC_WORDS = 4
_CHAR_ALIGN_LIMIT = 2000
_KNOWN_PAIRS = 4096  # distinct damaged stretches remembered per line


def _changes(original: str, fixed: str) -> Iterator[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) of every change between a line and its repair, in order.

    Difflib over the code points of a whole line is quadratic to cubic in its
    length (a 6 KB line of `cafÃ© ` took 85 s). ftfy's repairs are local, so
    the two texts are aligned word by word first (a word with the space after
    it; mojibake rarely touches spaces), resynchronising at the next word both
    share; only the words between are aligned code point by code point.
    Linear in the length of the line.
    """
    old, new = _spaced_words(original), _spaced_words(fixed)
    old_starts, new_starts = _starts(old), _starts(new)
    known: dict[tuple[str, str], list[tuple[int, int, int, int]]] = {}  # a damaged word comes back
    i = j = 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            i, j = i + 1, j + 1
            continue
        found = _resync(old, new, i, j)
        if found is not None:
            a, b = found
        elif (len(original) - old_starts[i]) + (len(fixed) - new_starts[j]) <= _CHAR_ALIGN_LIMIT:
            # No word both share comes soon: windows of as many words on each
            # side would hold different text (`Ã  Ã  \ufffd` is `à à \ufffd`,
            # two words fewer), and the U+FFFD would seem deleted. The rest
            # of the line, short enough, is aligned code point by code point.
            a, b = len(old) - i, len(new) - j
        else:
            a, b = _RESYNC_WORDS, _RESYNC_WORDS
        if i + a < len(old) and j + b < len(new) and old[i + a] == new[j + b]:
            a, b = a + 1, b + 1  # with the shared word: difflib then aligns on it, as over the whole line
        a, b = min(a, len(old) - i), min(b, len(new) - j)
        x1, x2, y1, y2 = old_starts[i], old_starts[i + a], new_starts[j], new_starts[j + b]
        # The same damaged words come back (a name, a common word): each
        # distinct pair is aligned once, its offsets reused wherever it stands.
        pair = (original[x1:x2], fixed[y1:y2])
        relative = known.get(pair)
        if relative is None:
            relative = list(_char_changes(pair[0], pair[1], 0, len(pair[0]), 0, len(pair[1])))
            if len(known) < _KNOWN_PAIRS:
                known[pair] = relative
        for i1, i2, j1, j2 in relative:
            yield x1 + i1, x1 + i2, y1 + j1, y1 + j2
        i, j = i + a, j + b
    yield from _char_changes(original, fixed, old_starts[i], len(original), new_starts[j], len(fixed))


def _spaced_words(text: str) -> list[str]:
    """The text as words each with the spaces after it (and the spaces it
    starts with). `Ã ` with its lost no-break space read as a space is
    `Ã  Ã©tÃ©`; ftfy makes it `à été`: as many words on both sides, so
    each pairs with its repair (one space a word, `Ã` and ` Ã©tÃ©` were
    paired with `à ` and `été`, and `Mojibake '' should read 'été'`
    reported)."""
    return _SPACED_WORD.findall(text)


_SPACED_WORD = re.compile(r"[^ ]+ *| +")


def _starts(words: list[str]) -> list[int]:
    """Offset of each word, and the text's length after the last."""
    starts, at = [], 0
    for word in words:
        starts.append(at)
        at += len(word)
    return starts + [at]


def _resync(old: list[str], new: list[str], i: int, j: int) -> tuple[int, int] | None:
    """Words (a, b) to take from each side before both share a word again;
    (1, 1) when both have as many words left (ftfy then changed words, not
    spaces: pairing them is exact). None when no shared word comes within
    _RESYNC_WORDS: the caller aligns more than a window of words code point
    by code point (pairing words one to one there put a repaired `Ã ` (a
    lost no-break space) against the next word, and the findings with it)."""
    if len(old) - i == len(new) - j:
        return 1, 1
    for total in range(1, 2 * _RESYNC_WORDS + 1):
        for a in range(max(0, total - _RESYNC_WORDS), min(total, _RESYNC_WORDS) + 1):
            b = total - a
            if i + a < len(old) and j + b < len(new) and old[i + a].strip() and old[i + a] == new[j + b] \
                    and _agrees_after(old, new, i + a + 1, j + b + 1):
                return a, b
    return None


def _agrees_after(old: list[str], new: list[str], i: int, j: int) -> bool:
    """Whether the words after a shared word are shared too (or a side has
    none left): a resync on one word alone took the second of two U+FFFD
    for the first (`ï¿½ \ufffd the` is `\ufffd \ufffd the`), and the
    repaired `ï¿½` read as deleted."""
    return i >= len(old) or j >= len(new) or old[i] == new[j]


def _char_changes(original: str, fixed: str, i1: int, i2: int, j1: int, j2: int):
    """The changes between original[i1:i2] and fixed[j1:j2], code point by
    code point (a span too long to align so is one change)."""
    old, new = original[i1:i2], fixed[j1:j2]
    if old == new:
        return
    if len(old) + len(new) > _CHAR_ALIGN_LIMIT:
        yield i1, i2, j1, j2
        return
    prefix = len(os.path.commonprefix([old, new]))
    suffix = len(os.path.commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    middle_old, middle_new = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    if not set(middle_old) & set(middle_new):
        # nothing in common between the differing middles (`Ã©` -> `é`):
        # difflib's answer is this one change, found without it
        yield i1 + prefix, i1 + prefix + len(middle_old), j1 + prefix, j1 + prefix + len(middle_new)
        return
    # Only the middles: over the whole, difflib pairs the first of two equal
    # characters it can, and `DÃ©jÃ  ` (a lost no-break space) against
    # `Déjà ` kept the first space and deleted the second, which then joined
    # the next word's repair.
    matcher = difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            yield i1 + prefix + a1, i1 + prefix + a2, j1 + prefix + b1, j1 + prefix + b2


def _controls(unit: TextUnit, repaired: list[tuple[int, int]]) -> Iterator[Finding]:
    text = unit.text
    inside = SpanReach(repaired)  # a look-up per control, not a scan of every repair
    for match in _CONTROL.finditer(text):
        start, end = match.span()
        if inside.covers(start, end):
            continue  # already part of a mojibake repair (C1 for Windows-1252)
        char = match.group()
        replacement = ""
        if char in "\x0b\x0c\x1f\x1e\x1d\x1c\x85":  # separators: keep the words apart
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if not before.isspace() and not after.isspace():
                replacement = " "
        if char.startswith("\x1b["):
            what = f"terminal escape sequence {char!r}"
        else:
            what = f"control character U+{ord(char):04X} ({_char_name(char)})"
        yield make_finding(
            "encoding.control-char",
            unit,
            start,
            end,
            f"Invisible {what} in the text",
            [replacement],
        )


def _char_name(char: str) -> str:
    names = {
        "\x00": "NULL",
        "\x07": "BELL",
        "\x08": "BACKSPACE",
        "\x0b": "LINE TABULATION",
        "\x0c": "FORM FEED",
        "\x1b": "ESCAPE",
        "\x7f": "DELETE",
        "\x85": "NEXT LINE",
    }
    return names.get(char, "C1 control" if "\x80" <= char <= "\x9f" else "C0 control")


def _invisibles(unit: TextUnit, language: str | None) -> Iterator[Finding]:
    """BOMs one by one; zero-width characters as runs (`–⁠⁠⁠⁠⁠⁠` is one finding)."""
    text = unit.text
    for match in _INVISIBLE.finditer(text):
        start, end = match.span()
        run = match.group()
        if run == "\ufeff" or (len(run) > 1 and "\ufeff" in run):
            for offset, char in enumerate(run):
                if char == "\ufeff":
                    where = "at the start of the text" if start + offset == 0 else "inside the text"
                    yield make_finding(
                        "encoding.bom",
                        unit,
                        start + offset,
                        start + offset + 1,
                        f"Byte-order mark (U+FEFF) {where}",
                        [""],
                    )
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if len(run) == 1 and _legitimate_invisible(run, before + after, language):
            continue
        if set(run) == {"\u200b"} and _legitimate_invisible(run[0], before + after, language):
            continue  # ZWSP runs in Thai or Khmer
        names = sorted({unicodedata.name(char, "zero-width character").lower() for char in run})
        what = f"{len(run)} invisible characters" if len(run) > 1 else "Invisible character"
        yield make_finding(
            "encoding.zero-width",
            unit,
            start,
            end,
            f"{what}: {', '.join(names)} ({', '.join(f'U+{ord(c):04X}' for c in dict.fromkeys(run))})",
            [""],
        )


def _bidi_controls(unit: TextUnit, language: str | None) -> Iterator[Finding]:
    """Direction marks and embeddings in a paragraph without right-to-left
    script, in a language written left to right: nothing there for them to
    order, so they are debris of a copy (a run is one finding)."""
    if language in _RTL_LANGUAGES:
        return
    text = unit.text
    for match in _BIDI.finditer(text):
        start, end = match.span()
        paragraph_start = text.rfind("\n", 0, start) + 1
        paragraph_end = text.find("\n", end)
        if _RTL_SCRIPT.search(text, paragraph_start, paragraph_end if paragraph_end >= 0 else len(text)):
            continue
        names = ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(match.group()))
        yield make_finding("encoding.bidi-control", unit, start, end,
                           f"Invisible bidirectional control character ({names}) in left-to-right text", [""])


def _legitimate_invisible(char: str, neighbours: str, language: str | None) -> bool:
    """Joiners in scripts and emoji that need them; ZWSP in Thai-like scripts."""
    if char in "\u200c\u200d":
        return any(_in_ranges(ch, _JOINER_SCRIPTS) or _is_emoji_part(ch) for ch in neighbours)
    if char == "\u2060":
        return True  # a single word joiner keeps a dash or emoticon together: typography
    if char == "\u200b":
        return (language or "") in _ZWSP_LANGUAGES or any(_in_ranges(ch, _ZWSP_SCRIPTS) for ch in neighbours)
    return False


def _lost_characters(unit: TextUnit) -> Iterator[Finding]:
    for match in _LOST.finditer(unit.text):
        if match.group().startswith(_MISDECODED_REPLACEMENT):
            count = len(match.group()) // len(_MISDECODED_REPLACEMENT)
            message = (
                f"{'A replacement character' if count == 1 else f'{count} replacement characters'} "
                "U+FFFD, mis-decoded as “ï¿½”: the original character was lost before the text was "
                "mis-decoded, and only the source can say what it was"
            )
        elif match.group().startswith("\ufffd"):
            count = len(match.group())
            message = (
                "Replacement character U+FFFD: the original character was lost in conversion"
                if count == 1
                else f"{count} replacement characters U+FFFD: the original characters were lost"
            )
        else:
            message = f"Lone surrogate U+{ord(match.group()):04X}: half of a character was lost"
        yield make_finding("encoding.replacement-char", unit, match.start(), match.end(), message)
