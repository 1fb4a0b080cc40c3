"""The demo sitting: Kỳ họp thứ 2 of the People's Council of Thanh Hóa province, as data.

This module owns the content `meeting demo` loads: the body, the meeting, a roster of
delegates and staff, and the agenda of a regular mid-year session. It returns the same
`DelegateRow` and `AgendaRow` that a clerk's import files produce, so the demo and an import
create a meeting by the same path. It never does I/O and draws no random number: names come
from fixed lists by fixed arithmetic, so every run (and every test) sees the same people.

The roster (for `BODY_SEATS` = 85 delegates):

- seat 1: username ``chair``, roles chair and delegate: the chair presides from a delegate's
  seat and votes like any delegate;
- seats 2 to 85: usernames ``d02`` … ``d85``; the number in a username is always the seat
  (there is no ``d01``, because seat 1 is ``chair``);
- ``clerk``: the secretary of the session, role clerk, no seat and no vote;
- ``display``: the screen in the hall, role observer.

Sign-in for the demo: delegates ``d02``… use the PIN `DELEGATE_PIN`; ``chair``, ``clerk`` and
``display`` use the passwords `CHAIR_PASSWORD`, `CLERK_PASSWORD`, `DISPLAY_PASSWORD`
(`password_for` answers for any username). These are demo secrets, printed by the demo and
never to be used for a real sitting.

The names are invented; any likeness to a real person is chance.
"""

from __future__ import annotations

from meeting.api.importing import AgendaRow, DelegateRow
from meeting.domain.commands import BodyArgs, CreateMeeting
from meeting.domain.model import Access, Role

__all__ = [
    "BODY_ID",
    "BODY_NAME",
    "BODY_SEATS",
    "CHAIR_PASSWORD",
    "CLERK_PASSWORD",
    "DELEGATE_PIN",
    "DISPLAY_PASSWORD",
    "MEETING_PLACE",
    "MEETING_TITLE",
    "agenda",
    "delegates",
    "meeting_args",
    "password_for",
    "people_names",
    "roster",
    "staff",
]

BODY_ID = "hdnd-thanh-hoa"
BODY_NAME = "Hội đồng nhân dân tỉnh Thanh Hóa khóa XVIII"
BODY_SEATS = 85
MEETING_TITLE = "Kỳ họp thứ 2 — kỳ họp thường lệ giữa năm 2021"
MEETING_PLACE = "Hội trường 25B, Thành phố Thanh Hóa"

CHAIR_PASSWORD = "demo-chair"
CLERK_PASSWORD = "demo-clerk"
DISPLAY_PASSWORD = "demo-display"
DELEGATE_PIN = "1234"

# Weighted as the province's rolls are: Nguyễn and Lê (the Lê kings came from Thanh Hóa)
# lead; Trịnh, Mai, Lại and Tống are common here and rarer elsewhere.
_FAMILY = (
    "Nguyễn", "Lê", "Trần", "Nguyễn", "Phạm", "Lê", "Hoàng", "Nguyễn", "Vũ", "Trịnh",
    "Đặng", "Lê", "Bùi", "Nguyễn", "Đỗ", "Mai", "Hồ", "Trần", "Ngô", "Lê", "Dương",
    "Nguyễn", "Lý", "Phạm", "Lại", "Cao", "Hà", "Tống", "Đinh",
)  # fmt: skip
_MALE_MIDDLE = (
    "Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Đình", "Ngọc", "Công", "Thế",
    "Trọng", "Mạnh", "Anh", "Duy", "Tiến",
)  # fmt: skip
_MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Thắng", "Sơn", "Hải", "Long", "Cường", "Quân", "Phong",
    "Trung", "Hiếu", "Khánh", "Tùng", "Đạt", "Lâm", "Bình", "Toàn", "Nghĩa", "Thành",
    "Hưng", "Việt", "Lực", "Chiến", "Vinh", "Tâm", "Kiên", "Huy",
)  # fmt: skip
_FEMALE_MIDDLE = (
    "Thị", "Thị Thu", "Thị Thanh", "Thị Hồng", "Thu", "Thanh", "Ngọc", "Kim", "Minh",
    "Thị Ngọc",
)  # fmt: skip
_FEMALE_GIVEN = (
    "Hà", "Lan", "Hương", "Mai", "Hằng", "Thủy", "Nga", "Huyền", "Trang", "Linh", "Yến",
    "Hoa", "Phương", "Loan", "Thảo", "Nhung", "Oanh", "Dung", "Hạnh", "Vân",
)  # fmt: skip


_MAX_NAMES = 2_000  # well under what the lists can combine, so the search below always ends


