"""JSONL input: one document a line, as a CMS export or an evaluation set.

Read lazily so that a large export streams through in constant memory, and a
bad line becomes an error record for that line while the rest go on.
"""

from __future__ import annotations

import json
from typing import IO, Iterator

from mtqa.findings import Document, TextUnit
from mtqa.langid import normalise_language

MAX_LINE_BYTES = 20 * 1024 * 1024
_OPTIONAL_STRINGS = ("lang", "source", "source_lang", "reference")


def iter_documents(stream: IO[bytes], source: str, language: str | None = None) -> Iterator[Document]:
    """Yield one Document per non-blank line; bad lines carry `error`."""
    for number, raw in enumerate(stream, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        at = {"jsonl": source, "line": number}
        if len(raw) > MAX_LINE_BYTES:
            yield _bad(where, f"line is {len(raw) / 2**20:.1f} MiB, over the {MAX_LINE_BYTES / 2**20:.0f} MiB limit", at=at)
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield _bad(where, f"line {number} is not valid UTF-8 ({error.reason} at byte {error.start})", at=at)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield _bad(where, f"line {number} is not valid JSON: {error.msg} (column {error.colno})", at=at)
            continue
        except RecursionError:
            yield _bad(where, f"line {number} nests its JSON too deeply to read", at=at)
            continue
        yield record_document(record, source, number, language)


def record_document(record: object, source: str, number: int, language: str | None = None) -> Document:
    """The Document of one parsed record (line `number` of `source`), or an
    error Document saying what is wrong with it: also for records that come
    as objects, not lines (mtqa.dask.check_bag)."""
    where = f"{source}:{number}"
    at = {"jsonl": source, "line": number}
    problem = _validate(record)
    languages: dict[str, str | None] = {}
    if problem is None:
        languages, problem = _languages(record)
    if problem:
        return _bad(where, f"line {number}: {problem}", record_id=_record_id(record), at=at)
    doc_id = str(record.get("id", where))
    return Document(
        id=doc_id,
        units=[
            TextUnit(
                text=record["text"],
                id=None,
                source=record.get("source"),
                source_lang=languages["source_lang"],
                reference=record.get("reference"),
            )
        ],
        language=languages["lang"] or language,
        source_language=languages["source_lang"],
        meta={"line": number, "record": record, "jsonl": source},
    )


def _record_id(record: object) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("id"), (str, int)):
        return str(record["id"])
    return None


def _validate(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    if "text" not in record:
        return 'missing required field "text"'
    if not isinstance(record["text"], str):
        return f'field "text" must be a string, got {type(record["text"]).__name__}'
    if "id" in record and not isinstance(record["id"], (str, int)):
        return 'field "id" must be a string or a number'
    for key in _OPTIONAL_STRINGS:
        if record.get(key) is not None and not isinstance(record[key], str):
            return f'field "{key}" must be a string'
    return None


def _languages(record: dict) -> tuple[dict[str, str | None], str | None]:
    """`lang` and `source_lang` as rule languages (`en-US` -> `en`), or the
    problem with them: an unknown code is that record's error, not the run's."""
    found: dict[str, str | None] = {}
    for key in ("lang", "source_lang"):
        value = record.get(key)
        try:
            found[key] = normalise_language(value) if value else None
        except ValueError as error:
            return found, f'field "{key}": {error}'
    return found, None


def _bad(where: str, message: str, record_id: str | None = None, at: dict | None = None) -> Document:
    return Document(id=record_id or where, units=[], error=message, meta={"where": where, **(at or {})})
