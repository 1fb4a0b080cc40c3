from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import msgspec
import pytest

from meeting.api.importing import (
    AgendaRow,
    DelegateRow,
    Format,
    ImportProblem,
    Problem,
    decode_text,
    format_for,
    parse_agenda,
    parse_delegates,
)
from meeting.domain.commands import AddItem, MemberArgs
from meeting.domain.model import Access, Role

ROSTER_CSV = """seat,name,username,roles,pin
1,Lê Văn Thắng,Chair,chair;delegate,0042
2, Trịnh Thị Thu Hà ,d02,,
3,Nguyễn   Đức  Hùng,d03,delegate,123456
,Bùi Thị Hằng,clerk,clerk,
"""


def problems(exc: pytest.ExceptionInfo[ImportProblem]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in exc.value.problems]


def test_roster_csv() -> None:
    rows = parse_delegates(ROSTER_CSV, "csv")
    assert rows == [
        DelegateRow(1, "Lê Văn Thắng", "chair", (Role.CHAIR, Role.DELEGATE), "0042"),
        DelegateRow(2, "Trịnh Thị Thu Hà", "d02", (Role.DELEGATE,), None),
        DelegateRow(3, "Nguyễn Đức Hùng", "d03", (Role.DELEGATE,), "123456"),
        DelegateRow(None, "Bùi Thị Hằng", "clerk", (Role.CLERK,), None),
    ]
    assert rows[0].roles == ("chair", "delegate")  # roles compare as plain strings too


def test_roster_json_matches_csv() -> None:
    data = [
        {"seat": 1, "name": "Lê Văn Thắng", "username": "Chair", "roles": ["delegate", "chair"]},
        {"seat": "2", "name": "Trịnh Thị Thu Hà", "username": "d02", "roles": None, "pin": "0042"},
        {"name": "Bùi Thị Hằng", "username": "clerk", "roles": "clerk"},
    ]
    rows = parse_delegates(json.dumps(data), "json")
    assert [r.seat for r in rows] == [1, 2, None]
    assert rows[0].roles == (Role.CHAIR, Role.DELEGATE)  # canonical order, whatever was given
    assert rows[1].pin == "0042"
    assert rows[2].roles == (Role.CLERK,)


def test_rows_become_commands() -> None:
    row = parse_delegates(ROSTER_CSV, "csv")[0]
    member = row.member_args()
    assert member == MemberArgs("chair", "Lê Văn Thắng", [Role.CHAIR, Role.DELEGATE], 1)
    assert msgspec.json.decode(msgspec.json.encode(member), type=MemberArgs) == member
    item = AgendaRow("Tờ trình", "", Access.DELEGATES).item_args()
    assert item == AddItem(title="Tờ trình", access=Access.DELEGATES)


def test_agenda_csv_and_json() -> None:
    text = (
        "title,description,access\n"
        'Báo cáo tình hình kinh tế - xã hội,"Báo cáo của UBND tỉnh,\nkèm phụ lục",\n'
        "Công tác nhân sự (họp kín),,Delegates\n"
    )
    rows = parse_agenda(text, "csv")
    assert rows == [
        AgendaRow("Báo cáo tình hình kinh tế - xã hội", "Báo cáo của UBND tỉnh,\nkèm phụ lục"),
        AgendaRow("Công tác nhân sự (họp kín)", "", Access.DELEGATES),
    ]
    data = [{"title": r.title, "description": r.description, "access": r.access} for r in rows]
    assert parse_agenda(json.dumps(data, ensure_ascii=False), "json") == rows


def test_bom_blank_lines_whitespace_and_semicolons() -> None:
    text = "\ufeff title ; Access \r\n\r\n  Khai mạc kỳ họp ; public \r\n;\r\n\r\nBế mạc;\r\n"
    assert parse_agenda(text, "csv") == [AgendaRow("Khai mạc kỳ họp"), AgendaRow("Bế mạc")]
    assert parse_agenda('\ufeff[{"title": "Khai mạc"}]', "json") == [AgendaRow("Khai mạc")]


def test_nfd_input_comes_out_nfc() -> None:
    name, title = "Đặng Thị Thuỷ Tiên", "Dự thảo nghị quyết về kế hoạch đầu tư công"
    nfd_name, nfd_title = (unicodedata.normalize("NFD", s) for s in (name, title))
    assert nfd_name != name
    row = parse_delegates(f"seat,name,username\n7,{nfd_name},d07\n", "csv")[0]
    assert row.name == name
    assert unicodedata.is_normalized("NFC", row.name)
    assert parse_agenda(json.dumps([{"title": nfd_title}]), "json")[0].title == title


