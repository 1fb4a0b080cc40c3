"""Pairing codes and paired devices: the storage half of signing a tablet in by code and PIN.

A code is stored only as its SHA-256 (the caller hashes it), is used at most once (the
update that marks it used is the one that wins), and a new code for the same delegate of
the same meeting deletes the earlier ones. Pairing creates the device and its token in one
transaction and revokes the delegate's earlier tablet in that meeting; revoking a device
revokes its tokens in the same transaction, so no token outlives its device.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .tables import devices, pairing_codes, tokens

__all__ = ["CodeRow", "DeviceRow", "DeviceStore", "Paired"]


@dataclass(frozen=True, slots=True)
class CodeRow:
    meeting_id: str
    user_id: str
    issued_by: str
    expires_at: str
    failures: int
    used: bool


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    meeting_id: str
    user_id: str
    name: str
    paired_at: str
    paired_by: str
    revoked_at: str | None = None
    revoked_by: str | None = None


@dataclass(frozen=True, slots=True)
class Paired:
    """A pairing that took: the new device, and the earlier ones it retired."""

    device: DeviceRow
    replaced: tuple[str, ...]


def _device(r: Row[Any]) -> DeviceRow:
    return DeviceRow(
        r.id, r.meeting_id, r.user_id, r.name, r.paired_at, r.paired_by, r.revoked_at, r.revoked_by
    )


class DeviceStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def issue_code(
        self,
        code_hash: str,
        meeting_id: str,
        user_id: str,
        *,
        issued_by: str,
        now: str,
        expires_at: str,
    ) -> None:
        """Store a new code for the delegate; her earlier codes in this meeting stop working."""
        mine = and_(pairing_codes.c.meeting_id == meeting_id, pairing_codes.c.user_id == user_id)
        async with self._engine.begin() as conn:
            await conn.execute(delete(pairing_codes).where(mine))
            await conn.execute(
                insert(pairing_codes).values(
                    code_hash=code_hash,
                    meeting_id=meeting_id,
                    user_id=user_id,
                    issued_by=issued_by,
                    issued_at=now,
                    expires_at=expires_at,
                    failures=0,
                    used_at=None,
                )
            )

    async def code(self, code_hash: str) -> CodeRow | None:
        query = select(pairing_codes).where(pairing_codes.c.code_hash == code_hash)
        async with self._engine.connect() as conn:
            r = (await conn.execute(query)).first()
        if r is None:
            return None
        return CodeRow(
            r.meeting_id, r.user_id, r.issued_by, r.expires_at, r.failures, r.used_at is not None
        )

    async def count_failure(self, code_hash: str, *, limit: int) -> int:
        """One more wrong PIN with this code; at `limit` the code is deleted. The new count."""
        where = pairing_codes.c.code_hash == code_hash
        async with self._engine.begin() as conn:
            await conn.execute(
                update(pairing_codes).where(where).values(failures=pairing_codes.c.failures + 1)
            )
            found = (await conn.execute(select(pairing_codes.c.failures).where(where))).first()
            failures = int(found.failures) if found else limit
            if failures >= limit:
                await conn.execute(delete(pairing_codes).where(where))
        return failures

    async def pair(
        self,
        code_hash: str,
        device: DeviceRow,
        token_hash: str,
        *,
        token_expires_at: str,
    ) -> Paired | None:
        """Use the code (once, before it expires) to create `device` and its token.

        None when the code is unknown, used or expired: of two tablets racing with one
        code, exactly one gets a device.
        """
        now = device.paired_at
        async with self._engine.begin() as conn:
            used = await conn.execute(
                update(pairing_codes)
                .where(
                    and_(
                        pairing_codes.c.code_hash == code_hash,
                        pairing_codes.c.used_at.is_(None),
                        pairing_codes.c.expires_at > now,
                    )
                )
                .values(used_at=now)
            )
            if used.rowcount != 1:
                return None
            earlier = await conn.execute(
                select(devices.c.id).where(
                    and_(
                        devices.c.meeting_id == device.meeting_id,
                        devices.c.user_id == device.user_id,
                        devices.c.revoked_at.is_(None),
                    )
                )
            )
            replaced = tuple(sorted(r.id for r in earlier))
            for old in replaced:
                await _revoke(conn, old, by=device.paired_by, now=now)
            await conn.execute(
                insert(devices).values(
                    id=device.id,
                    meeting_id=device.meeting_id,
                    user_id=device.user_id,
                    name=device.name,
                    paired_at=now,
                    paired_by=device.paired_by,
                )
            )
            await conn.execute(
                insert(tokens).values(
                    token_hash=token_hash,
                    user_id=device.user_id,
                    created_at=now,
                    expires_at=token_expires_at,
                    revoked=False,
                    device_id=device.id,
                )
            )
        return Paired(device, replaced)

    async def devices(self, meeting_id: str, *, include_revoked: bool = False) -> list[DeviceRow]:
        query = select(devices).where(devices.c.meeting_id == meeting_id)
        if not include_revoked:
            query = query.where(devices.c.revoked_at.is_(None))
        async with self._engine.connect() as conn:
            rows = await conn.execute(query.order_by(devices.c.paired_at, devices.c.id))
            return [_device(r) for r in rows]

    async def device(self, device_id: str) -> DeviceRow | None:
        async with self._engine.connect() as conn:
            r = (await conn.execute(select(devices).where(devices.c.id == device_id))).first()
        return _device(r) if r else None

    async def revoke(self, device_id: str, *, by: str, now: str) -> bool:
        """Revoke the device and its tokens; False when it was revoked already."""
        async with self._engine.begin() as conn:
            return await _revoke(conn, device_id, by=by, now=now)


async def _revoke(conn: AsyncConnection, device_id: str, *, by: str, now: str) -> bool:
    done = await conn.execute(
        update(devices)
        .where(and_(devices.c.id == device_id, devices.c.revoked_at.is_(None)))
        .values(revoked_at=now, revoked_by=by)
    )
    await conn.execute(update(tokens).where(tokens.c.device_id == device_id).values(revoked=True))
    return bool(done.rowcount == 1)
