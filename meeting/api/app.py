"""`create_app(settings)`: the Starlette application and its lifespan."""

from __future__ import annotations

import contextlib
import mimetypes
import os
from collections.abc import AsyncIterator
from os import PathLike
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from docs_store import DocumentStore
from meeting.engine import Engines
from meeting.engine.clock import Clock, IdSource, new_id, utc_now
from meeting.hub import open_hub
from meeting.settings import Settings
from meeting.store import Store

from . import http, metrics, minutes_routes
from ._raw import RawSendMiddleware
from .archive_routes import archive_routes
from .attempts import FailedAttempts
from .auth import Authenticator
from .device_sockets import DeviceSockets
from .pairing import CLIENT_WINDOW, pairing_routes
from .paper_download import PaperFastPath
from .papers_http import open_library, paper_routes
from .roster import roster_routes
from .search_index import SearchIndexer, paper_texts
from .services import AuditBuffer, Services
from .ws import meeting_socket

__all__ = ["create_app"]

WEB_ROOT = Path(__file__).resolve().parents[2] / "clients" / "web"


def create_app(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    ids: IdSource = new_id,
    documents: DocumentStore | None = None,
) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await Store.open(settings.sqlalchemy_url)
        hub = open_hub(settings.hub_url, settings.hub_channel)
        engines = Engines(
            store.log,
            hub,
            clock=clock,
            new_id=ids,
            max_batch=settings.max_batch,
            replay_window=settings.replay_window,
            group_commit=settings.group_commit,
        )
        auth = Authenticator(
            store.accounts,
            token_ttl=settings.token_ttl,
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
        )
        audit = AuditBuffer(store)
        device_sockets = DeviceSockets(auth)
        engines.after_commit.append(device_sockets.committed)
        attempts = FailedAttempts(settings.pairing_client_attempts, CLIENT_WINDOW)
        app.state.services = Services(
            settings, store, hub, engines, auth, audit, device_sockets, attempts
        )
        app.state.library = open_library(settings, documents, clock)
        indexer = SearchIndexer(store.search, engines, paper_texts(app.state.library.store))
        engines.after_commit.append(indexer.committed)
        app.state.search_indexer = indexer
        await hub.start(engines)
        await engines.start()
        audit.start()
        indexer.start()
        try:
            yield
        finally:
            await indexer.stop()
            await engines.stop()
            await hub.stop()
            await audit.stop()
            await store.close()
            app.state.library.close()

    routes = [
        Route("/healthz", http.health),
        Route("/metrics", metrics.metrics),
        Route("/api/auth/login", http.login, methods=["POST"]),
        Route("/api/auth/logout", http.logout, methods=["POST"]),
        Route("/api/meetings", http.list_meetings),
        Route("/api/meetings", http.create_meeting, methods=["POST"]),
        Route("/api/meetings/{meeting_id}", http.get_meeting),
        Route("/api/meetings/{meeting_id}/events", http.get_events),
        Route("/api/meetings/{meeting_id}/commands", http.post_command, methods=["POST"]),
        Route("/api/meetings/{meeting_id}/minutes", minutes_routes.get_minutes),
        Route(
            "/api/meetings/{meeting_id}/minutes/seal",
            minutes_routes.seal_minutes,
            methods=["POST"],
        ),
        Route("/api/meetings/{meeting_id}/minutes/bundle", minutes_routes.get_bundle),
        *paper_routes(),
        *pairing_routes(),
        *roster_routes(),
        *archive_routes(),
        WebSocketRoute("/ws/meetings/{meeting_id}", meeting_socket),
    ]
    if WEB_ROOT.is_dir():
        routes.append(Route("/", _home))
        routes.append(Mount("/app", _WebApps(directory=WEB_ROOT, html=True), name="web"))
    middleware = [Middleware(PaperFastPath), Middleware(RawSendMiddleware)]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


async def _home(_request: object) -> Response:
    return RedirectResponse("/app/")


# The web apps' module and data types, whatever the system's MIME table says: a module
# script served as anything but JavaScript is refused by the browser.
_TYPES = {".mjs": "text/javascript", ".wasm": "application/wasm",
          ".bcmap": "application/octet-stream", ".pfb": "application/octet-stream"}  # fmt: skip
for _suffix, _type in _TYPES.items():
    mimetypes.add_type(_type, _suffix)


class _WebApps(StaticFiles):
    """The web apps, revalidated on every load (by ETag), so a new release reaches every
    tablet at once; their service worker keeps them usable offline."""

    def file_response(
        self,
        full_path: PathLike[str] | str,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        return response