def test_bad_roster_rows_are_all_reported_with_row_and_column() -> None:
    text = (
        "seat,name,username,roles\n"  # row 1
        "1,Lê Văn An,d01,\n"  # row 2: fine
        "\n"  # row 3: blank, still counted
        "x,Lê Văn Bình,d02,\n"  # row 4
        "1,Lê Văn Cường,d03,\n"  # row 5: seat 1 again
        "4,,d04,\n"  # row 6
        "5,Lê Văn Dũng,D01,\n"  # row 7: username of row 2
        "6,Lê Văn Đạt,lê.đạt,\n"  # row 8
        "7,Lê Văn Hải,d07,speaker\n"  # row 9
        "0,Lê Văn Hùng,d08,\n"  # row 10
        ",Lê Văn Khánh,d09,\n"  # row 11
        "12,Lê Thị Lan,clerk,clerk\n"  # row 12
    )
    with pytest.raises(ImportProblem) as exc:
        parse_delegates(text, "csv")
    assert problems(exc) == [
        (4, "seat"),
        (5, "seat"),
        (6, "name"),
        (7, "username"),
        (8, "username"),
        (9, "roles"),
        (10, "seat"),
        (11, "seat"),
        (12, "seat"),
    ]
    message = str(exc.value)
    assert message.startswith("delegates: 9 problems")
    assert "row 5, column 'seat': duplicate seat 1 (also on row 2)" in message
    assert "row 7, column 'username': duplicate username 'd01' (also on row 2)" in message
    assert "row 9, column 'roles': unknown role 'speaker'" in message
    assert "row 6, column 'name': missing name" in message
    assert "row 4, column 'seat'" in message and "'x'" in message
    assert isinstance(exc.value, ValueError)
    assert exc.value.code == "invalid_import"


def test_bad_pin_and_unknown_column() -> None:
    text = "seat,name,username,email,pin\n1,Lê An,d01,a@b.vn,12\n2,Lê Bình,d02,,12ab5\n"
    with pytest.raises(ImportProblem) as exc:
        parse_delegates(text, "csv")
    assert problems(exc) == [(1, "email"), (2, "pin"), (3, "pin")]
    assert "row 1, column 'email': unknown column" in str(exc.value)


def test_missing_required_column_stops_at_the_header() -> None:
    with pytest.raises(ImportProblem) as exc:
        parse_delegates("seat,name\n1,Lê An\n", "csv")
    assert problems(exc) == [(1, "username")]


def test_bad_agenda_rows() -> None:
    long_title = "Dự thảo nghị quyết " + "x" * 500
    text = f"title,access,description\n{long_title},,\n,public,mô tả\nHọp kín,secret,\nA,,,extra\n"
    with pytest.raises(ImportProblem) as exc:
        parse_agenda(text, "csv")
    assert problems(exc) == [(2, "title"), (3, "title"), (4, "access"), (5, None)]
    message = str(exc.value)
    assert "row 2, column 'title': title is 519 characters long, more than 500" in message
    assert "row 4, column 'access': unknown access 'secret'" in message


def test_bad_json() -> None:
    with pytest.raises(ImportProblem) as exc:
        parse_agenda('[{"title": "A"},', "json")
    assert "not valid JSON (line 1" in str(exc.value)
    with pytest.raises(ImportProblem, match="expected a JSON list"):
        parse_agenda('{"title": "A"}', "json")
    data = [{"title": "A"}, "B", {"title": True}, {"title": "C", "mover": "UBND"}, {}]
    with pytest.raises(ImportProblem) as exc:
        parse_agenda(json.dumps(data), "json")
    assert problems(exc) == [(2, None), (3, "title"), (4, "mover"), (5, "title")]


def test_duplicates_in_json_name_the_first_row() -> None:
    data = [{"seat": 3, "name": "A", "username": "a"}, {"seat": 3, "name": "B", "username": "A"}]
    with pytest.raises(ImportProblem) as exc:
        parse_delegates(json.dumps(data), "json")
    assert [str(p) for p in exc.value.problems] == [
        "row 2, column 'username': duplicate username 'a' (also on row 1)",
        "row 2, column 'seat': duplicate seat 3 (also on row 1)",
    ]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("", "csv"), ("\ufeff", "csv"), ("\n\n", "csv"), ("title\n\n", "csv"), ("[]", "json")],
)
def test_empty_files(text: str, fmt: Format) -> None:
    with pytest.raises(ImportProblem, match="no rows"):
        parse_agenda(text, fmt)


def test_row_limit() -> None:
    text = "title\n" + "".join(f"Mục {n}\n" for n in range(11))
    assert len(parse_agenda(text, "csv", max_rows=11)) == 11
    with pytest.raises(ImportProblem, match="more than 10 rows"):
        parse_agenda(text, "csv", max_rows=10)


def test_long_messages_are_cut_but_every_problem_is_kept() -> None:
    text = "title,access\n" + "A,bad\n" * 80
    with pytest.raises(ImportProblem) as exc:
        parse_agenda(text, "csv")
    assert len(exc.value.problems) == 80
    assert str(exc.value).endswith("… and 30 more")


def test_format_for() -> None:
    assert format_for("dai-bieu.CSV") == "csv"
    assert format_for(Path("/tmp/chuong-trinh.json")) == "json"
    with pytest.raises(ImportProblem, match=r"name it \.csv or \.json"):
        format_for("dai-bieu.xlsx")


def test_decode_text() -> None:
    text = "seat,name\n1,Hồ Thị Hoa\n"
    assert decode_text(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_text(text.encode("utf-16")) == text
    with pytest.raises(ImportProblem) as exc:
        decode_text("Thanh Hóa".encode("cp1258"))
    assert exc.value.problems == (Problem(None, None, exc.value.problems[0].message),)
    assert "save the file as UTF-8" in str(exc.value)
