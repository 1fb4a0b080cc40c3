"""Reach the server's own WebSocket protocol object, to write frames without a task hop.

Starlette wraps `send` on its way to an endpoint, so the outermost middleware keeps the
server's original callable in the scope. With uvicorn's `websockets-sansio` implementation
that callable is a bound method of the protocol, whose transport tells how many bytes are
still waiting: the hub checks that and writes the shared frame straight away.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RAW_SEND", "RawSendMiddleware", "sansio_protocol"]

RAW_SEND = "meeting.raw_send"


class RawSendMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


def sansio_protocol(scope: Scope) -> Any | None:
    """uvicorn's WebSocketsSansIOProtocol behind this connection, or None."""
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import (
            WebSocketsSansIOProtocol,
        )
    except ImportError:  # pragma: no cover - uvicorn is a dependency
        return None
    proto = getattr(scope.get(RAW_SEND), "__self__", None)
    return proto if isinstance(proto, WebSocketsSansIOProtocol) else None
