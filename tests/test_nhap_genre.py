"""`kehoach nhap` on other plans of the genre: lead and co-operating bodies, deadlines and
named periods, groups without sub-items, numbering without bold, text files from Notepad,
and what it must report instead of guessing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehoach_cli.importer import import_document
from kehoach_cli.importer.split_bodies import BodyMatcher, propose_code, split_names
from kehoach_cli.plan.loader import load_plan
from kehoach_cli.plan.model import Plan
from tests.conftest import FIXTURES, SEED_PLAN

PLAN_CDS = FIXTURES / "nhap" / "ke-hoach-chuyen-doi-so.md"


def _registry() -> list:  # type: ignore[type-arg]
    return list(load_plan(SEED_PLAN).plan.don_vi)


def _load(text: str, tmp_path: Path) -> Plan:
    out = tmp_path / "out.yaml"
    out.write_text(text, encoding="utf-8")
    return load_plan(out).plan


def test_lead_and_cooperating_bodies_deadlines_and_periods(tmp_path: Path) -> None:
    result = import_document(PLAN_CDS, _registry())
    plan = _load(result.yaml_text, tmp_path)
    table = {task.ma: ({r.value: c for r, c in task.roles().items()},
                       task.thoi_gian.van_ban if task.thoi_gian else None,
                       task.thoi_gian.loai.value if task.thoi_gian else None)
             for _, task in plan.tasks()}
    assert table == {
        "1.1": ({"chu_tri": ["KDV"], "phoi_hop": ["MTTQ", "CT-XH", "HNCT"]}, "Quý I/2025", "ky"),
        "1.2": ({"chu_tri": ["UBND"], "phoi_hop": ["ĐTN", "HLHPN"]}, "Trước ngày 31/3/2025", "han"),
        "2": ({"chu_tri": ["UBND"], "phoi_hop": ["CA", "ĐTN"]}, "Tháng 9/2025", "ky"),
        "3.1": ({"chi_dao": ["BTVĐU"], "tham_muu_thuc_hien": ["UBKTĐU"]}, "Hằng quý", "dinh_ky"),
        "3.2": ({"chu_tri": ["KDV"]}, "6 tháng đầu năm và cuối năm 2025", "dinh_ky"),
    }
    section_2 = plan.noi_dung[1]
    assert (section_2.ma, section_2.tieu_de) == ("2", "Xây dựng chính quyền số")
    assert section_2.nhiem_vu[0].noi_dung.startswith("Triển khai dịch vụ công trực tuyến")


def test_header_number_place_date_and_signature(tmp_path: Path) -> None:
    plan = _load(import_document(PLAN_CDS, _registry()).yaml_text, tmp_path)
    meta = plan.ke_hoach
    assert meta.so_ky_hieu == "12-KH/ĐU"
    assert (meta.co_quan_cap_tren, meta.co_quan_ban_hanh) == ("ĐẢNG BỘ THỊ XÃ ĐỨC PHỐ",
                                                              "ĐẢNG ỦY PHƯỜNG PHỔ VĂN")
    assert meta.dia_danh == "Phổ Văn"
    assert str(meta.ngay) == "2025-03-05"
    assert [d.so_ky_hieu for d in meta.can_cu] == ["30-KH/TU", "57-NQ/TW"]
    assert meta.can_cu[0].trich_yeu == ("về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 "
                                        "của Bộ Chính trị")
    assert meta.muc_dich_yeu_cau[0].startswith("Nâng cao nhận thức")
    assert len(meta.muc_dich_yeu_cau) == 3  # "1. Mục đích" and "2. Yêu cầu" are headings
    assert [item.don_vi for item in meta.to_chuc_thuc_hien] == [["CB", "UBND"], ["KDV"]]
    assert meta.noi_nhan[-1] == "Lưu Văn phòng Đảng ủy."
    assert (meta.ky.thay_mat, meta.ky.chuc_vu, meta.ky.ho_ten) == (
        "T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Trần Thị Lan")


def test_new_bodies_get_codes_and_are_reported_with_lines() -> None:
    result = import_document(PLAN_CDS, _registry())
    assert [(b.ma, b.ten) for b in result.new_bodies] == [
        ("HNCT", "Hội Người cao tuổi phường"), ("CA", "Công an phường"),
        ("BTVĐU", "Ban Thường vụ Đảng ủy"), ("UBKTĐU", "Ủy ban Kiểm tra Đảng ủy")]
    lines = PLAN_CDS.read_text(encoding="utf-8").splitlines()
    for note in result.notes:
        assert "mã đề xuất" in note.text
        name = note.text.split("”")[0].lstrip("“")
        assert name.split()[0] in lines[note.no - 1]
    assert "# CẦN KIỂM TRA (54): “Công an phường” chưa có trong danh mục" in result.yaml_text


OTHER_WORDING = """\
KẾ HOẠCH
tổ chức các hoạt động kỷ niệm năm 2025

