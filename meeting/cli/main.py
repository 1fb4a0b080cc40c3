"""The `meeting` command: serve, demo, migrate, users, bodies, meetings, import, verify, schema."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from meeting.api.schema import write_docs
from meeting.settings import Settings

from . import commands, serving
from .verify import verify_bundle_file

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="meeting", description="Real-time paperless meeting server.")
    p.add_argument("--data", type=Path, help="data folder (default: MEETING_DATA_DIR or ./data)")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    demo = sub.add_parser("demo", help="load the demo sitting (once) and run the server")
    for s in (serve, demo):
        s.add_argument("--host", help="listen address (default: MEETING_HOST or 127.0.0.1)")
        s.add_argument("--port", type=int, help="port (default: MEETING_PORT or 8000)")
    demo.add_argument("--no-serve", action="store_true", help="load the demo and exit")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes on the one port (default 1; more need HUB_URL)",
    )

    sub.add_parser("migrate", help="create or upgrade the database schema")

    users = sub.add_parser("users", help="manage users").add_subparsers(
        dest="action", required=True
    )
    add = users.add_parser("add", help="create a user or reset a user's password")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--admin", action="store_true")
    add.add_argument("--password", help="default: asked on the terminal")
    users.add_parser("list", help="list users")

    bodies = sub.add_parser("bodies", help="manage bodies").add_subparsers(
        dest="action", required=True
    )
    body = bodies.add_parser("add", help="create or update a body")
    body.add_argument("body_id")
    body.add_argument("--name", required=True)
    body.add_argument("--seats", type=int, required=True)
    bodies.add_parser("list", help="list bodies")

    meetings = sub.add_parser("meetings", help="manage meetings").add_subparsers(
        dest="action", required=True
    )
    create = meetings.add_parser("create", help="create a meeting of a body, its seats as roster")
    create.add_argument("meeting_id")
    create.add_argument("--body", required=True)
    create.add_argument("--title", required=True)
    create.add_argument("--place", default="")
    create.add_argument("--date", default="", help="when it is held (free text, ISO date advised)")
    for role in ("chair", "clerk", "observer"):
        create.add_argument(f"--{role}", action="append", default=[], metavar="USERNAME")
    meetings.add_parser("list", help="list meetings")

    imp = sub.add_parser("import", help="import delegates or an agenda from CSV or JSON")
    what = imp.add_subparsers(dest="what", required=True)
    dele = what.add_parser("delegates", help="users and seats of a body")
    dele.add_argument("file", type=Path)
    dele.add_argument("--body", required=True)
    agenda = what.add_parser("agenda", help="agenda items appended to a meeting")
    agenda.add_argument("file", type=Path)
    agenda.add_argument("--meeting", required=True)

    verify = sub.add_parser(
        "verify",
        help="check a sealed bundle (no server or database needed), or every log in the database",
    )
    verify.add_argument("bundle", nargs="?", type=Path, help="a sealed archive bundle (.zip)")
    verify.add_argument(
        "--manifest", help="the sealed manifest SHA-256 to check the bundle against"
    )
    verify.add_argument("--meeting", help="only this meeting (database check)")

    schema = sub.add_parser("schema", help="write asyncapi.json and openapi.json from the code")
    schema.add_argument("--out", type=Path, default=Path("docs"), help="folder (default: docs)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        for path in write_docs(args.out):
            print(path)
        return 0
    if args.command == "verify" and args.bundle is not None:
        return verify_bundle_file(args.bundle, args.manifest)
    overrides: dict[str, object] = {}
    if args.data is not None:
        overrides["data_dir"] = args.data
    for key in ("host", "port"):
        if getattr(args, key, None) is not None:
            overrides[key] = getattr(args, key)
    try:
        settings = Settings.from_env(None, **overrides)
    except ValueError as exc:
        print(f"meeting: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        try:
            serving.serve(settings, args.workers)
        except serving.WorkersNeedHub as exc:
            print(f"meeting: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "demo":
        asyncio.run(commands.load_demo(settings))
        if not args.no_serve:
            commands.serve(settings)
        return 0
    if args.command == "users" and args.action == "add" and args.password is None:
        args.password = getpass.getpass(f"password for {args.username}: ")
    try:
        return asyncio.run(commands.run(settings, args))
    except commands.CliError as exc:
        print(f"meeting: {exc}", file=sys.stderr)
        return 1
