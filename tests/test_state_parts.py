"""The one task-state rule (query/state.py): a part per body on shared tasks, the lead's
part, every implementing body's part, a group's part made of its members', the office's
whole-task status; and `list`, `show` and `report` agreeing on it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEED_PLAN, Runner


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(FIXTURES / "shared-tasks.yaml", plans / "khchung.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEHOACH_HOM_NAY", "15/11/2025")
    return tmp_path


def _log(cli: Runner, *args: str) -> None:
    result = cli("log", *args)
    assert result.code == 0, result.err


def _status(cli: Runner, task: str) -> str:
    data = json.loads(cli("show", task, "-d", "json").out)
    status: str = data["trang_thai"]["trang_thai"]
    return status


def _parts(cli: Runner, task: str) -> dict[str, str]:
    data = json.loads(cli("show", task, "-d", "json").out)
    return {p["don_vi"]: p["trang_thai"] for p in data["trang_thai"]["phan_viec"]}


def test_a_cooperating_body_completing_its_part_leaves_the_task_open(
        shared: Path, cli: Runner) -> None:
    _log(cli, "1.1", "UBND đã chuẩn bị địa điểm", "--don-vi", "UBND", "--ngay", "01/9/2025",
         "--trang-thai", "hoan thanh")
    assert _status(cli, "1.1") == "dang_thuc_hien"
    assert _parts(cli, "1.1")["UBND"] == "hoan_thanh"
    assert _parts(cli, "1.1")["MTTQ"] == "chua_thuc_hien"


def test_the_lead_completing_completes_the_task(shared: Path, cli: Runner) -> None:
    _log(cli, "1.1", "Đã tổ chức hội nghị", "--don-vi", "MTTQ", "--ngay", "20/9/2025",
         "--trang-thai", "hoan thanh")
    assert _status(cli, "1.1") == "hoan_thanh"
    out = cli("show", "1.1").out
    assert "đã hoàn thành, đúng hạn — hoàn thành khi đơn vị chủ trì hoàn thành" in out
    assert "- MTTQ (chủ trì): đã hoàn thành ngày 20/09/2025 (1 ghi nhận)" in out


def test_without_a_lead_every_implementing_body_must_complete(shared: Path, cli: Runner) -> None:
    _log(cli, "2.1", "Mặt trận đã giám sát xong", "--don-vi", "MTTQ", "--ngay", "01/10/2025",
         "--trang-thai", "hoan thanh")
    assert _status(cli, "2.1") == "dang_thuc_hien"
    _log(cli, "2.1", "UBND đã trả lời kiến nghị", "--don-vi", "UBND", "--ngay", "05/10/2025",
         "--trang-thai", "hoan thanh")
    assert _status(cli, "2.1") == "hoan_thanh"
    data = json.loads(cli("show", "2.1", "-d", "json").out)
    assert data["trang_thai"]["quy_tac"] == "tat_ca"


def test_a_group_member_completes_its_part_not_the_groups(shared: Path, cli: Runner) -> None:
    _log(cli, "2.2", "Mặt trận đã vận động", "--don-vi", "MTTQ", "--ngay", "01/10/2025",
         "--trang-thai", "hoan thanh")
    _log(cli, "2.2", "Hội Phụ nữ đã vận động", "--don-vi", "hoi phu nu", "--ngay", "02/10/2025",
         "--trang-thai", "hoan thanh")
    parts = _parts(cli, "2.2")
    assert parts["HLHPN"] == "hoan_thanh"
    assert parts["CT-XH"] == "dang_thuc_hien"  # ĐTN and HND have not completed theirs
    assert (parts["ĐTN"], parts["HND"]) == ("chua_thuc_hien", "chua_thuc_hien")
    assert _status(cli, "2.2") == "dang_thuc_hien"
    for body in ("ĐTN", "HND"):
        _log(cli, "2.2", "Đã vận động", "--don-vi", body, "--ngay", "03/10/2025",
             "--trang-thai", "hoan thanh")
    assert _parts(cli, "2.2")["CT-XH"] == "hoan_thanh"
    assert _status(cli, "2.2") == "hoan_thanh"


def test_a_group_note_speaks_for_every_member(shared: Path, cli: Runner) -> None:
    _log(cli, "2.2", "Các đoàn thể đã vận động", "--don-vi", "CT-XH", "--ngay", "03/10/2025",
         "--trang-thai", "hoan thanh")
    parts = _parts(cli, "2.2")
    assert (parts["CT-XH"], parts["ĐTN"], parts["HND"]) == ("hoan_thanh",) * 3
    assert parts["MTTQ"] == "chua_thuc_hien"
    assert _status(cli, "2.2") == "dang_thuc_hien"


def test_the_office_closes_the_whole_task(shared: Path, cli: Runner) -> None:
    _log(cli, "2.1", "Mặt trận đã giám sát", "--don-vi", "MTTQ", "--ngay", "01/10/2025")
    refused = cli("log", "2.1", "Kết thúc nhiệm vụ", "--ca-nhiem-vu")
    assert refused.code != 0 and "--ca-nhiem-vu cần --trang-thai" in refused.err
    # Without --don-vi the directing body (ĐU) records it.
    _log(cli, "2.1", "Thường trực Đảng ủy kết luận nhiệm vụ hoàn thành", "--ngay", "10/10/2025",
         "--trang-thai", "hoan thanh", "--ca-nhiem-vu")
    assert _status(cli, "2.1") == "hoan_thanh"
    data = json.loads(cli("show", "2.1", "-d", "json").out)
    assert data["trang_thai"]["quy_tac"] == "ca_nhiem_vu"
    assert "[đã hoàn thành, cả nhiệm vụ]" in cli("show", "2.1").out
    # Amending it back to the body's own part reopens the task.
    entry = next(e for e in json.loads(cli("nhat-ky", "-d", "json").out) if e["ca_nhiem_vu"])
    assert cli("sua", entry["id"], "--phan-viec").code == 0
    assert _status(cli, "2.1") == "dang_thuc_hien"


def test_per_body_table_counts_each_bodys_own_part(shared: Path, cli: Runner) -> None:
    _log(cli, "2.2", "Hội Phụ nữ đã vận động", "--don-vi", "hoi phu nu", "--ngay", "02/10/2025",
         "--trang-thai", "hoan thanh")
    data = json.loads(cli("report", "--ky", "quy IV/2025", "-d", "json").out)
    done = {b["ma"]: b["hoan_thanh_dung_han"] for b in data["theo_don_vi"]}
    assert done["HLHPN"] == 1
    assert done["ĐTN"] == 0 and done["HND"] == 0 and done["CT-XH"] == 0 and done["MTTQ"] == 0


def test_list_and_report_agree_on_a_note_without_status(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """issue 9: `log 3.2 "đã giám sát" --don-vi MTTQ` with no status made `list` say chưa
    thực hiện while `report` said đang thực hiện."""
    assert SEED_PLAN.exists()
    monkeypatch.setenv("KEHOACH_HOM_NAY", "15/11/2025")
    _log(cli, "3.2", "đã giám sát", "--don-vi", "MTTQ")
    report = json.loads(cli("report", "-d", "json").out)
    in_report = next(t for t in report["nhiem_vu"] if t["ma"] == "3.2")["trang_thai"]
    assert in_report == "dang_thuc_hien"
    doing = [d["ma"] for d in json.loads(cli("list", "--trang-thai", "dang thuc hien",
                                              "-d", "json").out)]
    not_begun = [d["ma"] for d in json.loads(cli("list", "--trang-thai", "chua thuc hien",
                                                  "-d", "json").out)]
    assert "3.2" in doing and "3.2" not in not_begun


def test_fast_constructors_set_every_field_in_place() -> None:
    """TaskState and TaskLine set their slots through descriptors, in a list of their own:
    each value must land in its own field."""
    from dataclasses import fields
    from typing import Any, cast

    from kehoach_cli.query.review import TaskLine
    from kehoach_cli.query.state import Rule, TaskState
    from kehoach_cli.status import Status, Timeliness

    by_body = cast(Any, {"x": 1})
    state = TaskState(Status.HOAN_THANH, Timeliness.QUA_HAN, cast(Any, "han"),
                      cast(Any, "ngay"), cast(Any, ("p",)), Rule.CHU_TRI, by_body)
    got: tuple[Any, ...] = (state.status, state.timeliness, state.han, state.hoan_thanh_ngay,
                            state.parts, state.rule, state.by_body, state.completed, state.late)
    assert got == (Status.HOAN_THANH, Timeliness.QUA_HAN, "han", "ngay", ("p",), Rule.CHU_TRI,
                   by_body, True, True)
    assert TaskState(Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN).by_body == {}
    values = {f.name: f"giá trị {f.name}" for f in fields(TaskLine)}
    line = TaskLine(**cast(Any, values))
    assert {f.name: getattr(line, f.name) for f in fields(TaskLine)} == values


# --------------------------------------------------------------------------- list's shortcut

from datetime import date, timedelta  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kehoach_cli.journal.digest import StateNote  # noqa: E402
from kehoach_cli.plan.bodies import Registry  # noqa: E402
from kehoach_cli.plan.model import Body, Task  # noqa: E402
from kehoach_cli.plan.timeframe import parse_timeframe  # noqa: E402
from kehoach_cli.query.state import assess, status_at  # noqa: E402
from kehoach_cli.status import Status  # noqa: E402

# A registry with a group of two (one of them a group itself) beside single bodies; codes
# a task may name that the registry lacks, and the directing body, take part too.
_REGISTRY = Registry([
    Body("ĐU", "Đảng ủy"), Body("MTTQ", "Mặt trận"), Body("UBND", "Ủy ban"),
    Body("CT-XH", "các tổ chức", thanh_vien=["ĐTN", "HỘI"]),
    Body("HỘI", "các hội", thanh_vien=["HLHPN", "HND"]),
    Body("ĐTN", "Đoàn"), Body("HLHPN", "Phụ nữ"), Body("HND", "Nông dân")])
_CODES = ["MTTQ", "UBND", "CT-XH", "HỘI", "ĐTN", "HLHPN", "HND", "LẠ"]
_TIMEFRAMES = ["Thường xuyên", "Quý I/2025", "Trước ngày 30/6/2025", "Hằng quý", "Hằng tháng",
               "Từ tháng 3 đến tháng 5/2025", None]
_START = date(2025, 1, 1)
_days = st.integers(0, 400).map(lambda n: _START + timedelta(days=n))
_statuses = st.sampled_from([None, *Status, Status.HOAN_THANH, Status.HOAN_THANH])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CODES), max_size=3), st.lists(st.sampled_from(_CODES), max_size=2),
       st.lists(st.sampled_from(_CODES), max_size=2), st.sampled_from(_TIMEFRAMES), st.data(),
       _days)
def test_lists_status_is_the_assessed_status(
        doing: list[str], lead: list[str], helping: list[str], timeframe: str | None,
        data: st.DataObject, at: date) -> None:
    """`status_at` (what `list` asks, 20,000 times) is `assess(...).status`, whatever the
    assignment, groups, timeframe and notes."""
    task = Task(ma="1", noi_dung="x", chi_dao=["ĐU"], tham_muu_thuc_hien=doing, chu_tri=lead,
                phoi_hop=helping,
                thoi_gian=parse_timeframe(timeframe) if timeframe else None)
    # Mostly the task's own bodies (and their members), so parts do get completed.
    speakers = st.sampled_from([*doing, *lead, *helping, *lead, "ĐTN", "HLHPN", "ĐU", "LẠ"])
    notes = data.draw(st.lists(st.tuples(_days, speakers, _statuses, st.booleans()),
                               max_size=12))
    history = [StateNote(day, body, status, whole)
               for day, body, status, whole in sorted(notes, key=lambda n: n[0])]
    assert status_at(task, _REGISTRY, history, at) == assess(task, _REGISTRY, history, at).status
