"""An article's source article, given as a file of its own
(`mtqa check ARTICLE --source ORIGINAL`).

JSONL, XLIFF and PO carry the source of every unit; plain text, Markdown and
HTML do not, and a newsroom has the original as a file beside the
translation. The source file is read with the same reader as the article
(its format from its own extension), and its units (paragraphs, blocks of a
page) are paired with the article's: in order where there are as many,
else by the length alignment of mtqa/bilingual/omissions.py, so that a
dropped paragraph ends up in the source of the unit before it and the
bilingual rules report it there.
"""

from __future__ import annotations

from pathlib import Path

from mtqa.bilingual.omissions import pair_pieces
from mtqa.errors import InputError
from mtqa.findings import Document
from mtqa.formats import ReadOptions, format_for, read_document
from mtqa.inputs import Input, read_bytes
from mtqa.languages import rule_language

CARRY_THEIR_OWN = ("jsonl", "xliff", "po")


def read_source(path: Path, read_options: ReadOptions, source_language: str | None) -> Document:
    """The source article, read like the article (an InputError when it
    cannot be)."""
    name = str(path)
    format_name = "jsonl" if path.suffix.lower() == ".jsonl" else format_for(name, None).name
    if format_name in CARRY_THEIR_OWN:
        raise InputError(name, f"--source takes a plain text, Markdown or HTML file, not {format_name}: "
                               f"{format_name} units carry their own source")
    format_ = format_for(name, None)
    options = ReadOptions(encoding=read_options.encoding, max_bytes=read_options.max_bytes, language=source_language)
    document = read_document(format_, read_bytes(Input(name, path), read_options.max_bytes), name, options)
    document.language = rule_language(source_language) if source_language else document.language
    return document


def attach_source(document: Document, source: Document, source_language: str | None) -> None:
    """Give each unit of `document` the text of the source units that
    translate it, and the source language (given, or detected on the whole
    source)."""
    if document.error or document.meta.get("format") in CARRY_THEIR_OWN:
        return
    language = rule_language(source_language) if source_language else _detected(source)
    source_texts = [unit.text for unit in source.units if unit.text.strip()]
    targets = [unit for unit in document.units if unit.text.strip()]
    if not source_texts or not targets:
        return
    owned = pair_pieces(source_texts, [unit.text for unit in targets], language, document.language)
    for unit, indices in zip(targets, owned):
        unit.source = "\n\n".join(source_texts[i] for i in indices) if indices else None
        unit.source_lang = language
    document.source_language = language


def _detected(source: Document) -> str | None:
    from mtqa.langid import detect

    guess = detect(" ".join(unit.text for unit in source.units)[:5000])
    return rule_language(guess.language) if guess.language != "und" else None


__all__ = ["CARRY_THEIR_OWN", "attach_source", "read_source"]
