"""Users, sign-in tokens and bodies (with their seats).

Tokens are stored as SHA-256 digests: a copy of the database does not let anyone sign in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from .tables import bodies, body_seats, devices, tokens, users

__all__ = ["Accounts", "BodyRow", "SignedIn", "UserRow"]


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    password_hash: str
    is_admin: bool


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who is behind a token: the user and, for a paired tablet, its device and meeting."""

    user: UserRow
    device_id: str | None = None
    device_meeting: str | None = None


@dataclass(frozen=True, slots=True)
class BodyRow:
    id: str
    name: str
    seats: int
    members: tuple[tuple[int, str], ...] = ()
    """(seat, user id) pairs, by seat."""


class Accounts:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def put_user(
        self, user_id: str, name: str, password_hash: str, *, is_admin: bool, now: str
    ) -> None:
        """Create the user, or replace the name, password and admin flag of an existing one."""
        async with self._engine.begin() as conn:
            found = await conn.execute(select(users.c.id).where(users.c.id == user_id))
            values = {"name": name, "password_hash": password_hash, "is_admin": is_admin}
            if found.first():
                await conn.execute(update(users).where(users.c.id == user_id).values(**values))
            else:
                await conn.execute(insert(users).values(id=user_id, created_at=now, **values))

    async def user(self, user_id: str) -> UserRow | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(users).where(users.c.id == user_id))).first()
        if row is None:
            return None
        return UserRow(row.id, row.name, row.password_hash, row.is_admin)

    async def list_users(self) -> list[UserRow]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(users).order_by(users.c.id))
            return [UserRow(r.id, r.name, r.password_hash, r.is_admin) for r in rows]

    async def add_token(self, token_hash: str, user_id: str, *, now: str, expires_at: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(tokens).values(
                    token_hash=token_hash,
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires_at,
                    revoked=False,
                )
            )

    async def user_for_token(self, token_hash: str, *, now: str) -> UserRow | None:
        found = await self.signed_in(token_hash, now=now)
        return found.user if found else None

    async def signed_in(self, token_hash: str, *, now: str) -> SignedIn | None:
        """The owner of a valid token (not revoked, not expired), with its device if any."""
        query = (
            select(users, tokens.c.device_id, devices.c.meeting_id.label("device_meeting"))
            .join(tokens, tokens.c.user_id == users.c.id)
            .outerjoin(devices, devices.c.id == tokens.c.device_id)
            .where(
                and_(
                    tokens.c.token_hash == token_hash,
                    tokens.c.revoked.is_(False),
                    tokens.c.expires_at > now,
                )
            )
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        user = UserRow(row.id, row.name, row.password_hash, row.is_admin)
        return SignedIn(user, row.device_id, row.device_meeting)

    async def revoke_token(self, token_hash: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(tokens).where(tokens.c.token_hash == token_hash).values(revoked=True)
            )

    async def put_body(self, body_id: str, name: str, seats: int) -> None:
        async with self._engine.begin() as conn:
            found = await conn.execute(select(bodies.c.id).where(bodies.c.id == body_id))
            if found.first():
                stmt = update(bodies).where(bodies.c.id == body_id).values(name=name, seats=seats)
                await conn.execute(stmt)
            else:
                await conn.execute(insert(bodies).values(id=body_id, name=name, seats=seats))

    async def set_seats(self, body_id: str, seats: list[tuple[int, str]]) -> None:
        """Replace the body's seat assignments with `(seat, user id)` pairs."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(body_seats).where(body_seats.c.body_id == body_id))
            if seats:
                rows = [{"body_id": body_id, "seat": s, "user_id": u} for s, u in seats]
                await conn.execute(insert(body_seats), rows)

    async def body(self, body_id: str) -> BodyRow | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(bodies).where(bodies.c.id == body_id))).first()
            if row is None:
                return None
            seats = await conn.execute(
                select(body_seats.c.seat, body_seats.c.user_id)
                .where(body_seats.c.body_id == body_id)
                .order_by(body_seats.c.seat)
            )
            members = tuple((s.seat, s.user_id) for s in seats)
        return BodyRow(row.id, row.name, row.seats, members)

    async def list_bodies(self) -> list[BodyRow]:
        async with self._engine.connect() as conn:
            rows = list(await conn.execute(select(bodies).order_by(bodies.c.id)))
        return [BodyRow(r.id, r.name, r.seats) for r in rows]
