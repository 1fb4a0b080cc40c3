"""Durable storage: the event log, command outcomes, audit rows, users, bodies, devices.

SQLAlchemy 2 async on SQLite (default) or PostgreSQL. Knows the domain's `Event` type but
no rules: it never decides anything.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from .accounts import Accounts, BodyRow, SignedIn, UserRow
from .database import create_engine, is_sqlite, migrate
from .devices import CodeRow, DeviceRow, DeviceStore, Paired
from .log import (
    AuditRecord,
    ClaimTaken,
    CommandRecord,
    CommandRecorded,
    Conflict,
    EventLog,
    HeadMoved,
    LoggedEvent,
    SideWrites,
)
from .search import SearchIndex

__all__ = [
    "Accounts",
    "AuditRecord",
    "BodyRow",
    "ClaimTaken",
    "CodeRow",
    "CommandRecord",
    "CommandRecorded",
    "Conflict",
    "DeviceRow",
    "DeviceStore",
    "EventLog",
    "HeadMoved",
    "LoggedEvent",
    "Paired",
    "SearchIndex",
    "SideWrites",
    "SignedIn",
    "Store",
    "UserRow",
]


class Store:
    """The database behind one server process."""

    def __init__(self, engine: AsyncEngine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.log = EventLog(engine)
        self.accounts = Accounts(engine)
        self.devices = DeviceStore(engine)
        self.search = SearchIndex(engine)

    @classmethod
    async def open(cls, url: str, *, migrate_schema: bool = True) -> Store:
        engine = create_engine(url)
        if migrate_schema:
            await migrate(engine)
        return cls(engine, url)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    async def close(self) -> None:
        await self.engine.dispose()
