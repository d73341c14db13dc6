"""Plain text: the whole file is one unit, written back in its own encoding."""

from __future__ import annotations

from mtqa.errors import InputError
from mtqa.findings import Document, TextUnit
from mtqa.formats.base import ReadOptions, decode
from mtqa.formats.suppress import plain_text_ignores


class PlainText:
    name = "text"
    extensions = (".txt", ".text", "")

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document:
        text, encoding = decode(data, source, options)
        if not text.strip():
            raise InputError(source, "is empty: there is no text to check")
        return Document(
            id=source,
            units=[TextUnit(text=text, ignore=plain_text_ignores(text))],
            language=options.language,
            meta={"encoding": encoding},
        )

    def write(self, document: Document, fixed_units: list[str]) -> bytes:
        return "\n".join(fixed_units).encode(document.meta.get("encoding", "utf-8"))
