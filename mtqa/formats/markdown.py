"""Markdown articles: check the prose, fix it in place without reflowing.

markdown-it-py (the CommonMark reference port) finds the blocks and the
source lines of each; within a paragraph, heading or table cell a small
scanner walks the inline syntax, because the checks must see prose only:

- code spans, autolinks and bare URLs become one protected placeholder
  (U+FFFC) so the sentence around them still reads as a sentence;
- link and image destinations, raw inline HTML and emphasis markers are
  left out; link text and image alt text are prose and are checked;
- backslash escapes and entities are decoded (`&amp;quot;` is the literal
  text `&quot;` once rendered, and is flagged as such);
- line breaks stay line breaks and are protected: a fix never joins lines;
- fenced and indented code blocks and HTML blocks are skipped;
- front matter (YAML `---` or TOML `+++`) is skipped except the values of
  title/subtitle/description/summary/excerpt keys.

Suppression: `<!-- mtqa: ignore RULE -->` before a block (see suppress.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from mtqa.errors import InputError
from mtqa.findings import Document, TextUnit
from mtqa.formats.base import ReadOptions, decode
from mtqa.formats.suppress import merge, parse_marker
from mtqa.formats.textmap import PLACEHOLDER, LineIndex, TextMap, TextMapBuilder, write_back

FRONT_KEYS = frozenset({"title", "subtitle", "description", "summary", "excerpt", "lead", "teaser"})
_PREFIX_CHARS = frozenset(" \t>-*+#0123456789.)|")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
_INLINE_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>", re.DOTALL)
_BARE_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\"*_"
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_FRONT_LINE = re.compile(
    r"""^(?P<key>[A-Za-z_][\w-]*)[ \t]*(?P<sep>:|=)[ \t]*(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^']|'')*)'|(?P<plain>[^\s"'\[{>|&*!%@`#][^\n]*?))[ \t]*$"""
)


def escape_markdown(text: str) -> str:
    """Spell new text so that Markdown renders it as typed."""
    text = re.sub(r"([\\`*_\[\]<|])", r"\\\1", text)
    return _ENTITY.sub(lambda m: "\\" + m.group(), text)


def _escape_double_quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _escape_single_quoted(text: str) -> str:
    return text.replace("'", "''")


@dataclass
class _Line:
    start: int  # offset of the line in the file
    text: str  # without its line ending


def _split_lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(_Line(start, body))
        start += len(raw)
    return lines


class _InlineScanner:
    """Turn one inline's source characters into prose pieces."""

    def __init__(self, content: str, offsets: list[int], builder: TextMapBuilder, references: set[str]):
        self.s = content
        self.offsets = offsets  # file offset of each content character
        self.b = builder
        self.references = references
        self.link_ends: dict[int, int] = {}  # index of a link's `]` -> index after its destination

    def src(self, index: int) -> int:
        return self.offsets[index] if index < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)

    def scan(self) -> None:
        s, i = self.s, 0
        while i < len(s):
            i = self.step(i)

    def step(self, i: int) -> int:
        s, b = self.s, self.b
        char = s[i]
        if i in self.link_ends:
            return self.link_ends.pop(i)
        if char == "\\" and i + 1 < len(s) and s[i + 1] in _ASCII_PUNCT:
            b.atomic(s[i + 1], self.src(i), self.src(i + 1) + 1, escape_markdown)
            return i + 2
        if char in " \t" or char == "\n" or (char == "\\" and s[i + 1 : i + 2] == "\n"):
            return self.whitespace(i)
        if char == "`":
            return self.code_span(i)
        if char == "<":
            for pattern, protected in ((_AUTOLINK, True), (_INLINE_HTML, False)):
                match = pattern.match(s, i)
                if match:
                    if protected:
                        b.protected(PLACEHOLDER, self.src(i), self.src(match.end() - 1) + 1)
                    return match.end()
        if char == "[" or (char == "!" and s[i + 1 : i + 2] == "["):
            opened = self.link(i + (1 if char == "!" else 0))
            if opened is not None:
                return opened
        if char in "hHfFwW" and (i == 0 or not s[i - 1].isalnum()):
            match = _BARE_URL.match(s, i)
            if match:
                end = match.end()
                while end > i and s[end - 1] in _URL_TRAILING:
                    end -= 1
                b.protected(PLACEHOLDER, self.src(i), self.src(end - 1) + 1)
                return end
        if char in "*_~":
            return self.delimiters(i)
        if char == "&":
            match = _ENTITY.match(s, i)
            if match:
                decoded = html.unescape(match.group())
                if decoded != match.group():
                    b.atomic(decoded, self.src(i), self.src(match.end() - 1) + 1, escape_markdown)
                    return match.end()
        b.verbatim(char, self.src(i), escape_markdown)
        return i + 1

    def whitespace(self, i: int) -> int:
        s, j = self.s, i
        while j < len(s) and s[j] in " \t":
            j += 1
        if j < len(s) and s[j] == "\\" and s[j + 1 : j + 2] == "\n":
            j += 1
        if j < len(s) and s[j] == "\n":
            # A line break (soft or hard): kept as one protected newline; the
            # next line's indentation and container prefix are not prose.
            self.b.protected("\n", self.src(i), self.src(j) + 1)
            j += 1
            while j < len(s) and s[j] in " \t":
                j += 1
            return j
        self.b.verbatim(s[i:j], self.src(i), escape_markdown)
        return j

    def code_span(self, i: int) -> int:
        s, j = self.s, i
        while j < len(s) and s[j] == "`":
            j += 1
        run = j - i
        search = j
        while True:
            close = s.find("`" * run, search)
            if close == -1:
                self.b.verbatim(s[i:j], self.src(i), escape_markdown)
                return j
            end = close + run
            if (close == 0 or s[close - 1] != "`") and (end >= len(s) or s[end] != "`"):
                self.b.protected(PLACEHOLDER, self.src(i), self.src(end - 1) + 1)
                return end
            search = end
            while search < len(s) and s[search] == "`":
                search += 1

    def link(self, bracket: int) -> int | None:
        """At `[` (or `![`): if it opens a link/image, drop the syntax, keep the text."""
        s = self.s
        depth, j = 0, bracket
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            if s[j] == "`":
                run = len(s[j:]) - len(s[j:].lstrip("`"))
                close = s.find("`" * run, j + run)
                j = close + run if close != -1 else j + run
                continue
            if s[j] == "[":
                depth += 1
            elif s[j] == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        else:
            return None
        after = j + 1
        if after < len(s) and s[after] == "(":
            end = self._balanced(after, "(", ")")
        elif after < len(s) and s[after] == "[":
            end = self._balanced(after, "[", "]")
        elif _normalize_label(s[bracket + 1 : j]) in self.references:
            end = after
        else:
            return None
        if end is None:
            return None
        self.link_ends[j] = end
        return bracket + 1

    def _balanced(self, start: int, open_: str, close: str) -> int | None:
        depth, j, s = 0, start, self.s
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            if s[j] == open_:
                depth += 1
            elif s[j] == close:
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return None

    def delimiters(self, i: int) -> int:
        s, j = self.s, i
        while j < len(s) and s[j] == s[i]:
            j += 1
        before = s[i - 1] if i > 0 else " "
        after = s[j] if j < len(s) else " "
        run = s[i:j]
        is_markup = not (before.isspace() and after.isspace())
        if s[i] == "_" and before.isalnum() and after.isalnum():
            is_markup = False  # snake_case, not emphasis
        if s[i] == "~" and len(run) < 2:
            is_markup = False
        if not is_markup:
            self.b.verbatim(run, self.src(i), escape_markdown)
        return j


def _normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold().upper()


class Markdown:
    name = "markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd")

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document:
        text, encoding = decode(data, source, options)
        index = LineIndex(text)
        lines = _split_lines(text)
        units: list[tuple[TextMap, tuple[str, ...], str | None]] = []
        file_ignore: tuple[str, ...] = ()
        front_end = _front_matter_end(lines)
        if front_end:
            units.extend(_front_matter_units(lines[1 : front_end - 1], index))
        body = "\n" * front_end + "\n".join(line.text for line in lines[front_end:])
        env: dict = {}
        try:
            tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(body, env)
        except Exception as error:  # markdown-it accepts any text; this is a last resort
            raise InputError(source, f"cannot parse as Markdown: {error}") from None
        references = set(env.get("references", {}))
        pending: tuple[str, ...] = ()
        open_ignores: list[tuple[str, ...]] = []
        cursors: dict[int, int] = {}
        for token in tokens:
            if token.type == "html_block":
                for comment in _COMMENT.finditer(token.content):
                    marker = parse_marker(comment.group(1))
                    if marker and marker.whole_file:
                        file_ignore = merge(file_ignore, marker.rules)
                    elif marker:
                        pending = merge(pending, marker.rules)
                continue
            if token.nesting == 1:
                open_ignores.append(pending)
                pending = ()
                continue
            if token.nesting == -1:
                if open_ignores:
                    open_ignores.pop()
                continue
            if token.type != "inline":
                pending = ()  # a code block or rule took the marker
                continue
            if not token.map or not token.content.strip():
                continue
            builder = self._inline(token, lines, index, references, cursors)
            if builder is not None and builder.text.strip(" \n" + PLACEHOLDER):
                units.append((builder.build(), merge(*open_ignores), None))
        units.sort(key=lambda item: item[0].source_offset(0))
        document_units = []
        for text_map, ignore, unit_id in units:
            line, column = text_map.position(0)
            document_units.append(
                TextUnit(
                    text=text_map.text,
                    id=unit_id,
                    line=line,
                    column=column,
                    position=text_map.position,
                    ignore=merge(ignore, file_ignore),
                )
            )
        return Document(
            id=source,
            units=document_units,
            language=options.language,
            meta={"encoding": encoding, "source": text, "maps": [u[0] for u in units], "format": self.name},
        )

    def _inline(self, token, lines, index, references, cursors) -> TextMapBuilder | None:
        """Map the inline's content back to file offsets, then scan it."""
        first = token.map[0]
        offsets: list[int] = []
        for number, content_line in enumerate(token.content.split("\n")):
            line_number = first + number
            if line_number >= len(lines):
                return None
            line = lines[line_number]
            column = _locate_in_line(line.text, content_line, cursors.get(line_number, 0))
            spelled = content_line
            if column is None and "|" in content_line:
                # In a table cell markdown-it unescapes `\|`; find the cell as written.
                spelled = content_line.replace("|", "\\|")
                column = _locate_in_line(line.text, spelled, cursors.get(line_number, 0))
            if column is None:
                return None  # markdown-it rewrote the line in a way we cannot follow: leave it alone
            cursors[line_number] = column + len(spelled)
            offsets.extend(
                line.start + column + k
                for k, char in enumerate(spelled)
                if not (char == "\\" and spelled[k + 1 : k + 2] == "|" and spelled is not content_line)
            )
            offsets.append(line.start + len(line.text))  # the newline
        offsets.pop()
        builder = TextMapBuilder(index, offsets[0] if offsets else 0)
        _InlineScanner(token.content, offsets, builder, references).scan()
        builder.trim_trailing(" \n")
        return builder

    def write(self, document: Document, fixed_units: list[str]) -> bytes:
        return write_back(document, fixed_units)


