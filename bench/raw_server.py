"""The baseline: the least a WebSocket fan-out server can do, with the `websockets` library.

`hello` gets a welcome and joins the room; `trigger` (from the load generator's chair) makes
it build one event frame of the requested size, `broadcast` it to every joined connection,
and answer the sender with an `ack`. No storage, no authentication, no audiences, no limits.

    python -m bench.raw_server --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.procstat import raise_fd_limit

__all__ = ["event_frame", "main"]


def event_frame(seq: int, size: int) -> bytes:
    """An `event` frame shaped like the meeting server's, padded to `size` bytes."""
    head = (
        f'{{"type":"event","seq":{seq},"name":"bench.raw","at":"2026-12-01T08:00:00.000Z",'
        f'"actor":"chair","data":{{"pad":"'
    ).encode()
    tail = b'"}}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


class Room:
    def __init__(self) -> None:
        self.joined: set[ServerConnection] = set()
        self.seq = 0

    async def handler(self, ws: ServerConnection) -> None:
        try:
            async for message in ws:
                request = json.loads(message)
                kind = request.get("type")
                if kind == "hello":
                    self.joined.add(ws)
                    welcome = {"type": "welcome", "you": None, "seq": self.seq, "snapshot": None}
                    await ws.send(json.dumps(welcome))
                elif kind == "trigger":
                    self.seq += 1
                    broadcast(self.joined, event_frame(self.seq, int(request["size"])), text=True)
                    await ws.send(json.dumps({"type": "ack", "id": request["id"], "seq": self.seq}))
        finally:
            self.joined.discard(ws)


async def _serve(port: int) -> None:
    room = Room()
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        room.handler, "127.0.0.1", port, compression=None, max_size=64 * 1024, backlog=2048
    ):
        print("raw server ready", flush=True)
        await stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    raise_fd_limit(65536)
    asyncio.run(_serve(args.port))


if __name__ == "__main__":
    main()
