"""Tables in text: CSV or JSON read into numbered records of clean cells.

This module owns the reading of the two file formats and nothing else: it knows the column
names it is given but not what a roster or an agenda is (`importing` checks the values).
Every cell comes out stripped and normalised to Unicode NFC. It reports problems into the
list it is handed and never raises for bad input, so one pass finds everything.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["Problem", "Records", "read_records"]

Records = list[tuple[int, dict[str, str]]]
"""(row number, {column: cell}) for each non-blank row, in file order."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a file. `row` and `column` are None when the whole file is wrong."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        where += [f"column {self.column!r}"] if self.column is not None else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


def read_records(
    text: str,
    fmt: Literal["csv", "json"],
    columns: tuple[str, ...],
    required: tuple[str, ...],
    problems: list[Problem],
) -> Records:
    """The records of `text`; a CSV header must name every `required` column."""
    text = text.removeprefix("\ufeff")
    if fmt == "csv":
        return _csv_records(text, columns, required, problems)
    return _json_records(text, columns, problems)


def _cell(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _csv_records(
    text: str, columns: tuple[str, ...], required: tuple[str, ...], problems: list[Problem]
) -> Records:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets in some locales write ';' or tabs; the header line says which.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: Records = []
    last_line = 0
    try:
        for raw in reader:
            row, last_line = last_line + 1, reader.line_num
            cells = [_cell(c) for c in raw]
            if not any(cells):
                continue
            if header is None:
                header = [c.lower() for c in cells]
                if not _check_header(row, header, columns, required, problems):
                    return []
                continue
            record: dict[str, str] = {}
            for i, value in enumerate(cells):
                name = header[i] if i < len(header) else ""
                if name in columns:
                    record[name] = value
                elif value and not name:
                    problems.append(Problem(row, None, f"cell {i + 1} has no column in the header"))
            records.append((row, record))
    except csv.Error as e:
        problems.append(Problem(last_line + 1, None, f"cannot read CSV: {e}"))
    return records


def _check_header(
    row: int,
    header: list[str],
    columns: tuple[str, ...],
    required: tuple[str, ...],
    problems: list[Problem],
) -> bool:
    """Report what is wrong with the header; False when the rows cannot be read at all."""
    expected = ", ".join(columns)
    for i, name in enumerate(header):
        if name and name not in columns:
            problems.append(Problem(row, name, f"unknown column: expected some of {expected}"))
        elif name and name in header[:i]:
            problems.append(Problem(row, name, "the column appears twice"))
    missing = [c for c in required if c not in header]
    for name in missing:
        problems.append(Problem(row, name, "missing column"))
    return not missing


def _json_records(text: str, columns: tuple[str, ...], problems: list[Problem]) -> Records:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"line {e.lineno}, column {e.colno}"
        problems.append(Problem(None, None, f"not valid JSON ({where}): {e.msg}"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(None, None, "expected a JSON list of objects"))
        return []
    records: Records = []
    for row, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(row, None, "expected an object"))
            continue
        record: dict[str, str] = {}
        readable = True
        for key, value in item.items():
            name = _cell(key).lower()
            text_value = _json_cell(value)
            if name not in columns:
                message = f"unknown column: expected some of {', '.join(columns)}"
                problems.append(Problem(row, name, message))
            elif text_value is None:
                problems.append(Problem(row, name, "expected text or a whole number"))
                readable = False  # checking the rest would report this value again as missing
            else:
                record[name] = text_value
        if readable:
            records.append((row, record))
    return records


def _json_cell(value: object) -> str | None:
    """A JSON value as the text a CSV cell would hold; None when it cannot be one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _cell(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(_cell(v) for v in value)  # roles as ["chair", "delegate"]
    return None
