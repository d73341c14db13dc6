"""What every input format provides, and the shared decoding of bytes.

A format turns the bytes of a file into a Document of text units (the human
text only) and, for `mtqa fix`, puts corrected unit texts back into the
original bytes without touching anything else.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Protocol

from mtqa.errors import InputError
from mtqa.findings import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None  # None: UTF-8 (BOM-aware), with a helpful error otherwise
    max_bytes: int = DEFAULT_MAX_BYTES
    language: str | None = None


class Format(Protocol):
    name: str
    extensions: tuple[str, ...]

    def read(self, data: bytes, source: str, options: ReadOptions) -> Document: ...

    def write(self, document: Document, fixed_units: list[str]) -> bytes: ...


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def size_error(source: str, size: int, max_bytes: int) -> InputError:
    return InputError(
        source,
        f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.0f} MiB limit for one "
        "document; split it (or check a JSONL export line by line), or raise --max-size",
    )


def check_size(data: bytes, source: str, options: ReadOptions) -> None:
    if len(data) > options.max_bytes:
        raise size_error(source, len(data), options.max_bytes)


def decode(data: bytes, source: str, options: ReadOptions) -> tuple[str, str]:
    """Decode bytes to text, returning (text, encoding used for writing back).

    Refuses binary data and non-UTF-8 text with a message that says what the
    bytes look like and what to do, instead of guessing silently.
    """
    check_size(data, source, options)
    if options.encoding:
        try:
            return data.decode(options.encoding), options.encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(source, f"cannot decode as {options.encoding}: {error}") from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise InputError(source, f"has a {encoding} byte-order mark but is not valid {encoding}: {error}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        raise InputError(source, f"looks like {utf16.upper()} text without a byte-order mark "
                                 f"(every other byte is NUL): try --encoding {utf16}")
    if _looks_binary(data):
        raise InputError(source, "looks like a binary file, not text (it contains NUL or many control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = _guess_legacy(data)
        raise InputError(
            source,
            f"is not valid UTF-8 (byte 0x{data[error.start]:02X} at line {line}); {hint} "
            "Convert it (e.g. `iconv -f cp1252 -t utf-8`) or pass --encoding.",
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the bytes read as such text: in the
    first 4 KB, NUL in nearly every odd (LE) or even (BE) byte and nowhere
    else, and the other bytes decode to mostly printable characters."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.05 * len(other):
            try:
                text = sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            if sum(ch.isprintable() or ch.isspace() for ch in text) >= 0.95 * len(text):
                return encoding
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return bool(sample) and controls / len(sample) > 0.05


def _guess_legacy(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "it is in an unknown legacy encoding."
    return "it looks like Latin-1/Windows-1252."
