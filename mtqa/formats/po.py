"""Gettext PO files: check each translation against its msgid, fix in place.

A PO reader that keeps the position of every string literal, so that a fix
rewrites only the characters it changes: line wrapping, comments, flags and
the order of entries stay as the translator's tool wrote them (translate-
toolkit and polib re-wrap strings when they save). The grammar is small and
strict here: anything that is not a comment, a keyword with a string, a
continuation string or a blank line is an error with its line number.

Placeholders are protected: printf (`%s`, `%(name)s`, `%1$d`) and brace
(`{name}`, `{0}`) placeholders that also occur in the msgid, and every printf
placeholder in an entry flagged `c-format`/`python-format`/... The checks
see them as they are (so a bilingual check can compare them with the msgid)
but a fix never rewrites them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtqa.errors import InputError
from mtqa.findings import Document, TextUnit
from mtqa.formats.base import ReadOptions, decode
from mtqa.formats.suppress import merge, parse_marker
from mtqa.formats.textmap import LineIndex, TextMap, TextMapBuilder, write_back
from mtqa.languages import rule_language

_KEYWORD = re.compile(r'^(?P<key>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)[ \t]*(?=")')
_PRINTF = re.compile(
    r"%(?:\d+\$|\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn%]"
)
_BRACE = re.compile(r"\{[A-Za-z0-9_.:\[\]!]*\}")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "?": "?", "'": "'"}


def escape_po(text: str) -> str:
    """Spell new text inside a PO string literal."""
    return (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


@dataclass
class _Char:
    char: str
    start: int
    end: int
    escaped: bool


@dataclass
class _String:
    chars: list[_Char] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)


@dataclass
class _Entry:
    line: int
    comments: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    msgctxt: _String | None = None
    msgid: _String | None = None
    msgid_plural: _String | None = None
    msgstr: dict[int, _String] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.entries: list[_Entry] = []

    def fail(self, line: int, message: str) -> InputError:
        return InputError(self.source, f"is not a valid PO file: line {line}: {message}")

    def parse(self) -> list[_Entry]:
        entry: _Entry | None = None
        current: _String | None = None
        offset = 0
        comments: list[str] = []
        flags: set[str] = set()
        for number, raw in enumerate(self.text.splitlines(keepends=True), start=1):
            line_start = offset
            offset += len(raw)
            line = raw.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                entry, current = self._close(entry), None
                continue
            if stripped.startswith("#~"):
                current = None  # obsolete entry: not part of the translation
                continue
            if stripped.startswith("#"):
                if entry is not None and entry.msgstr:
                    entry, current = self._close(entry), None
                if stripped.startswith("#,"):
                    flags.update(flag.strip() for flag in stripped[2:].split(","))
                elif stripped[1:2] in ("", " ", "\t"):
                    comments.append(stripped[1:].strip())
                continue
            match = _KEYWORD.match(stripped)
            indent = len(line) - len(line.lstrip())
            if match:
                key = match.group("key")
                if key in ("msgctxt", "msgid") and entry is not None and (entry.msgstr or entry.msgid is not None and key == "msgctxt"):
                    entry = self._close(entry)
                if entry is None:
                    entry = _Entry(line=number, comments=comments, flags=flags)
                    comments, flags = [], set()
                current = _String()
                self._literal(stripped[match.end() :], line_start + indent + match.end(), number, current)
                if key == "msgctxt":
                    entry.msgctxt = current
                elif key == "msgid":
                    if entry.msgid is not None:
                        raise self.fail(number, "a second msgid in the same entry")
                    entry.msgid = current
                elif key == "msgid_plural":
                    entry.msgid_plural = current
                else:
                    if entry.msgid is None:
                        raise self.fail(number, f"{key} without a msgid before it")
                    index = int(match.group("index") or 0)
                    entry.msgstr[index] = current
                continue
            if stripped.startswith('"'):
                if current is None:
                    raise self.fail(number, "a string that continues no msgid/msgstr")
                self._literal(stripped, line_start + indent, number, current)
                continue
            word = stripped.split()[0]
            raise self.fail(number, f"unexpected {word[:40]!r} (expected a comment, msgid, msgstr or a quoted string)")
        self._close(entry)
        return self.entries

    def _close(self, entry: _Entry | None) -> None:
        if entry is None:
            return None
        if entry.msgid is None:
            raise self.fail(entry.line, "an entry without msgid")
        if not entry.msgstr:
            raise self.fail(entry.line, "an entry without msgstr")
        self.entries.append(entry)
        return None

    def _literal(self, rest: str, start: int, number: int, into: _String) -> None:
        """Decode one `"..."` at file offset `start` into `into`, keeping positions."""
        if not rest.startswith('"'):
            raise self.fail(number, "expected a quoted string")
        i = 1
        while i < len(rest):
            char = rest[i]
            if char == '"':
                if rest[i + 1 :].strip():
                    raise self.fail(number, f"unexpected text after the closing quote: {rest[i + 1 :].strip()[:30]!r}")
                return
            if char == "\\":
                if i + 1 >= len(rest):
                    break
                code = rest[i + 1]
                if code in _SIMPLE_ESCAPES:
                    into.chars.append(_Char(_SIMPLE_ESCAPES[code], start + i, start + i + 2, True))
                    i += 2
                    continue
                octal = re.match(r"[0-7]{1,3}", rest[i + 1 :])
                hexa = re.match(r"x[0-9a-fA-F]{1,2}", rest[i + 1 :])
                if octal or hexa:
                    digits = (octal or hexa).group()
                    value = int(digits, 8) if octal else int(digits[1:], 16)
                    into.chars.append(_Char(chr(value), start + i, start + i + 1 + len(digits), True))
                    i += 1 + len(digits)
                    continue
                raise self.fail(number, f"unknown escape \\{code} in a string")
            into.chars.append(_Char(char, start + i, start + i + 1, False))
            i += 1
        raise self.fail(number, "unterminated string (no closing quote)")


def _placeholders(text: str, source: str, flags: set[str]) -> list[tuple[int, int]]:
    """Spans of `text` that are placeholders and must not change."""
    formatted = any(flag.endswith("-format") and not flag.startswith("no-") for flag in flags)
    spans: list[tuple[int, int]] = []
    for pattern in (_PRINTF, _BRACE):
        for match in pattern.finditer(text):
            if match.group() == "%%" and not formatted:
                continue
            if formatted and pattern is _PRINTF or match.group() in source:
                spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


def _build(string: _String, source_text: str, flags: set[str], lines: LineIndex, anchor: int) -> TextMap:
    builder = TextMapBuilder(lines, anchor)
    text = string.text
    spans = iter(_placeholders(text, source_text, flags) + [(len(text) + 1, len(text) + 1)])
    next_span = next(spans)
    i = 0
    while i < len(text):
        if i == next_span[0]:
            a, b = next_span
            builder.protected(text[a:b], string.chars[a].start, string.chars[b - 1].end)
            i = b
            next_span = next(spans)
            continue
        char = string.chars[i]
        if char.escaped:
            builder.atomic(char.char, char.start, char.end, escape_po)
        else:
            builder.verbatim(char.char, char.start, escape_po)
        i += 1
    return builder.build()


def _language(header: str) -> str | None:
    match = re.search(r"^Language:[ \t]*([A-Za-z_@-]*)", header, re.MULTILINE)
    if not match or not match.group(1):
        return None
    return rule_language(match.group(1))


class Po:
    name = "po"
    extensions = (".po", ".pot")

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document:
        text, encoding = decode(data, source, options)
        entries = _Parser(text, source).parse()
        lines = LineIndex(text)
        language: str | None = None
        file_ignore: tuple[str, ...] = ()
        for entry in entries:
            for comment in entry.comments:
                marker = parse_marker(comment)
                if marker and marker.whole_file:
                    file_ignore = merge(file_ignore, marker.rules)
        units: list[TextUnit] = []
        maps: list[TextMap] = []
        for entry in entries:
            msgid = entry.msgid.text if entry.msgid else ""
            if not msgid and entry.msgctxt is None:
                language = _language(entry.msgstr.get(0, _String()).text)
                continue
            ignore: tuple[str, ...] = ()
            for comment in entry.comments:
                marker = parse_marker(comment)
                if marker and not marker.whole_file:
                    ignore = merge(ignore, marker.rules)
            key = msgid if entry.msgctxt is None else f"{entry.msgctxt.text}|{msgid}"
            plural = entry.msgid_plural is not None
            for index, string in sorted(entry.msgstr.items()):
                if not string.text.strip():
                    continue
                source_text = entry.msgid_plural.text if plural and index > 0 else msgid
                anchor = string.chars[0].start
                text_map = _build(string, source_text, entry.flags, lines, anchor)
                line, column = text_map.position(0)
                units.append(
                    TextUnit(
                        text=text_map.text,
                        id=f"{key}[{index}]" if plural else key,
                        source=source_text,
                        line=line,
                        column=column,
                        position=text_map.position,
                        ignore=merge(ignore, file_ignore),
                    )
                )
                maps.append(text_map)
        return Document(
            id=source,
            units=units,
            language=options.language or language,
            meta={"encoding": encoding, "source": text, "maps": maps, "format": self.name},
        )

    def write(self, document: Document, fixed_units: list[str]) -> bytes:
        return write_back(document, fixed_units)
