"""The HTTP protocol of `mtqa serve`: uvicorn's h11 protocol with a
deadline for a request's headers.

uvicorn closes a connection that idles after a response (keep-alive), but
arms no timer while a request's headers come in: a client that connects
and sends nothing, or sends its headers a byte at a time, holds its
connection as long as it likes, and a few hundred such clients take every
slot of --max-connections (a slow-header attack). Here each connection
must deliver a request's headers within `header_timeout` seconds of
opening, or of the last response; otherwise it is closed. A request whose
headers arrived is not affected: its body has --body-timeout, its check
--request-timeout.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0


class HeaderDeadlineProtocol(H11Protocol):
    """H11Protocol that closes a connection whose request headers are late."""

    header_timeout: float = HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_late)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._cancel_deadline()
        if not self.transport.is_closing():
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_late)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _cancel_deadline(self) -> None:
        deadline = getattr(self, "_header_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        in_flight = self.cycle is not None and not self.cycle.response_complete
        if not in_flight and not self.transport.is_closing():
            self.transport.close()


def protocol_with(header_timeout: float) -> type[HeaderDeadlineProtocol]:
    """The protocol class with this deadline (uvicorn takes a class)."""
    return type("HeaderDeadline", (HeaderDeadlineProtocol,), {"header_timeout": header_timeout})


__all__ = ["HEADER_SECONDS", "HeaderDeadlineProtocol", "protocol_with"]
