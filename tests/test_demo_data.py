from __future__ import annotations

import csv
import io
import json
import unicodedata

import msgspec
import pytest

from meeting.api.importing import parse_agenda, parse_delegates
from meeting.cli import demo_data
from meeting.domain.commands import CreateMeeting
from meeting.domain.model import Access, Role
from tests.sitting import ADMIN, CLERK, Sitting

# Letters that only Vietnamese (among Latin scripts) writes: đ, ơ, ư, and the dotted vowels.
VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")

WOMEN_GIVEN_NAMES = {
    "Hà", "Lan", "Hương", "Mai", "Hằng", "Thủy", "Nga", "Huyền", "Trang", "Linh",
    "Yến", "Hoa", "Phương", "Loan", "Thảo", "Nhung", "Oanh", "Dung", "Hạnh", "Vân",
}  # fmt: skip


def has_vietnamese_letter(text: str) -> bool:
    return bool(VIETNAMESE & set(text.lower()))


def test_delegates_have_unique_seats_usernames_and_names() -> None:
    rows = demo_data.delegates()
    assert len(rows) == demo_data.BODY_SEATS == 85
    assert [r.seat for r in rows] == list(range(1, 86))
    assert len({r.username for r in rows}) == 85
    assert len({r.name for r in rows}) == 85
    assert all(Role.DELEGATE in r.roles for r in rows)
    assert [r.username for r in rows[:3]] == ["chair", "d02", "d03"]
    assert rows[-1].username == "d85"
    assert all(r.username == f"d{r.seat:02d}" for r in rows[1:])


def test_names_are_vietnamese_and_nfc() -> None:
    people = demo_data.roster()
    for row in people:
        assert unicodedata.is_normalized("NFC", row.name), row.name
        assert has_vietnamese_letter(row.name), row.name
    delegate_names = [r.name for r in people if r.seat is not None]
    assert all(2 <= len(n.split()) - 1 <= 3 for n in delegate_names)  # family, middle, given
    families = {n.split()[0] for n in delegate_names}
    assert {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Trịnh"} <= families
    women = [n for n in delegate_names if n.split()[-1] in WOMEN_GIVEN_NAMES]
    assert 0.2 < len(women) / len(delegate_names) < 0.45


def test_names_are_deterministic_and_scale() -> None:
    assert demo_data.people_names(85) == demo_data.people_names(85)
    assert demo_data.people_names(500)[:85] == demo_data.people_names(85)
    assert len(set(demo_data.people_names(500))) == 500
    with pytest.raises(ValueError):
        demo_data.people_names(1_000_000)


def test_roles_and_staff() -> None:
    people = {r.username: r for r in demo_data.roster()}
    assert people["chair"].roles == (Role.CHAIR, Role.DELEGATE)
    assert people["chair"].seat == 1
    assert people["clerk"].roles == (Role.CLERK,) and people["clerk"].seat is None
    assert people["display"].roles == (Role.OBSERVER,) and people["display"].seat is None
    assert people["clerk"].name not in {r.name for r in demo_data.delegates()}
    assert [r for r in people.values() if Role.CHAIR in r.roles] == [people["chair"]]


def test_passwords() -> None:
    assert demo_data.password_for("chair") == demo_data.CHAIR_PASSWORD == "demo-chair"
    assert demo_data.password_for("clerk") == demo_data.CLERK_PASSWORD == "demo-clerk"
    assert demo_data.password_for("display") == demo_data.DISPLAY_PASSWORD
    for row in demo_data.delegates()[1:]:
        assert row.pin == demo_data.password_for(row.username) == demo_data.DELEGATE_PIN
    for unknown in ("d01", "admin", "d"):
        with pytest.raises(KeyError):
            demo_data.password_for(unknown)


def test_agenda() -> None:
    items = demo_data.agenda()
    assert 9 <= len(items) <= 13
    assert len({i.title for i in items}) == len(items)
    closed = [i for i in items if i.access is Access.DELEGATES]
    assert len(closed) == 1 and "nhân sự" in closed[0].title
    titles = " ".join(i.title for i in items)
    for words in ("kinh tế - xã hội", "dự toán", "nghị quyết", "Chất vấn"):
        assert words in titles
    for item in items:
        assert unicodedata.is_normalized("NFC", item.title + item.description)
        assert 0 < len(item.title) <= 500


def test_demo_survives_an_export_and_import_round_trip() -> None:
    """The demo rows are exactly what a clerk's files would give: same shapes, same checks."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seat", "name", "username", "roles", "pin"])
    for r in demo_data.roster():
        writer.writerow([r.seat or "", r.name, r.username, ";".join(r.roles), r.pin or ""])
    assert parse_delegates(out.getvalue(), "csv") == demo_data.roster()
    agenda = [
        {"title": i.title, "description": i.description, "access": i.access}
        for i in demo_data.agenda()
    ]
    assert parse_agenda(json.dumps(agenda), "json") == demo_data.agenda()


def test_meeting_args_build_the_demo_sitting() -> None:
    args = demo_data.meeting_args()
    assert msgspec.json.decode(msgspec.json.encode(args), type=CreateMeeting) == args
    assert args.body.id == "hdnd-thanh-hoa" and args.body.seats == 85
    sitting = Sitting()
    sitting.run(ADMIN, "meeting.create", **msgspec.to_builtins(args))
    for item in demo_data.agenda():
        sitting.run(CLERK, "agenda.add_item", **msgspec.to_builtins(item.item_args()))
    state = sitting.state
    assert state.title == demo_data.MEETING_TITLE
    assert state.place == demo_data.MEETING_PLACE
    assert [m.seat for m in state.delegates] == list(range(1, 86))
    assert [state.items[i].title for i in state.order] == [i.title for i in demo_data.agenda()]
