"""The HTTP side of the protocol: sign in, read a meeting and its log, send a command.

For scripts and integrations that do not keep a socket open. Errors of httpx are
translated here; answers are read into the declarations of ``_messages``.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import httpx

from ._exceptions import (
    AuthError,
    CommandError,
    HTTPStatusError,
    ProtocolError,
    Timeout,
    TransportError,
)
from ._messages import (
    CommandResult,
    ErrorBody,
    EventPage,
    LoginResult,
    MeetingView,
    decode_body,
)

__all__ = ["HttpMeetingClient", "sign_in"]


async def sign_in(
    base_url: str, username: str, password: str, *, http: httpx.AsyncClient | None = None
) -> str:
    """Exchange a username and password for a token (``POST /api/auth/login``).

    Raises ``AuthError`` when the server refuses them.
    """
    url = f"{base_url.rstrip('/')}/api/auth/login"
    body = {"username": username, "password": password}
    if http is None:
        async with httpx.AsyncClient() as own:
            response = await _send(own, "POST", url, json=body)
    else:
        response = await _send(http, "POST", url, json=body)
    if response.status_code == 401:
        raise AuthError(f"sign-in refused for {username!r}")
    _expect_ok(response)
    return decode_body(response.content, LoginResult).token


class HttpMeetingClient:
    """One meeting over HTTP: ``GET`` its snapshot and its events, ``POST`` commands.

    Pass ``http`` to share a connection pool (it is then yours to close); otherwise the
    client opens its own and closes it in ``aclose()`` or at the end of ``async with``.
    ``timeout`` bounds each request, on top of the ``wait`` of a long poll.
    """

    def __init__(
        self,
        base_url: str,
        meeting_id: str,
        token: str | None = None,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/api/meetings/{quote(meeting_id, safe='')}"
        self._headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        self._timeout = timeout
        self._owns_http = http is None
        self._http = http if http is not None else httpx.AsyncClient()

    async def __aenter__(self) -> HttpMeetingClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def get_snapshot(self) -> MeetingView:
        """The meeting as this user's audience sees it, with its ``seq``."""
        response = await self._get(self.url)
        return decode_body(response.content, MeetingView)

    async def read_events(self, since: int, *, wait: float = 0.0) -> EventPage:
        """The events after ``since``; with ``wait``, hold the request open up to that many
        seconds (at most 30) until one comes. A ``since`` too old gets a snapshot instead.
        """
        params = {"since": since, "wait": wait} if wait else {"since": since}
        response = await self._get(f"{self.url}/events", params, extra_time=wait)
        return decode_body(response.content, EventPage)

    async def command(
        self, name: str, args: dict[str, Any] | None = None, *, id: str | None = None
    ) -> int:
        """Send a command; return the ``seq`` of its last event, or raise ``CommandError``.

        Sending the same ``id`` again never applies the command twice: retry with it
        after a ``TransportError`` or a retryable ``CommandError``.
        """
        return (await self.submit(name, args, id=id)).seq

    async def submit(
        self, name: str, args: dict[str, Any] | None = None, *, id: str | None = None
    ) -> CommandResult:
        """Like ``command``, but return the whole answer, ``result`` included."""
        command_id = id if id is not None else uuid.uuid4().hex
        body = {"id": command_id, "name": name, "args": args if args is not None else {}}
        response = await _send(
            self._http,
            "POST",
            f"{self.url}/commands",
            json=body,
            headers=self._headers,
            timeout=self._timeout,
        )
        error = _refusal(response)
        if error is not None:
            raise CommandError(error.code, error.message, error.id or command_id)
        _expect_ok(response)
        return decode_body(response.content, CommandResult)

    async def _get(
        self, url: str, params: dict[str, Any] | None = None, *, extra_time: float = 0.0
    ) -> httpx.Response:
        response = await _send(
            self._http,
            "GET",
            url,
            params=params,
            headers=self._headers,
            timeout=self._timeout + extra_time,
        )
        if response.status_code == 401:
            raise AuthError("the server refused the token")
        _expect_ok(response)
        return response


async def _send(http: httpx.AsyncClient, method: str, url: str, **options: Any) -> httpx.Response:
    try:
        return await http.request(method, url, **options)
    except httpx.TimeoutException as exc:
        raise Timeout(f"{method} {url} timed out") from exc
    except httpx.TransportError as exc:
        raise TransportError(f"{method} {url} failed: {exc}") from exc


def _refusal(response: httpx.Response) -> ErrorBody | None:
    """The ``{id, code, message}`` of a refused command (4xx or 503), if that is the body."""
    status = response.status_code
    if not (400 <= status < 500 or status == 503):
        return None
    try:
        return decode_body(response.content, ErrorBody)
    except ProtocolError:
        return None  # not the server's answer (a proxy's page, say): an HTTPStatusError


def _expect_ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise HTTPStatusError(response.status_code, response.text)
