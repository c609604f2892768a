"""`kehoach report` through the CLI: every period phrase, conventions, formats, errors, and
the Word draft opened back with python-docx."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.store import append_entry, new_id
from kehoach_cli.plan.loader import load_plan
from kehoach_cli.status import Status
from tests.conftest import Runner

REF = "20/11/2025"  # the reference date ("tính đến ngày") of the period tests


def report_json(cli: Runner, *args: str) -> dict[str, Any]:
    result = cli("report", "-d", "json", *args)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


@pytest.mark.parametrize(
    ("phrase", "tu", "den"),
    [
        ("quý III/2025", "2025-07-01", "2025-09-30"),
        ("quy 3/2025", "2025-07-01", "2025-09-30"),
        ("Q3/2025", "2025-07-01", "2025-09-30"),
        ("2025-Q3", "2025-07-01", "2025-09-30"),
        ("tháng 11/2025", "2025-11-01", "2025-11-30"),
        ("11/2025", "2025-11-01", "2025-11-30"),
        ("6 tháng đầu năm 2025", "2025-01-01", "2025-06-30"),
        ("6 tháng cuối năm 2025", "2025-07-01", "2025-12-31"),
        ("9 tháng 2025", "2025-01-01", "2025-09-30"),
        ("năm 2025", "2025-01-01", "2025-12-31"),
        ("quý IV/2024", "2024-10-01", "2024-12-31"),
        # typed without diacritics, in NFD, or in capitals
        ("quy III/2025", "2025-07-01", "2025-09-30"),
        ("qu\u0079\u0301 III/2025", "2025-07-01", "2025-09-30"),
        ("THÁNG 2/2024", "2024-02-01", "2024-02-29"),
        ("6 thang dau nam 2025", "2025-01-01", "2025-06-30"),
        ("nam 2025", "2025-01-01", "2025-12-31"),
        # relative to --ngay 20/11/2025
        ("thang", "2025-11-01", "2025-11-30"),
        ("quy", "2025-10-01", "2025-12-31"),
        ("6thang", "2025-07-01", "2025-12-31"),
        ("9thang", "2025-01-01", "2025-09-30"),
        ("nam", "2025-01-01", "2025-12-31"),
        ("thang-truoc", "2025-10-01", "2025-10-31"),
        ("quy-truoc", "2025-07-01", "2025-09-30"),
        ("quý trước", "2025-07-01", "2025-09-30"),
        ("6thang-truoc", "2025-01-01", "2025-06-30"),
        ("9thang-truoc", "2024-01-01", "2024-09-30"),
        ("nam-truoc", "2024-01-01", "2024-12-31"),
        ("năm trước", "2024-01-01", "2024-12-31"),
    ],
)
def test_period_phrases(workspace: Path, cli: Runner, phrase: str, tu: str, den: str) -> None:
    data = report_json(cli, "--ky", phrase, "--ngay", REF)
    assert (data["tu_ngay"], data["den_ngay"]) == (tu, den)
    assert data["chot"] == "lich"


@pytest.mark.parametrize(
    ("phrase", "tu", "den"),
    [
        ("quý IV/2025", "2025-09-15", "2025-12-14"),
        ("quy", "2025-09-15", "2025-12-14"),
        ("quy-truoc", "2025-06-15", "2025-09-14"),
        ("thang", "2025-11-15", "2025-12-14"),  # 20/11 is past the 14th: December's data
        ("tháng 11/2025", "2025-10-15", "2025-11-14"),
        ("6 tháng đầu năm 2025", "2024-12-15", "2025-06-14"),
        ("9 tháng 2025", "2024-12-15", "2025-09-14"),
        ("năm 2025", "2024-12-15", "2025-12-14"),
    ],
)
def test_cut_off_convention(workspace: Path, cli: Runner, phrase: str, tu: str, den: str) -> None:
    data = report_json(cli, "--ky", phrase, "--ngay", REF, "--chot", "nd09")
    assert (data["tu_ngay"], data["den_ngay"], data["chot"]) == (tu, den, "nd09")


def test_workspace_default_convention(workspace: Path, cli: Runner) -> None:
    (workspace / "plans" / "kehoach.toml").write_text('chot = "nd09"\n', encoding="utf-8")
    data = report_json(cli, "--ky", "quý IV/2025", "--ngay", REF)
    assert (data["tu_ngay"], data["den_ngay"]) == ("2025-09-15", "2025-12-14")
    data = report_json(cli, "--ky", "quý IV/2025", "--ngay", REF, "--chot", "lich")
    assert (data["tu_ngay"], data["den_ngay"]) == ("2025-10-01", "2025-12-31")


def test_explicit_range(workspace: Path, cli: Runner) -> None:
    data = report_json(cli, "--tu", "1/7/2025", "--den", "2025-08-15", "--ngay", REF)
    assert (data["tu_ngay"], data["den_ngay"]) == ("2025-07-01", "2025-08-15")
    assert data["ky"] == "từ 01/07/2025 đến 15/08/2025"
    data = report_json(cli, "--tu", "01/11/2025", "--ngay", REF)
    assert (data["tu_ngay"], data["den_ngay"]) == ("2025-11-01", "2025-11-20")
    heading = cli("report", "--tu", "1/7/2025", "--den", "15/8/2025", "--ngay", REF).out
    assert heading.startswith("Báo cáo từ ngày 01/07/2025 đến ngày 15/08/2025 (theo lịch)\n")


def test_default_is_this_quarter_of_today(workspace: Path, cli: Runner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "05/02/2026")
    data = report_json(cli)
    assert (data["tu_ngay"], data["den_ngay"], data["tinh_den_ngay"]) == (
        "2026-01-01", "2026-03-31", "2026-02-05")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ky", "tuần này"], "không đọc được kỳ “tuần này”: hãy viết như quý III/2025"),
        (["--ky", "quý V/2025"], "quy 3/2025, Q3/2025, 2025-Q3, tháng 11/2025"),
        (["--ky", " "], "--ky đang để trống: hãy ghi kỳ"),
        (["--ky", "quy", "--tu", "1/1/2025"], "dùng --ky hoặc --tu/--den, không dùng cả hai"),
        (["--den", "1/1/2025"], "--den cần đi kèm --tu"),
        (["--tu", "2/2/2025", "--den", "1/1/2025"], "trước ngày bắt đầu"),
        (["--ngay", "31/2/2025"], "không có thật"),
        (["--chot", "tuan"], "--chot"),
        (["--xuat", "bao-cao.pdf"], ".docx"),
    ],
)
def test_bad_input_is_a_message(workspace: Path, cli: Runner, args: list[str], message: str) -> None:
    result = cli("report", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_unknown_body(workspace: Path, cli: Runner) -> None:
    result = cli("report", "--don-vi", "hội người cao tuổi", "--ngay", REF)
    assert result.code == 3
    assert "không có đơn vị" in result.err


# --- on the seed plan with a few notes ---------------------------------------------------

TZ = timezone(timedelta(hours=7))


@pytest.fixture
def logged(workspace: Path) -> Path:
    """The seed plan with notes on 3.2 (two bodies) and 2.1, logged through the journal."""
    plan = load_plan(workspace / "plans" / "kh160.yaml")
    notes: list[tuple[str, date, str, str, Status | None, dict[str, float]]] = [
        ("3.2", date(2025, 7, 10), "MTTQ", "Giám sát thu chi quỹ", Status.DANG_THUC_HIEN,
         {"số cuộc giám sát": 1}),
        ("3.2", date(2025, 8, 20), "MTTQ", "Giám sát công trình", None, {"số cuộc giám sát": 2}),
        ("3.2", date(2025, 9, 5), "HLHPN", "Góp ý dự thảo", None, {}),
        ("2.1", date(2025, 9, 30), "ĐTN", "Ra quân tình nguyện [bold]hè[/bold]", None, {}),
    ]
    for i, (ma, day, body, text, status, figures) in enumerate(notes):
        append_entry(plan, Entry(new_id(), plan.key, ma, day, body, "Văn phòng",
                                 datetime(2025, 10, 1, 8, i, tzinfo=TZ), text, status, None,
                                 figures))
    return workspace


def test_json_per_task(logged: Path, cli: Runner) -> None:
    data = report_json(cli, "--ky", "quý III/2025", "--ngay", "15/10/2025")
    tasks = {t["ma"]: t for t in data["nhiem_vu"]}
    assert len(tasks) == 11
    assert (tasks["3.2"]["so_ghi_nhan"], tasks["3.2"]["trang_thai"]) == (3, "dang_thuc_hien")
    assert tasks["3.2"]["so_lieu"] == {"số cuộc giám sát": 3}
    assert (tasks["1.1"]["so_ghi_nhan"], tasks["1.1"]["trang_thai"]) == (0, "chua_thuc_hien")
    assert tasks["1.1"]["thoi_han"] == "khong_thoi_han"
    assert len(data["can_quan_tam"]["khong_hoat_dong"]) == 9


def test_terminal_table_piped(logged: Path, cli: Runner) -> None:
    result = cli("report", "--ky", "quy 3/2025", "--ngay", "15/10/2025")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first == ("Báo cáo quý III/2025: từ ngày 01/07/2025 đến ngày 30/09/2025 "
                     "(theo lịch)")
    assert "11 nhiệm vụ: 0 đã hoàn thành, 2 đang thực hiện, 9 chưa thực hiện" in result.out
    assert "Ra quân tình nguyện [bold]hè[/bold]" in result.out  # markup stays literal
    assert "Kết quả theo đơn vị" in result.out
    assert "\x1b[" not in result.out


def test_markdown_and_csv(logged: Path, cli: Runner) -> None:
    result = cli("report", "--ky", "quý III/2025", "--ngay", "15/10/2025", "-d", "md")
    assert result.out.startswith("# Báo cáo quý III/2025: từ ngày 01/07/2025 đến ngày 30/09/2025")
    assert "| 3.2 |" in result.out
    result = cli("report", "--ky", "quý III/2025", "--ngay", "15/10/2025", "-d", "csv",
                 "--nhom", "don-vi")
    assert result.code == 0, result.err
    lines = result.out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Đơn vị,Vai trò,Kế hoạch,Mục,Mã,Nội dung")
    assert any(line.startswith("HLHPN,") and ",3.2," in line and "01/07/2025,30/09/2025,3," in line
               for line in lines)


def test_narrowed_by_body_grouped_by_body(logged: Path, cli: Runner) -> None:
    data = report_json(cli, "--ky", "quý III/2025", "--ngay", "15/10/2025", "--don-vi",
                       "mat tran")
    assert data["don_vi_loc"]["ma"] == "MTTQ"
    tasks = {t["ma"]: t for t in data["nhiem_vu"]}
    assert tasks["3.2"]["so_ghi_nhan"] == 2  # the Front's own notes, not the Women's Union's
    result = cli("report", "--ky", "quý III/2025", "--ngay", "15/10/2025", "--don-vi", "ĐTN",
                 "--nhom", "don-vi")
    assert result.code == 0, result.err
    assert "ĐTN – Đoàn TNCS Hồ Chí Minh phường" in result.out
    assert "qua nhóm CT-XH" in result.out


# --- the Word draft ----------------------------------------------------------------------


def _texts(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test_docx_draft(logged: Path, cli: Runner) -> None:
    from docx import Document
    from docx.shared import Mm, Pt

    target = logged / "bao-cao.docx"
    result = cli("report", "--ky", "quý III/2025", "--ngay", "15/10/2025", "--xuat", str(target))
    assert result.code == 0, result.err
    assert "Đã ghi dự thảo báo cáo" in result.err
    doc = Document(str(target))

    section = doc.sections[0]
    # Word stores twentieths of a point: compare to a tenth of a millimetre
    for got, mm in [(section.page_width, 210), (section.page_height, 297),
                    (section.top_margin, 25), (section.bottom_margin, 25),
                    (section.left_margin, 35), (section.right_margin, 15)]:
        assert got is not None and abs(got - Mm(mm)) < Mm(0.1)
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))

    header = doc.tables[0]
    left, right = header.rows[0].cells
    # the plan gives neither the superior body, the ward's name nor the report's number
    assert _texts(left) == ["................", "ĐẢNG ỦY PHƯỜNG ........", "*", "Số    -BC/ĐU"]
    assert left.paragraphs[1].runs[0].bold
    assert _texts(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "...., ngày .. tháng .. năm ...."]
    party = right.paragraphs[0].runs[0]
    assert party.bold and party.underline and party.font.size == Pt(15)
    assert right.paragraphs[1].runs[0].italic

    body = [p.text for p in doc.paragraphs if p.text]
    title = body.index("BÁO CÁO")
    assert body[title + 1].startswith("Kết quả thực hiện Kế hoạch số ................ thực hiện "
                                      "Thông báo số 160-TB/TW")
    assert body[title + 1].endswith(", quý III/2025")
    assert "(số liệu từ ngày 01/07/2025 đến ngày 30/09/2025) như sau:" in body[title + 3]

    closing = doc.tables[1]
    recipients, signature = closing.rows[0].cells
    lines = _texts(recipients)
    assert lines[0] == "Nơi nhận:" and recipients.paragraphs[0].runs[0].underline
    # a report goes up: not the plan's own distribution list
    assert lines[1:] == ["- Ban Thường vụ ................ (b/c),", "- Các đồng chí Đảng ủy viên,",
                         "- Lưu Văn phòng Đảng ủy."]
    assert [t for t in _texts(signature) if t] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Nho"]


def test_docx_never_overwritten_without_leave(logged: Path, cli: Runner) -> None:
    target = logged / "bc.docx"
    target.write_bytes(b"ban cu")
    result = cli("report", "--ky", "quy 3/2025", "--ngay", "15/10/2025", "--xuat", str(target))
    assert result.code == 5
    assert "--ghi-de" in result.err
    assert target.read_bytes() == b"ban cu"
    result = cli("report", "--ky", "quy 3/2025", "--ngay", "15/10/2025", "--xuat", str(target),
                 "--ghi-de")
    assert result.code == 0, result.err
    assert target.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in logged.iterdir() if p.name.startswith(".bc")) == []


def test_docx_write_failure_leaves_nothing(logged: Path, cli: Runner,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import docx.document

    def broken(self: Any, stream: Any) -> None:
        stream.write(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken)
    target = logged / "bc.docx"
    result = cli("report", "--ky", "quy 3/2025", "--ngay", "15/10/2025", "--xuat", str(target))
    assert result.code == 6
    assert "không ghi được" in result.err
    assert not target.exists()
    assert [p.name for p in logged.iterdir() if p.suffix == ".tmp"] == []


def test_help_is_vietnamese(cli: Runner) -> None:
    result = cli("report", "--help")
    assert result.code == 0
    assert "Báo cáo định kỳ" in result.out
    for option in ("--ky", "--tu", "--den", "--ngay", "--chot", "--don-vi", "--nhom", "--xuat",
                   "--ghi-de", "--dinh-dang"):
        assert option in result.out
