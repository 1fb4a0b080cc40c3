"""A secret ballot, read by an attacker who has the raw database: no choice can be tied to
a delegate, neither by a row, nor by order, nor by a timestamp."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

from sqlalchemy import inspect

from tests.live import provision, serve, settings_for

DELEGATES = 12
OPTIONS = [
    {"key": "phuong_an_mot", "label": "Phương án một"},
    {"key": "phuong_an_hai", "label": "Phương án hai"},
    {"key": "phuong_an_ba", "label": "Phương án ba"},
]


async def test_attacker_reading_the_database_learns_no_choice(
    tmp_path: Path, db_url: str, backend: str
) -> None:
    async with serve(settings_for(tmp_path, database_url=db_url)) as live:
        await provision(live, delegates=DELEGATES, present=True)
        store = live.services.store
        async with AsyncExitStack() as stack:
            chair = await stack.enter_async_context(live.socket("chair"))
            await chair.command("sitting.open")
            item = live.services.engines.loaded()[0].state.order[0]
            ack = await chair.command(
                "vote.schedule", item_id=item, question="Bầu chọn phương án",
                method="electronic_secret", options=OPTIONS,
            )  # fmt: skip
            vote = live.services.engines.loaded()[0].state.votes.order[-1]
            assert ack["type"] == "ack"
            await chair.command("vote.open", vote_id=vote)
            choices = {}
            # One ballot per transaction: the hardest case, nothing to hide behind.
            for n in range(1, DELEGATES + 1):
                user = f"d{n:02d}"
                choices[user] = OPTIONS[(n * 7) % 3]["key"]
                async with live.socket(user) as tablet:
                    answer = await tablet.command("vote.cast", vote_id=vote, choice=choices[user])
                    assert answer["type"] == "ack"
            # While the vote is open, the totals are stored, and visibly so.
            totals = await store.log.secret_totals("m1")
            assert sum(totals[vote].values()) == DELEGATES
            if backend == "sqlite":
                assert _raw(tmp_path).count(f"{vote}phuong_an".encode()) > 0
            await chair.command("vote.close", vote_id=vote)

        # The attacker: every row of every table.
        async with store.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        keys = {o["key"] for o in OPTIONS}
        for table in tables:
            if table == "alembic_version":
                continue
            for row in await store.log.raw_table(table):
                text = repr(row)
                users = {u for u in choices if f"'{u}'" in text or f'"{u}"' in text}
                found = {k for k in keys if k in text}
                if table == "events" and row["name"] in ("vote.scheduled", "vote.closed"):
                    # The options themselves, and the totals of the result: no one's ballot.
                    assert "ballots" not in text
                    continue
                assert not (users and found), f"{table} links {users} to {found}: {row}"
        assert await store.log.secret_totals("m1") == {}
        if backend == "sqlite":
            # Deleted rows are zeroed and the write-ahead log is folded and emptied: the
            # running totals left no earlier versions in the files.
            raw = _raw(tmp_path)
            i = raw.find(f"{vote}phuong_an".encode())
            assert i < 0, raw[max(0, i - 300) : i + 60].replace(b"\x00", b"")


def _raw(data_dir: Path) -> bytes:
    out = b""
    for name in ("meeting.db", "meeting.db-wal"):
        path = data_dir / name
        if path.exists():
            out += path.read_bytes()
    return out
