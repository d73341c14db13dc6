"""HTML pages and fragments: check what a reader sees, fix only that.

The standard library's `html.parser` is a real, forgiving HTML tokenizer
(broken markup is normal on the web and must still work) that reports where
every tag, comment and text run starts. From those positions each unit keeps
a `TextMap` back into the file, so findings point at line:column of the page
and `mtqa fix` rewrites only the characters behind the damaged text.

What becomes a unit:
- the text of each block-level element (p, h1-h6, li, td, figcaption, ...):
  inline tags (`<a>`, `<em>`, `<span>`) are removed, so a sentence with a link
  in it is one unit; entities are decoded (`AT&amp;T` is `AT&T` to the
  checks) and whitespace runs read as one space, as a browser renders them;
- `alt` and `title` attributes, and the page description in `<meta>`.

Skipped: `<script>`, `<style>`, `<template>`, `<pre>`, `<textarea>`, `<svg>`,
`<math>`, comments; inline `<code>`/`<kbd>`/`<samp>`/`<var>` become one
protected placeholder character (U+FFFC) inside the sentence.

A double-escaped `&amp;quot;` in the source is the literal text `&quot;` in
the rendered page, so the checks see (and flag) exactly that.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from mtqa.errors import InputError
from mtqa.findings import Document, TextUnit
from mtqa.formats.base import ReadOptions, decode
from mtqa.formats.suppress import merge, parse_marker
from mtqa.formats.textmap import (
    PLACEHOLDER,
    LineIndex,
    TextMap,
    TextMapBuilder,
    write_back,
)
from mtqa.languages import rule_language

BLOCK = frozenset(
    """address article aside blockquote body button caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe
    label legend li main menu nav noscript ol optgroup option p section select summary table tbody td
    tfoot th thead title tr ul br""".split()
)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
SKIP = frozenset("script style template pre textarea svg math xmp plaintext listing".split())
SKIP_INLINE = frozenset("code kbd samp var tt".split())
# Skipped elements that also end the sentence around them (an inline `<svg>`
# icon or `<script>` inside a paragraph does not).
SKIP_BLOCK = frozenset("pre template textarea xmp plaintext listing".split())
# A start tag of one of these closes an open element of the same group.
AUTO_CLOSE = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"},
              "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}
TEXT_ATTRIBUTES = frozenset({"alt", "title"})
META_TEXT = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})

_TOKEN = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)|[ \t\n\r\f]+")
_TAG_NAME = re.compile(r"<[^\s/>]+")
_ATTR = re.compile(
    r"""(?P<name>[^\s/>"'=][^\s/>=]*)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+)))?"""
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def escape_text(text: str) -> str:
    """Spell new text for an HTML text node."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute_escape(quote: str):
    def escape(text: str) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if quote == '"':
            return text.replace('"', "&quot;")
        if quote == "'":
            return text.replace("'", "&#39;")
        return re.sub(r"""[\s"'=`]""", lambda m: f"&#{ord(m.group())};", text)

    return escape


_ESCAPES = {quote: _attribute_escape(quote) for quote in ('"', "'", "")}


def add_text(builder: TextMapBuilder, raw: str, offset: int, escape=escape_text) -> None:
    """Append raw HTML text (entities, whitespace) as the browser renders it."""
    position = 0
    for match in _TOKEN.finditer(raw):
        if match.start() > position:
            builder.verbatim(raw[position : match.start()], offset + position, escape)
        token = match.group()
        start, end = offset + match.start(), offset + match.end()
        if token[0] == "&":
            decoded = html.unescape(token)
            if decoded == token:
                builder.verbatim(token, start, escape)
            else:
                builder.atomic(decoded, start, end, escape)
        elif builder.is_empty() or builder.last_char() in (" ", "\n"):
            pass  # collapsed into the space before it
        elif token == " ":
            builder.verbatim(" ", start, escape)
        else:
            builder.atomic(" ", start, end, escape)
        position = match.end()
    if position < len(raw):
        builder.verbatim(raw[position:], offset + position, escape)


class _Recorder(HTMLParser):
    """Record every token with its start offset; the tokenizer decides, we only listen."""

    def __init__(self, lines: LineIndex) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = lines
        self.events: list[tuple] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines.starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", self._at(), tag, attrs))

    def handle_startendtag(self, tag, attrs):
        at = self._at()
        self.events.append(("start", at, tag, attrs))
        if tag not in VOID:
            self.events.append(("end", None, tag, None))

    def handle_endtag(self, tag):
        self.events.append(("end", self._at(), tag, None))

    def handle_data(self, data):
        self.events.append(("data", self._at(), None, None))

    def handle_comment(self, data):
        self.events.append(("comment", self._at(), data, None))

    def handle_decl(self, decl):
        self.events.append(("other", self._at(), None, None))

    def handle_pi(self, data):
        self.events.append(("other", self._at(), None, None))

    def unknown_decl(self, data):
        self.events.append(("other", self._at(), None, None))


@dataclass
class _Open:
    tag: str
    ignore: tuple[str, ...] = ()
    skip: bool = False
    # What holds for this element and every one it is inside: kept per entry so
    # that each event reads the top of the stack instead of walking it (a page
    # of unclosed tags nests thousands deep).
    skip_any: bool = False
    ignore_all: tuple[str, ...] = ()


@dataclass
class _Walk:
    """Turns the token stream into units; one instance per document."""

    source: str
    lines: LineIndex
    units: list[tuple[TextMap, tuple[str, ...]]] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    pending: tuple[str, ...] = ()
    file_ignore: tuple[str, ...] = ()
    current: TextMapBuilder | None = None
    current_ignore: tuple[str, ...] = ()
    language: str | None = None
    open_tags: dict[str, int] = field(default_factory=dict)  # open elements per tag name

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1].skip_any

    def stack_ignore(self) -> tuple[str, ...]:
        return self.stack[-1].ignore_all if self.stack else ()

    def push(self, tag: str, ignore: tuple[str, ...]) -> None:
        skip = tag in SKIP or tag in SKIP_INLINE
        parent = self.stack[-1] if self.stack else _Open("")
        inherited = merge(parent.ignore_all, ignore) if ignore else parent.ignore_all
        self.stack.append(_Open(tag, ignore, skip, skip or parent.skip_any, inherited))
        self.open_tags[tag] = self.open_tags.get(tag, 0) + 1

    def is_open(self, tag: str) -> bool:
        return self.open_tags.get(tag, 0) > 0

    def flush(self) -> None:
        builder, self.current = self.current, None
        if builder is None:
            return
        builder.trim_trailing(" \n")
        text = builder.text
        if text.strip(" \n" + PLACEHOLDER):
            self.units.append((builder.build(), self.current_ignore))
        self.current_ignore = ()

    def builder(self, anchor: int) -> TextMapBuilder:
        if self.current is None:
            self.current = TextMapBuilder(self.lines, anchor)
            self.current_ignore = ()
        self.current_ignore = merge(self.current_ignore, self.stack_ignore())
        return self.current

    def pop_to(self, index: int) -> None:
        popped = self.stack[index:]
        del self.stack[index:]
        for entry in popped:
            self.open_tags[entry.tag] -= 1
        if any(entry.tag in BLOCK for entry in popped):
            self.flush()

    def start(self, tag: str, attrs, raw_start: int, raw_end: int) -> None:
        ignore, self.pending = self.pending, ()
        if self.skipping():
            if tag in BLOCK and self.stack and self.stack[-1].tag in SKIP_INLINE:
                self.pop_to(len(self.stack) - 1)  # `<code>` left open before a new block
            else:
                if tag not in VOID:
                    self.push(tag, ignore)
                return
        if tag == "html":
            lang = dict(attrs).get("lang") or dict(attrs).get("xml:lang")
            if lang and not self.language:
                self.language = rule_language(lang)
        closes = AUTO_CLOSE.get(tag)
        if closes and any(self.is_open(name) for name in closes):
            for index in range(len(self.stack) - 1, -1, -1):
                entry = self.stack[index]
                if entry.tag in closes:
                    self.pop_to(index)
                    break
                if entry.tag in BLOCK:
                    break
        if tag in BLOCK or tag in SKIP_BLOCK:
            self.flush()
        element_ignore = merge(self.stack_ignore(), ignore)
        self._attribute_units(tag, attrs, raw_start, raw_end, element_ignore)
        if tag in SKIP_INLINE:
            self.builder(raw_start).protected(PLACEHOLDER, raw_start, raw_end)
        if tag not in VOID:
            self.push(tag, ignore)

    def end(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1) if self.is_open(tag) else ():
            if self.stack[index].tag == tag:
                self.pop_to(index)
                return
        if tag in BLOCK:
            self.flush()  # `</p>` without `<p>`, `</br>`: still a boundary

    def data(self, start: int, end: int) -> None:
        if self.skipping():
            return
        raw = self.source[start:end]
        if self.current is None and not raw.strip(" \t\n\r\f"):
            return
        add_text(self.builder(start), raw, start)

    def comment(self, body: str) -> None:
        marker = parse_marker(body)
        if marker is None:
            return
        if marker.whole_file:
            self.file_ignore = merge(self.file_ignore, marker.rules)
        else:
            self.pending = merge(self.pending, marker.rules)

    def _attribute_units(self, tag, attrs, raw_start: int, raw_end: int, ignore: tuple[str, ...]) -> None:
        values = {name: value for name, value in reversed(attrs)}
        wanted = set(TEXT_ATTRIBUTES)
        if tag == "meta" and ((values.get("name") or values.get("property") or "").lower() in META_TEXT):
            wanted.add("content")
        if not wanted.intersection(values):
            return
        raw = self.source[raw_start:raw_end]
        name_match = _TAG_NAME.match(raw)
        if not name_match:
            return
        position, seen = name_match.end(), set()
        while True:
            while position < len(raw) and raw[position] in " \t\n\r\f/":
                position += 1
            match = _ATTR.match(raw, position)
            if not match:
                break
            position = match.end()
            name = match.group("name").lower()
            if name in seen or name not in wanted:
                seen.add(name)
                continue
            seen.add(name)
            for group, quote in (("dq", '"'), ("sq", "'"), ("uq", "")):
                if match.group(group) is not None:
                    value, value_start = match.group(group), raw_start + match.start(group)
                    break
            else:
                continue
            builder = TextMapBuilder(self.lines, value_start)
            add_text(builder, value, value_start, _ESCAPES[quote])
            builder.trim_trailing(" ")
            expected = re.sub(r"[ \t\n\r\f]+", " ", values.get(name) or "").strip(" ")
            if builder.text != expected:
                continue  # we read the attribute differently from the tokenizer: leave it alone
            if builder.text.strip():
                self.units.append((builder.build(), ignore))


class Html:
    name = "html"
    extensions = (".html", ".htm", ".xhtml", ".shtml")

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document:
        text, encoding = _decode_page(data, source, options)
        lines = LineIndex(text)
        recorder = _Recorder(lines)
        try:
            recorder.feed(text)
            recorder.close()
        except Exception as error:  # the tokenizer is forgiving; this is a last resort
            line, column = recorder.getpos()
            raise InputError(source, f"cannot parse as HTML at line {line}, column {column + 1}: {error}") from None
        walk = _Walk(text, lines)
        events = recorder.events
        offsets = [event[1] for event in events]
        # An end tag synthesized for `<x/>` has no offset of its own: it ends where the next token starts.
        next_start = len(text)
        ends: list[int] = [0] * len(events)
        for index in range(len(events) - 1, -1, -1):
            ends[index] = next_start
            if offsets[index] is not None:
                next_start = offsets[index]
        for index, (kind, at, name, attrs) in enumerate(events):
            if kind == "start":
                walk.start(name, attrs, at, ends[index])
            elif kind == "end":
                walk.end(name)
            elif kind == "data":
                walk.data(at, ends[index])
            elif kind == "comment":
                walk.comment(name)
        walk.flush()
        maps: list[TextMap] = []
        units: list[TextUnit] = []
        ordered = sorted(walk.units, key=lambda pair: pair[0].source_offset(0))
        for text_map, ignore in ordered:
            line, column = text_map.position(0)
            units.append(
                TextUnit(
                    text=text_map.text,
                    line=line,
                    column=column,
                    position=text_map.position,
                    ignore=merge(ignore, walk.file_ignore),
                )
            )
            maps.append(text_map)
        return Document(
            id=source,
            units=units,
            language=options.language or walk.language,
            meta={"encoding": encoding, "source": text, "maps": maps, "format": self.name},
        )

    def write(self, document: Document, fixed_units: list[str]) -> bytes:
        return write_back(document, fixed_units)


def _decode_page(data: bytes, source: str, options: ReadOptions) -> tuple[str, str]:
    """UTF-8 first; a page that is not UTF-8 but declares its charset is read in it."""
    try:
        return decode(data, source, options)
    except InputError:
        declared = _META_CHARSET.search(data[:4096])
        if options.encoding or not declared:
            raise
        charset = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            raise InputError(
                source, f"declares charset {charset!r} but is not valid in it; pass --encoding"
            ) from None
