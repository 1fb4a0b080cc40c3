"""Passwords, tokens and who is behind a request.

Passwords are hashed with argon2id. Tokens are random, handed out once, stored as their
SHA-256; a short in-process cache spares a database query per request.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from meeting.store import Accounts, SignedIn, UserRow

__all__ = ["Authenticator", "hash_token"]

_CACHE_SECONDS = 10.0


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


class Authenticator:
    def __init__(
        self, accounts: Accounts, *, token_ttl: float, time_cost: int = 3, memory_kib: int = 65536
    ) -> None:
        self._accounts = accounts
        self._ttl = token_ttl
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verified against when the user does not exist, so both cases take the same time.
        self._dummy = self._hasher.hash(secrets.token_hex(8))
        self._cache: dict[str, tuple[float, SignedIn]] = {}

    def hash_password(self, password: str) -> str:
        return self._hasher.hash(password)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    async def sign_in(self, username: str, password: str) -> tuple[str, UserRow] | None:
        user = await self._accounts.user(username.strip().lower())
        stored = user.password_hash if user else self._dummy
        ok = await asyncio.to_thread(self._verify, stored, password)
        if not ok or user is None:
            return None
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        await self._accounts.add_token(
            hash_token(token),
            user.id,
            now=_iso(now),
            expires_at=_iso(now + timedelta(seconds=self._ttl)),
        )
        return token, user

    async def check_pin(self, user_id: str, pin: str) -> bool:
        """A delegate's PIN (her sign-in secret), asked again with some ballots."""
        user = await self._accounts.user(user_id)
        stored = user.password_hash if user else self._dummy
        ok = await asyncio.to_thread(self._verify, stored, pin)
        return ok and user is not None

    async def issue_token(self, user_id: str) -> str:
        """A token for a known user without a password (the CLI and benchmarks use it)."""
        token, key, now, expires = self.new_token()
        await self._accounts.add_token(key, user_id, now=now, expires_at=expires)
        return token

    def new_token(self) -> tuple[str, str, str, str]:
        """A fresh token, its stored hash, now, and when it expires (for the pairing route)."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        return token, hash_token(token), _iso(now), _iso(now + timedelta(seconds=self._ttl))

    async def user_for(self, token: str | None) -> UserRow | None:
        found = await self.signed_in(token)
        return found.user if found else None

    async def signed_in(self, token: str | None) -> SignedIn | None:
        """The user behind a token, and the paired device it belongs to (if any)."""
        if not token:
            return None
        key = hash_token(token)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        found = await self._accounts.signed_in(key, now=_iso(datetime.now(UTC)))
        if found is not None:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (time.monotonic() + _CACHE_SECONDS, found)
        return found

    def forget_device(self, device_id: str) -> None:
        """A revoked device's tokens must stop at once, not when the cache next expires."""
        stale = [k for k, (_, s) in self._cache.items() if s.device_id == device_id]
        for key in stale:
            del self._cache[key]

    async def sign_out(self, token: str) -> None:
        key = hash_token(token)
        self._cache.pop(key, None)
        await self._accounts.revoke_token(key)
