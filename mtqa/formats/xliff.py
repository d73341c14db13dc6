"""XLIFF 1.2 and 2.0: check each target with its source, write fixes in place.

Parsing is done twice, both times with expat and nothing that expands a DTD:

1. defusedxml (the maintained guard for Python's XML parsers) parses the
   whole file with DTDs forbidden, so entity-expansion bombs ("billion
   laughs"), external entities and any `<!DOCTYPE>` are refused with a clear
   error, and malformed XML reports its line and column;
2. a plain expat pass (with the same DTD refusal) records the byte position
   of every tag and text run, so each target keeps a `TextMap` into the file.

Fixes are written by replacing only the characters behind changed text;
the rest of the file (declaration, attributes, indentation, other units,
notes, tags inside the target) stays byte for byte as it was. Re-serializing
the tree (as translate-toolkit does) would reformat a CAT tool's file.

Inline codes inside a target (1.2 `<x/>`, `<ph>`, `<it>`; 2.0 `<ph/>`,
`<cp/>`; protected `<mrk>`) become one protected placeholder character (U+FFFC); paired codes
(1.2 `<g>`, `<bx/>`/`<ex/>`, `<bpt>`/`<ept>`; 2.0 `<pc>`, `<sc/>`/`<ec/>`,
`<mrk>`, `<sm/>`/`<em/>`) are left out of the text and never rewritten. The
unit's `source` is rendered the same way, so the two compare code for code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import pyexpat
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from mtqa.errors import InputError
from mtqa.findings import Document, TextUnit
from mtqa.formats.base import ReadOptions, decode
from mtqa.formats.suppress import merge, parse_marker
from mtqa.formats.textmap import PLACEHOLDER, LineIndex, TextMap, TextMapBuilder, write_back
from mtqa.languages import rule_language

PLACEHOLDER_CODES = frozenset({"x", "ph", "it", "cp"})
HIDDEN_CODES = frozenset({"bpt", "ept", "bx", "ex", "sc", "ec", "sm", "em"})
_XML_DECL_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_RUN_TOKEN = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);|[ \t\r]*[\r\n][ \t\r\n]*")
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _protected_marker(local: str, attributes: dict) -> bool:
    """1.2 `<mrk mtype="protected">` / 2.0 `<mrk translate="no">`: text that must not change."""
    return local == "mrk" and (attributes.get("mtype") == "protected" or attributes.get("translate") == "no")


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def escape_xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_cdata(text: str) -> str:
    return text.replace("]]>", "]]]]><![CDATA[>")


class _Refused(Exception):
    pass


def _refuse_dtd(*_args) -> None:
    raise _Refused("DOCTYPE")


@dataclass
class _Segment:
    source: TextMapBuilder | None = None
    target: TextMapBuilder | None = None
    id: str | None = None


@dataclass
class _Unit:
    id: str
    segments: list[_Segment] = field(default_factory=list)
    ignore: tuple[str, ...] = ()


class _Reader:
    """Walk the recorded events and build units; one per file read."""

    def __init__(self, source: str, text: str, lines: LineIndex) -> None:
        self.name = source
        self.text = text
        self.lines = lines
        self.version: str | None = None
        self.language: str | None = None
        self.source_language: str | None = None
        self.units: list[_Unit] = []
        self.file_ignore: tuple[str, ...] = ()
        self.pending: tuple[str, ...] = ()

    def walk(self, events: list[tuple]) -> None:
        events = _merge_text(events)
        stack: list[tuple[str, bool]] = []  # (local name, xml:space preserve)
        unit: _Unit | None = None
        segment: _Segment | None = None
        builder: TextMapBuilder | None = None  # the source/target being read
        code_depth = 0  # inside an inline code whose content is not text
        in_cdata = False
        note: list[str] | None = None
        held_space: tuple[int, int] | None = None  # a newline run waiting for more text
        for index, (kind, start, name, payload) in enumerate(events):
            end = events[index + 1][1] if index + 1 < len(events) else len(self.text)
            if kind == "start":
                local = _local(name)
                preserve = payload.get("xml:space", "preserve" if stack and stack[-1][1] else "default") == "preserve"
                parent = stack[-1][0] if stack else None
                stack.append((local, preserve))
                if len(stack) == 1:
                    self._root(local, payload)
                elif builder is not None:
                    if code_depth:
                        code_depth += 1
                    elif local in PLACEHOLDER_CODES or _protected_marker(local, payload):
                        builder.protected(PLACEHOLDER, start, start)
                        code_depth = 1
                    elif local in HIDDEN_CODES:
                        code_depth = 1
                elif local == "file":
                    self.language = self.language or payload.get("target-language")
                    self.source_language = self.source_language or payload.get("source-language")
                elif local in ("trans-unit", "unit"):
                    unit = _Unit(id=payload.get("id", str(len(self.units) + 1)), ignore=self.pending)
                    self.pending = ()
                    if local == "trans-unit":
                        segment = _Segment()
                        unit.segments.append(segment)
                elif local == "segment" and unit is not None:
                    segment = _Segment(id=payload.get("id"))
                    unit.segments.append(segment)
                elif local in ("source", "target") and segment is not None and parent in ("trans-unit", "segment"):
                    builder = TextMapBuilder(self.lines, end)
                    setattr(segment, local, builder)
                    held_space = None
                elif local == "note":
                    note = []
            elif kind == "end":
                local, _ = stack.pop() if stack else (name, False)
                if builder is not None and code_depth:
                    code_depth -= 1
                elif builder is not None and local in ("source", "target") and stack and stack[-1][0] in ("trans-unit", "segment"):
                    builder, held_space = None, None
                elif local == "note" and note is not None:
                    self._note("".join(note), unit)
                    note = None
                elif local in ("trans-unit", "unit") and unit is not None:
                    self.units.append(unit)
                    unit, segment = None, None
            elif kind == "data":
                if note is not None:
                    note.append(payload)
                if builder is None or code_depth:
                    continue
                preserve = stack[-1][1] if stack else False
                held_space = self._add_run(builder, start, end, payload, preserve, in_cdata, held_space)
            elif kind == "cdata_start":
                in_cdata = True
            elif kind == "cdata_end":
                in_cdata = False
            elif kind == "comment":
                marker = parse_marker(payload)
                if marker and marker.whole_file:
                    self.file_ignore = merge(self.file_ignore, marker.rules)
                elif marker and unit is not None:
                    unit.ignore = merge(unit.ignore, marker.rules)
                elif marker:
                    self.pending = merge(self.pending, marker.rules)

    def _add_run(self, builder, start: int, end: int, data: str, preserve: bool, in_cdata: bool, held):
        """Append one text run; returns a pending collapsed line break, if any.

        Outside xml:space="preserve" a line break with its indentation reads
        as one space (pretty-printed targets), but only between words: it is
        held until more text follows, so none is added at the end.
        """
        raw = self.text[start:end]
        if in_cdata:
            if held is not None:
                builder.atomic(" ", held[0], held[1], escape_xml)
            if raw == data:
                builder.verbatim(data, start, _escape_cdata)
            else:
                builder.atomic(data, start, end, _escape_cdata)
            return None
        pieces: list[tuple[int, int, str, str]] = []
        position = 0
        for match in _RUN_TOKEN.finditer(raw):
            if match.start() > position:
                pieces.append((start + position, start + match.start(), raw[position : match.start()], "v"))
            token = match.group()
            if token.startswith("&"):
                value = _PREDEFINED.get(token[1:-1])
                if value is None:
                    value = chr(int(token[3:-1], 16) if token[2] in "xX" else int(token[2:-1]))
                pieces.append((start + match.start(), start + match.end(), value, "a"))
            else:
                normalized = token.replace("\r\n", "\n").replace("\r", "\n")
                kind = "ws" if not preserve and "\n" in normalized else ("v" if normalized == token else "a")
                pieces.append((start + match.start(), start + match.end(), normalized, kind))
            position = match.end()
        if position < len(raw):
            pieces.append((start + position, end, raw[position:], "v"))
        if "".join(piece[2] for piece in pieces) != data:
            pieces = [(start, end, data, "a")]  # a reference we did not expect: one atomic run
        for piece_start, piece_end, value, kind in pieces:
            if kind == "ws":
                if held is None and not builder.is_empty() and builder.last_char() != " ":
                    held = (piece_start, piece_end)
                continue
            if held is not None:
                builder.atomic(" ", held[0], held[1], escape_xml)
                held = None
            if kind == "v":
                builder.verbatim(value, piece_start, escape_xml)
            else:
                builder.atomic(value, piece_start, piece_end, escape_xml)
        return held

    def _root(self, local: str, attributes: dict) -> None:
        if local != "xliff":
            raise InputError(self.name, f"is not XLIFF: the root element is <{local}>, expected <xliff>")
        self.version = attributes.get("version")
        if not self.version or self.version.split(".")[0] not in ("1", "2"):
            raise InputError(self.name, f"unsupported XLIFF version {self.version!r} (1.2 and 2.x are read)")
        self.language = attributes.get("trgLang")
        self.source_language = attributes.get("srcLang")

    def _note(self, text: str, unit: _Unit | None) -> None:
        marker = parse_marker(text)
        if marker is None:
            return
        if marker.whole_file or unit is None:
            self.file_ignore = merge(self.file_ignore, marker.rules)
        else:
            unit.ignore = merge(unit.ignore, marker.rules)


def _merge_text(events: list[tuple]) -> list[tuple]:
    """Expat splits text at line breaks and references; one run reads better."""
    merged: list[tuple] = []
    for event in events:
        if event[0] == "data" and merged and merged[-1][0] == "data":
            kind, start, name, payload = merged[-1]
            merged[-1] = (kind, start, name, payload + event[3])
        else:
            merged.append(event)
    return merged


def _record(data: bytes) -> list[tuple]:
    """Every expat event with its byte offset, in document order."""
    parser = pyexpat.ParserCreate(encoding="utf-8")
    events: list[tuple] = []

    def at() -> int:
        return parser.CurrentByteIndex

    parser.StartElementHandler = lambda name, attrs: events.append(("start", at(), name, attrs))
    parser.EndElementHandler = lambda name: events.append(("end", at(), name, None))
    parser.CharacterDataHandler = lambda data: events.append(("data", at(), None, data))
    parser.CommentHandler = lambda data: events.append(("comment", at(), None, data))
    parser.StartCdataSectionHandler = lambda: events.append(("cdata_start", at(), None, None))
    parser.EndCdataSectionHandler = lambda: events.append(("cdata_end", at(), None, None))
    parser.ProcessingInstructionHandler = lambda target, data: events.append(("other", at(), None, None))
    parser.XmlDeclHandler = lambda *args: events.append(("other", at(), None, None))
    parser.DefaultHandlerExpand = lambda data: events.append(("other", at(), None, None))
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.Parse(data, True)
    return events


def _to_char_offsets(events: list[tuple], data: bytes) -> list[tuple]:
    """Byte offsets (UTF-8) to character offsets, in one pass."""
    converted, last_byte, last_char = [], 0, 0
    for kind, byte, name, payload in events:
        if byte < last_byte:  # never happens with expat; be safe
            last_byte, last_char = 0, 0
        last_char += len(data[last_byte:byte].decode("utf-8", errors="replace"))
        last_byte = byte
        converted.append((kind, last_char, name, payload))
    return converted


def _safe_parse(data: bytes, text: str, source: str) -> None:
    """Refuse DTDs/entities and report malformed XML with its line and column."""
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True, encoding="utf-8")
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException:
        line = text[: max(text.find("<!DOCTYPE"), 0)].count("\n") + 1
        raise InputError(
            source,
            f"refused: the file declares a DTD (<!DOCTYPE ...> at line {line}). XLIFF never needs one, and DTD "
            "entity declarations enable entity-expansion bombs (billion laughs) and external-entity reads; "
            "remove the DOCTYPE block.",
        ) from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise InputError(source, f"is not well-formed XML: {reason} at line {line}, column {column + 1}") from None


class Xliff:
    name = "xliff"
    extensions = (".xlf", ".xliff", ".xlf2")

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document:
        text, encoding = _decode_xml(data, source, options)
        utf8 = text.encode("utf-8")
        _safe_parse(utf8, text, source)
        try:
            events = _to_char_offsets(_record(utf8), utf8)
        except (_Refused, pyexpat.ExpatError) as error:  # already caught by the safe parse
            raise InputError(source, f"cannot read as XLIFF: {error}") from None
        lines = LineIndex(text)
        reader = _Reader(source, text, lines)
        reader.walk(events)
        if reader.version is None:
            raise InputError(source, "is not XLIFF: no <xliff> root element")
        units: list[TextUnit] = []
        maps: list[TextMap] = []
        for unit in reader.units:
            many = len(unit.segments) > 1
            for number, segment in enumerate(unit.segments, start=1):
                if segment.target is None:
                    continue
                text_map = segment.target.build()
                if not text_map.text.strip(" \n" + PLACEHOLDER):
                    continue
                line, column = text_map.position(0)
                unit_id = f"{unit.id}/{segment.id or number}" if many else unit.id
                units.append(
                    TextUnit(
                        text=text_map.text,
                        id=unit_id,
                        source=segment.source.text if segment.source is not None else None,
                        source_lang=_primary(reader.source_language),
                        line=line,
                        column=column,
                        position=text_map.position,
                        ignore=merge(unit.ignore, reader.file_ignore),
                    )
                )
                maps.append(text_map)
        return Document(
            id=source,
            units=units,
            language=options.language or _primary(reader.language),
            source_language=_primary(reader.source_language),
            meta={
                "encoding": encoding,
                "source": text,
                "maps": maps,
                "format": self.name,
                "xliff_version": reader.version,
                "target_language": reader.language,
            },
        )

    def write(self, document: Document, fixed_units: list[str]) -> bytes:
        return write_back(document, fixed_units)


def _primary(language: str | None) -> str | None:
    """`de-DE` -> `de`: the checks' per-language options are keyed by language."""
    if not language:
        return None
    return rule_language(language)


def _decode_xml(data: bytes, source: str, options: ReadOptions) -> tuple[str, str]:
    """UTF-8/16 as usual; otherwise the encoding the XML declaration names."""
    try:
        return decode(data, source, options)
    except InputError:
        declared = _XML_DECL_ENCODING.match(data[:200])
        if options.encoding or not declared:
            raise
        name = declared.group(1).decode("ascii")
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            raise InputError(source, f"declares encoding {name!r} but is not valid in it") from None
