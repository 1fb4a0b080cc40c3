"""The two servers of the papers benchmark, each in its own process on 127.0.0.1.

`MeetingPapers` is our server (`python -m meeting serve`) with a provisioned meeting: the
clerk uploads the session's papers through the real upload route (which times the PDF
intake) and attaches them to the agenda for delegates; each tablet signs in as its own
delegate. `NginxPapers` is Debian's nginx, one worker, `sendfile on`, serving the same
files at the same paths from a temporary folder with its own configuration.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import httpx

from bench.papers_gen import Paper
from bench.servers import MEETING, PASSWORD, Child, provision, user_ids

__all__ = ["Intake", "MeetingPapers", "NginxPapers", "paper_path"]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def paper_path(sha256: str) -> str:
    return f"/api/meetings/{MEETING}/papers/{sha256}"


class Intake:
    """How long the uploads took: pages read per second by the PDF workers."""

    def __init__(self, pages: int, seconds: float, workers: int) -> None:
        self.pages, self.seconds, self.workers = pages, seconds, workers

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


class MeetingPapers:
    name = "meeting"

    def __init__(self, workdir: Path, tablets: int, pdf_workers: int = 2) -> None:
        self.data_dir = workdir / "meeting-data"
        self.tablets = tablets
        self.pdf_workers = pdf_workers
        env = dict(os.environ)
        env.update(
            MEETING_ARGON2_TIME_COST="1",
            MEETING_ARGON2_MEMORY_KIB="1024",
            MEETING_COMMAND_RATE="100000",
            MEETING_COMMAND_BURST="100000",
            MEETING_LOG_LEVEL="warning",
            MEETING_PDF_WORKERS=str(pdf_workers),
        )
        argv = [sys.executable, "-m", "meeting", "--data", str(self.data_dir)]
        self.child = Child([*argv, "serve", "--port", "{port}"], env)
        self.tokens: list[str] = []
        self.intake: Intake | None = None

    @property
    def pid(self) -> int:
        return self.child.pid

    @property
    def port(self) -> int:
        return self.child.port

    async def start(self, papers: list[Paper]) -> None:
        await provision(self.data_dir, self.tablets, items=12, description_bytes=200)
        await self.child.start()
        base = f"http://127.0.0.1:{self.port}"
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            clerk = {"Authorization": f"Bearer {await _login(http, 'clerk')}"}
            self.intake = await self._upload(http, clerk, papers)
            meeting = (await http.get(f"/api/meetings/{MEETING}", headers=clerk)).json()
            items = [i["item_id"] for i in meeting["snapshot"]["items"]]
            for n, paper in enumerate(papers):
                sha = hashlib.sha256(paper.data).hexdigest()
                args = {"item_id": items[n % len(items)], "sha256": sha, "access": "delegates"}
                body = {"id": f"attach-{n}", "name": "paper.attach", "args": args}
                r = await http.post(f"/api/meetings/{MEETING}/commands", json=body, headers=clerk)
                r.raise_for_status()
            limit = asyncio.Semaphore(8)

            async def one(user: str) -> str:
                async with limit:
                    return await _login(http, user)

            self.tokens = list(await asyncio.gather(*(one(u) for u in user_ids(self.tablets))))

    async def _upload(self, http: httpx.AsyncClient, clerk: dict[str, str],
                      papers: list[Paper]) -> Intake:  # fmt: skip
        lanes = asyncio.Semaphore(self.pdf_workers)

        async def one(n: int, paper: Paper) -> None:
            async with lanes:
                url = f"/api/meetings/{MEETING}/papers"
                r = await http.post(url, params={"filename": f"{n:03d}.pdf"},
                                    content=paper.data, headers=clerk)  # fmt: skip
                if r.status_code != 201:
                    raise RuntimeError(f"upload {n}: {r.status_code} {r.text}")

        started = time.perf_counter()
        await asyncio.gather(*(one(n, p) for n, p in enumerate(papers)))
        seconds = time.perf_counter() - started
        return Intake(sum(p.pages for p in papers), seconds, self.pdf_workers)

    async def stop(self) -> None:
        await self.child.stop()


async def _login(http: httpx.AsyncClient, user: str) -> str:
    r = await http.post("/api/auth/login", json={"username": user, "password": PASSWORD})
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 300;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=300s;
    etag on;
    types {{ }}
    default_type application/pdf;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location /api/meetings/{meeting}/papers/ {{
            alias {root}/files/;
            add_header Cache-Control "private, max-age=31536000, immutable";
        }}
    }}
}}
"""


class NginxPapers:
    """nginx: one worker process (no master), sendfile, the same files at the same paths."""

    name = "nginx"

    def __init__(self, workdir: Path) -> None:
        self.root = workdir / "nginx"
        self.child = Child([NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf"),
                            "-e", str(self.root / "error.log")], dict(os.environ))  # fmt: skip
        self.tokens: list[str] = []

    @property
    def pid(self) -> int:
        return self.child.pid

    @property
    def port(self) -> int:
        return self.child.port

    async def start(self, papers: list[Paper], tablets: int) -> None:
        files = self.root / "files"
        files.mkdir(parents=True, exist_ok=True)
        (self.root / "tmp").mkdir(exist_ok=True)
        for paper in papers:
            (files / hashlib.sha256(paper.data).hexdigest()).write_bytes(paper.data)
        conf = _CONF.format(root=self.root, port=self.port, meeting=MEETING)
        (self.root / "nginx.conf").write_text(conf)
        self.tokens = [f"nginx-ignores-it-{n}" for n in range(tablets)]
        await self.child.start()

    async def stop(self) -> None:
        await self.child.stop()
