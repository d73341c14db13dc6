"""Check on a Dask cluster when one machine is not enough (pip install 'mtqa[scale]').

Two ways in:
- `mtqa check --scheduler tcp://HOST:8786 ...` (or MTQA_SCHEDULER; `local`
  starts a LocalCluster here): the client reads the inputs as a serial run
  does, cuts them into partitions (whole records, whole files), and each
  partition is one task. Results come back in input order, so every report,
  the exit code and the summary are those of a serial run.
- `check_bag(bag, ...)` and `check_frame(frame, ...)` for pipelines that
  already hold their articles in a Dask bag or DataFrame.

Each worker process loads the model once (LoadModel, a worker plugin, at
start-up; check_document reuses the process's scorer), not per task. A task is
a pure function of its partition: when a worker is lost Dask runs its tasks
again elsewhere, and the client takes one result per partition, so no record
is lost or reported twice. Workers need the same mtqa version and model
package as the client.
"""

from __future__ import annotations

import uuid
from typing import Any, Iterable, Iterator

from mtqa.errors import MtqaError
from mtqa.findings import Document, DocumentResult
from mtqa.pipeline import Options, check_document
from mtqa.pool import batches, in_order

# A partition closes at this much text or this many documents (one task
# each): big enough that scheduling costs little next to the checks, small
# enough that a lost worker costs little. With the model a document takes
# seconds, so partitions are a few documents.
PARTITION_CHARS = 1_000_000
PARTITION_DOCUMENTS = 2_000
MODEL_PARTITION_DOCUMENTS = 8
IN_FLIGHT_PER_WORKER = 4


def _distributed():
    try:
        import distributed
    except ImportError:
        raise MtqaError("running on Dask needs the scale extra: pip install 'mtqa[scale]'") from None
    return distributed


def connect(address: str, workers: int | None = None, options: Options | None = None):
    """A Dask client: `local` starts a LocalCluster of `workers` processes
    (default: the cores), one thread each (the checks hold the interpreter
    lock); anything else is a scheduler address. With the model on, every
    worker loads it at start-up (LoadModel)."""
    distributed = _distributed()
    if address == "local":
        from mtqa.pool import available_cores

        # a client that starts its own LocalCluster closes it with itself
        client = distributed.Client(n_workers=workers or available_cores(), threads_per_worker=1,
                                    processes=True, dashboard_address=None)
    else:
        try:
            client = distributed.Client(address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise MtqaError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    if options is not None and options.use_model:
        client.register_plugin(LoadModel(options.model))
    return client


try:  # the base class Client.register_plugin expects; without the extra, connect() says what to install
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover
    _WorkerPlugin = object


class LoadModel(_WorkerPlugin):
    """A Dask worker plugin that loads the fluency model when the worker
    starts, so the first task on each worker does not pay for it."""

    name = "mtqa-load-model"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        from mtqa.fluency.scorer import get_scorer

        get_scorer(self.model)

    def teardown(self, worker: Any) -> None:
        pass


def check_partition(documents: list[Document], options: Options) -> list[DocumentResult]:
    """One task: the results of a partition, without their Documents (the client has them)."""
    results = []
    for document in documents:
        result = check_document(document, options)
        result.document = None
        results.append(result)
    return results


def check_documents_on(client, documents: Iterable[Document], options: Options) -> Iterator[DocumentResult]:
    """check_document over `documents` on the cluster, in their order, with
    at most IN_FLIGHT_PER_WORKER partitions per worker ahead of the reader."""
    run = uuid.uuid4().hex[:12]
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = MODEL_PARTITION_DOCUMENTS if options.use_model else PARTITION_DOCUMENTS
    numbered = enumerate(batches(documents, max_chars=PARTITION_CHARS, max_documents=limit))

    def submit(item: tuple[int, list[Document]]):
        index, partition = item
        # an explicit key per partition: a retried task is the same task, its result taken once
        return client.submit(check_partition, partition, options, key=f"mtqa-check-{run}-{index}", pure=False)

    yield from in_order(numbered, submit, lambda item, future: _collect(item[1], future),
                        workers * IN_FLIGHT_PER_WORKER)


def _collect(partition: list[Document], future) -> Iterator[DocumentResult]:
    results = future.result()
    future.release()
    if len(results) != len(partition):  # a task is all or nothing; anything else is a bug to report
        raise MtqaError(f"a Dask task returned {len(results)} results for {len(partition)} documents")
    for document, result in zip(partition, results):
        result.document = document
        yield result


# -- for pipelines that already use Dask -------------------------------------------


def check_bag(bag, *, lang: str | None = None, select: Iterable[str] | None = None,
              ignore: Iterable[str] | None = None, use_model: bool = False, min_confidence: float = 0.9,
              extend_select: Iterable[str] | None = None):
    """A bag of JSONL-style records (dicts with `text`, optional `id`,
    `lang`, `source`, `source_lang`, `reference`) -> a bag of results, one
    dict per record in the JSON contract's document shape (`id`, `findings`,
    `fixed_text`, `scores`, ...; `error` for a bad record)."""
    from mtqa.api import _options

    options = _options(lang, select, ignore, use_model, min_confidence, extend_select)
    return bag.map_partitions(_check_records, options)


def _check_records(records: Iterable[Any], options: Options) -> list[dict[str, Any]]:
    from mtqa.formats.jsonl import record_document

    out = []
    for number, record in enumerate(records, start=1):
        result = check_document(record_document(record, "bag", number, options.language), options)
        out.append(result.to_json())
    return out


RESULT_COLUMNS = ("id", "language", "findings", "fixed_text", "error")


def check_frame(frame, *, text: str = "text", lang: str | None = None, select: Iterable[str] | None = None,
                ignore: Iterable[str] | None = None, use_model: bool = False, min_confidence: float = 0.9):
    """One pandas DataFrame of records (a `text` column, and `id`, `lang`,
    `source`, ... where present) -> a DataFrame of RESULT_COLUMNS in the
    same order and index (`findings`: the JSON list). For
    `ddf.map_partitions(check_frame, meta=mtqa.dask.result_meta())`."""
    import json

    import pandas

    from mtqa.api import _options

    options = _options(lang, select, ignore, use_model, min_confidence)
    columns = [c for c in frame.columns if c in ("id", "lang", "source", "source_lang", "reference")]
    records = []
    for values in frame[[text, *columns]].itertuples(index=False, name=None):
        record = {"text": values[0]}
        record.update({k: v for k, v in zip(columns, values[1:]) if v is not None and v == v})  # NaN: absent
        if "id" in record:
            record["id"] = str(record["id"])
        records.append(record)
    rows = []
    for result in _check_records(records, options):
        rows.append((result["id"], result["language"], json.dumps(result["findings"], ensure_ascii=False),
                     result["fixed_text"], result.get("error")))
    return pandas.DataFrame(rows, columns=list(RESULT_COLUMNS), index=frame.index)


def result_meta():
    """The empty DataFrame that describes check_frame's output, for Dask's `meta`."""
    import pandas

    return pandas.DataFrame({column: pandas.Series(dtype="object") for column in RESULT_COLUMNS})


__all__ = ["LoadModel", "check_bag", "check_documents_on", "check_frame", "check_partition", "connect",
           "result_meta"]
