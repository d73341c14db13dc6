"""`mtqa check ... --format jsonl -o DIR/`: a whole archive's results as
numbered JSONL parts and a manifest.

A re-check of hundreds of thousands of articles writes gigabytes; one file
is awkward to hand on (to a Dask bag, `dask.bag.read_text("DIR/part-*.jsonl")`,
to object storage, to a diff of yesterday's run). Parts of PART_RECORDS
records each are written as the results arrive, in input order, each
complete before it gets its name (written as a hidden temp file, then
renamed), and `manifest.json` is written last: a directory without a
manifest is a run that did not finish. The manifest lists every part
(records, first and last id, SHA-256) and the run's summary and exit code,
so a CI step can read the outcome without reading the parts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mtqa import __version__
from mtqa.findings import DocumentResult
from mtqa.report.json_report import jsonl_line

PART_RECORDS = 10_000
MANIFEST = "manifest.json"
_PART_NAME = "part-{:05d}.jsonl"


def is_directory_output(path: str) -> bool:
    """`-o DIR/` (a trailing separator) or an existing directory."""
    return path.endswith((os.sep, "/")) or Path(path).is_dir()


class PartWriter:
    """Writes results into numbered parts; `finish` writes the manifest."""

    def __init__(self, directory: Path, records_per_part: int = PART_RECORDS) -> None:
        self.directory = directory
        self.records_per_part = records_per_part
        directory.mkdir(parents=True, exist_ok=True)
        for stale in [*directory.glob("part-*.jsonl"), directory / MANIFEST]:
            if stale.is_file():  # a previous run's parts would mix with this one's
                stale.unlink()
        self.parts: list[dict[str, Any]] = []
        self.records = self.findings = self.errors = 0
        self._handle = None
        self._temporary: str | None = None
        self._digest = hashlib.sha256()
        self._part: dict[str, Any] = {}

    def write_result(self, result: DocumentResult) -> None:
        if self._handle is None:
            self._open()
        line = jsonl_line(result)
        self._handle.write(line)
        self._digest.update(line.encode("utf-8"))
        self._part["records"] += 1
        self._part.setdefault("first_id", result.id)
        self._part["last_id"] = result.id
        self.records += 1
        self.findings += len(result.findings)
        self.errors += bool(result.error)
        if self._part["records"] >= self.records_per_part:
            self._close_part()

    def finish(self, exit_code: int) -> Path:
        """Close the last part and write the manifest (atomically)."""
        if self._handle is not None:
            self._close_part()
        manifest = {"mtqa_version": __version__, "parts": self.parts, "records": self.records,
                    "findings": self.findings, "documents_with_errors": self.errors, "exit_code": exit_code}
        path = self.directory / MANIFEST
        descriptor, temporary = tempfile.mkstemp(prefix=".manifest.", dir=self.directory)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        os.replace(temporary, path)
        return path

    def abandon(self) -> None:
        """An interrupted run: remove the part being written (the finished ones stay, with no manifest)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._temporary and os.path.exists(self._temporary):
            os.unlink(self._temporary)

    def _open(self) -> None:
        name = _PART_NAME.format(len(self.parts))
        descriptor, self._temporary = tempfile.mkstemp(prefix=f".{name}.", dir=self.directory)
        self._handle = os.fdopen(descriptor, "w", encoding="utf-8")
        self._digest = hashlib.sha256()
        self._part = {"file": name, "records": 0}

    def _close_part(self) -> None:
        assert self._handle is not None and self._temporary is not None
        self._handle.close()
        self._handle = None
        os.replace(self._temporary, self.directory / self._part["file"])
        self._temporary = None
        self._part["sha256"] = self._digest.hexdigest()
        self.parts.append(self._part)


__all__ = ["MANIFEST", "PART_RECORDS", "PartWriter", "is_directory_output"]
