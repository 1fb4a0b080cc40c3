"""The `meeting` command, run in-process on a fresh data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from meeting.cli import main


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEETING_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("MEETING_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path / "data"


def run(data: Path, *args: str) -> int:
    return main(["--data", str(data), *args])


def test_body_delegates_meeting_agenda_and_verify(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data, "migrate") == 0
    assert run(data, "bodies", "add", "hdnd-x", "--name", "HĐND tỉnh X", "--seats", "3") == 0
    people = tmp_path / "delegates.csv"
    people.write_text(
        "seat,name,username,pin\n1,Nguyễn Văn An,an,1111\n2,Trần Thị Bình,binh,2222\n",
        encoding="utf-8",
    )
    assert run(data, "import", "delegates", str(people), "--body", "hdnd-x") == 0
    assert run(data, "users", "add", "thuky", "--name", "Lê Thư Ký", "--password", "pw-1") == 0
    assert (
        run(data, "meetings", "create", "k1", "--body", "hdnd-x", "--title", "Kỳ họp 1",
            "--chair", "an", "--clerk", "thuky")
        == 0
    )  # fmt: skip
    agenda = tmp_path / "agenda.json"
    agenda.write_text(
        '[{"title": "Báo cáo"}, {"title": "Nhân sự", "access": "delegates"}]', encoding="utf-8"
    )
    assert run(data, "import", "agenda", str(agenda), "--meeting", "k1") == 0
    capsys.readouterr()
    assert run(data, "meetings", "list") == 0
    assert "k1\tscheduled\tseq 3\tKỳ họp 1" in capsys.readouterr().out
    assert run(data, "verify") == 0
    assert "k1\tok\t3 events" in capsys.readouterr().out


def test_bad_rows_are_named(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "bodies", "add", "b", "--name", "B", "--seats", "5") == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("seat,name,username\n1,Ánh,anh\nx,Bảo,bao\n3,,chi\n", encoding="utf-8")
    capsys.readouterr()
    assert run(data, "import", "delegates", str(bad), "--body", "b") == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "row 4" in err
    assert run(data, "meetings", "create", "m", "--body", "nope", "--title", "T") == 1
    assert "no body 'nope'" in capsys.readouterr().err
    assert run(data, "import", "agenda", str(bad), "--meeting", "nope") == 1


def test_demo_loads_once(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, "demo", "--no-serve") == 0
    assert "chair    / demo-chair" in capsys.readouterr().out
    assert run(data, "demo", "--no-serve") == 0
    assert run(data, "meetings", "list") == 0
    out = capsys.readouterr().out
    assert out.count("demo\tscheduled") == 1


async def test_demo_sitting_is_ready_to_vote(tmp_path: Path) -> None:
    from meeting.domain import fold
    from meeting.domain.floor import quorum_status
    from meeting.settings import Settings
    from meeting.store import Store

    settings = Settings(data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024)
    from meeting.cli.commands import load_demo

    await load_demo(settings)
    store = await Store.open(settings.sqlalchemy_url)
    try:
        state = fold(r.event for r in await store.log.read("demo"))
    finally:
        await store.close()
    status = quorum_status(state)
    assert (status.present, status.seats, status.met) == (80, 85, True)
    numbers = [state.votes.by_id[v].number for v in state.votes.order]
    assert numbers == ["12/NQ-HĐND", "13/NQ-HĐND", "14/NQ-HĐND", "15/NQ-HĐND", None]
    # Its papers are real PDFs in the documents folder, in Vietnamese, on their items.
    papers = list(state.papers.by_id.values())
    assert [p.kind.value for p in papers] == ["report", "submission", "draft_resolution",
                                              "submission"]  # fmt: skip
    assert {state.order.index(p.item_id) for p in papers} == {1, 4, 5}
    for paper in papers:
        found = list((tmp_path / "documents").rglob(paper.sha256))
        assert len(found) == 1
        pages = PdfReader(found[0]).pages
        assert len(pages) == state.papers.files[paper.sha256].pages
        assert paper.title.split()[0] in pages[0].extract_text()
    assert max(state.papers.files[p.sha256].pages for p in papers) >= 3  # pages to turn
    text = PdfReader(next((tmp_path / "documents").rglob(papers[1].sha256))).pages[0]
    assert "điều chỉnh, bổ sung dự toán" in text.extract_text()


def test_the_readme_demo_command_parses(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`make demo` runs the line of the Makefile; it must be a valid `meeting` command."""
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    line = next(x.strip() for x in makefile.splitlines() if "bin/meeting" in x and "demo" in x)
    argv = line.split()[1:]
    argv[argv.index("./data")] = str(data)
    assert main([*argv, "--no-serve"]) == 0
    assert "demo-chair" in capsys.readouterr().out
