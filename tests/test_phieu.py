"""Return forms end to end: `kehoach phieu` writes them, a body fills them (with openpyxl, as
Excel would store the cells), `kehoach nhap-phieu` reads them back into the journal."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import Runner

TODAY = "2025-11-20"
JOURNAL = Path("plans") / "kh160.nhat-ky"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)


def records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((root / JOURNAL).glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def identity(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    sheet = book["_dinh_danh"]
    return {str(k): v for k, _, v, *_ in sheet.iter_rows(min_row=2, values_only=True) if k}


def fill(path: Path, target: Path, cells: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Nhiệm vụ"]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(target)


GOOD = {"C5": "Lê Văn C",
        "F8": date(2025, 10, 5), "G8": "Hội nghị quán triệt", "H8": "đang thực hiện",
        "I8": "số người dự", "J8": 120,
        "F9": datetime(2025, 10, 20), "G9": "Tuyên truyền trên loa", "K9": "15-BC/MTTQ",
        "F10": "12/10/2025", "G10": "Giám sát chi hỗ trợ", "I10": "kinh phí", "J10": "35.500.000"}


@pytest.fixture
def form(workspace: Path, cli: Runner) -> Path:
    result = cli("phieu", "--don-vi", "MTTQ", "--ky", "quy", "-o", "phieu-MTTQ.xlsx")
    assert result.code == 0, result.err
    assert "Đã lập 1 phiếu quý IV/2025 (từ ngày 01/10/2025 đến ngày 31/12/2025)" in result.out
    return workspace / "phieu-MTTQ.xlsx"


def test_form_lists_the_bodys_tasks_with_what_is_recorded(workspace: Path, cli: Runner) -> None:
    assert cli("log", "3.2", "Đã giám sát 3 khu dân cư", "-u", "MTTQ", "-n", "5/11/2025").code == 0
    assert cli("log", "3.2", "Việc của UBND", "-u", "UBND", "-n", "5/11/2025").code == 0
    assert cli("phieu", "-u", "thanh nien", "--ky", "quy", "-o", "dtn.xlsx").code == 0
    assert cli("phieu", "-u", "MTTQ", "--ky", "quy", "-o", "mttq.xlsx").code == 0
    book = openpyxl.load_workbook(workspace / "mttq.xlsx")
    assert book.sheetnames == ["Hướng dẫn", "Nhiệm vụ", "_dinh_danh"]
    assert book["_dinh_danh"].sheet_state == "veryHidden"
    assert book.active is not None and book.active.title == "Hướng dẫn"
    sheet = book["Nhiệm vụ"]
    ids = [sheet[f"B{r}"].value for r in range(8, 8 + 22, 2)]
    assert ids == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1", "5.2", "5.3"]
    row_32 = 8 + 2 * ids.index("3.2")
    assert sheet[f"E{row_32}"].value == "05/11/2025: Đã giám sát 3 khu dân cư"  # not UBND's
    assert sheet["C8"].protection.locked and not sheet["F8"].protection.locked
    assert sheet.protection.sheet
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize or 0) == 9
    assert sheet.print_title_rows == "$7:$7"
    kinds = {dv.type: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert kinds["date"].startswith("F8:") and kinds["decimal"].startswith("J8:")
    assert "list" in kinds
    ident = identity(workspace / "mttq.xlsx")
    assert (ident["ke_hoach"], ident["don_vi"], ident["ky"], ident["tu"], ident["den"]) == (
        "kh160", "MTTQ", "quý IV/2025", "2025-10-01", "2025-12-31")
    youth = openpyxl.load_workbook(workspace / "dtn.xlsx")["Nhiệm vụ"]
    assert youth["D8"].value == "tham mưu, thực hiện (qua nhóm CT-XH)"


def test_one_form_per_body_into_a_folder(workspace: Path, cli: Runner) -> None:
    result = cli("phieu", "--ky", "quy", "-o", "thu-muc/")
    assert result.code == 0, result.err
    names = sorted(p.name for p in (workspace / "thu-muc").iterdir())
    assert names == ["phieu-CB.xlsx", "phieu-DTN.xlsx", "phieu-DU.xlsx", "phieu-HCCB.xlsx",
                     "phieu-HDND.xlsx", "phieu-HLHPN.xlsx", "phieu-HND.xlsx", "phieu-KDV.xlsx",
                     "phieu-MTTQ.xlsx", "phieu-UBND.xlsx"]  # groups (CT-XH) do not report
    again = cli("phieu", "--ky", "quy", "-o", "thu-muc/")
    assert again.code == 5 and "--ghi-de" in again.err


def test_round_trip_then_reimport_adds_nothing_and_a_changed_row_is_one_correction(
        workspace: Path, cli: Runner, form: Path) -> None:
    fill(form, workspace / "da-dien.xlsx", GOOD)
    preview = cli("nhap-phieu", "da-dien.xlsx", "--thu")
    assert preview.code == 0, preview.err
    assert "thêm 3, sửa 0, đã có 0" in preview.out and "chưa ghi gì" in preview.out
    assert records(workspace) == []
    done = cli("nhap-phieu", "da-dien.xlsx", "--dong-y")
    assert done.code == 0, done.err
    got = records(workspace)
    assert [(r["ma"], r["ngay"], r["don_vi"], r["nguoi_ghi"]) for r in got] == [
        ("1.1", "2025-10-05", "MTTQ", "Lê Văn C"), ("1.1", "2025-10-20", "MTTQ", "Lê Văn C"),
        ("1.2", "2025-10-12", "MTTQ", "Lê Văn C")]
    assert got[0]["so_lieu"] == {"số người dự": 120} and got[0]["trang_thai"] == "dang_thuc_hien"
    assert got[1]["minh_chung"] == "15-BC/MTTQ" and got[2]["so_lieu"] == {"kinh phí": 35500000}
    # Forwarded through Zalo: renamed; imported again, twice on one line: nothing new.
    shutil.copy(workspace / "da-dien.xlsx", workspace / "Phieu MTTQ (1).xlsx")
    again = cli("nhap-phieu", "Phieu MTTQ (1).xlsx", "da-dien.xlsx", "-y")
    assert again.code == 0 and "thêm 0, sửa 0, đã có 3" in again.out
    assert len(records(workspace)) == 3
    # Re-sent with one row changed: one correction, the report sees the new text.
    fill(workspace / "da-dien.xlsx", workspace / "sua.xlsx", {"G9": "Tuyên truyền trên loa 5 buổi"})
    fixed = cli("nhap-phieu", "sua.xlsx", "-y")
    assert fixed.code == 0 and "thêm 0, sửa 1, đã có 2" in fixed.out
    after = records(workspace)
    assert len(after) == 4 and after[3]["sua_cho"] == got[1]["id"]
    assert after[3]["noi_dung"] == "Tuyên truyền trên loa 5 buổi"
    history = json.loads(cli("nhat-ky", "--dinh-dang", "json").out)
    assert sorted(e["noi_dung"] for e in history) == [
        "Giám sát chi hỗ trợ", "Hội nghị quán triệt", "Tuyên truyền trên loa 5 buổi"]
    assert cli("nhap-phieu", "sua.xlsx", "-y").out.count("thêm 0, sửa 0, đã có 3") == 1


def test_bad_cells_are_named_and_nothing_is_added_from_that_form(
        workspace: Path, cli: Runner, form: Path) -> None:
    bad = dict(GOOD)
    bad.update({"F9": "31/02/2025", "H10": "xong rồi", "J8": "một trăm",
                "F12": date(2026, 1, 5), "G12": "Ngoài kỳ", "G13": "Quên ngày"})
    fill(form, workspace / "loi.xlsx", bad)
    fill(form, workspace / "tot.xlsx", GOOD)
    result = cli("nhap-phieu", "loi.xlsx", "tot.xlsx", "-y")
    assert result.code == 2
    err = result.err
    assert "loi.xlsx: có lỗi, không nhập gì từ phiếu này" in err
    assert ("loi.xlsx, trang Nhiệm vụ, ô F9: ngày “31/02/2025” không có thật (tháng 2 năm 2025 "
            "không có ngày 31); hãy sửa thành ngày dạng") in err
    assert ("loi.xlsx, trang Nhiệm vụ, ô H10: trạng thái “xong rồi” không có trong danh sách; "
            "hãy chọn một trong: chưa thực hiện, đang thực hiện, đã hoàn thành") in err
    assert "loi.xlsx, trang Nhiệm vụ, ô J8: “một trăm” không phải số; hãy sửa" in err
    assert "loi.xlsx, trang Nhiệm vụ, ô F12: ngày 05/01/2026 ngoài kỳ quý IV/2025" in err
    assert "loi.xlsx, trang Nhiệm vụ, ô F13: chưa ghi ngày thực hiện" in err
    # The good form still goes in, alone.
    assert len(records(workspace)) == 3 and {r["nguoi_ghi"] for r in records(workspace)} == {"Lê Văn C"}


def test_extra_rows_free_rows_and_rows_below_the_table(workspace: Path, cli: Runner,
                                                        form: Path) -> None:
    ident = identity(form)
    last = int(ident["dong_cuoi"])
    free = last - 1
    cells = {f"B{free}": "3.2", f"F{free}": date(2025, 11, 1), f"G{free}": "Việc thêm",
             f"B{last + 2}": "5.3", f"F{last + 2}": date(2025, 11, 2), f"G{last + 2}": "Dòng tự thêm",
             f"B{last + 3}": "9.9", f"F{last + 3}": date(2025, 11, 2), f"G{last + 3}": "Mã lạ"}
    fill(form, workspace / "them.xlsx", cells)
    refused = cli("nhap-phieu", "them.xlsx", "-y")
    assert refused.code == 2
    assert f"ô B{last + 3}: mã nhiệm vụ “9.9” không có trong phiếu; hãy sửa" in refused.err
    fill(workspace / "them.xlsx", workspace / "them.xlsx", {f"B{last + 3}": None, f"F{last + 3}": None,
                                                           f"G{last + 3}": None})
    result = cli("nhap-phieu", "them.xlsx", "-y")
    assert result.code == 0, result.err
    assert sorted((r["ma"], r["noi_dung"]) for r in records(workspace)) == [
        ("3.2", "Việc thêm"), ("5.3", "Dòng tự thêm")]


def test_another_period_is_refused_unless_told(workspace: Path, cli: Runner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("phieu", "-u", "MTTQ", "--ky", "quý II/2025", "-o", "q2.xlsx").code == 0
    fill(workspace / "q2.xlsx", workspace / "q2.xlsx", {"F8": date(2025, 5, 5), "G8": "Việc quý II"})
    refused = cli("nhap-phieu", "q2.xlsx", "-y")
    assert refused.code == 2
    assert "q2.xlsx: phiếu của kỳ quý II/2025" in refused.err and '--ky "quý II/2025"' in refused.err
    assert records(workspace) == []
    wrong = cli("nhap-phieu", "q2.xlsx", "-y", "--ky", "quý III/2025")
    assert wrong.code == 2
    assert cli("nhap-phieu", "q2.xlsx", "-y", "--ky", "quý II/2025").code == 0
    assert len(records(workspace)) == 1


def test_form_of_another_plan_is_refused(workspace: Path, cli: Runner, form: Path) -> None:
    fill(form, workspace / "f.xlsx", GOOD)
    text = (workspace / "plans" / "kh160.yaml").read_text(encoding="utf-8")
    (workspace / "plans" / "kh160.yaml").write_text(text.replace("ma: kh160", "ma: kh999", 1),
                                                     encoding="utf-8")
    refused = cli("nhap-phieu", "f.xlsx", "-y")
    assert refused.code == 2
    assert "f.xlsx: phiếu của kế hoạch “kh160”, không có trong các kế hoạch đang dùng (kh999)" in refused.err
    assert cli("nhap-phieu", "f.xlsx", "-y", "--vao-ke-hoach", "kh999").code == 0
    assert len(records(workspace)) == 3


def test_confirmation_is_asked_and_no_means_nothing_written(
        workspace: Path, cli: Runner, form: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    fill(form, workspace / "f.xlsx", GOOD)
    monkeypatch.setattr("sys.stdin", io.StringIO("k\n"))
    result = cli("nhap-phieu", "f.xlsx")
    assert result.code == 0 and "Ghi vào nhật ký? (c = có, k = không)" in result.out
    assert "Chưa ghi gì." in result.out and records(workspace) == []
    monkeypatch.setattr("sys.stdin", io.StringIO("c\n"))
    assert cli("nhap-phieu", "f.xlsx").code == 0
    assert len(records(workspace)) == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"not a zip", "không phải tệp Excel .xlsx"),
])
def test_not_a_form(workspace: Path, cli: Runner, content: bytes, message: str) -> None:
    (workspace / "x.xlsx").write_bytes(content)
    book = openpyxl.Workbook()
    book.save(workspace / "other.xlsx")
    result = cli("nhap-phieu", "x.xlsx", "other.xlsx", "-y")
    assert result.code == 2
    assert f"x.xlsx: không đọc được phiếu ({message}" in result.err
    assert "other.xlsx: không phải phiếu báo cáo của kehoach" in result.err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_form_saved_again_by_libreoffice_reads_the_same(workspace: Path, cli: Runner,
                                                           form: Path) -> None:
    import subprocess

    fill(form, workspace / "da-dien.xlsx", GOOD)
    assert cli("nhap-phieu", "da-dien.xlsx", "-y").code == 0
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(workspace / "lo"), str(workspace / "da-dien.xlsx")],
                   capture_output=True, check=True, timeout=180)
    again = cli("nhap-phieu", str(workspace / "lo" / "da-dien.xlsx"), "-y")
    assert again.code == 0, again.err
    assert "thêm 0, sửa 0, đã có 3" in again.out


def test_a_row_emptied_in_a_resent_form_keeps_its_note_and_says_how_to_retract(
        workspace: Path, cli: Runner, form: Path) -> None:
    fill(form, workspace / "f.xlsx", GOOD)
    assert cli("nhap-phieu", "f.xlsx", "-y").code == 0
    fill(workspace / "f.xlsx", workspace / "g.xlsx", {"F9": None, "G9": None, "K9": None})
    result = cli("nhap-phieu", "g.xlsx", "-y")
    assert result.code == 0, result.err
    assert "thêm 0, sửa 0, đã có 2" in result.out
    assert "dòng 9 nay để trống nhưng trước đã nhập thành ghi nhận" in result.out
    assert "kehoach huy" in result.out
    assert len(records(workspace)) == 3
