"""The JSON contract (see README): stable field names, code-point offsets."""

from __future__ import annotations

import json

from mtqa import __version__
from mtqa.findings import DocumentResult
from mtqa.report import ReportContext, register, summary


def document_json(result: DocumentResult) -> dict:
    return result.to_json()


def envelope(results: list[DocumentResult]) -> dict:
    """The JSON contract's top level, for `--format json` and every HTTP answer alike."""
    return {
        "mtqa": __version__,
        "documents": [document_json(r) for r in results],
        "summary": summary(results),
    }


@register("json")
def render_json(results: list[DocumentResult], context: ReportContext) -> str:
    return json.dumps(envelope(results), ensure_ascii=False, indent=2) + "\n"


def jsonl_line(result: DocumentResult) -> str:
    """One document's record as a line of `--format jsonl` (and of the
    streamed /check/jsonl answer)."""
    return json.dumps(document_json(result), ensure_ascii=False) + "\n"


@register("jsonl")
def render_jsonl(results: list[DocumentResult], context: ReportContext) -> str:
    return "".join(jsonl_line(r) for r in results)
