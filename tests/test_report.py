"""The review on a journal with known counts and statuses, written through the journal's
own write path (`journal.append_entry`), and the status rule on its own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.input import retraction
from kehoach_cli.journal.store import append_entry, new_id
from kehoach_cli.periods import Convention, Kind, Period, span_of
from kehoach_cli.plan.bodies import Registry
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from kehoach_cli.plan.model import Body, Task
from kehoach_cli.plan.timeframe import parse_timeframe
from kehoach_cli.query.review import JournalSource, Report, build_report
from kehoach_cli.query.state import assess
from kehoach_cli.render.report import body_counts, to_dict
from kehoach_cli.status import Status, Timeliness

TZ = timezone(timedelta(hours=7))
AS_OF = date(2025, 10, 15)
Q3 = Period(Kind.QUY, 2025, 3)

PLAN = """\
luoc_do: 1
ke_hoach:
  ma: khthu
  so_ky_hieu: 12-KH/ĐU
  co_quan_ban_hanh: Đảng ủy
  trich_yeu: thực hiện chương trình thử nghiệm năm 2025
  noi_nhan: ["Ban Dân vận Thị ủy,", "Lưu Văn phòng Đảng ủy."]
  ky: {thay_mat: T/M ĐẢNG ỦY, chuc_vu: BÍ THƯ, ho_ten: Nguyễn Văn A}
don_vi:
  - {ma: ĐU, ten: Đảng ủy phường, ten_khac: [Đảng ủy]}
  - {ma: UBND, ten: Ủy ban nhân dân phường}
  - {ma: MTTQ, ten: Ủy ban Mặt trận Tổ quốc Việt Nam phường, ten_khac: [Mặt trận]}
  - {ma: CT-XH, ten: các tổ chức chính trị - xã hội phường, thanh_vien: [ĐTN, HLHPN]}
  - {ma: ĐTN, ten: Đoàn TNCS Hồ Chí Minh phường, ten_khac: [Đoàn Thanh niên]}
  - {ma: HLHPN, ten: Hội Liên hiệp Phụ nữ phường, ten_khac: [Hội Phụ nữ]}
  - {ma: HND, ten: Hội Nông dân phường}
  - {ma: KDV, ten: Khối Dân vận Đảng ủy}
noi_dung:
  - ma: "1"
    tieu_de: Việc có hạn
    nhiem_vu:
      - {ma: "1.1", noi_dung: Tổ chức hội nghị quán triệt, chi_dao: [ĐU], chu_tri: [MTTQ],
         thoi_gian: Trước ngày 31/7/2025}
      - {ma: "1.2", noi_dung: Ban hành quy chế phối hợp, chi_dao: [ĐU], chu_tri: [UBND],
         thoi_gian: Trước ngày 15/8/2025}
      - {ma: "1.3", noi_dung: Ra quân tình nguyện, chi_dao: [ĐU], chu_tri: [CT-XH],
         thoi_gian: Quý III/2025}
  - ma: "2"
    tieu_de: Việc thường xuyên
    nhiem_vu:
      - {ma: "2.1", noi_dung: Sơ kết công tác dân vận, chi_dao: [ĐU], chu_tri: [KDV],
         thoi_gian: Trước ngày 31/8/2025}
      - {ma: "2.2", noi_dung: Giám sát ở khu dân cư, chi_dao: [ĐU],
         tham_muu_thuc_hien: [MTTQ, CT-XH], thoi_gian: Thường xuyên}
      - {ma: "2.3", noi_dung: Vận động nông dân, chi_dao: [ĐU], tham_muu_thuc_hien: [HND],
         thoi_gian: Thường xuyên}
  - ma: "3"
    tieu_de: Việc kỳ sau và định kỳ
    nhiem_vu:
      - {ma: "3.1", noi_dung: Tổng kết năm, chi_dao: [ĐU], chu_tri: [UBND],
         thoi_gian: Tháng 11/2025}
      - {ma: "3.2", noi_dung: Báo cáo quý, chi_dao: [ĐU], chu_tri: [MTTQ], thoi_gian: Hằng quý}
