"""Check many documents on every core: a pool of check processes.

`mtqa check --jobs N` and `mtqa fix --jobs N` over many files or a JSONL
export, and `mtqa serve --workers N`, share this. Each worker is a child
process (mtqa/check_worker.py) that loads the model once and keeps it; the
checks are pure Python and hold the interpreter lock, so threads would not
use a second core. A thread per worker feeds it and waits on its pipe (which
releases the lock).

What a serial run guarantees holds here too:
- results come back in input order, and are the same objects a serial run
  builds (check_document is deterministic), so every report is byte for byte
  the same;
- the input is read lazily and at most a few batches per worker are in
  flight, so a JSONL archive of any size runs in bounded memory;
- a worker that dies (out of memory, a signal, a bug in a native library)
  costs only the document that killed it: the other documents of its batch
  are checked again one by one in a fresh process, and the one that kills it
  again gets an error result (the run then exits 2). Nothing is skipped or
  reported twice.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
from collections import deque
from concurrent.futures import Future
from typing import Callable, Iterable, Iterator, TypeVar

from mtqa.check_worker import CheckWorker, WorkerCrashed
from mtqa.findings import Document, DocumentResult
from mtqa.pipeline import Options, check_document

# A batch closes at this much text, or at BATCH_DOCUMENTS documents: small
# JSONL records cost more to send than to check one at a time. With the model
# every document takes seconds, so each goes on its own (even load).
BATCH_CHARS = 64_000
BATCH_DOCUMENTS = 64
IN_FLIGHT_PER_WORKER = 3


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_documents(
    documents: Iterable[Document], options: Options, jobs: int = 1, *, threads: int | None = None
) -> Iterator[DocumentResult]:
    """check_document over `documents`, in their order: in this process for
    one job, else on a pool of `jobs` processes, started only once a second
    document shows there is something to share."""
    iterator = iter(documents)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if jobs <= 1 or second is None:
        yield check_document(first, options)
        if second is not None:
            yield check_document(second, options)
            for document in iterator:
                yield check_document(document, options)
        return
    with CheckPool(jobs, threads=threads) as pool:
        yield from pool.map(itertools.chain((first, second), iterator), options)


class Workers:
    """A fixed set of check processes and the queue of the idle ones, which
    the CLI's pool (CheckPool) and the service's (server.WorkerPool) share:
    a caller takes an idle worker, uses it and gives it back. Use as a
    context manager: leaving it (also by Ctrl-C or an exception) stops every
    child, so nothing keeps running after the command ends."""

    def __init__(self, count: int, *, limit: float | None = None, threads: int | None = None,
                 command: list[str] | None = None) -> None:
        if count < 1:
            raise ValueError(f"a pool needs at least 1 worker, not {count}")
        self.workers = [CheckWorker(limit, threads, command) for _ in range(count)]
        self._idle: queue.SimpleQueue[CheckWorker] = queue.SimpleQueue()
        for worker in self.workers:
            self._idle.put(worker)

    def take(self) -> CheckWorker:
        """An idle worker, waiting for one if all are busy."""
        return self._idle.get()

    def give_back(self, worker: CheckWorker) -> None:
        self._idle.put(worker)

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()


class CheckPool(Workers):
    """`jobs` check processes; `map` keeps them busy and answers in order."""

    def __init__(self, jobs: int, *, threads: int | None = None, command: list[str] | None = None) -> None:
        super().__init__(jobs, threads=threads, command=command)
        self.jobs = jobs
        self._closing = threading.Event()

    def close(self) -> None:
        self._closing.set()
        super().close()

    def map(self, documents: Iterable[Document], options: Options) -> Iterator[DocumentResult]:
        """Results of `documents` in their order, at most
        IN_FLIGHT_PER_WORKER batches per worker ahead of the reader."""
        grouped = batches(documents, max_chars=BATCH_CHARS, max_documents=1 if options.use_model else BATCH_DOCUMENTS)
        yield from in_order(grouped, lambda batch: self._submit(batch, options),
                            lambda _batch, future: future.result(), self.jobs * IN_FLIGHT_PER_WORKER)

    def _submit(self, batch: list[Document], options: Options) -> Future:
        future: Future = Future()
        thread = threading.Thread(target=self._run, args=(batch, options, future), daemon=True,
                                  name="mtqa-pool-feeder")
        thread.start()
        return future

    def _run(self, batch: list[Document], options: Options, future: Future) -> None:
        worker = self.take()
        try:
            if self._closing.is_set():
                raise WorkerCrashed("the pool was stopped")
            future.set_result(self._check(worker, batch, options))
        except BaseException as error:  # the reader re-raises it
            future.set_exception(error)
        finally:
            self.give_back(worker)

    def _check(self, worker: CheckWorker, batch: list[Document], options: Options) -> list[DocumentResult]:
        try:
            replies = worker.run_batch(batch, options)
        except WorkerCrashed as crash:
            if self._closing.is_set():
                raise
            if len(batch) == 1:
                return [DocumentResult.failed(batch[0], str(crash))]
            return [self._check(worker, [document], options)[0] for document in batch]
        return [value if status == "ok" else DocumentResult.failed(document, value)
                for document, (status, value) in zip(batch, replies)]


def batches(documents: Iterable[Document], *, max_chars: int, max_documents: int) -> Iterator[list[Document]]:
    """Whole documents in order, grouped until a group holds `max_chars` of
    text or `max_documents` documents (the pool's batches, Dask's partitions)."""
    batch: list[Document] = []
    size = 0
    for document in documents:
        batch.append(document)
        size += sum(len(unit.text) for unit in document.units)
        if size >= max_chars or len(batch) >= max_documents:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


Batch = TypeVar("Batch")
Handle = TypeVar("Handle")
Result = TypeVar("Result")


def in_order(
    work: Iterable[Batch],
    submit: Callable[[Batch], Handle],
    collect: Callable[[Batch, Handle], Iterable[Result]],
    window: int,
) -> Iterator[Result]:
    """`submit` each piece of work, and yield what `collect` makes of it in
    the order of the work, with at most `window` pieces submitted and not
    yet collected: results stream in input order, and memory stays bounded
    however long the input (the pool's processes and Dask share this)."""
    pending: deque[tuple[Batch, Handle]] = deque()
    for piece in work:
        pending.append((piece, submit(piece)))
        while len(pending) >= window:
            yield from collect(*pending.popleft())
    while pending:
        yield from collect(*pending.popleft())


__all__ = ["CheckPool", "available_cores", "batches", "check_documents", "in_order"]
