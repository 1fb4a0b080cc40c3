"""Settings, read from the environment once into a frozen object.

No other module reads `os.environ`: `create_app(settings)` and the CLI pass this object on.
Every limit here is a security limit with a safe default; each is documented in
`docs/settings.md` (a test checks that every field is).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

__all__ = ["Settings", "env_names"]


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = Path("data")
    """MEETING_DATA_DIR: where the SQLite database and documents live."""
    database_url: str = ""
    """DATABASE_URL: SQLAlchemy async URL; empty means SQLite in `data_dir`."""
    hub_url: str = ""
    """HUB_URL: Redis URL of the hub between server processes; empty means the in-process
    hub (one server process)."""
    hub_channel: str = "meeting"
    """MEETING_HUB_CHANNEL: the Redis pub/sub channel; processes sharing a database share it."""
    host: str = "127.0.0.1"
    """MEETING_HOST: the address `meeting serve` listens on."""
    port: int = 8000
    """MEETING_PORT: the port `meeting serve` listens on."""
    allowed_origins: tuple[str, ...] = ()
    """MEETING_ALLOWED_ORIGINS: comma-separated origins allowed to open WebSockets, besides
    the server's own origin."""
    max_message_bytes: int = 64 * 1024
    """MEETING_MAX_MESSAGE_BYTES: largest WebSocket frame or HTTP command body accepted."""
    max_backlog_bytes: int = 1024 * 1024
    """MEETING_MAX_BACKLOG_BYTES: unsent bytes a connection may hold before it is closed with
    4008 and must resume; a tablet that stops reading never slows the hall."""
    hello_timeout: float = 10.0
    """MEETING_HELLO_TIMEOUT: seconds a new WebSocket has to send `hello`."""
    command_rate: float = 20.0
    """MEETING_COMMAND_RATE: sustained commands per second allowed per connection."""
    command_burst: int = 50
    """MEETING_COMMAND_BURST: commands a connection may send at once before rate limiting."""
    max_inflight: int = 100
    """MEETING_MAX_INFLIGHT: commands of one connection awaiting their commit at once."""
    replay_window: int = 20_000
    """MEETING_REPLAY_WINDOW: recent events kept in memory per meeting for resume; an older
    `since` gets a snapshot instead."""
    max_batch: int = 1000
    """MEETING_MAX_BATCH: most commands committed in one transaction (group commit)."""
    group_commit: bool = True
    """MEETING_GROUP_COMMIT: commit queued commands together; off gives one transaction per
    command (for benchmarks only)."""
    token_ttl: float = 16 * 3600.0
    """MEETING_TOKEN_TTL: seconds a sign-in token stays valid."""
    longpoll_max: float = 30.0
    """MEETING_LONGPOLL_MAX: longest wait of `GET …/events?wait=` in seconds."""
    public_url: str = ""
    """MEETING_PUBLIC_URL: the address tablets reach the server at (e.g. `https://hop.local`),
    for the URL in a pairing QR code; empty means the address the clerk's request came to."""
    pairing_code_ttl: float = 300.0
    """MEETING_PAIRING_CODE_TTL: seconds a tablet pairing code stays usable."""
    pairing_code_attempts: int = 5
    """MEETING_PAIRING_CODE_ATTEMPTS: wrong PINs with one pairing code before it is void."""
    pairing_client_attempts: int = 20
    """MEETING_PAIRING_CLIENT_ATTEMPTS: failed pairings one client address may make in ten
    minutes before it is refused with `too_many_attempts`."""
    argon2_time_cost: int = 3
    """MEETING_ARGON2_TIME_COST: argon2id passes for password hashes."""
    argon2_memory_kib: int = 65536
    """MEETING_ARGON2_MEMORY_KIB: argon2id memory per hash, in KiB."""
    log_level: str = "info"
    """MEETING_LOG_LEVEL: uvicorn's log level."""
    max_paper_bytes: int = 100 * 1024 * 1024
    """MEETING_MAX_PAPER_BYTES: largest PDF accepted by the upload route (streamed to disk)."""
    max_paper_pages: int = 2000
    """MEETING_MAX_PAPER_PAGES: most pages of one uploaded PDF."""
    pdf_memory_bytes: int = 1024 * 1024 * 1024
    """MEETING_PDF_MEMORY_BYTES: address space of the worker reading one PDF (RLIMIT_AS)."""
    pdf_seconds: float = 60.0
    """MEETING_PDF_SECONDS: wall time allowed to read (or watermark) one PDF in its worker."""
    pdf_workers: int = 2
    """MEETING_PDF_WORKERS: PDFs read or watermarked at once (each in its own process)."""
    paper_cache_bytes: int = 256 * 1024 * 1024
    """MEETING_PAPER_CACHE_BYTES: memory for papers kept ready to send (least recently used
    papers leave first)."""
    watermark_font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    """MEETING_WATERMARK_FONT: TrueType font of the watermark on confidential copies; it
    must cover Vietnamese (Debian's fonts-dejavu-core)."""
    pdf_font_dir: str = ""
    """MEETING_PDF_FONT_DIR: a folder holding a TrueType font with Vietnamese letters
    (DejaVu, Noto, Liberation, Times or Arial) for the PDF minutes; empty means the
    system's usual font folders."""
    search_max_results: int = 100
    """MEETING_SEARCH_MAX_RESULTS: most results one `GET /api/search` answers (`limit`)."""
    replay_max_seconds: float = 600.0
    """MEETING_REPLAY_MAX_SECONDS: longest a `GET …/replay` response streams; the client
    then resumes with `Last-Event-ID` (it also bounds how long a shutdown waits for one)."""

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'meeting.db'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read every setting from `env` (default: the process environment)."""
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        for f in fields(cls):
            key = _env_name(f.name)
            if key in env:
                values[f.name] = _parse(f.name, env[key], f.type)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


_UNPREFIXED = {"database_url": "DATABASE_URL", "hub_url": "HUB_URL"}


def _env_name(name: str) -> str:
    return _UNPREFIXED.get(name) or f"MEETING_{name.upper()}"


def env_names() -> dict[str, str]:
    """Setting name → environment variable, for the docs and their test."""
    return {f.name: _env_name(f.name) for f in fields(Settings)}


def _parse(name: str, raw: str, kind: object) -> object:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind == "Path":
            return Path(raw)
        if kind.startswith("tuple"):
            return tuple(p.strip() for p in raw.split(",") if p.strip())
    except ValueError:
        raise ValueError(f"{_env_name(name)}: cannot read {raw!r} as {kind}") from None
    return raw
