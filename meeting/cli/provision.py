"""Creating users, bodies and meetings: shared by the CLI, the demo and the tests.

Meetings are created through the engine with ordinary commands (`meeting.create`, then
`agenda.add_item`), so a provisioned meeting's log is the same as one built by hand.
"""

from __future__ import annotations

import asyncio
from typing import Any

from meeting.api.auth import Authenticator
from meeting.domain import Actor
from meeting.engine import Engines, MeetingEngine
from meeting.store import Store

__all__ = ["ProvisionError", "add_items", "create_meeting", "put_user", "record_attendance"]


class ProvisionError(RuntimeError):
    """A provisioning command was refused; the message says which and why."""


async def put_user(
    store: Store,
    auth: Authenticator,
    user_id: str,
    name: str,
    password: str,
    *,
    is_admin: bool = False,
    now: str,
) -> None:
    password_hash = await asyncio.to_thread(auth.hash_password, password)
    await store.accounts.put_user(user_id, name, password_hash, is_admin=is_admin, now=now)


async def create_meeting(
    engines: Engines,
    meeting_id: str,
    create_args: dict[str, Any],
    items: list[dict[str, Any]],
    *,
    admin_id: str = "admin",
) -> MeetingEngine:
    """Create the meeting and its agenda; the items are committed together."""
    admin = Actor(admin_id, is_admin=True)
    engine, outcome = await engines.create(meeting_id, admin, create_args, source="cli")
    if engine is None or not outcome.ok:
        raise ProvisionError(f"meeting.create: {outcome.code}: {outcome.message}")
    await add_items(engine, items, batch="create", admin_id=admin_id)
    return engine


async def record_attendance(
    engine: MeetingEngine, presence: dict[str, str], *, admin_id: str = "admin"
) -> None:
    """Record attendance (`present`, `excused`, `absent`) as the clerk would at roll call."""
    admin = Actor(admin_id, is_admin=True)
    futures = [
        engine.submit(
            admin,
            f"roll-call-{user_id}-{status}",
            "attendance.record",
            {"user_id": user_id, "presence": status}
            | ({"reason": "Đi công tác"} if status == "excused" else {}),
            source="cli",
        )
        for user_id, status in presence.items()
    ]
    for user_id, result in zip(presence, await asyncio.gather(*futures), strict=True):
        if not result.ok:
            raise ProvisionError(f"attendance of {user_id}: {result.code}: {result.message}")


async def add_items(
    engine: MeetingEngine, items: list[dict[str, Any]], *, batch: str, admin_id: str = "admin"
) -> None:
    """Append agenda items in one go; `batch` makes the command ids of this import unique."""
    admin = Actor(admin_id, is_admin=True)
    futures = [
        engine.submit(admin, f"{batch}-item-{i}", "agenda.add_item", item, source="cli")
        for i, item in enumerate(items)
    ]
    for i, result in enumerate(await asyncio.gather(*futures)):
        if not result.ok:
            raise ProvisionError(f"agenda item {i + 1}: {result.code}: {result.message}")
