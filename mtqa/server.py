"""HTTP API for a CMS: the same checks and JSON contract as the CLI.

A translated-news CMS calls this before publishing instead of shelling out
per article. The model (when enabled) is loaded once at start-up, in a
background thread that also runs one check so the first request pays no
warm-up, and shared by all requests; /health reports `ready` only after that
(503 before, so orchestrators can hold traffic). Requests are processed one at
a time per worker because the model and the 2-core machines it runs on gain
nothing from concurrency.

With a request time limit (mtqa serve --request-timeout, on by default) the
checks run in child processes (mtqa/check_worker.py): the service answers
/health while a check runs, and a check past the limit is stopped and
answered with 503 and a Retry-After header. `--workers N` runs N of them
(each loads the model once), so a slow request holds one worker, not the
service; a request waits for the next free worker. Without a limit and with
one worker the checks run in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import io
import json
import threading
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from mtqa import __version__
from mtqa.check_worker import CheckTimeout, CheckWorker, WorkerCrashed
from mtqa.errors import MtqaError
from mtqa.findings import Document, DocumentResult, TextUnit, without_lone_surrogates
from mtqa.formats.jsonl import iter_documents
from mtqa.options import built
from mtqa.pipeline import Options, check_document
from mtqa.pool import Workers
from mtqa.report.json_report import envelope, jsonl_line
from mtqa.rules import iter_rules

MAX_TEXT_CHARS = 2_000_000


class CheckRequest(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT_CHARS)
    id: str = "request"
    lang: str | None = None
    source: str | None = None
    source_lang: str | None = None
    reference: str | None = None
    select: list[str] = []
    extend_select: list[str] = []
    ignore: list[str] = []
    min_confidence: float | None = Field(None, ge=0, le=1)
    unsafe_fixes: bool = False


WARM_UP_TEXT = "The ministry said on Monday that the new rules would take effect next year."


class Readiness:
    """Whether the model is loaded and warm; loading runs in a thread at start-up."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.ready = threading.Event()
        self.error: str | None = None
        if not options.use_model:
            self.ready.set()

    def warm_up(self, run) -> None:
        """Load the model by checking a short sentence (the same path a request
        takes: model load, sentence analysis, rewrite ranking)."""
        try:
            document = Document(id="warm-up", units=[TextUnit(text=WARM_UP_TEXT)], language="en")
            run(document, replace(self.options, language="en"))
        except Exception as error:  # reported by /health; requests then fail with the same error
            self.error = str(error) or type(error).__name__
        finally:
            self.ready.set()

    def start(self, run) -> None:
        if not self.ready.is_set():
            threading.Thread(target=self.warm_up, args=(run,), name="mtqa-warm-up", daemon=True).start()


class WorkerPool(Workers):
    """`count` check processes for the service; a request takes a free one.

    A worker whose check was stopped (time limit) or died comes back only
    after a warm-up check in its fresh process (the model loaded again), so
    the next request it takes pays no load; meanwhile the others serve
    (`rewarming` counts the workers doing that, for /health)."""

    def __init__(self, count: int, limit: float | None, threads: int | None) -> None:
        super().__init__(count, limit=limit, threads=threads)
        self.rewarming = 0
        self._counting = threading.Lock()
        self.warm_up: tuple[Document, Options] | None = None

    def run(self, document: Document, options: Options) -> DocumentResult:
        worker = self.take()
        try:
            result = worker.run(document, options)
        except (CheckTimeout, WorkerCrashed):
            if self.warm_up is None:
                self.give_back(worker)
            else:
                with self._counting:
                    self.rewarming += 1
                threading.Thread(target=self._rewarm, args=(worker,), daemon=True, name="mtqa-rewarm").start()
            raise
        except BaseException:
            self.give_back(worker)
            raise
        self.give_back(worker)
        return result

    def warm_all(self, document: Document, options: Options) -> None:
        """The warm-up check on every worker at once; raises the first failure."""
        errors: list[BaseException] = []

        def warm(worker: CheckWorker) -> None:
            try:
                worker.run(document, options)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=warm, args=(w,), daemon=True) for w in self.workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def _rewarm(self, worker: CheckWorker) -> None:
        try:
            document, options = self.warm_up
            worker.run(document, options)
        except Exception:
            pass  # the next request on it starts the process again and reports what fails
        finally:
            with self._counting:
                self.rewarming -= 1
            self.give_back(worker)


