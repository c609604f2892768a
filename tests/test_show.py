"""`kehoach show`: one task whole, in every format, with its journal history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SEED_PLAN, Runner, run_process

SHOW_3_2 = """\
Nhiệm vụ kh160:3.2
Kế hoạch: kh160: Kế hoạch thực hiện Thông báo số 160-TB/TW ngày 15/01/2020 của Bộ Chính trị \
về tiếp tục thực hiện Kết luận số 62-KL/TW ngày 08/12/2009 của Bộ Chính trị khóa X về tiếp tục \
đổi mới nội dung, phương thức hoạt động của Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị \
- xã hội
Mục: 3. Tiếp tục đổi mới nội dung, phương thức hoạt động, xây dựng tổ chức cơ sở vững mạnh
Nội dung: Nâng cao hiệu quả hoạt động giám sát, phản biện xã hội, góp ý xây dựng Đảng, xây dựng \
chính quyền trong sạch, vững mạnh, trọng tâm là: Việc thực hiện Quyết định số 217 -QĐ/TW ngày \
12/12/2013 của Bộ Chính trị về việc ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ \
quốc Việt Nam và các đoàn thể chính trị - xã hội; Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ \
Chính trị và Quy định số 4054-QĐ/TU ngày 24/10/2014 của Ban Thường vụ Tỉnh uỷ về trách nhiệm của \
cấp uỷ, tổ chức đảng, chính quyền các cấp trong tỉnh tiếp thu góp ý xây dựng Đảng, xây dựng chính \
quyền của Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội cùng cấp và Nhân dân; việc tu \
dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên theo \
Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư; hoạt động quản lý nhà nước, những lĩnh vực \
liên quan trực tiếp đến đời sống Nhân dân. Làm nòng cốt trong thực hiện có hiệu quả Quy chế dân \
chủ ở cơ sở, các mô hình tự quản, giáo dục, hòa giải tại cộng đồng.
Cơ quan chỉ đạo: ĐU – Đảng ủy phường
Cơ quan tham mưu, thực hiện:
  HĐND – Thường trực Hội đồng nhân dân phường
  UBND – Ủy ban nhân dân phường
  MTTQ – Ủy ban Mặt trận Tổ quốc Việt Nam phường
  CT-XH – các tổ chức chính trị - xã hội phường (gồm ĐTN, HLHPN, HND, HCCB)
  CB – các chi bộ trực thuộc Đảng ủy
Thời gian thực hiện: Thường xuyên
Văn bản liên quan:
  - Quyết định 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị về việc ban hành Quy chế giám sát và \
phản biện xã hội của Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội
  - Quyết định 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị
  - Quy định 4054-QĐ/TU ngày 24/10/2014 của Ban Thường vụ Tỉnh uỷ về trách nhiệm của cấp uỷ, tổ \
chức đảng, chính quyền các cấp trong tỉnh tiếp thu góp ý xây dựng Đảng, xây dựng chính quyền của \
Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội cùng cấp và Nhân dân
  - Quy định 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư
Trạng thái:
  chưa thực hiện (không thời hạn) — hoàn thành khi mọi đơn vị thực hiện hoàn thành phần việc của mình
  - HĐND (tham mưu, thực hiện): chưa thực hiện
  - UBND (tham mưu, thực hiện): chưa thực hiện
  - MTTQ (tham mưu, thực hiện): chưa thực hiện
  - CT-XH (tham mưu, thực hiện): chưa thực hiện; xong khi ĐTN, HLHPN, HND, HCCB đều xong phần của mình
    - ĐTN (qua nhóm CT-XH): chưa thực hiện
    - HLHPN (qua nhóm CT-XH): chưa thực hiện
    - HND (qua nhóm CT-XH): chưa thực hiện
    - HCCB (qua nhóm CT-XH): chưa thực hiện
  - CB (tham mưu, thực hiện): chưa thực hiện
