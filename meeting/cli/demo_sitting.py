"""The demo sitting's roll call and scheduled votes, so that a visitor can vote at once."""

from __future__ import annotations

from typing import Any

from meeting.domain import Actor
from meeting.engine import MeetingEngine

from .provision import ProvisionError, record_attendance

__all__ = ["prepare_demo_sitting"]

_RESOLUTIONS = (
    (
        4,
        "12/NQ-HĐND",
        "Thông qua Nghị quyết điều chỉnh, bổ sung dự toán ngân sách địa phương năm 2021",
    ),
    (5, "13/NQ-HĐND", "Thông qua Nghị quyết kế hoạch đầu tư công trung hạn giai đoạn 2021–2025"),
    (6, "14/NQ-HĐND", "Thông qua Nghị quyết quyết định chủ trương đầu tư các dự án đầu tư công"),
    (7, "15/NQ-HĐND", "Thông qua Nghị quyết chính sách hỗ trợ Chương trình OCOP 2021–2025"),
)


async def prepare_demo_sitting(engine: MeetingEngine, delegates: list[str]) -> None:
    """Roll call (all present but three excused and two absent) and the resolution series."""
    presence = dict.fromkeys(delegates, "present")
    for user_id in delegates[-5:-2]:
        presence[user_id] = "excused"
    for user_id in delegates[-2:]:
        presence[user_id] = "absent"
    await record_attendance(engine, presence)
    items = list(engine.state.order)
    admin = Actor("admin", is_admin=True)
    votes: list[tuple[str, dict[str, Any]]] = [
        (f"demo-vote-{n}", {"item_id": items[i], "question": q, "number": n, "series": "nq-2021"})
        for i, n, q in _RESOLUTIONS
    ]
    votes.append(
        (
            "demo-vote-election",
            {
                "item_id": items[10],
                "question": "Bầu bổ sung Phó Chủ tịch Ủy ban nhân dân tỉnh",
                "kind": "election",
                "method": "electronic_secret",
                "candidates": [
                    {"key": "ung-vien-1", "label": "Ông Lê Văn Thành"},
                    {"key": "ung-vien-2", "label": "Bà Phạm Thị Thu Hà"},
                ],
                "seats_to_fill": 1,
            },
        )
    )
    for command_id, args in votes:
        outcome = await engine.submit(admin, command_id, "vote.schedule", args, source="cli")
        if not outcome.ok:
            raise ProvisionError(f"{command_id}: {outcome.code}: {outcome.message}")
