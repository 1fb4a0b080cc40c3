"""The web apps' pure modules, checked against the server's own code in one Chromium page.

- The replica (core/replica.js + areas/agenda.js) folds the events of random sittings, as
  each audience receives them, into exactly the server's snapshot (`views.snapshot`).
- The CSV reader of the clerk's desk reads agenda files as `meeting import agenda` does.
- The translation table is complete in both languages, and every key the code names exists.
- The service worker caches every file of the apps.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from playwright.async_api import Page

from meeting.cli.importing import ImportProblem, parse_agenda
from meeting.domain import Audience, DomainError, snapshot
from meeting.hub.local import event_message, visible
from tests.browser import Devices
from tests.sitting import ADMIN, CHAIR, CLERK, Sitting

WEB = Path(__file__).resolve().parents[1] / "clients" / "web"
module_loop = pytest.mark.asyncio(loop_scope="module")


async def modules_page(devices: Devices) -> Page:
    page = await devices.open("/app/")
    await page.wait_for_load_state("load")
    return page


# -- the replica folds as the domain does ------------------------------------------------


def random_sitting(seed: int, steps: int = 70) -> tuple[Sitting, Any, int]:
    """A sitting driven by random commands; also its state and log length half-way."""
    rnd = random.Random(seed)
    s = Sitting().create(delegates=4)
    mid: tuple[Any, int] = (s.state, len(s.log))
    titles = iter(f"Nội dung số {n}" for n in range(10_000))

    def some_item() -> str:
        return rnd.choice(s.state.order) if s.state.order else "nothing"

    for step in range(steps):
        if step == steps // 2:
            mid = (s.state, len(s.log))
        kind = rnd.choices(
            ["add", "urgent", "edit", "reorder", "remove", "open", "close", "sitting", "member"],
            [6, 2, 2, 2, 1, 4, 2, 1, 1],
        )[0]
        try:
            if kind == "add":
                position = rnd.choice([None, rnd.randint(0, len(s.state.order))])
                access = rnd.choice(["public", "public", "delegates"])
                s.run(
                    CLERK, "agenda.add_item", title=next(titles), access=access, position=position
                )
            elif kind == "urgent":
                access = rnd.choice(["public", "delegates"])
                s.run(
                    CHAIR,
                    "agenda.add_urgent_item",
                    title=next(titles),
                    access=access,
                    open=rnd.random() < 0.5,
                )
            elif kind == "edit":
                change = rnd.choice([{"title": next(titles)}, {"description": "Mô tả mới"}])
                s.run(CLERK, "agenda.edit_item", item_id=some_item(), **change)
            elif kind == "reorder":
                order = list(s.state.order)
                rnd.shuffle(order)
                s.run(CLERK, "agenda.reorder", item_ids=order)
            elif kind == "remove":
                s.run(CLERK, "agenda.remove_item", item_id=some_item())
            elif kind == "open":
                s.run(CHAIR, "agenda.open_item", item_id=some_item())
            elif kind == "close":
                s.run(CHAIR, "agenda.close_item", item_id=s.state.current_item or some_item())
            elif kind == "sitting":
                name = "sitting.open" if step < steps * 0.8 else "sitting.close"
                s.run(CHAIR, name)
            else:
                n = rnd.randint(5, 9)
                s.run(
                    ADMIN,
                    "member.set",
                    user_id=f"d{n:02d}",
                    name=f"Đại biểu {n}",
                    roles=["delegate"],
                    seat=n + 1,
                )
        except DomainError:
            pass
    return s, mid[0], mid[1]


VIEWERS = [(Audience.PUBLIC, None), (Audience.DELEGATES, "d01"), (Audience.STAFF, "clerk")]


def fold_cases() -> list[dict[str, Any]]:
    cases = []
    for seed in range(12):
        s, mid_state, mid_len = random_sitting(seed)
        for audience, user in VIEWERS:
            events = visible(s.log[mid_len:], audience, user)
            cases.append(
                {
                    "audience": audience.value,
                    "start": snapshot(mid_state, audience, user),
                    "events": [event_message(e) for e in events],
                    "end": snapshot(s.state, audience, user),
                    "seq": s.state.seq,
                }
            )
    # Through JSON, as the wire carries them.
    plain: list[dict[str, Any]] = msgspec.json.decode(msgspec.json.encode(cases))
    return plain


FOLD = """async (cases) => {
  const { Replica } = await import("/app/core/replica.js");
  await import("/app/areas/agenda.js");
  return cases.map((c) => {
    const replica = new Replica("m1");
    replica.load(c.start, c.start.seq);
    // In two frames, then everything again: what was applied already is ignored.
    const half = Math.floor(c.events.length / 2);
    replica.apply(c.events.slice(0, half));
    replica.apply(c.events);
    replica.apply(c.events.slice(half));
    replica.advance(c.seq);
    return replica.view();
  });
}"""


@module_loop
async def test_the_replica_folds_events_into_the_servers_snapshot(devices: Devices) -> None:
    cases = fold_cases()
    assert sum(len(c["events"]) for c in cases) > 300
    assert any(i["access"] == "delegates" for c in cases for i in c["end"]["items"])
    page = await modules_page(devices)
    views = await page.evaluate(FOLD, cases)
    for case, view in zip(cases, views, strict=True):
        end = case["end"]
        assert set(view) <= set(end)
        # The public cannot learn from events when a closed session starts or ends: its
        # `closed_session` comes from snapshots only (the apps ask for one on reconnect).
        skip = {"closed_session"} if case["audience"] == "public" else set()
        assert {k: v for k, v in view.items() if k not in skip} == {
            k: end[k] for k in view if k not in skip
        }
    devices.assert_no_console_errors()


# -- the clerk's CSV reader reads as the server does ---------------------------------------

CSV_FILES = [
    "title\nMột\nHai\n",
    "Title,Description,Access\nA,mô tả,public\nB,,DELEGATES\n",
    'title;description\n"x;y";"hai\ndòng"\nz;\n',
    "title\tdescription\nA\tB\n",
    "\ufefftitle\n  Có   nhiều   khoảng trắng  \n",
    "title,access\n,public\nB,secret\n",
    "description\nkhông có cột title\n",
    "title,title\nA,B\n",
    "title,khác\nA,x\n",
    "title\nA,thừa\n",
    "",
    "\n\n",
    "title\n\n\nA\n\nB",
    'title\n"ab"c\n"chưa đóng ngoặc\n',
    "title\r\nA\r\nB\rC\n",
    "title\n" + "x" * 501 + "\n",
    "title,description\nA," + "y" * 20_001 + "\n",
    "title\nCo\u0301 da\u0302\u0301u\n",
    " title , access \n A , delegates \n",
]


def server_reading(text: str) -> dict[str, Any]:
    try:
        rows = parse_agenda(text, "csv")
    except ImportProblem as e:
        return {"rows": [], "problems": [[p.row, p.column] for p in e.problems]}
    return {
        "rows": [[r.title, r.description, r.access.value] for r in rows],
        "problems": [],
    }


READ_CSV = """async (files) => {
  const { parseAgenda } = await import("/app/clerk/agenda-csv.js");
  return files.map((text) => {
    const { rows, problems } = parseAgenda(text);
    return {
      rows: rows.map((r) => [r.title, r.description, r.access]),
      problems: problems.map((p) => [p.row, p.column]),
    };
  });
}"""


@module_loop
async def test_the_csv_reader_reads_agenda_files_as_the_server_does(devices: Devices) -> None:
    page = await modules_page(devices)
    readings = await page.evaluate(READ_CSV, CSV_FILES)
    for text, reading in zip(CSV_FILES, readings, strict=True):
        assert reading == server_reading(text), text[:60]
    devices.assert_no_console_errors()


# -- strings, small pure helpers -----------------------------------------------------------

CHECK_STRINGS = """async () => {
  const { STRINGS } = await import("/app/core/strings.js");
  const { backoffDelay } = await import("/app/core/backoff.js");
  const { newCommandId } = await import("/app/core/connection.js");
  const { chooseMeeting } = await import("/app/core/session.js");
  const ids = new Set(Array.from({ length: 1000 }, () => newCommandId()));
  const meetings = [
    { id: "a", roles: [] },
    { id: "b", roles: ["delegate"] },
  ];
  return {
    strings: STRINGS,
    nfc: Object.values(STRINGS).flatMap((table) =>
      Object.entries(table).filter(([, s]) => s !== s.normalize("NFC")).map(([k]) => k)),
    backoff: [backoffDelay(0, () => 0), backoffDelay(0, () => 1), backoffDelay(3, () => 1),
              backoffDelay(50, () => 1), backoffDelay(1000, () => 0.5)],
    ids: { unique: ids.size, longest: Math.max(...[...ids].map((i) => i.length)) },
    choose: [
      chooseMeeting(meetings, { wanted: "a", role: "delegate" }),
      chooseMeeting(meetings, { wanted: "zz", remembered: "a", role: "delegate" }),
      chooseMeeting(meetings, { role: "delegate" }),
      chooseMeeting(meetings, { role: "chair" }),
      chooseMeeting([meetings[0]], {}),
    ],
  };
}"""


@module_loop
async def test_the_translation_table_and_helpers(devices: Devices) -> None:
    page = await modules_page(devices)
    found = await page.evaluate(CHECK_STRINGS)
    vi, en = found["strings"]["vi"], found["strings"]["en"]
    assert set(vi) == set(en)
    assert all(text.strip() for text in [*vi.values(), *en.values()])
    assert found["nfc"] == []
    for key in vi:
        assert set(re.findall(r"\{\w+\}", vi[key])) == set(re.findall(r"\{\w+\}", en[key])), key
    used = keys_named_in_code()
    assert used, "no t('…') found: the pattern is out of date"
    assert sorted(used - set(vi)) == []
    assert found["backoff"] == [250, 500, 4000, 10_000, 7500]
    assert found["ids"] == {"unique": 1000, "longest": 26}
    assert found["choose"] == ["a", "a", "b", None, "a"]
    devices.assert_no_console_errors()


def keys_named_in_code() -> set[str]:
    """Every translation key written out in the apps' code and markup."""
    keys: set[str] = set()
    for path in WEB.rglob("*"):
        if path.suffix == ".js":
            keys |= set(re.findall(r"\bt\(\s*\"([\w.]+)\"", path.read_text()))
            keys |= set(re.findall(r"\"data-i18n\":\s*\"([\w.]+)\"", path.read_text()))
        elif path.suffix == ".html":
            keys |= set(re.findall(r"data-i18n=\"([\w.]+)\"", path.read_text()))
    return keys


# -- the service worker ----------------------------------------------------------------------


def test_the_service_worker_caches_every_file_of_the_apps() -> None:
    source = (WEB / "sw.js").read_text()
    listed = re.search(r"const SHELL = \[(.*?)\];", source, re.S)
    assert listed is not None
    shell = set(re.findall(r"\"([^\"]+)\"", listed.group(1)))
    files = {
        p.relative_to(WEB).as_posix() for p in WEB.rglob("*") if p.is_file() and p.name != "sw.js"
    }
    missing = sorted(files - shell)
    assert missing == [], f"add to SHELL in clients/web/sw.js: {missing}"
    for entry in shell:
        target = WEB / entry / "index.html" if entry.endswith("/") else WEB / entry
        assert target.is_file(), entry
