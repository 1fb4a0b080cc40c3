"""The documentation is kept honest: it names everything the code declares.

A command, event, error code, close code, setting or route that is added without its docs
fails here; a changed declaration fails until `meeting schema` has regenerated the JSON
documents. The last test checks the declarations themselves against a real server.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from starlette.routing import Route, WebSocketRoute

from meeting.api import create_app, wire
from meeting.api.errors import CLOSE, CODES
from meeting.api.schema import asyncapi, command_table, event_table, openapi, write_docs
from meeting.cli.main import main
from meeting.domain import RULES
from meeting.domain.apply import APPLIERS
from meeting.domain.catalog import EVENTS
from meeting.settings import Settings, env_names
from tests.live import PASSWORD, Live

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under `## heading` up to the next heading of the same level."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document))


@pytest.mark.parametrize(
    ("name", "build"), [("asyncapi.json", asyncapi), ("openapi.json", openapi)]
)
def test_generated_documents_are_up_to_date(name: str, build: Any) -> None:
    committed = json.loads(_read(name))
    assert committed == _json(build()), f"docs/{name} is stale: run `meeting schema`"


def test_schema_command_writes_the_documents(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    for path in write_docs(tmp_path / "again"):
        assert json.loads(path.read_text()) == json.loads((tmp_path / path.name).read_text())


def test_every_command_and_event_is_in_the_protocol() -> None:
    text = _read("protocol.md")
    commands, events = _section(text, "Commands"), _section(text, "Events")
    assert [n for n in RULES if f"| `{n}` |" not in commands] == []
    assert [n for n in APPLIERS if f"| `{n}` |" not in events] == []
    assert set(EVENTS) == set(APPLIERS)


def test_protocol_tables_match_the_code() -> None:
    """The tables are generated text (`command_table`, `event_table`): paste them anew."""
    text = _read("protocol.md")
    for heading, table in (("Commands", command_table()), ("Events", event_table())):
        section = _section(text, heading)
        assert table in section
        # The table is whole: no row left over after it (each row is one line).
        after = section.split(table, 1)[1]
        assert not after.lstrip(" ").startswith(("|", "(")), after[:200]
        assert all(row.count("|") == table.splitlines()[0].count("|") for row in table.splitlines())


def test_every_error_and_close_code_is_in_the_protocol() -> None:
    text = _read("protocol.md")
    assert [c for c in CODES if f"| `{c}` |" not in text] == []
    closes = [v for k, v in vars(CLOSE).items() if k.isupper()]
    assert [c for c in closes if f"| {c} |" not in text] == []
    description = asyncapi()["channels"]["meeting"]["description"]
    assert [c for c in closes if f"| {c} |" not in description] == []
    schema = asyncapi()["components"]["schemas"]["ErrorCode"]
    assert schema["enum"] == list(CODES)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value in ("", ()):
        return "(empty)"
    return str(value)


def test_every_setting_is_documented() -> None:
    text = _read("settings.md")
    rows = {line.split("|")[1].strip(" `"): line for line in text.splitlines() if "| `" in line}
    defaults = Settings()
    for f in fields(Settings):
        env = env_names()[f.name]
        assert env in rows, f"{env} ({f.name}) is not in docs/settings.md"
        shown = _shown(getattr(defaults, f.name))
        assert f"| `{shown}`" in rows[env] or f"| {shown}" in rows[env], (env, shown)


def test_every_route_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    spec = openapi()["paths"]
    channel = asyncapi()["channels"]["meeting"]["address"]
    protocol = _read("protocol.md")
    routes = [r for r in app.routes if isinstance(r, Route | WebSocketRoute)]
    assert routes
    for route in routes:
        if isinstance(route, WebSocketRoute):
            assert route.path == channel
            assert f"`GET {route.path}`" in protocol
            continue
        for method in sorted((route.methods or set()) - {"HEAD"}):
            assert method.lower() in spec.get(route.path, {}), f"{method} {route.path}"
            pattern = rf"`{method} {re.escape(route.path)}[`? ]"
            assert re.search(pattern, protocol), f"{method} {route.path} not in protocol.md"


def _frame(raw: dict[str, Any]) -> None:
    """A server frame matches its declaration, and each event's data its catalogue entry."""
    kinds = {"welcome": wire.Welcome, "event": wire.EventFrame, "events": wire.EventsFrame}
    kinds |= {"ack": wire.Ack, "error": wire.ErrorFrame}
    frame = msgspec.convert(raw, kinds[raw["type"]], strict=True)
    if isinstance(frame, wire.ErrorFrame):
        assert frame.code in CODES
    events = [frame] if isinstance(frame, wire.EventFrame) else []
    events += frame.events if isinstance(frame, wire.EventsFrame) else []
    for event in events:
        msgspec.convert(event.data, EVENTS[event.name].wire, strict=True)


async def test_real_frames_and_bodies_match_their_declarations(live: Live) -> None:
    async with httpx.AsyncClient(base_url=live.base, timeout=10) as http:

        async def body(method: str, url: str, kind: Any, status: int = 200, **kw: Any) -> Any:
            r = await http.request(method, url, **kw)
            assert r.status_code == status, r.text
            return msgspec.convert(r.json(), kind, strict=True)

        me = {"username": "chair", "password": PASSWORD}
        login = await body("POST", "/api/auth/login", wire.LoginResult, json=me)
        auth = {"Authorization": f"Bearer {login.token}"}
        await body("GET", "/healthz", wire.Health)
        await body("GET", "/api/meetings", wire.MeetingList, headers=auth)
        await body("GET", "/api/meetings/m1", wire.MeetingView, headers=auth)
        await body("GET", "/api/meetings/m1", wire.MeetingView)
        page = await body("GET", "/api/meetings/m1/events", wire.EventsPage, headers=auth)
        for event in page.events:
            msgspec.convert(event.data, EVENTS[event.name].wire, strict=True)
        await body("GET", "/api/meetings/m1/events?since=99999", wire.MeetingView)
        url = "/api/meetings/m1/commands"
        sent = {"id": "h1", "name": "sitting.open"}
        await body("POST", url, wire.CommandResult, json=sent, headers=auth)
        bad = await body("POST", url, wire.Failure, 409, json=sent | {"id": "h2"}, headers=auth)
        assert bad.code in CODES and bad.id == "h2"
        await body("GET", "/api/meetings/nope", wire.Failure, 404)
        await body("POST", "/api/auth/logout", wire.LogoutResult, headers=auth)

    async with live.socket("chair", since=0) as chair, live.socket(None) as public:
        _frame(chair.welcome)
        _frame(public.welcome)
        urgent = {"title": "Kín", "access": "delegates", "open": True}
        for message in (
            {"type": "command", "id": "w1", "name": "agenda.add_item"},
            {"type": "oops"},
            {"type": "command", "id": "w2", "name": "agenda.add_urgent_item", "args": urgent},
            {"type": "command", "id": "w3", "name": "sitting.close"},
        ):
            await chair.send(message)
        answers: dict[str | None, dict[str, Any]] = {}
        while len(answers) < 4:
            raw = await chair.recv()
            _frame(raw)
            if raw["type"] in ("ack", "error"):
                answers[raw["id"]] = raw
        kinds = [answers[k]["type"] for k in ("w1", None, "w2", "w3")]
        assert kinds == ["error", "error", "ack", "ack"]
        while public.seq < answers["w3"]["seq"]:
            _frame(await public.recv())