I- MỤC ĐÍCH, YÊU CẦU
Tổ chức trang trọng, tiết kiệm.

II- NỘI DUNG
1. Tuyên truyền
Tuyên truyền trên hệ thống truyền thanh phường.
- Chủ trì: Ủy ban nhân dân phường
- Phối hợp: Đoàn Thanh niên, Hội Cựu chiến binh
- Thời hạn: 30/4/2025
2. Hoạt động văn hóa, thể thao
2.1. Tổ chức giải bóng đá thanh niên
- Đơn vị thực hiện: Đoàn Thanh niên
- Thời gian: Quý II/2025
2.2. Hội thi văn nghệ quần chúng
- Đơn vị chủ trì: Hội Phụ nữ; phối hợp: Hội Nông dân
- Tiến độ: Hằng năm
III- TỔ CHỨC THỰC HIỆN
Ủy ban nhân dân phường chủ trì tổ chức các hoạt động.
"""


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8-sig", "\r\n")],
                         ids=["utf-8", "notepad-bom-crlf"])
def test_text_file_without_bold_or_markdown(tmp_path: Path, encoding: str, newline: str) -> None:
    source = tmp_path / "ke-hoach.txt"
    source.write_bytes(OTHER_WORDING.replace("\n", newline).encode(encoding))
    result = import_document(source, _registry())
    plan = _load(result.yaml_text, tmp_path)
    table = {task.ma: ({r.value: c for r, c in task.roles().items()},
                       task.thoi_gian.van_ban if task.thoi_gian else None)
             for _, task in plan.tasks()}
    assert table == {
        "1": ({"chu_tri": ["UBND"], "phoi_hop": ["ĐTN", "HCCB"]}, "30/4/2025"),
        "2.1": ({"tham_muu_thuc_hien": ["ĐTN"]}, "Quý II/2025"),
        "2.2": ({"chu_tri": ["HLHPN"], "phoi_hop": ["HND"]}, "Hằng năm"),
    }
    assert plan.ke_hoach.trich_yeu == "tổ chức các hoạt động kỷ niệm năm 2025"
    assert plan.ke_hoach.muc_dich_yeu_cau == ["Tổ chức trang trọng, tiết kiệm."]
    assert plan.ke_hoach.to_chuc_thuc_hien[0].don_vi == ["UBND"]
    # What the document does not say stays empty.
    assert (plan.ke_hoach.so_ky_hieu, plan.ke_hoach.ngay, plan.ke_hoach.dia_danh) == (None,) * 3


def test_nfd_text_is_read_as_nfc(tmp_path: Path) -> None:
    import unicodedata

    source = tmp_path / "nfd.md"
    source.write_text(unicodedata.normalize("NFD", OTHER_WORDING), encoding="utf-8")
    plan = _load(import_document(source, _registry()).yaml_text, tmp_path)
    assert plan.tasks()[0][1].chu_tri == ["UBND"]


UNCERTAIN = """\
KẾ HOẠCH
về công tác dân vận năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao hiệu quả công tác dân vận.