Tiến độ: chưa có ghi nhận nào
"""


def test_show_whole_task(workspace: Path, cli: Runner) -> None:
    result = cli("show", "3.2")
    assert (result.code, result.err) == (0, "")
    assert result.out == SHOW_3_2


@pytest.mark.parametrize("ref", ["3.2", "kh160:3.2", " 3.2. "])
def test_show_task_references(workspace: Path, cli: Runner, ref: str) -> None:
    assert cli("show", ref).out == SHOW_3_2


def test_show_sub_points(workspace: Path, cli: Runner) -> None:
    out = cli("show", "3.1").out
    assert "\nCác ý:\n  - Tăng cường vai trò nòng cốt chính trị" in out
    assert "\n  - Tập hợp, đoàn kết và phát huy vai trò nhân sĩ" in out


def test_show_json(workspace: Path, cli: Runner) -> None:
    data = json.loads(cli("show", "3.2", "--dinh-dang", "json").out)
    assert data["ke_hoach"] == "kh160"
    assert data["ma"] == "3.2"
    assert data["muc"] == "3"
    assert data["noi_dung"].startswith("Nâng cao hiệu quả hoạt động giám sát")
    assert data["vai_tro"]["chi_dao"] == [{"ma": "ĐU", "ten": "Đảng ủy phường", "thanh_vien": []}]
    assert [b["ma"] for b in data["vai_tro"]["tham_muu_thuc_hien"]] == [
        "HĐND", "UBND", "MTTQ", "CT-XH", "CB"]
    assert data["vai_tro"]["tham_muu_thuc_hien"][3]["thanh_vien"] == ["ĐTN", "HLHPN", "HND", "HCCB"]
    assert data["thoi_gian"]["loai"] == "thuong_xuyen"
    assert data["van_ban_lien_quan"][0] == {
        "loai": "Quyết định", "so_ky_hieu": "217-QĐ/TW", "ngay": "2013-12-12",
        "co_quan": "Bộ Chính trị",
        "trich_yeu": "về việc ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc "
        "Việt Nam và các đoàn thể chính trị - xã hội"}
    assert data["lich_su"] == []


def test_show_markdown_and_csv(workspace: Path, cli: Runner) -> None:
    md = cli("show", "4", "-d", "md").out.splitlines()
    assert md[:4] == ["## Nhiệm vụ kh160:4", "", "| Trường | Giá trị |", "|---|---|"]
    assert "| Cơ quan chỉ đạo | ĐU – Đảng ủy phường |" in md
    csv_out = cli("show", "4", "-d", "csv")
    assert csv_out.out.startswith("\ufeffTrường,Giá trị\r\n")


@pytest.mark.parametrize(("ref", "code", "message"), [
    ("9.9", 3, "Lỗi: không có nhiệm vụ “9.9”; các nhiệm vụ hiện có: 1.1, 1.2, 2.1, 2.2, 3.1, "
     "3.2, 3.3, 4, 5.1, 5.2, 5.3\n"),
    ("3.4", 3, "Lỗi: không có nhiệm vụ “3.4”; có phải ý là: 3.3, 3.2, 3.1?\n"),
    ("3", 3, "Lỗi: không có nhiệm vụ “3”; mục 3 gồm các nhiệm vụ: 3.1, 3.2, 3.3\n"),
    ("kh1:3.2", 3, "Lỗi: không có kế hoạch “kh1”; các kế hoạch hiện có: kh160\n"),
])
def test_show_unknown_task(workspace: Path, cli: Runner, ref: str, code: int, message: str) -> None:
    result = cli("show", ref)
    assert (result.code, result.out, result.err) == (code, "", message)


def test_show_ambiguous_between_plans(workspace: Path, cli: Runner) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8").replace("ma: kh160", "ma: kh12", 1)
    (workspace / "plans" / "kh12.yaml").write_text(text, encoding="utf-8")
    result = cli("show", "3.2")
    assert result.code == 4
    assert result.err == ("Lỗi: nhiệm vụ “3.2” có trong nhiều kế hoạch: kh12:3.2, kh160:3.2; "
                          "hãy ghi rõ dạng KẾ_HOẠCH:MÃ\n")
    assert cli("show", "kh12:3.2").out.startswith("Nhiệm vụ kh12:3.2\n")


def _plant(workspace: Path) -> None:
    plan = workspace / "plans" / "kh160.yaml"
    text = plan.read_text(encoding="utf-8")
    old = ("        noi_dung: >-\n"
           "          Phát huy vai trò lực lượng nòng cốt và người có uy tín trong cộng đồng dân cư.")
    new = ('        noi_dung: "[bold]Phát huy[/bold] [blue]nòng cốt[/blue]"\n'
           '        ghi_chu: "[red]chú ý[/red] liên kết"')
    plan.write_text(text.replace(old, new), encoding="utf-8")
    # A hand-edited note: the journal is read whatever it holds, so it is made safe on output.
    _write_journal(workspace, [
        '{"id": "aaaa000009", "ma": "5.3", "ngay": "2025-11-03", "don_vi": "MTTQ", '
        '"noi_dung": "\\u001b[31mđỏ\\u001b]8;;http://x\\u0007 \\u202eđảo\\u009b2J", '
        '"nguoi_ghi": "Người kiểm thử", "ghi_luc": "2025-11-03T09:00:00.000+07:00"}'])


def test_show_prints_plan_text_literally(workspace: Path, cli: Runner) -> None:
    _plant(workspace)
    out = cli("show", "5.3").out
    assert "Nội dung: [bold]Phát huy[/bold] [blue]nòng cốt[/blue]\n" in out
    assert "Ghi chú: [red]chú ý[/red] liên kết\n" in out
    assert "\\x1b[31mđỏ\\x1b]8;;http://x\\x07 \\u202eđảo\\x9b2J" in out
    assert not re.search("[\x1b\x07\x9b\u202e]", out)
    data = cli("show", "5.3", "-d", "json").out
    assert not re.search("[\x1b\x07\x9b\u202e]", data)
    assert json.loads(data)["lich_su"][0]["noi_dung"] == "\x1b[31mđỏ\x1b]8;;http://x\x07 \u202eđảo\x9b2J"


def test_show_on_a_terminal_is_literal_and_wrapped(workspace: Path, cli: Runner,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _plant(workspace)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    out = cli("show", "5.3").out
    assert "[bold]Phát huy[/bold] [blue]nòng cốt[/blue]" in out
    assert "[red]chú ý[/red]" in out
    assert "\\x1b[31mđỏ" in out
    assert "\x1b[31m" not in out and "\x07" not in out and "\u202e" not in out


def test_show_real_process(workspace: Path) -> None:
    result = run_process("show", "kh160:3.2", cwd=workspace)
    assert (result.code, result.err) == (0, "")
    assert result.out == SHOW_3_2


# --------------------------------------------------------------------------- with a journal

def _write_journal(workspace: Path, lines: list[str]) -> None:
    folder = workspace / "plans" / "kh160.nhat-ky"
    folder.mkdir(exist_ok=True)
    (folder / "2025-11.nguoi-kiem-thu.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


JOURNAL = [
    '{"id": "aaaa000001", "ma": "3.2", "ngay": "2025-11-03", "don_vi": "MTTQ", '
    '"noi_dung": "Giám sát [bold]việc[/bold] tiếp dân", "trang_thai": "dang_thuc_hien", '
    '"nguoi_ghi": "Người kiểm thử", "ghi_luc": "2025-11-03T09:00:00.000+07:00"}',
    '{"id": "aaaa000002", "ma": "3.2", "ngay": "2025-11-20", "don_vi": "ĐTN", '
    '"noi_dung": "Đoàn Thanh niên góp ý", "trang_thai": "hoan_thanh", '
    '"nguoi_ghi": "Người kiểm thử", "ghi_luc": "2025-11-20T09:00:00.000+07:00"}',
    '{"id": "aaaa000003", "ma": "1.1", "ngay": "2025-11-05", "don_vi": "UBND", '
    '"noi_dung": "Quán triệt", "trang_thai": "hoan_thanh", '
    '"nguoi_ghi": "Người kiểm thử", "ghi_luc": "2025-11-05T09:00:00.000+07:00"}',
]


def test_show_history_from_journal(workspace: Path, cli: Runner) -> None:
    _write_journal(workspace, JOURNAL)
    out = cli("show", "3.2").out
    assert out.endswith(
        "Tiến độ:\n"
        "  - 03/11/2025 MTTQ [đang thực hiện]: Giám sát [bold]việc[/bold] tiếp dân — Người kiểm thử\n"
        "  - 20/11/2025 ĐTN [đã hoàn thành]: Đoàn Thanh niên góp ý — Người kiểm thử\n")
    data = json.loads(cli("show", "3.2", "-d", "json").out)
    assert [(e["id"], e["ngay"], e["trang_thai"]) for e in data["lich_su"]] == [
        ("aaaa000001", "2025-11-03", "dang_thuc_hien"), ("aaaa000002", "2025-11-20", "hoan_thanh")]


def test_list_status_from_journal(workspace: Path, cli: Runner) -> None:
    _write_journal(workspace, JOURNAL)
    data = json.loads(cli("list", "-d", "json").out)
    # One body completing its own part of a shared task does not complete the task: 1.1 and
    # 3.2 are still being carried out by the others (query/state.py, the one rule).
    assert {d["ma"]: d["trang_thai"] for d in data if d["trang_thai"] != "chua_thuc_hien"} == {
        "1.1": "dang_thuc_hien", "3.2": "dang_thuc_hien"}
    # With --don-vi the status stays the task's (`report --don-vi` gives the body's part).
    mttq = json.loads(cli("list", "--don-vi", "MTTQ", "-d", "json").out)
    both = {"1.1": "dang_thuc_hien", "3.2": "dang_thuc_hien"}
    assert {d["ma"]: d["trang_thai"] for d in mttq if d["trang_thai"] != "chua_thuc_hien"} == both
    ctxh = json.loads(cli("list", "--don-vi", "CT-XH", "-d", "json").out)
    assert {d["ma"]: d["trang_thai"] for d in ctxh if d["trang_thai"] != "chua_thuc_hien"} == both
    lines = cli("list", "--don-vi", "UBND").out.splitlines()
    assert lines[0].endswith("Thời gian     Trạng thái")
    assert lines[1].endswith("Thường xuyên  đang thực hiện")
    assert lines[2].endswith("Thường xuyên  chưa thực hiện")  # no note: not left blank
    assert ids_of(cli("list", "--trang-thai", "hoan thanh", "-d", "json").out) == []
    assert ids_of(cli("list", "--don-vi", "MTTQ", "--trang-thai", "dang", "-d", "json").out) == [
        "1.1", "3.2"]
    assert len(ids_of(cli("list", "--trang-thai", "chua", "-d", "json").out)) == 9


def ids_of(out: str) -> list[str]:
    return [d["ma"] for d in json.loads(out)]


def test_damaged_journal_line_warns(workspace: Path, cli: Runner) -> None:
    _write_journal(workspace, [*JOURNAL, "{not json"])
    result = cli("show", "3.2")
    assert result.code == 0
    assert "Cảnh báo: nhật ký có 1 dòng hỏng bị bỏ qua" in result.err
    assert "2025-11.nguoi-kiem-thu.jsonl:4" in result.err


def test_log_then_list_and_show(workspace: Path, cli: Runner) -> None:
    logged = cli("log", "3.2", "Giám sát 3 khu dân cư", "--don-vi", "thanh nien",
                 "--ngay", "03/11/2025", "--trang-thai", "dang thuc hien")
    assert logged.code == 0, logged.err
    lines = cli("list", "--don-vi", "Đoàn Thanh niên", "--muc", "3").out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["3.1", "3.2", "3.3"]
    assert lines[2].endswith("Thường xuyên  đang thực hiện")
    assert cli("show", "3.2").out.endswith(
        "Tiến độ:\n  - 03/11/2025 ĐTN [đang thực hiện]: Giám sát 3 khu dân cư — Người kiểm thử\n")