"""

# (task, day, body, note, status, figures)
NOTES: list[tuple[str, date, str, str, Status | None, dict[str, float]]] = [
    ("1.1", date(2025, 7, 10), "MTTQ", "Chuẩn bị hội nghị", Status.DANG_THUC_HIEN, {}),
    ("1.1", date(2025, 7, 25), "MTTQ", "Đã tổ chức hội nghị", Status.HOAN_THANH, {}),
    ("1.2", date(2025, 8, 1), "UBND", "Dự thảo quy chế", Status.DANG_THUC_HIEN, {}),
    ("1.2", date(2025, 8, 20), "UBND", "Đã ký quy chế", Status.HOAN_THANH, {}),
    ("1.3", date(2025, 9, 5), "ĐTN", "Ra quân đợt 1", None, {"số đoàn viên": 120}),
    ("2.2", date(2025, 6, 15), "MTTQ", "Giám sát tháng 6", None, {"số buổi": 1}),
    ("2.2", date(2025, 7, 12), "HLHPN", "Hội Phụ nữ giám sát chợ", None, {"số buổi": 2}),
    ("2.2", date(2025, 9, 2), "MTTQ", "Giám sát công trình", None,
     {"số buổi": 3, "số người": 150}),
    ("2.2", date(2025, 10, 5), "MTTQ", "Giám sát sau kỳ", None, {"số buổi": 9}),
    ("3.2", date(2025, 9, 10), "MTTQ", "Đã gửi báo cáo quý III", Status.HOAN_THANH, {}),
]


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[LoadedPlan]:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "khthu.yaml"
    path.write_text(PLAN, encoding="utf-8")
    loaded = load_plan(path)
    recorded = datetime(2025, 10, 1, 8, 0, tzinfo=TZ)
    for i, (ma, day, body, note, status, figures) in enumerate(NOTES):
        append_entry(loaded, Entry(new_id(), loaded.key, ma, day, body, "Văn phòng",
                                   recorded + timedelta(minutes=i), note, status, None, figures))
    # A note logged by mistake and then retracted: the review must not count it.
    wrong = Entry(new_id(), loaded.key, "2.3", date(2025, 8, 1), "HND", "Văn phòng",
                  recorded + timedelta(hours=1), "Ghi nhầm nhiệm vụ")
    append_entry(loaded, wrong)
    append_entry(loaded, retraction(wrong, wrong, ly_do="ghi nhầm", nguoi_ghi="Văn phòng",
                                    now=recorded + timedelta(hours=2)))
    yield loaded


def review(plan: LoadedPlan, chot: Convention = Convention.LICH, don_vi: str | None = None,
           as_of: date = AS_OF) -> Report:
    source = JournalSource()
    entries = source(plan)
    assert source.problems == []
    return build_report([plan], entries, span_of(Q3, chot), as_of, don_vi, source.problems)


def by_task(report: Report) -> dict[str, tuple[int, Status, Timeliness]]:
    return {t.task.ma: (len(t.entries), t.state.status, t.state.timeliness) for t in report.tasks}


def test_counts_and_statuses_per_task(plan: LoadedPlan) -> None:
    report = review(plan)
    assert by_task(report) == {
        "1.1": (2, Status.HOAN_THANH, Timeliness.DUNG_HAN),
        "1.2": (2, Status.HOAN_THANH, Timeliness.QUA_HAN),  # done 20/08, due 15/08
        "1.3": (1, Status.DANG_THUC_HIEN, Timeliness.DUNG_HAN),  # due 30/09, not yet late
        "2.1": (0, Status.CHUA_THUC_HIEN, Timeliness.QUA_HAN),
        "2.2": (2, Status.DANG_THUC_HIEN, Timeliness.KHONG_THOI_HAN),
        "2.3": (0, Status.CHUA_THUC_HIEN, Timeliness.KHONG_THOI_HAN),  # retracted note
        "3.1": (0, Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN),
        "3.2": (1, Status.HOAN_THANH, Timeliness.DUNG_HAN),
    }
    lines = {t.task.ma: t for t in report.tasks}
    assert lines["2.2"].so_lieu == {"số buổi": 5, "số người": 150}
    assert lines["1.3"].so_lieu == {"số đoàn viên": 120}
    assert lines["1.2"].state.hoan_thanh_ngay == date(2025, 8, 20)
    assert lines["1.2"].state.label() == "đã hoàn thành, quá hạn"
    assert lines["1.3"].state.label() == "đang thực hiện, trong hạn"
    assert lines["2.3"].state.label() == "chưa thực hiện (không thời hạn)"
    assert report.entry_count == 8


def test_attention(plan: LoadedPlan) -> None:
    report = review(plan)
    assert [t.task.ma for t in report.without_activity] == ["2.1", "2.3"]  # 3.1 not begun
    assert [t.task.ma for t in report.overdue] == ["2.1"]
    # the next quarter holds 3.1's deadline, and 3.2 is due again though done this time
    assert {t.task.ma: t.due_next for t in report.due_next} == {
        "3.1": [date(2025, 11, 30)], "3.2": [date(2025, 12, 31)]}


def test_per_body(plan: LoadedPlan) -> None:
    report = review(plan)
    bodies = {b.ma: b for b in report.bodies}
    assert "ĐU" not in bodies  # it directs every task: left out of the per-unit table
    assert list(bodies) == ["UBND", "MTTQ", "CT-XH", "ĐTN", "HLHPN", "HND", "KDV"]
    assert {code: (b.total, b.active, b.completed, b.late) for code, b in bodies.items()} == {
        "UBND": (2, 1, 1, 1),
        "MTTQ": (3, 3, 2, 0),
        "CT-XH": (2, 2, 0, 0),  # its members reported on both
        "ĐTN": (2, 1, 0, 0),  # through the group; reported on 1.3 only
        "HLHPN": (2, 1, 0, 0),
        "HND": (1, 0, 0, 0),
        "KDV": (1, 0, 0, 1),
    }
    assert bodies["MTTQ"].rate == pytest.approx(2 / 3)
    assert body_counts(bodies["UBND"]) == {
        "tong_so": 2, "co_hoat_dong": 1, "khong_hoat_dong": 1, "hoan_thanh_dung_han": 0,
        "hoan_thanh_qua_han": 1, "chua_hoan_thanh_trong_han": 1, "chua_hoan_thanh_qua_han": 0,
        "khong_thoi_han": 0}


def test_cut_off_convention_moves_the_window(plan: LoadedPlan) -> None:
    report = review(plan, Convention.ND09)  # 15/06/2025 .. 14/09/2025
    assert (report.span.tu, report.span.den) == (date(2025, 6, 15), date(2025, 9, 14))
    counts = {ma: n for ma, (n, _, _) in by_task(report).items()}
    assert counts["2.2"] == 3  # the note of 15/06 now counts
    assert {t.task.ma: t.so_lieu for t in report.tasks}["2.2"] == {"số buổi": 6, "số người": 150}
    # 1.3 is due 30/09: at the cut-off of 14/09 it is not late either
    assert by_task(report)["1.3"][2] is Timeliness.DUNG_HAN


def test_reference_date_inside_the_period(plan: LoadedPlan) -> None:
    report = review(plan, as_of=date(2025, 8, 10))
    assert report.end == date(2025, 8, 10)
    states = by_task(report)
    assert states["1.2"] == (1, Status.DANG_THUC_HIEN, Timeliness.DUNG_HAN)  # due 15/08
    assert states["2.1"] == (0, Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN)


def test_narrowed_to_one_body(plan: LoadedPlan) -> None:
    report = review(plan, don_vi="hoi phu nu")
    assert report.don_vi is not None and report.don_vi.ma == "HLHPN"
    assert by_task(report) == {
        # Her own part: ĐTN's note on 1.3 is not hers, so her part is not begun (the task
        # as a whole is being carried out).
        "1.3": (0, Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN),
        "2.2": (1, Status.DANG_THUC_HIEN, Timeliness.KHONG_THOI_HAN),
    }
    assert [t.roles[0].label() for t in report.tasks] == [
        "chủ trì (qua nhóm CT-XH)", "tham mưu, thực hiện (qua nhóm CT-XH)"]
    assert [b.ma for b in report.bodies] == ["HLHPN"]


def test_json_document(plan: LoadedPlan) -> None:
    data = to_dict(review(plan))
    assert (data["tu_ngay"], data["den_ngay"]) == ("2025-07-01", "2025-09-30")
    assert data["ky"] == "quý III/2025"
    first = data["nhiem_vu"][0]
    assert (first["ma"], first["so_ghi_nhan"], first["trang_thai"]) == ("1.1", 2, "hoan_thanh")
    assert data["can_quan_tam"]["qua_han"] == ["khthu:2.1"]
    assert data["ky_toi"] == {"ky": "quý IV/2025", "tu_ngay": "2025-10-01",
                              "den_ngay": "2025-12-31"}


def _entry(day: date, status: Status | None, minute: int = 0) -> Entry:
    return Entry(new_id(), "k", "1", day, "MTTQ", "x",
                 datetime(2025, 1, 1, 8, minute, tzinfo=TZ), "ghi chú", status)


@pytest.mark.parametrize(
    ("timeframe", "notes", "at", "expected"),
    [
        ("Thường xuyên", [], date(2025, 5, 1), (Status.CHUA_THUC_HIEN, Timeliness.KHONG_THOI_HAN)),
        ("Thường xuyên", [(date(2025, 4, 1), None)], date(2025, 5, 1),
         (Status.DANG_THUC_HIEN, Timeliness.KHONG_THOI_HAN)),
        ("Trước ngày 30/4/2025", [(date(2025, 4, 1), Status.HOAN_THANH)], date(2025, 5, 1),
         (Status.HOAN_THANH, Timeliness.DUNG_HAN)),
        # reopened, then completed again after the deadline: completed late
        ("Trước ngày 30/4/2025", [(date(2025, 4, 1), Status.HOAN_THANH),
                                  (date(2025, 4, 10), Status.DANG_THUC_HIEN),
                                  (date(2025, 5, 3), Status.HOAN_THANH)], date(2025, 5, 10),
         (Status.HOAN_THANH, Timeliness.QUA_HAN)),
        # a note after the date does not count
        ("Trước ngày 30/4/2025", [(date(2025, 5, 3), Status.HOAN_THANH)], date(2025, 4, 30),
         (Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN)),
        ("Quý I/2025", [(date(2025, 2, 1), None)], date(2025, 4, 1),
         (Status.DANG_THUC_HIEN, Timeliness.QUA_HAN)),
        # recurring: last quarter's completion does not carry into this quarter
        ("Hằng quý", [(date(2025, 3, 1), Status.HOAN_THANH)], date(2025, 4, 15),
         (Status.CHUA_THUC_HIEN, Timeliness.DUNG_HAN)),
    ],
)
def test_assess(timeframe: str, notes: list[tuple[date, Status | None]], at: date,
                expected: tuple[Status, Timeliness]) -> None:
    history = [_entry(day, status, i) for i, (day, status) in enumerate(notes)]
    task = Task(ma="1", noi_dung="x", tham_muu_thuc_hien=["MTTQ"],
                thoi_gian=parse_timeframe(timeframe))
    state = assess(task, Registry([Body("MTTQ", "Mặt trận")]), history, at)
    assert (state.status, state.timeliness) == expected