II. NỘI DUNG THỰC HIỆN
1. Công tác dân vận chính quyền
1.1. Thực hiện Quy chế dân chủ ở cơ sở theo văn bản 45-HD/BDVTW.
- Cơ quan chỉ đạo: Đảng ủy
- Cơ quan giám sát: Mặt trận
- Thời gian thực hiện: Khi có yêu cầu của cấp trên
1.2. Tiếp xúc cử tri.
- Đơn vị chủ trì: Thường trực HĐND
Ghi chú thêm sau phân công.
"""


def test_uncertain_items_are_reported_with_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "ke-hoach.md"
    source.write_text(UNCERTAIN, encoding="utf-8")
    result = import_document(source, _registry())
    notes = {(n.no, n.text.split(":")[0]) for n in result.notes}
    by_line = {n.no: n.text for n in result.notes}
    assert "45-HD/BDVTW" in by_line[9] and "không rõ loại văn bản" in by_line[9]
    assert "Cơ quan giám sát" in by_line[11] and "nhãn chưa nhận ra" in by_line[11]
    assert "Khi có yêu cầu" in by_line[12] and "loai: khac" in by_line[12]
    assert "không ghi thời gian" in by_line[13]
    assert "sau các dòng phân công" in by_line[15]
    assert len(notes) == len(result.notes)
    plan = _load(result.yaml_text, tmp_path)  # still a valid plan, with the doubts as comments
    task = plan.tasks()[0][1]
    assert task.thoi_gian is not None and task.thoi_gian.loai.value == "khac"
    assert task.ghi_chu == "Cơ quan giám sát: Mặt trận"
    assert plan.tasks()[1][1].ghi_chu == "Ghi chú thêm sau phân công."
    assert "# CẦN KIỂM TRA (12): không đọc được thời gian" in result.yaml_text


def test_plan_without_roman_parts_and_with_sub_sub_items(tmp_path: Path) -> None:
    source = tmp_path / "ke-hoach.md"
    source.write_text(
        "KẾ HOẠCH\nvề việc thử nghiệm\n\n"
        "1. Nhóm thứ nhất\n1.1. Tiêu đề nhóm con\n1.1.1. Việc thứ nhất\n"
        "- Đơn vị chủ trì: Đoàn Thanh niên\n- Thời gian: Tháng 5/2025\n"
        "1.1.2. Việc thứ hai\n- Đơn vị chủ trì: Hội Nông dân\n- Thời gian: Hằng quý\n",
        encoding="utf-8")
    result = import_document(source, _registry())
    plan = _load(result.yaml_text, tmp_path)
    assert [t.ma for _, t in plan.tasks()] == ["1.1.1", "1.1.2"]
    assert plan.tasks()[0][1].ghi_chu == "Thuộc mục 1.1: Tiêu đề nhóm con"
    assert any("tiêu đề của các nhiệm vụ 1.1.x" in n.text for n in result.notes)


# --- splitting prose lists of bodies ---------------------------------------------------------

def test_split_names_keeps_the_hyphen_of_chinh_tri_xa_hoi() -> None:
    assert split_names("Thường trực HĐND, UBND phường; Mặt trận Tổ quốc và các tổ chức "
                       "chính trị - xã hội phường; các chi bộ trực thuộc Đảng ủy.") == [
        ["Thường trực HĐND", "UBND phường"],
        ["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phường"],
        ["các chi bộ trực thuộc Đảng ủy"],
    ]


@pytest.mark.parametrize("text,codes", [
    ("Thường trực HĐND, UBND phường; Mặt trận Tổ quốc và các tổ chức chính trị - xã hội "
     "phường; các chi bộ trực thuộc Đảng ủy.", ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"]),
    ("Mặt trận, các tổ chức chính trị – xã hội phường", ["MTTQ", "CT-XH"]),  # en dash
    ("Đảng uỷ.", ["ĐU"]),  # old tone placement
    ("Hội Phụ nữ và Hội Nông dân phường", ["HLHPN", "HND"]),
    ("Khối Dân vận Đảng ủy; Khối Dân vận", ["KDV"]),  # no repeats
])
def test_body_lists_match_the_registry(text: str, codes: list[str]) -> None:
    matches = BodyMatcher(_registry()).split(text)
    assert [m.code for m in matches] == codes
    assert all(m.note is None and not m.new for m in matches)


def test_whole_registered_name_with_va_is_not_split() -> None:
    from kehoach_cli.plan.model import Body

    registry = [Body(ma="BTGDV", ten="Ban Tuyên giáo và Dân vận Đảng ủy"),
                Body(ma="DV", ten="Dân vận")]
    matches = BodyMatcher(registry).split("Ban Tuyên giáo và Dân vận Đảng ủy; Dân vận")
    assert [m.code for m in matches] == ["BTGDV", "DV"]


@pytest.mark.parametrize("name,taken,code", [
    ("Hội Người cao tuổi", set(), "HNCT"),
    ("Hội Người cao tuổi phường", set(), "HNCT"),
    ("Công an phường", {"CA"}, "CA2"),
    ("Đảng ủy", set(), "ĐU"),
    ("UBND phường", set(), "UBND"),
    ("các tổ chức chính trị - xã hội", set(), "TCCTXH"),
])
def test_proposed_codes(name: str, taken: set[str], code: str) -> None:
    assert propose_code(name, taken) == code
