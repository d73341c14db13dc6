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

    def __init__(self, limit: float | None, threads: int | None = None) -> None:
        self.limit = limit
        self.threads = threads  # the model's thread count in the child (--threads)
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self.restarts = 0

    def run(self, document: Document, options: Options) -> DocumentResult:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            process = self._process
            try:
                _send(process.stdin, (document, options))
                ready, _, _ = select.select([process.stdout], [], [], self.limit)
                if not ready:
                    self._stop()
                    raise CheckTimeout(self.limit)
                status, value = _receive(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                code = process.poll()
                self._stop()
                raise WorkerCrashed(f"the check process died (exit code {code}) while checking {document.id}") \
                    from None
        if status == "error":
            raise MtqaError(value)
        if status == "exception":
            raise RuntimeError(value)
        return value

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> None:
        command = [sys.executable, "-m", "mtqa.check_worker"]
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
    """The child's loop: a (document, options) in, ("ok", result) out."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--threads"]:
        from mtqa.fluency.scorer import set_threads

        set_threads(int(arguments[1]))
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # anything a check prints goes to stderr, never into the replies
    while True:
        try:
            document, options = _receive(requests)
        except EOFError:
            return 0  # the service closed the pipe
        try:
            reply = ("ok", check_document(document, options))
        except MtqaError as error:
            reply = ("error", str(error))
        except Exception as error:  # reported to the request; the child lives on
            reply = ("exception", f"{type(error).__name__}: {error}")
        _send(replies, reply)


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["CheckTimeout", "CheckWorker", "WorkerCrashed"]