def people_names(count: int) -> list[str]:
    """`count` distinct full names (family, middle, given), the same on every call.

    About three in ten are women's names, near the share of women in provincial councils.
    Every name has at least one letter with a diacritic, so each exercises Vietnamese text.
    """
    if not 0 <= count <= _MAX_NAMES:
        raise ValueError(f"the demo has names for up to {_MAX_NAMES} people, not {count}")
    names: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(names) < count:
        female = i % 10 in (2, 5, 8)
        middles, givens = (_FEMALE_MIDDLE, _FEMALE_GIVEN) if female else (_MALE_MIDDLE, _MALE_GIVEN)
        family = _FAMILY[(7 * i + 3) % len(_FAMILY)]
        middle = middles[(5 * i + i // 4) % len(middles)]
        given = givens[(11 * i + i // 7) % len(givens)]
        name = f"{family} {middle} {given}"
        # A name in plain ASCII (Mai Kim Dung) is real but tests no Vietnamese text handling.
        if name not in seen and not name.isascii():
            seen.add(name)
            names.append(name)
        i += 1
    return names


def delegates(count: int = BODY_SEATS) -> list[DelegateRow]:
    """Seats 1 to `count`: the chair on seat 1, then ``d02``, ``d03`` … (see the module)."""
    names = people_names(count)
    rows = [DelegateRow(1, names[0], "chair", (Role.CHAIR, Role.DELEGATE))]
    for seat in range(2, count + 1):
        rows.append(DelegateRow(seat, names[seat - 1], f"d{seat:02d}", pin=DELEGATE_PIN))
    return rows


def staff(count: int = BODY_SEATS) -> list[DelegateRow]:
    """The clerk and the hall display: no seat, no vote. Their names differ from delegates'."""
    clerk_name = people_names(count + 1)[count]
    return [
        DelegateRow(None, clerk_name, "clerk", (Role.CLERK,)),
        DelegateRow(None, "Màn hình hội trường", "display", (Role.OBSERVER,)),
    ]


def roster(count: int = BODY_SEATS) -> list[DelegateRow]:
    """Everyone in the demo meeting: the delegates by seat, then the staff."""
    return delegates(count) + staff(count)


def password_for(username: str) -> str:
    """The demo secret of a roster username: a password for staff, the PIN for delegates."""
    fixed = {"chair": CHAIR_PASSWORD, "clerk": CLERK_PASSWORD, "display": DISPLAY_PASSWORD}
    if username in fixed:
        return fixed[username]
    if username.startswith("d") and username[1:].isdecimal() and int(username[1:]) >= 2:
        return DELEGATE_PIN
    raise KeyError(username)


def agenda() -> list[AgendaRow]:
    """The agenda of a regular mid-year session, in order; the personnel item is closed."""
    return [AgendaRow(title, description, access) for title, description, access in _AGENDA]


def meeting_args(count: int = BODY_SEATS) -> CreateMeeting:
    """The `meeting.create` arguments of the demo, for a body of `count` seats."""
    return CreateMeeting(
        body=BodyArgs(BODY_ID, BODY_NAME, count),
        title=MEETING_TITLE,
        place=MEETING_PLACE,
        members=[row.member_args() for row in roster(count)],
    )


_PUBLIC, _CLOSED = Access.PUBLIC, Access.DELEGATES
_AGENDA: tuple[tuple[str, str, Access], ...] = (
    (
        "Khai mạc kỳ họp; thông qua chương trình kỳ họp",
        "Diễn văn khai mạc của Chủ tịch HĐND tỉnh. Thư ký kỳ họp thông qua chương trình.",
        _PUBLIC,
    ),
    (
        "Báo cáo tình hình kinh tế - xã hội, quốc phòng, an ninh 6 tháng đầu năm 2021; "
        "nhiệm vụ, giải pháp 6 tháng cuối năm",
        "Báo cáo của UBND tỉnh; báo cáo thẩm tra của Ban Kinh tế - Ngân sách HĐND tỉnh.",
        _PUBLIC,
    ),
    (
        "Báo cáo công tác 6 tháng đầu năm của Thường trực HĐND và các Ban của HĐND tỉnh",
        "Kèm báo cáo kết quả giải quyết kiến nghị của cử tri gửi tới kỳ họp trước.",
        _PUBLIC,
    ),
    (
        "Thông báo của Ủy ban MTTQ Việt Nam tỉnh về công tác tham gia xây dựng chính quyền "
        "và ý kiến, kiến nghị của cử tri",
        "",
        _PUBLIC,
    ),
    (
        "Tờ trình về điều chỉnh, bổ sung dự toán thu, chi ngân sách địa phương năm 2021",
        "Tờ trình của UBND tỉnh, dự thảo nghị quyết và báo cáo thẩm tra.",
        _PUBLIC,
    ),
    (
        "Dự thảo nghị quyết về kế hoạch đầu tư công trung hạn giai đoạn 2021–2025",
        "Danh mục dự án khởi công mới và phương án phân bổ vốn ngân sách tỉnh.",
        _PUBLIC,
    ),
    (
        "Dự thảo nghị quyết quyết định chủ trương đầu tư các dự án đầu tư công trên địa bàn tỉnh",
        "75 dự án; mỗi dự án có tờ trình, báo cáo đề xuất chủ trương đầu tư và ý kiến thẩm tra.",
        _PUBLIC,
    ),
    (
        "Dự thảo nghị quyết về chính sách hỗ trợ thực hiện Chương trình mỗi xã một sản phẩm "
        "(OCOP) tỉnh Thanh Hóa giai đoạn 2021–2025",
        "",
        _PUBLIC,
    ),
    (
        "Báo cáo kết quả giám sát việc quản lý nhà nước về cấp phép, thăm dò, khai thác "
        "khoáng sản làm vật liệu xây dựng",
        "Báo cáo của Đoàn giám sát của Thường trực HĐND tỉnh.",
        _PUBLIC,
    ),
    (
        "Chất vấn và trả lời chất vấn",
        "Giám đốc các sở: Tài nguyên và Môi trường; Nông nghiệp và Phát triển nông thôn; "
        "Kế hoạch và Đầu tư trả lời chất vấn của đại biểu.",
        _PUBLIC,
    ),
    (
        "Công tác nhân sự: miễn nhiệm, bầu bổ sung chức danh thuộc thẩm quyền của HĐND tỉnh "
        "(họp kín)",
        "Tài liệu mật, chỉ đại biểu HĐND tỉnh. Bầu bằng hình thức bỏ phiếu kín.",
        _CLOSED,
    ),
    (
        "Thảo luận, biểu quyết thông qua các nghị quyết; bế mạc kỳ họp",
        "Biểu quyết điện tử từng dự thảo nghị quyết; diễn văn bế mạc.",
        _PUBLIC,
    ),
)