MAX_BODY_BYTES = 4 * MAX_TEXT_CHARS + 65536  # a /check body: the text, JSON-escaped, and the options
STREAMED_JSONL = "application/x-ndjson"  # the Accept value that streams /check/jsonl
MAX_JSONL_BYTES = 64 * 1024 * 1024  # a /check/jsonl export; larger archives go through the CLI
BODY_IDLE_SECONDS = 10.0  # the longest wait for the next piece of a body (mtqa serve --body-timeout)


class RequestRejected(MtqaError):
    """A request refused before it is checked; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def read_check_request(request: Request, idle: float = BODY_IDLE_SECONDS) -> CheckRequest:
    """The body of /check and /fix, parsed here rather than by FastAPI: the
    size is refused before the body is read (413), a body that is not JSON
    gets 415, and a lone surrogate (JSON's "\\ud800") is let through to become
    U+FFFD with an `encoding.replacement-char` finding, as in the CLI and
    /check/jsonl (FastAPI's parser refuses the whole request)."""
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type not in ("application/json", "text/json") and not content_type.endswith("+json"):
        raise RequestRejected(f"send the request as application/json, not {content_type}", 415)
    body = await read_body(request, MAX_BODY_BYTES, idle)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise RequestRejected("the body is not a JSON object", 422) from None
    if isinstance(data, dict):
        data = {key: without_lone_surrogates(value) if isinstance(value, str) else value for key, value in data.items()}
    try:
        return CheckRequest.model_validate(data)
    except ValidationError as error:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in error.errors()]
        raise RequestRejected("invalid request: " + "; ".join(
            f"{'.'.join(map(str, d['loc'])) or 'body'}: {d['msg']}" for d in details), 422) from None


async def read_body(request: Request, limit: int, idle: float = BODY_IDLE_SECONDS) -> bytes:
    """The request body, refused (413) from its Content-Length or as soon as
    it grows past `limit`, never read whole first; 408 when the next piece
    takes longer than `idle` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestRejected(f"the body is over the limit of {limit:,} bytes", 413)
    body = bytearray()
    chunks = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(chunks.__anext__(), idle)
        except StopAsyncIteration:
            break
        except asyncio.TimeoutError:
            # a slow or stalled sender (slowloris) must not hold the service
            raise RequestRejected(f"the body stalled for {idle:g} s", 408) from None
        body += chunk
        if len(body) > limit:
            raise RequestRejected(f"the body is over the limit of {limit:,} bytes", 413)
    return bytes(body)


def _json_body(model: type[BaseModel]) -> dict:
    """The request body's schema for the OpenAPI page (the body is read by hand)."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


def create_app(
    base_options: Options | None = None,
    *,
    warm_up: bool = False,
    request_timeout: float | None = None,
    threads: int | None = None,
    body_timeout: float = BODY_IDLE_SECONDS,
    workers: int = 1,
) -> FastAPI:
    """Build the app; `base_options` carry server-wide settings (model, config).

    `warm_up`: load the model in the background as soon as the app starts
    (mtqa serve does); otherwise the first request that needs it loads it.
    `request_timeout`: seconds a check may take; the checks then run in a
    child process that is stopped past it (None: in a thread, unbounded).
    `threads`: the model's thread count in that child (--threads).
    `body_timeout`: seconds a request body may stall (408 past it).
    `workers`: check processes (--workers); more than one always uses them."""
    base = base_options or Options(use_model=False)
    pool = WorkerPool(workers, request_timeout, threads) if request_timeout is not None or workers > 1 else None
    readiness = Readiness(base)
    if not warm_up:
        readiness.ready.set()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        readiness.start(warm if pool is not None else run)
        yield
        if pool is not None:
            pool.close()

    app = FastAPI(title="mtqa", version=__version__, description="Machine-translation quality checks for news.",
                  lifespan=lifespan)
    lock = threading.Lock()

    def options_for(request: CheckRequest) -> Options:
        return built(base, language=request.lang, select=request.select, extend_select=request.extend_select,
                     ignore=request.ignore, min_confidence=request.min_confidence, unsafe_fixes=request.unsafe_fixes)

    def warm(document: Document, options: Options) -> None:
        pool.warm_all(document, options)
        if options.use_model:  # a worker that is replaced later is warmed again before it serves
            pool.warm_up = (document, options)

    def run(document: Document, options: Options) -> DocumentResult:
        if pool is not None:
            return pool.run(document, options)
        with lock:
            return check_document(document, options)

    @app.get("/health")
    def health() -> JSONResponse:
        ready = readiness.ready.is_set() and readiness.error is None
        if pool is not None and pool.rewarming >= len(pool.workers):
            ready = False  # every worker is loading the model again
        payload: dict[str, Any] = {"status": "ok" if ready else "starting", "ready": ready,
                                   "mtqa": __version__, "model": base.use_model,
                                   "workers": len(pool.workers) if pool is not None else 0}
        if readiness.error:
            payload["status"], payload["error"] = "error", readiness.error
        return JSONResponse(payload, status_code=200 if ready else 503)

    @app.get("/rules")
    def rules() -> list[dict[str, Any]]:
        return [r.to_json() for r in iter_rules()]

    @app.post("/check", openapi_extra=_json_body(CheckRequest))
    async def check(http_request: Request) -> dict[str, Any]:
        request = await read_check_request(http_request, body_timeout)
        document = Document(
            id=request.id,
            units=[TextUnit(text=request.text, source=request.source, source_lang=request.source_lang,
                            reference=request.reference)],
            language=request.lang,
            source_language=request.source_lang,
        )
        result = await run_in_threadpool(run, document, options_for(request))
        return envelope([result])

    @app.post("/fix", response_class=PlainTextResponse, openapi_extra=_json_body(CheckRequest))
    async def fix(http_request: Request) -> str:
        request = await read_check_request(http_request, body_timeout)
        document = Document(id=request.id, units=[TextUnit(text=request.text)], language=request.lang)
        return (await run_in_threadpool(run, document, options_for(request))).fixed_text

    @app.post("/check/jsonl", response_model=None)
    async def check_jsonl(request: Request) -> JSONResponse | StreamingResponse:
        """A CMS export as the body (one JSON object a line); bad lines get an error.

        With `Accept: application/x-ndjson` the answer streams one result
        record a line (the CLI's `--format jsonl`), each as soon as it is
        checked, so a client can process a large export as it goes; otherwise
        one JSON envelope when all are done."""
        body = await read_body(request, MAX_JSONL_BYTES, body_timeout)

        def check_one(document: Document) -> DocumentResult:
            return run(document, options_for(CheckRequest(text="", lang=document.language)))

        if STREAMED_JSONL in request.headers.get("accept", ""):
            return StreamingResponse(_streamed(body, check_one), media_type=STREAMED_JSONL)

        def run_all() -> list[DocumentResult]:
            return [check_one(document) for document in iter_documents(io.BytesIO(body), "body", base.language)]

        results = await run_in_threadpool(run_all)  # off the event loop: /health stays responsive
        return JSONResponse(envelope(results))

    async def _streamed(body: bytes, check_one: Callable[[Document], DocumentResult]) -> AsyncIterator[str]:
        """Result lines as the records are checked. Once streaming, a status
        code can no longer say that one record timed out: its line carries the
        error instead, and the next record is checked."""
        documents = iter_documents(io.BytesIO(body), "body", base.language)
        finished = object()
        while (document := await run_in_threadpool(next, documents, finished)) is not finished:
            try:
                result = await run_in_threadpool(check_one, document)
            except (CheckTimeout, WorkerCrashed, MtqaError) as error:
                result = DocumentResult.failed(document, str(error))
            yield jsonl_line(result)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer echoes the input: a 100 MB body back to the
        # sender, and a NaN that JSON cannot encode (a 500). Where and what only.
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in error.errors()]
        return JSONResponse({"error": "invalid request", "details": details}, status_code=422)

    @app.exception_handler(RequestRejected)
    async def rejected(_request: Request, error: RequestRejected) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=error.status)

    @app.exception_handler(CheckTimeout)
    async def check_timeout(_request: Request, error: CheckTimeout) -> JSONResponse:
        return JSONResponse({"error": str(error), "time_limit_s": error.limit}, status_code=503,
                            headers={"Retry-After": "1"})

    @app.exception_handler(WorkerCrashed)
    async def worker_crashed(_request: Request, error: WorkerCrashed) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=500)

    @app.exception_handler(MtqaError)
    async def mtqa_error(_request: Request, error: MtqaError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=422)

    return app


__all__ = ["create_app"]
