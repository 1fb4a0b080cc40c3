"""Roster and agenda files: CSV or JSON text in, checked rows out.

This module owns what a file handed to `meeting` must look like before anything of it reaches
the engine, and it reports every problem of a file at once, each with its row and column, so
that a clerk can fix a spreadsheet in one pass. It never opens a file, touches the database or
prints: the caller reads the bytes (`decode_text` helps) and turns the rows into commands
(`DelegateRow.member_args`, `AgendaRow.item_args`).

Rows are numbered as a spreadsheet shows them: in CSV the header is row 1 and a blank line
still counts; in JSON (a list of objects) the first object is row 1. All text is stripped and
normalised to Unicode NFC, so a name typed with combining accents (NFD, as some Mac and web
tools produce) equals the same name typed precomposed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import PurePath
from typing import Literal, TypeVar

from meeting.domain.commands import AddItem, MemberArgs
from meeting.domain.model import Access, Role

from ._tables import Problem, Records, read_records

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_ROWS",
    "MAX_SEAT",
    "MAX_TEXT_CHARS",
    "MAX_TITLE",
    "AgendaRow",
    "DelegateRow",
    "Format",
    "ImportProblem",
    "Problem",
    "decode_text",
    "format_for",
    "parse_agenda",
    "parse_delegates",
]

Format = Literal["csv", "json"]

MAX_ROWS = 5_000
"""Security limit: rows accepted in one file (a National Assembly roster is 500)."""
MAX_TEXT_CHARS = 10_000_000
"""Security limit: characters of text accepted in one file, checked before parsing."""
MAX_TITLE = 500
"""Longest name or agenda title, as the commands accept it."""
MAX_DESCRIPTION = 20_000
"""Longest agenda item description."""
MAX_SEAT = 10_000
"""Highest seat number."""
_SHOWN = 50  # problems spelled out in the exception's message; all are in `.problems`

_USERNAME = re.compile(r"[a-z0-9._-]{1,64}")
_PIN = re.compile(r"[0-9]{4,12}")
# Admin is a server-wide right given by the `users` command, never by a roster file.
_ROLES = {r.value: r for r in (Role.CHAIR, Role.CLERK, Role.DELEGATE, Role.OBSERVER)}
_ACCESS = {a.value: a for a in Access}
_DELEGATE_COLUMNS = ("seat", "name", "username", "roles", "pin")
_AGENDA_COLUMNS = ("title", "description", "access")

_Row = TypeVar("_Row")
_Fail = Callable[[str, str], None]
"""Report a problem with a column of the current row."""


class ImportProblem(ValueError):
    """A file was refused; `problems` lists everything wrong with it, in file order."""

    code = "invalid_import"

    def __init__(self, what: str, problems: Iterable[Problem]) -> None:
        self.what = what
        self.problems = tuple(problems)
        lines = [f"  {p}" for p in self.problems[:_SHOWN]]
        if len(self.problems) > _SHOWN:
            lines.append(f"  … and {len(self.problems) - _SHOWN} more")
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        super().__init__("\n".join([f"{what}: {count}", *lines]))


@dataclass(frozen=True, slots=True)
class DelegateRow:
    """One person of a roster file. Delegates have a seat; clerks and observers have none."""

    seat: int | None
    name: str
    username: str
    roles: tuple[Role, ...] = (Role.DELEGATE,)
    pin: str | None = None

    def member_args(self) -> MemberArgs:
        return MemberArgs(self.username, self.name, list(self.roles), self.seat)


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One item of an agenda file."""

    title: str
    description: str = ""
    access: Access = Access.PUBLIC

    def item_args(self) -> AddItem:
        return AddItem(title=self.title, description=self.description, access=self.access)


