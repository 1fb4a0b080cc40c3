"""Async client for the meeting server's wire protocol (``docs/protocol.md``).

    token = await sign_in("http://hall.local:8000", "d07", "secret")
    async with MeetingClient("http://hall.local:8000", "m1", token) as meeting:
        await meeting.command("agenda.open_item", {"item_id": "a1"})
        opened = await meeting.wait_for(lambda e: e["name"] == "agenda.item_opened")

The client speaks only the protocol: it never imports the server's ``meeting`` package.
"""

from ._client import MeetingClient
from ._exceptions import (
    AuthError,
    CommandError,
    ConnectError,
    Disconnected,
    HTTPStatusError,
    MeetingClientError,
    ProtocolError,
    Timeout,
    TransportError,
)
from ._http import HttpMeetingClient, sign_in
from ._messages import CommandResult, EventPage, MeetingView

__all__ = [
    "AuthError",
    "CommandError",
    "CommandResult",
    "ConnectError",
    "Disconnected",
    "EventPage",
    "HTTPStatusError",
    "HttpMeetingClient",
    "MeetingClient",
    "MeetingClientError",
    "MeetingView",
    "ProtocolError",
    "Timeout",
    "TransportError",
    "sign_in",
]
