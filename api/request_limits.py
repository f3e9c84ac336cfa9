"""Requests too slow or too large to be a reader's.

Uvicorn times out idle keep-alive connections, but not a request that trickles in: a client sending
one header line every few seconds (slowloris) holds a connection, and enough of them hold them all.
Here a request (its head and its body, at most 64 KiB: params.MAX_BODY_BYTES) must arrive whole within
a deadline counted from when the server starts waiting for it; streaming the answer (the assistant's)
is not limited. Headers are bounded too: 16 KiB in all, far above what a browser sends with a token.
"""

from __future__ import annotations

import asyncio
import functools
import logging

import h11
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import problem

log = logging.getLogger("help_center")
RECEIVING = (h11.IDLE, h11.SEND_BODY)  # the client's side of the connection while its request is still arriving
MAX_HEAD_BYTES = 16 * 1024  # request line and headers; more is a 400


class DeadlineProtocol(H11Protocol):
    def __init__(self, *args, request_seconds: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_seconds = request_seconds
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _watch(self) -> None:
        receiving = self.conn.their_state in RECEIVING and not self.transport.is_closing()
        if receiving and self._deadline is None:
            self._deadline = self.loop.call_later(self.request_seconds, self._too_slow)
        elif not receiving:
            self._cancel()

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            if self.conn.their_state is h11.SEND_BODY or self.conn.trailing_data[0]:  # not merely idle: part of a request
                log.info("closed a connection whose request did not arrive within %g s", self.request_seconds)
            self.transport.close()


def protocol(request_seconds: float):
    """The protocol class uvicorn.run(http=...) builds each connection with."""
    return functools.partial(DeadlineProtocol, request_seconds=request_seconds)


class HeaderLimit:
    """431 for a request whose headers add up to more than MAX_HEAD_BYTES (h11 bounds only a head still arriving)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEAD_BYTES:
            response = problem(431, "Request header fields too large", f"the headers exceed {MAX_HEAD_BYTES // 1024} KiB")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
