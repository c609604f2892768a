"""plans/kh160.yaml against a table written by hand from the seed document."""

from __future__ import annotations

import re

import pytest

from kehoach_cli.plan.loader import load_plan
from kehoach_cli.plan.model import Role
from kehoach_cli.plan.timeframe import TimeframeKind
from tests.conftest import FIXTURES, SEED_PLAN

# From tests/fixtures/ke-hoach-160.md, read line by line:
# (task id, section, directing, advising/implementing, sub-points, first words)
ALL = ["HĐND", "UBND", "KDV", "MTTQ", "CT-XH", "CB"]
EXPECTED = [
    ("1.1", "1", ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"], 0, "Tiếp tục quán triệt"),
    ("1.2", "1", ["MTTQ", "CT-XH", "CB"], 0, "Tăng cường công tác kiểm tra"),
    ("2.1", "2", ["UBND", "KDV", "MTTQ", "CT-XH", "CB"], 0, "Đẩy mạnh tuyên truyền"),
    ("2.2", "2", ALL, 0, "Phát huy vai trò đại diện"),
    ("3.1", "3", ["KDV", "MTTQ", "CT-XH", "CB"], 2, "Tiếp tục đổi mới nội dung"),
    ("3.2", "3", ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"], 0, "Nâng cao hiệu quả hoạt động"),
    ("3.3", "3", ["UBND", "KDV", "MTTQ", "CT-XH", "CB"], 0, "Tăng cường công tác phối hợp"),
    ("4", "4", ALL, 0, "Phối hợp với các cơ quan Nhà nước"),
    ("5.1", "5", ["KDV", "MTTQ", "CT-XH", "CB"], 0, "Tiếp tục phát triển"),
    ("5.2", "5", ["MTTQ", "CT-XH", "CB"], 0, "Kiện toàn tổ chức bộ máy"),
    ("5.3", "5", ["MTTQ", "CT-XH", "CB"], 0, "Phát huy vai trò lực lượng"),
]
CITED = {
    "74-KH/TU": "02/11/2022", "160-TB/TW": "15/01/2020", "62-KL/TW": "08/12/2009",
    "01-KL/TW": "18/05/2021", "05-CT/TW": None, "217-QĐ/TW": "12/12/2013",
    "218-QĐ/TW": "12/12/2013", "4054-QĐ/TU": "24/10/2014", "124-QĐ/TW": "02/02/2018",
    "03-CT/TWĐTN-BTC": "21/07/2021",
}


def _flat(text: str) -> str:
    """Seed text without Markdown emphasis, on one line."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


SEED = _flat((FIXTURES / "ke-hoach-160.md").read_text(encoding="utf-8"))
PLAN = load_plan(SEED_PLAN).plan
TASKS = {task.ma: (section, task) for section, task in PLAN.tasks()}


def test_all_eleven_tasks_in_document_order() -> None:
    assert [t.ma for _, t in PLAN.tasks()] == [row[0] for row in EXPECTED]


@pytest.mark.parametrize(("ma", "section", "implementing", "points", "start"), EXPECTED)
def test_task_matches_seed(ma: str, section: str, implementing: list[str], points: int,
                           start: str) -> None:
    sec, task = TASKS[ma]
    assert sec.ma == section
    assert task.chi_dao == ["ĐU"]
    assert task.tham_muu_thuc_hien == implementing
    assert task.roles().keys() == {Role.CHI_DAO, Role.THAM_MUU}
    assert task.thoi_gian is not None
    assert task.thoi_gian.loai is TimeframeKind.THUONG_XUYEN
    assert task.thoi_gian.van_ban == "Thường xuyên"
    assert len(task.cac_y) == points
    assert task.noi_dung.startswith(start)


def test_texts_are_verbatim_from_the_seed() -> None:
    texts = [PLAN.ke_hoach.trich_yeu, PLAN.ke_hoach.mo_dau or ""]
    texts += PLAN.ke_hoach.muc_dich_yeu_cau
    texts += [item.noi_dung for item in PLAN.ke_hoach.to_chuc_thuc_hien]
    for section, task in PLAN.tasks():
        texts += [section.tieu_de, task.noi_dung, *task.cac_y]
    for text in texts:
        assert _flat(text) in SEED, text[:60]


def test_every_cited_document_with_its_date() -> None:
    refs = list(PLAN.ke_hoach.can_cu)
    for _, task in PLAN.tasks():
        refs += task.van_ban_lien_quan
    found = {ref.so_ky_hieu: ref.ngay.strftime("%d/%m/%Y") if ref.ngay else None for ref in refs}
    assert found == CITED
    for number in CITED:
        assert number.replace("217-", "217 -") in SEED or number in SEED


def test_nothing_invented_in_the_header() -> None:
    meta = PLAN.ke_hoach
    assert meta.so_ky_hieu is None
    assert meta.ngay is None
    assert meta.dia_danh is None
    assert meta.co_quan_cap_tren is None


def test_closing_parts() -> None:
    meta = PLAN.ke_hoach
    assert len(meta.muc_dich_yeu_cau) == 3
    assert [item.don_vi for item in meta.to_chuc_thuc_hien] == [["CB", "UBND", "MTTQ", "CT-XH"], ["KDV"]]
    assert len(meta.noi_nhan) == 6
    assert meta.noi_nhan[-1] == "Lưu Văn phòng Đảng ủy."
    assert (meta.ky.thay_mat, meta.ky.chuc_vu, meta.ky.ho_ten) == ("T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Nho")


def test_registry_groups_are_data() -> None:
    bodies = {body.ma: body for body in PLAN.don_vi}
    assert bodies["CT-XH"].thanh_vien == ["ĐTN", "HLHPN", "HND", "HCCB"]
    assert {"ĐU", "HĐND", "UBND", "MTTQ", "KDV", "CB"} <= bodies.keys()
