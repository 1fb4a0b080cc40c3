"""`meeting serve`: one server process, or `--workers N` processes on one listening socket.

Workers are uvicorn's: the parent binds the socket, migrates the database once, and starts
N children that each build the app from the environment (the parent's `--host`, `--port`
and `--data` are passed down through it) and restarts any that dies. The processes share
nothing in memory, so they need a shared database and the Redis hub (`HUB_URL`).
"""

from __future__ import annotations

import asyncio
import os

import uvicorn
from starlette.applications import Starlette

from meeting.api import create_app
from meeting.settings import Settings, env_names
from meeting.store import Store

__all__ = ["WorkersNeedHub", "serve", "worker_app"]


class WorkersNeedHub(Exception):
    """`--workers` above 1 without `HUB_URL`: the processes would not hear each other."""


def serve(settings: Settings, workers: int = 1) -> None:
    options = {
        "host": settings.host,
        "port": settings.port,
        "ws": "websockets-sansio",
        "ws_per_message_deflate": False,
        "ws_max_size": settings.max_message_bytes,
        "log_level": settings.log_level,
        "lifespan": "on",
    }
    if workers <= 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    if not settings.hub_url:
        raise WorkersNeedHub(
            "--workers needs HUB_URL (Redis): without it a process would never hear of "
            "what the others commit"
        )
    asyncio.run(_migrate(settings))
    names = env_names()
    os.environ[names["data_dir"]] = str(settings.data_dir)
    os.environ[names["host"]] = settings.host
    os.environ[names["port"]] = str(settings.port)
    target = f"{__name__}:worker_app"
    uvicorn.run(target, factory=True, workers=workers, **options)  # type: ignore[arg-type]


async def _migrate(settings: Settings) -> None:
    store = await Store.open(settings.sqlalchemy_url)
    await store.close()


def worker_app() -> Starlette:
    """The app of one worker process, with the settings its parent passed down."""
    return create_app(Settings.from_env())
