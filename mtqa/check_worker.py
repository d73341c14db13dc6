"""Checks in a child process, one at a time, each bounded by a time limit.

The HTTP service must keep answering (/health above all) while a check runs,
and no request may hold it for ever. Threads do not give either: the checks
are pure Python and regular expressions, which hold the interpreter lock, so
one slow check stalls every thread of the process, and a thread cannot be
stopped. A child process can be. The service waits on a pipe, which releases
the lock. A check past its limit is abandoned: the child is killed, the caller
gets CheckTimeout, and the next check starts a fresh child. LanguageTool's
server bounds its checks the same way (`maxCheckTimeMillis`).

The child loads the model once, on its first check, and keeps it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
from typing import Any

from mtqa.errors import MtqaError
from mtqa.findings import Document, DocumentResult
from mtqa.pipeline import Options, check_document


class CheckTimeout(MtqaError):
    """A check ran past the time limit and was stopped."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"the check ran past the time limit of {limit:g} s and was stopped "
                         "(mtqa serve --request-timeout); split the text or raise the limit")
        self.limit = limit


class WorkerCrashed(MtqaError):
    """The child process died during a check (out of memory, a signal)."""


class CheckWorker:
    """One child process that runs check_document; `run` blocks until the
    result, the limit (CheckTimeout) or the child's death (WorkerCrashed).

    The child is `python -m mtqa.check_worker`, talking length-prefixed
    pickles over its stdin and stdout: unlike multiprocessing's spawn it does
    not re-import the caller's main module, and it shares no threads or locks
    with the service."""

    def __init__(self, limit: float | None, threads: int | None = None, command: list[str] | None = None) -> None:
        self.limit = limit
        self.threads = threads  # the model's thread count in the child (--threads)
        self.command = command or [sys.executable, "-m", "mtqa.check_worker"]
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._killed = False  # kill() is final: no check starts a process after it
        self.restarts = 0

    def run(self, document: Document, options: Options) -> DocumentResult:
        """Check one document (see run_batch); its failure is raised."""
        (status, value), = self.run_batch([document], options)
        if status == "error":
            raise MtqaError(value)
        if status == "exception":
            raise RuntimeError(value)
        return value

    def run_batch(self, documents: list[Document], options: Options) -> list[tuple[str, Any]]:
        """Check several documents in one exchange (small JSONL records cost
        more to send than to check one at a time): per document ("ok",
        DocumentResult), ("error", message) for an MtqaError, or
        ("exception", message). CheckTimeout and WorkerCrashed are raised for
        the whole batch. Results come back without their Document (the
        caller has it: sending it back would double the traffic) and get it
        here."""
        with self._lock:
            if self._killed:
                raise WorkerCrashed("the check process was stopped")
            if self._process is None or self._process.poll() is not None:
                self._start()
            process = self._process
            try:
                _send(process.stdin, (documents, options))
                ready, _, _ = select.select([process.stdout], [], [], self.limit)
                if not ready:
                    self._stop()
                    raise CheckTimeout(self.limit)
                replies = _receive(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                code = process.poll()
                self._stop()
                names = documents[0].id if len(documents) == 1 else f"{len(documents)} documents from {documents[0].id}"
                raise WorkerCrashed(f"the check process died (exit code {code}) while checking {names}") from None
        for document, (status, value) in zip(documents, replies):
            if status == "ok":
                value.document = document
        return replies

    def close(self) -> None:
        with self._lock:
            self._stop()

    def kill(self) -> None:
        """Stop the child now, also while a check waits on it (close waits
        for that check): the waiting call then raises WorkerCrashed."""
        self._killed = True
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            try:
                process.wait(5)  # reaped: no zombie, and its time counts in the parent's rusage
            except subprocess.TimeoutExpired:
                pass

    def _start(self) -> None:
        command = list(self.command)
        if self.threads is not None:
            command += ["--threads", str(self.threads)]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        self.restarts += 1
        process.kill()
        process.wait(5)
        for stream in (process.stdin, process.stdout):
            stream.close()


_LENGTH = struct.Struct(">Q")


def _send(stream, value: Any) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    payload = memoryview(_LENGTH.pack(len(body)) + body)
    while payload:  # an unbuffered pipe may take part of a large write
        written = stream.write(payload)
        payload = payload[written or 0 :]
    stream.flush()


def _receive(stream) -> Any:
    (size,) = _LENGTH.unpack(_read_exactly(stream, _LENGTH.size))
    return pickle.loads(_read_exactly(stream, size))


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the check process closed its output")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def main(argv: list[str] | None = None) -> int:
    """The child's loop: a list of documents (and their options) in, a list
    of ("ok", result) / ("error", message) / ("exception", message) out."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--threads"]:
        from mtqa.fluency.scorer import set_threads

        set_threads(int(arguments[1]))
    # Ctrl-C reaches the whole process group: the parent decides what stops
    # (it kills its children), so the child does not die mid-reply with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # anything a check prints goes to stderr, never into the replies
    while True:
        try:
            documents, options = _receive(requests)
        except EOFError:
            return 0  # the parent closed the pipe
        try:
            _send(replies, [check_one(document, options) for document in documents])
        except BrokenPipeError:
            return 0  # the parent is gone (it stopped): nobody to answer


def check_one(document: Document, options: Options) -> tuple[str, Any]:
    """One document's reply; an unexpected exception is reported, and the child lives on."""
    try:
        result = check_document(document, options)
    except MtqaError as error:
        return ("error", str(error))
    except Exception as error:
        return ("exception", f"{type(error).__name__}: {error}")
    result.document = None  # the parent has it
    return ("ok", result)


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["CheckTimeout", "CheckWorker", "WorkerCrashed"]
