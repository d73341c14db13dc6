"""Turn command-line inputs (files, directories, `-`) into Documents.

Shared by `check`, `fix` and the HTTP API so that every entry point reports the
same clear error for the same bad input, and never lets one bad file stop the
others.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from mtqa.errors import InputError, MtqaError
from mtqa.findings import Document
from mtqa.formats import ReadOptions, format_for, known_extensions, read_document
from mtqa.formats.base import size_error
from mtqa.formats.jsonl import iter_documents

STDIN = "-"


@dataclass
class Input:
    """One input as named by the user; `path` is None for stdin."""

    name: str
    path: Path | None


def expand(names: list[str]) -> list[Input]:
    """Files as given; directories walked for files of a known format."""
    inputs: list[Input] = []
    for name in names:
        if name == STDIN:
            inputs.append(Input(STDIN, None))
            continue
        path = Path(name)
        if path.is_dir():
            known = known_extensions()
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in known and not any(
                    part.startswith(".") for part in child.relative_to(path).parts
                ):
                    inputs.append(Input(str(child), child))
        else:
            inputs.append(Input(name, path))
    return inputs


def read_bytes(item: Input, max_bytes: int) -> bytes:
    if item.path is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        if not item.path.exists():
            raise InputError(item.name, "no such file")
        if not item.path.is_file():
            raise InputError(item.name, "is not a regular file")
        size = item.path.stat().st_size
        if size > max_bytes:
            raise size_error(item.name, size, max_bytes)
        try:
            data = item.path.read_bytes()
        except OSError as error:
            raise InputError(item.name, f"cannot read: {error.strerror}") from None
    if len(data) > max_bytes:
        raise size_error(item.name, len(data), max_bytes)
    return data


def is_jsonl(item: Input, input_format: str | None) -> bool:
    if input_format:
        return input_format == "jsonl"
    return item.path is not None and item.path.suffix.lower() == ".jsonl"


def read_documents(item: Input, input_format: str | None, options: ReadOptions) -> Iterator[Document]:
    """Yield the documents of one input; unreadable inputs yield one error Document."""
    try:
        if is_jsonl(item, input_format):
            if item.path is None:
                yield from iter_documents(sys.stdin.buffer, "<stdin>", options.language)
                return
            if not item.path.is_file():
                raise InputError(item.name, "no such file")
            with item.path.open("rb") as stream:
                yield from iter_documents(stream, item.name, options.language)
            return
        format_ = format_for(item.name if item.path else "", input_format)
        data = read_bytes(item, options.max_bytes)
        document = read_document(format_, data, item.name if item.path else "<stdin>", options)
        document.meta.setdefault("format", format_.name)
        yield document
    except InputError as error:
        yield Document(id=item.name if item.path else "<stdin>", units=[], error=error.detail)
    except MtqaError:
        raise
    except (OSError, ValueError) as error:
        yield Document(id=item.name, units=[], error=f"cannot read: {error}")