def format_for(path: str | PathLike[str]) -> Format:
    """The format a file name announces by its suffix (`.csv` or `.json`, any case)."""
    suffix = PurePath(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    message = f"cannot tell the format of {str(path)!r}: name it .csv or .json"
    raise ImportProblem("file", [Problem(None, None, message)])


def decode_text(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 with or without a BOM, or UTF-16 with its BOM (Excel)."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        message = f"not {encoding} text (bad byte at offset {e.start}): save the file as UTF-8"
        raise ImportProblem("file", [Problem(None, None, message)]) from e


def parse_delegates(text: str, fmt: Format, *, max_rows: int = MAX_ROWS) -> list[DelegateRow]:
    """The roster in `text`: columns seat, name, username, roles (default delegate), pin."""
    seats: dict[int, int] = {}
    usernames: dict[str, int] = {}

    def check(row: int, cells: Mapping[str, str], fail: _Fail) -> DelegateRow:
        name = " ".join(cells.get("name", "").split())
        if not name:
            fail("name", "missing name")
        elif len(name) > MAX_TITLE:
            fail("name", f"name is {len(name)} characters long, more than {MAX_TITLE}")
        username = cells.get("username", "").lower()
        if not username:
            fail("username", "missing username")
        elif not _USERNAME.fullmatch(username):
            fail("username", f"{username!r} is not 1 to 64 of the characters a-z 0-9 . _ -")
        elif username in usernames:
            fail("username", f"duplicate username {username!r} (also on row {usernames[username]})")
        else:
            usernames[username] = row
        words = [w for w in re.split(r"[;,\s]+", cells.get("roles", "").lower()) if w]
        unknown = [w for w in words if w not in _ROLES]
        for word in unknown:
            fail("roles", f"unknown role {word!r}: expected some of {', '.join(_ROLES)}")
        roles = tuple(r for r in _ROLES.values() if r in words) if words else (Role.DELEGATE,)
        # With a broken roles cell we cannot tell whether a seat belongs there.
        delegate = None if unknown else Role.DELEGATE in roles
        seat = _seat(row, cells.get("seat", ""), delegate, seats, fail)
        pin = cells.get("pin") or None
        if pin is not None and not _PIN.fullmatch(pin):
            fail("pin", "a PIN is 4 to 12 digits")
        return DelegateRow(seat, name, username, roles, pin)

    required = ("seat", "name", "username")
    return _parse("delegates", text, fmt, _DELEGATE_COLUMNS, required, check, max_rows)


def _seat(
    row: int, raw: str, delegate: bool | None, seen: dict[int, int], fail: _Fail
) -> int | None:
    """The seat in `raw`; `delegate` is None when the roles are unknown."""
    if delegate is False and raw:
        fail("seat", "only delegates have a seat (add the role delegate, or clear the seat)")
    if delegate is True and not raw:
        fail("seat", "missing seat: every delegate has one")
    if not delegate or not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_SEAT:
        fail("seat", f"seat must be a positive whole number up to {MAX_SEAT}, not {raw!r}")
        return None
    seat = int(raw)
    if seat in seen:
        fail("seat", f"duplicate seat {seat} (also on row {seen[seat]})")
    else:
        seen[seat] = row
    return seat


def parse_agenda(text: str, fmt: Format, *, max_rows: int = MAX_ROWS) -> list[AgendaRow]:
    """The agenda in `text`, in file order: columns title, description, access."""

    def check(row: int, cells: Mapping[str, str], fail: _Fail) -> AgendaRow:
        title = " ".join(cells.get("title", "").split())
        if not title:
            fail("title", "missing title")
        elif len(title) > MAX_TITLE:
            fail("title", f"title is {len(title)} characters long, more than {MAX_TITLE}")
        description = cells.get("description", "")
        if len(description) > MAX_DESCRIPTION:
            fail("description", f"description is longer than {MAX_DESCRIPTION} characters")
        raw = cells.get("access", "").lower() or "public"
        access = _ACCESS.get(raw, Access.PUBLIC)
        if raw not in _ACCESS:
            fail("access", f"unknown access {raw!r}: expected public or delegates")
        return AgendaRow(title, description, access)

    return _parse("agenda", text, fmt, _AGENDA_COLUMNS, ("title",), check, max_rows)


def _parse(
    what: str,
    text: str,
    fmt: Format,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    check: Callable[[int, Mapping[str, str], _Fail], _Row],
    max_rows: int,
) -> list[_Row]:
    problems: list[Problem] = []
    records: Records = []
    if len(text) > MAX_TEXT_CHARS:
        problems.append(Problem(None, None, f"more than {MAX_TEXT_CHARS} characters"))
    elif fmt in ("csv", "json"):
        records = read_records(text, fmt, columns, required, problems)
    else:
        problems.append(Problem(None, None, f"unknown format {fmt!r}: expected csv or json"))
    if not records and not problems:
        problems.append(Problem(None, None, "the file has no rows"))
    if len(records) > max_rows:
        raise ImportProblem(what, [Problem(None, None, f"more than {max_rows} rows")])
    # Check every row even after a bad one, so that one pass finds every problem.
    out = [check(row, cells, _reporter(problems, row)) for row, cells in records]
    if problems:
        raise ImportProblem(what, sorted(problems, key=lambda p: p.row or 0))
    return out


def _reporter(problems: list[Problem], row: int) -> _Fail:
    return lambda column, message: problems.append(Problem(row, column, message))
