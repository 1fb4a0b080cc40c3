"""The hub between server processes: Redis pub/sub says "meeting M is at `seq` N".

Redis is a speed-up, never the source of truth. A message carries no event, only a meeting
id and a `seq`; the process that hears it reads the events from the database, folds them
and fans them out to its own connections (`Follower.follow`). What may have been missed
while the link was down (Redis restarted, the connection dropped) is found by reading every
loaded meeting's log again (`Follower.resync`): once the subscription is confirmed, and at
every reconnection attempt while it is not, so tablets converge even without Redis.

The writer never waits for Redis: announcements are coalesced per meeting in an outbox that
a sender task drains, and stay there until Redis takes them. A forged or garbled message
costs one read of the log and changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from typing import Any

import msgspec
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from .local import Follower, Hub

__all__ = ["RedisHub"]

log = logging.getLogger("meeting.hub")

_LINK_ERRORS = (RedisError, OSError, TimeoutError)


class _Advance(msgspec.Struct, forbid_unknown_fields=True):
    meeting: str
    seq: int
    origin: str


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(_Advance).decode


class RedisHub(Hub):
    """The in-process fan-out, plus announcements to and from the other processes.

    `min_backoff`…`max_backoff` bound the wait between reconnection attempts (doubling);
    the link pings Redis every `ping_every` seconds and gives it up as dead after
    `dead_after` seconds without an answer.
    """

    distributed = True

    def __init__(
        self,
        url: str,
        channel: str = "meeting",
        *,
        min_backoff: float = 0.1,
        max_backoff: float = 2.0,
        ping_every: float = 5.0,
        dead_after: float = 15.0,
        timeout: float = 2.0,
    ) -> None:
        super().__init__()
        self._url = url
        self._channel = channel
        self._min_backoff, self._max_backoff = min_backoff, max_backoff
        self._ping_every, self._dead_after, self._timeout = ping_every, dead_after, timeout
        self.origin = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._outbox: dict[str, int] = {}
        self._ready = asyncio.Event()
        self._subscribed = asyncio.Event()
        self._follower: Follower | None = None
        self._publisher: Redis | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.connected = False
        self.error = "not connected yet"
        self.reconnects = 0
        self.announced = 0
        """Messages this process published."""
        self.heard = 0
        """Messages heard from other processes."""
        self.garbled = 0
        """Messages on the channel that were not announcements; ignored."""

    # -- life ------------------------------------------------------------------------------

    async def start(self, follower: Follower) -> None:
        """Subscribe (waiting up to `timeout` for the first confirmation) and start sending."""
        self._follower = follower
        self._publisher = self._client()
        self._tasks = [
            asyncio.create_task(self._listen(), name="hub-listen"),
            asyncio.create_task(self._send(), name="hub-send"),
        ]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._timeout):
                await self._subscribed.wait()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._publisher is not None:
            if self._outbox:  # the last commits of a clean shutdown: a short, best effort
                with contextlib.suppress(*_LINK_ERRORS):
                    async with asyncio.timeout(self._timeout):
                        await self._publish(self._outbox)
            with contextlib.suppress(*_LINK_ERRORS):
                await self._publisher.aclose()
            self._publisher = None

    def status(self) -> tuple[bool, str]:
        if self.connected:
            return True, "redis: ok"
        return False, f"redis: error: {self.error}"

    def link_counters(self) -> dict[str, tuple[int, str]]:
        return {
            "reconnects": (self.reconnects, "Redis reconnection attempts."),
            "announced": (self.announced, "Announcements published to the other processes."),
            "heard": (self.heard, "Announcements heard from the other processes."),
            "garbled": (self.garbled, "Messages on the channel that were not announcements."),
        }

    def _client(self) -> Redis:
        # No retries inside redis-py: a failure surfaces here, where the back-off and the
        # catch-up from the database live.
        client: Redis = Redis.from_url(
            self._url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=self._timeout,
            socket_timeout=self._timeout,
            client_name=f"meeting-hub:{self.origin}",  # who is who in CLIENT LIST
        )
        return client

    # -- out -------------------------------------------------------------------------------

    def announce(self, meeting_id: str, seq: int) -> None:
        if seq > self._outbox.get(meeting_id, 0):
            self._outbox[meeting_id] = seq
            self._ready.set()

    async def _send(self) -> None:
        delay = self._min_backoff
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self._outbox:
                # Announcements leave the outbox only once Redis has them (a newer one for
                # the same meeting stays): a failure, or `stop` in the middle, loses none.
                batch = dict(self._outbox)
                try:
                    await self._publish(batch)
                except _LINK_ERRORS as exc:
                    log.debug("hub: publish failed (%r); retrying in %.1f s", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self._max_backoff)
                    continue
                for meeting_id, seq in batch.items():
                    if self._outbox.get(meeting_id) == seq:
                        del self._outbox[meeting_id]
                delay = self._min_backoff

    async def _publish(self, batch: dict[str, int]) -> None:
        assert self._publisher is not None
        messages = [_encode(_Advance(m, seq, self.origin)) for m, seq in batch.items()]
        if len(messages) == 1:
            await self._publisher.publish(self._channel, messages[0])
        else:
            async with self._publisher.pipeline(transaction=False) as pipe:
                for message in messages:
                    pipe.publish(self._channel, message)
                await pipe.execute()
        self.announced += len(messages)

    # -- in --------------------------------------------------------------------------------

    async def _listen(self) -> None:
        delay = self._min_backoff
        while True:
            client = self._client()
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                await self._read(pubsub)
            except _LINK_ERRORS as exc:
                self._down(exc)
            finally:
                with contextlib.suppress(*_LINK_ERRORS):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(*_LINK_ERRORS):
                    await client.aclose()
            if self._subscribed.is_set():
                delay = self._min_backoff  # it worked for a while: try again soon
                self._subscribed.clear()
            self._resync()  # without Redis, the database is polled at each attempt
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_backoff)
            self.reconnects += 1

    async def _read(self, pubsub: PubSub) -> None:
        loop = asyncio.get_running_loop()
        heard = pinged = loop.time()
        while True:
            message: dict[str, Any] | None = await pubsub.get_message(timeout=1.0)
            now = loop.time()
            if message is not None:
                heard = now
                kind = message["type"]
                if kind == "message":
                    self._heard(message["data"])
                elif kind == "subscribe":
                    self._up()
            if now - heard > self._dead_after:
                raise ConnectionError(f"no answer from Redis for {self._dead_after:.0f} s")
            if now - pinged >= self._ping_every:
                pinged = now
                await pubsub.ping()

    def _heard(self, data: bytes) -> None:
        try:
            advance = _decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError):
            self.garbled += 1
            return
        if advance.origin == self.origin or self._follower is None:
            return
        self.heard += 1
        self._follower.follow(advance.meeting, advance.seq)

    def _up(self) -> None:
        # Subscribed: from now on every commit is heard, so one read of each log covers
        # whatever was committed before.
        if not self.connected and self.error != "not connected yet":
            log.warning("hub: Redis is back; catching up from the database")
        self.connected = True
        self.error = ""
        self._subscribed.set()
        self._resync()

    def _down(self, exc: BaseException) -> None:
        if self.connected or self.error == "not connected yet":
            log.warning("hub: lost Redis (%r); polling the database until it is back", exc)
        self.connected = False
        self.error = type(exc).__name__

    def _resync(self) -> None:
        if self._follower is not None:
            self._follower.resync()
