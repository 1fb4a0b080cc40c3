"""What each `meeting` subcommand does, on the same store and engines as the server."""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import msgspec

from meeting.api.auth import Authenticator
from meeting.api.importing import (
    ImportProblem,
    decode_text,
    format_for,
    parse_agenda,
    parse_delegates,
)
from meeting.domain import verify_chain
from meeting.engine import Engines, utc_now
from meeting.hub import open_hub
from meeting.settings import Settings
from meeting.store import Store

from . import demo_data, serving
from .demo_papers import add_demo_papers
from .demo_sitting import prepare_demo_sitting
from .provision import ProvisionError, add_items, create_meeting, put_user

__all__ = ["CliError", "load_demo", "run", "serve"]

DEMO_MEETING = "demo"
DEMO_ADMIN_PASSWORD = "demo-admin"


class CliError(Exception):
    """A command could not be carried out; the message says why."""


@dataclass
class _Context:
    settings: Settings
    store: Store
    engines: Engines
    auth: Authenticator


@asynccontextmanager
async def _context(settings: Settings) -> AsyncIterator[_Context]:
    store = await Store.open(settings.sqlalchemy_url)
    # With HUB_URL, what a command commits (an imported agenda, …) is announced to the
    # running servers at once; a server without the hub finds it at its next commit.
    hub = open_hub(settings.hub_url, settings.hub_channel)
    engines = Engines(store.log, hub)
    await hub.start(engines)
    auth = Authenticator(
        store.accounts,
        token_ttl=settings.token_ttl,
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
    )
    try:
        yield _Context(settings, store, engines, auth)
    finally:
        await engines.stop()
        await hub.stop()
        await store.close()


def serve(settings: Settings) -> None:
    serving.serve(settings)


async def load_demo(settings: Settings) -> None:
    """Create the demo users, body and meeting unless they exist; print how to sign in."""
    async with _context(settings) as ctx:
        if await ctx.store.log.head(DEMO_MEETING) is None:
            now = utc_now()
            await put_user(
                ctx.store,
                ctx.auth,
                "admin",
                "Quản trị hệ thống",
                DEMO_ADMIN_PASSWORD,
                is_admin=True,
                now=now,
            )
            rows = demo_data.roster()
            for row in rows:
                password = demo_data.password_for(row.username)
                await put_user(ctx.store, ctx.auth, row.username, row.name, password, now=now)
            await ctx.store.accounts.put_body(
                demo_data.BODY_ID, demo_data.BODY_NAME, demo_data.BODY_SEATS
            )
            seats = [(r.seat, r.username) for r in rows if r.seat is not None]
            await ctx.store.accounts.set_seats(demo_data.BODY_ID, seats)
            args = demo_data.meeting_args()
            items = [row.item_args() for row in demo_data.agenda()]
            engine = await create_meeting(
                ctx.engines, DEMO_MEETING, _plain(args), [_plain(i) for i in items]
            )
            delegates = [r.username for r in rows if r.seat is not None]
            await prepare_demo_sitting(engine, delegates)
            if not await add_demo_papers(engine, settings):
                print("no font with Vietnamese letters found: the demo has no papers "
                      "(install fonts-dejavu-core or set MEETING_PDF_FONT_DIR)")  # fmt: skip
    url = f"http://{settings.host}:{settings.port}"
    print(
        f"""
Demo sitting "{demo_data.MEETING_TITLE}" (meeting id: {DEMO_MEETING})
  open {url}/ and sign in as
    chair    / {demo_data.CHAIR_PASSWORD}     (chủ tọa, also delegate seat 1)
    clerk    / {demo_data.CLERK_PASSWORD}     (thư ký)
    d02…d85  / {demo_data.DELEGATE_PIN}           (đại biểu)
    display  / {demo_data.DISPLAY_PASSWORD}   (màn hình hội trường)
    admin    / {DEMO_ADMIN_PASSWORD}     (quản trị)
  API: {url}/api/meetings   WebSocket: ws://{settings.host}:{settings.port}/ws/meetings/{DEMO_MEETING}
""",
        flush=True,
    )


def _plain(struct: Any) -> dict[str, Any]:
    result: dict[str, Any] = msgspec.to_builtins(struct)
    return result


async def run(settings: Settings, args: argparse.Namespace) -> int:
    async with _context(settings) as ctx:
        handler = _HANDLERS.get(
            (args.command, getattr(args, "action", getattr(args, "what", None)))
        )
        if handler is None:
            return 0  # `migrate`: opening the store migrated it
        try:
            return await handler(ctx, args)
        except (ImportProblem, ProvisionError) as exc:
            raise CliError(str(exc)) from exc


async def _users_add(ctx: _Context, args: argparse.Namespace) -> int:
    if not args.password:
        raise CliError("a password is required")
    await put_user(
        ctx.store,
        ctx.auth,
        args.username.lower(),
        args.name,
        args.password,
        is_admin=args.admin,
        now=utc_now(),
    )
    print(f"user {args.username.lower()} saved")
    return 0


