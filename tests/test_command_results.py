"""What an ack returns: the id a command created, over WebSocket and HTTP, the same on retry.

The result is read from the events the command produced and stored with its outcome, so a
retry under the same id gets it back even from a server that restarted in between.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import msgspec

from meeting.domain import RULES
from meeting.domain.catalog import EVENTS
from tests.live import Live, Wire, provision, serve, settings_for

VOTE = {"question": "Thông qua nghị quyết", "kind": "motion", "method": "electronic_named"}


def created(wire: Wire, name: str, seq: int) -> dict[str, Any]:
    """The data of the event `name` that the command acknowledged at `seq` produced."""
    found = [e for e in wire.events if e["name"] == name and e["seq"] <= seq]
    return dict(found[-1]["data"])


async def test_commands_that_create_return_the_new_id_over_the_websocket(live: Live) -> None:
    async with (
        live.socket("chair", since=0) as chair,
        live.socket("clerk", since=0) as clerk,
        live.socket("d01", since=0) as d01,
    ):
        opened = await chair.command("sitting.open")
        assert opened["type"] == "ack" and "result" not in opened
        item = await clerk.command("agenda.add_item", title="Nội dung bổ sung")
        await clerk.until_seq(item["seq"])
        added = created(clerk, "agenda.item_added", item["seq"])
        assert item["result"] == {"item_id": added["item"]["item_id"]}
        item_id = item["result"]["item_id"]
        vote = await chair.command("vote.schedule", item_id=item_id, **VOTE)
        await chair.until_seq(vote["seq"])
        scheduled = created(chair, "vote.scheduled", vote["seq"])
        assert vote["result"] == {"vote_id": scheduled["vote_id"]}
        await chair.command("agenda.open_item", item_id=item_id)
        question = await d01.command(
            "question.submit", addressee="Giám đốc Sở Tài chính", text="Vì sao chậm giải ngân?"
        )
        await d01.until_seq(question["seq"])
        submitted = created(d01, "question.submitted", question["seq"])
        assert question["result"] == {"question_id": submitted["question_id"]}
        note = await clerk.command("note.add", text="Đại biểu d01 chất vấn.")
        await clerk.until_seq(note["seq"])
        assert note["result"] == {"note_id": created(clerk, "note.added", note["seq"])["note_id"]}
        request = await d01.command("floor.request", topic="Ngân sách")
        grant = await chair.command("floor.grant")
        await chair.until_seq(grant["seq"])
        assert request["result"]["request_id"] in repr(chair.events)
        speech = created(chair, "floor.granted", grant["seq"])["speech"]
        assert grant["result"] == {"speech_id": speech["speech_id"]}
        assert speech["request_id"] == request["result"]["request_id"]

        # The same id again: the recorded outcome, result included; nothing applied twice.
        again = await chair.command("vote.schedule", cid=vote["id"], item_id=item_id, **VOTE)
        assert again == vote
        head = chair.seq
        assert (await chair.command("sitting.open", cid=opened["id"])) == opened
        assert chair.seq == head
        votes = (await _staff_snapshot(live))["votes"]
        assert [v["vote_id"] for v in votes] == [vote["result"]["vote_id"]]


async def test_http_commands_return_the_same_result_on_retry(live: Live) -> None:
    chair = {"Authorization": f"Bearer {await live.token('chair')}"}
    url = "/api/meetings/m1/commands"
    async with httpx.AsyncClient(base_url=live.base, timeout=10) as http:
        snapshot = (await http.get("/api/meetings/m1", headers=chair)).json()["snapshot"]
        item_id = snapshot["items"][0]["item_id"]
        body = {"id": "vote-1", "name": "vote.schedule", "args": {"item_id": item_id, **VOTE}}
        first = await http.post(url, json=body, headers=chair)
        again = await http.post(url, json=body, headers=chair)
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        answer = first.json()
        assert set(answer) == {"id", "seq", "result"} and answer["id"] == "vote-1"
        page = (await http.get(f"/api/meetings/m1/events?since={answer['seq'] - 1}")).json()
        assert page["events"][0]["data"]["vote_id"] == answer["result"]["vote_id"]
        plain = await http.post(url, json={"id": "open-1", "name": "sitting.open"}, headers=chair)
        assert set(plain.json()) == {"id", "seq"}


async def test_a_retry_after_a_restart_gets_the_recorded_result(
    tmp_path: Path, db_url: str
) -> None:
    settings = settings_for(tmp_path, database_url=db_url)
    async with serve(settings) as first:
        await provision(first)
        async with first.socket("clerk") as clerk:
            item = await clerk.command("agenda.add_item", cid="add-1", title="Nội dung khẩn")
    async with serve(settings) as second, second.socket("clerk") as clerk:
        again = await clerk.command("agenda.add_item", cid="add-1", title="Nội dung khẩn")
        assert again == item and again["result"]["item_id"]
        snapshot = (await _staff_snapshot(second))["items"]
        assert [i["title"] for i in snapshot].count("Nội dung khẩn") == 1


def test_every_declared_result_names_a_field_of_its_event() -> None:
    declared = {name: rule.returns for name, rule in RULES.items() if rule.returns}
    assert {"vote.schedule", "agenda.add_item", "question.submit", "note.add"} <= set(declared)
    for name, returns in declared.items():
        shape: Any = EVENTS[returns.event].data
        for step in returns.path:
            fields = {f.name: f for f in msgspec.structs.fields(shape)}
            assert step in fields, (name, returns)
            shape = fields[step].type
        assert shape is str, (name, returns)


async def _staff_snapshot(live: Live) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=live.base, timeout=10) as http:
        token = await live.token("clerk")
        r = await http.get("/api/meetings/m1", headers={"Authorization": f"Bearer {token}"})
        snapshot: dict[str, Any] = r.json()["snapshot"]
        return snapshot