def _locate_in_line(line: str, content: str, cursor: int) -> int | None:
    """Column where `content` starts in `line`, after container/list prefixes."""
    if not content:
        return min(len(line), cursor)
    start = cursor
    while True:
        column = line.find(content, start)
        if column == -1:
            return None
        if cursor or set(line[:column]) <= _PREFIX_CHARS:
            return column
        start = column + 1


def _front_matter_end(lines: list[_Line]) -> int:
    """Number of lines the front matter takes (0: none)."""
    if not lines or lines[0].text.strip() not in ("---", "+++"):
        return 0
    fence = lines[0].text.strip()
    for number in range(1, len(lines)):
        if lines[number].text.strip() == fence or (fence == "---" and lines[number].text.strip() == "..."):
            return number + 1
    return 0


def _front_matter_units(lines: list[_Line], index: LineIndex):
    for line in lines:
        match = _FRONT_LINE.match(line.text)
        if not match or match.group("key").lower() not in FRONT_KEYS:
            continue
        builder = TextMapBuilder(index, line.start)
        if match.group("dq") is not None:
            value, start, escape = match.group("dq"), match.start("dq"), _escape_double_quoted
            position = 0
            for escaped in re.finditer(r"\\(.)", value):
                if escaped.start() > position:
                    builder.verbatim(value[position : escaped.start()], line.start + start + position, escape)
                char = {"n": "\n", "t": "\t"}.get(escaped.group(1), escaped.group(1))
                builder.atomic(char, line.start + start + escaped.start(), line.start + start + escaped.end(), escape)
                position = escaped.end()
            if position < len(value):
                builder.verbatim(value[position:], line.start + start + position, escape)
        elif match.group("sq") is not None:
            value, start = match.group("sq"), match.start("sq")
            position = 0
            for quote in re.finditer("''", value):
                builder.verbatim(value[position : quote.start()], line.start + start + position, _escape_single_quoted)
                builder.atomic("'", line.start + start + quote.start(), line.start + start + quote.end(), _escape_single_quoted)
                position = quote.end()
            builder.verbatim(value[position:], line.start + start + position, _escape_single_quoted)
        else:
            if match.group("sep") == "=":
                continue  # TOML strings are always quoted
            builder.verbatim(match.group("plain"), line.start + match.start("plain"))
        if builder.text.strip():
            yield builder.build(), (), f"front-matter.{match.group('key').lower()}"