async def _users_list(ctx: _Context, args: argparse.Namespace) -> int:
    for u in await ctx.store.accounts.list_users():
        flag = "\t(admin)" if u.is_admin else ""
        print(f"{u.id}\t{u.name}{flag}")
    return 0


async def _bodies_add(ctx: _Context, args: argparse.Namespace) -> int:
    if args.seats < 1:
        raise CliError("--seats must be at least 1")
    await ctx.store.accounts.put_body(args.body_id, args.name, args.seats)
    print(f"body {args.body_id} saved")
    return 0


async def _bodies_list(ctx: _Context, args: argparse.Namespace) -> int:
    for b in await ctx.store.accounts.list_bodies():
        print(f"{b.id}\t{b.seats} seats\t{b.name}")
    return 0


async def _meetings_create(ctx: _Context, args: argparse.Namespace) -> int:
    body = await ctx.store.accounts.body(args.body)
    if body is None:
        raise CliError(f"no body {args.body!r}; create it with `meeting bodies add`")
    members: dict[str, dict[str, Any]] = {}

    async def member(user_id: str, role: str, seat: int | None = None) -> None:
        user = await ctx.store.accounts.user(user_id)
        if user is None:
            raise CliError(f"no user {user_id!r}")
        entry = members.setdefault(
            user_id, {"user_id": user_id, "name": user.name, "roles": [], "seat": seat}
        )
        entry["roles"].append(role)

    for seat, user_id in body.members:
        await member(user_id, "delegate", seat)
    for role in ("chair", "clerk", "observer"):
        for user_id in getattr(args, role):
            await member(user_id.lower(), role)
    create = {
        "body": {"id": body.id, "name": body.name, "seats": body.seats},
        "title": args.title,
        "place": args.place,
        "scheduled_for": args.date,
        "members": list(members.values()),
    }
    await create_meeting(ctx.engines, args.meeting_id, create, [])
    print(f"meeting {args.meeting_id} created with {len(members)} members")
    return 0


async def _meetings_list(ctx: _Context, args: argparse.Namespace) -> int:
    for meeting_id in await ctx.store.log.meeting_ids():
        engine = await ctx.engines.get(meeting_id)
        if engine is not None:
            s = engine.state
            print(f"{meeting_id}\t{s.status.value}\tseq {s.seq}\t{s.title}")
    return 0


def _read(path: Any) -> str:
    try:
        return decode_text(path.read_bytes())
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc


async def _import_delegates(ctx: _Context, args: argparse.Namespace) -> int:
    body = await ctx.store.accounts.body(args.body)
    if body is None:
        raise CliError(f"no body {args.body!r}; create it with `meeting bodies add`")
    rows = parse_delegates(_read(args.file), format_for(args.file))
    now = utc_now()
    for row in rows:
        pin = row.pin
        if pin is None:
            pin = f"{secrets.randbelow(10**6):06d}"
            print(f"{row.username}\tPIN {pin}")
        await put_user(ctx.store, ctx.auth, row.username, row.name, pin, now=now)
    seats = [(r.seat, r.username) for r in rows if r.seat is not None]
    if len(seats) > body.seats:
        print(
            f"warning: {len(seats)} seats imported for {body.seats} statutory seats",
            file=sys.stderr,
        )
    await ctx.store.accounts.set_seats(body.id, seats)
    print(f"{len(rows)} people imported into {body.id}")
    return 0


async def _import_agenda(ctx: _Context, args: argparse.Namespace) -> int:
    engine = await ctx.engines.get(args.meeting)
    if engine is None:
        raise CliError(f"no meeting {args.meeting!r}")
    rows = parse_agenda(_read(args.file), format_for(args.file))
    await add_items(engine, [_plain(r.item_args()) for r in rows], batch=secrets.token_hex(4))
    print(f"{len(rows)} agenda items added to {args.meeting}")
    return 0


async def _verify(ctx: _Context, args: argparse.Namespace) -> int:
    ids = [args.meeting] if args.meeting else await ctx.store.log.meeting_ids()
    bad = 0
    for meeting_id in ids:
        rows = await ctx.store.log.read(meeting_id)
        try:
            head = verify_chain((r.event, r.hash) for r in rows)
        except ValueError as exc:
            print(f"{meeting_id}\tBROKEN\t{exc}")
            bad += 1
            continue
        print(f"{meeting_id}\tok\t{len(rows)} events\thead {head}")
    return 1 if bad else 0


_HANDLERS = {
    ("users", "add"): _users_add,
    ("users", "list"): _users_list,
    ("bodies", "add"): _bodies_add,
    ("bodies", "list"): _bodies_list,
    ("meetings", "create"): _meetings_create,
    ("meetings", "list"): _meetings_list,
    ("import", "delegates"): _import_delegates,
    ("import", "agenda"): _import_agenda,
    ("verify", None): _verify,
}
