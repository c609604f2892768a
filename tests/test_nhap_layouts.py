"""`kehoach nhap` on the layouts real plans use: task tables, bodies named in sentences,
"Tổ chức thực hiện" body by body, one role block for several items, timeframes as written;
and the development corpus of real plans imports without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.bench_nhap_corpus import Score, documents, score_corpus, score_document

from kehoach_cli.importer import import_document
from kehoach_cli.plan.default_registry import default_bodies
from kehoach_cli.plan.loader import load_plan
from kehoach_cli.plan.model import Plan
from kehoach_cli.plan.timeframe import TimeframeKind, parse_timeframe


def _plan(text: str, tmp_path: Path, suffix: str = ".md") -> tuple[Plan, list[str]]:
    source = tmp_path / f"ke-hoach{suffix}"
    source.write_text(text, encoding="utf-8")
    result = import_document(source, default_bodies())
    out = tmp_path / "out.yaml"
    out.write_text(result.yaml_text, encoding="utf-8")
    return load_plan(out).plan, [n.text for n in result.notes]


TABLE = """\
KẾ HOẠCH
thực hiện chuyển đổi số năm 2026

II. NHIỆM VỤ TRỌNG TÂM

| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| I | **Công tác tuyên truyền** | | | | |
| 1 | Tuyên truyền trên loa | UBMTTQ phường | Đoàn Thanh niên<br>Hội Phụ nữ | Quý I/2026 | Tin bài |
| 2 | Tập huấn | UBND phường | Mặt trận và các đoàn thể | từ ngày 04/02/2026 đến ngày 08/02/2026 | |
"""


def test_markdown_task_table_with_group_row(tmp_path: Path) -> None:
    plan, notes = _plan(TABLE, tmp_path)
    assert [(s.ma, s.tieu_de) for s in plan.noi_dung] == [("1", "Công tác tuyên truyền")]
    first, second = (task for _, task in plan.tasks())
    assert (first.ma, first.noi_dung, first.chu_tri, first.phoi_hop) == (
        "1", "Tuyên truyền trên loa", ["MTTQ"], ["ĐTN", "HLHPN"])
    assert first.ghi_chu == "Sản phẩm: Tin bài"
    assert (second.chu_tri, second.phoi_hop) == (["UBND"], ["MTTQ", "CT-XH"])
    assert second.thoi_gian is not None and second.thoi_gian.loai is TimeframeKind.KHOANG
    assert (str(second.thoi_gian.tu_ngay), str(second.thoi_gian.han)) == ("2026-02-04", "2026-02-08")
    assert any("bảng 1: đọc 2 nhiệm vụ" in n for n in notes)


SENTENCES = """\
KẾ HOẠCH
về công tác bầu cử

II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN
1. Xây dựng quy chế phối hợp (Giao Ủy ban MTTQ Việt Nam phường chủ trì, phối hợp với Hội Cựu \
chiến binh và Đoàn Thanh niên tham mưu).
2. Các tổ chức chính trị - xã hội phường tiếp tục tuyên truyền đến hội viên.
3. Tổng hợp, báo cáo
3.1. Tổng hợp ý kiến cử tri.
3.2. Báo cáo kết quả.
- Đơn vị chủ trì: Mặt trận
- Thời gian: Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu cử).

III. TỔ CHỨC THỰC HIỆN
1. Hội Liên hiệp Phụ nữ phường
- Vận động hội viên đi bầu cử.
2. Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực Giám sát và Phản biện xã hội: Theo dõi, \
đôn đốc.
"""


def test_sentences_body_by_body_and_shared_role_block(tmp_path: Path) -> None:
    plan, notes = _plan(SENTENCES, tmp_path)
    tasks = {task.ma: task for _, task in plan.tasks()}
    assert (tasks["1"].chu_tri, tasks["1"].phoi_hop) == (["MTTQ"], ["HCCB", "ĐTN"])
    assert tasks["2"].tham_muu_thuc_hien == ["CT-XH"]
    # One role block after 3.1 and 3.2 applies to both, and the review list says so.
    assert tasks["3.1"].chu_tri == tasks["3.2"].chu_tri == ["MTTQ"]
    assert any("được áp cho cả 3.1" in n for n in notes)
    deadline = tasks["3.2"].thoi_gian
    assert deadline is not None and str(deadline.han) == "2025-12-10"
    assert "Dự kiến ngày 05/12/2025" in (tasks["3.2"].ghi_chu or "")
    # "Tổ chức thực hiện" body by body: each body's paragraph is a task it carries out.
    assert tasks["III.1"].noi_dung == "Vận động hội viên đi bầu cử."
    assert tasks["III.1"].tham_muu_thuc_hien == ["HLHPN"]
    person = next(b for b in plan.don_vi if b.ma == tasks["III.2"].tham_muu_thuc_hien[0])
    assert person.ten == ("Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực Giám sát và "
                          "Phản biện xã hội")


@pytest.mark.parametrize("text,start,end", [
    ("Từ tháng 12/2025 đến quý I/2026", "2025-12-01", "2026-03-31"),
    ("từ ngày 04/02/2026 đến ngày 08/02/2026", "2026-02-04", "2026-02-08"),
    ("Quý IV/2025 và Quý I/2026", "2025-10-01", "2026-03-31"),
])
def test_range_timeframes(text: str, start: str, end: str) -> None:
    timeframe = parse_timeframe(text)
    assert timeframe.loai is TimeframeKind.KHOANG
    assert (str(timeframe.tu_ngay), str(timeframe.han)) == (start, end)


@pytest.mark.parametrize("source", documents(), ids=lambda p: p.name)
def test_corpus_imports_without_traceback(source: Path) -> None:
    score = score_document(source)
    assert score.tracebacks == 0, score.errors


def test_corpus_meets_the_targets() -> None:
    # The targets on the development corpus of real plans (hand-written expectations,
    # tests/fixtures/nhap/corpus); bench/bench_nhap_corpus.py prints the figures per document.
    scores, total = score_corpus(documents())
    assert total.documents >= 12
    misses = {s.name: s.misses for s in scores}
    assert Score.ratio(total.tasks_found, total.tasks) >= 0.95, misses
    assert Score.ratio(total.bodies_right, total.bodies) >= 0.90, misses
    assert Score.ratio(total.times_right, total.times) >= 0.90, misses
    assert total.tracebacks == 0


def _word_table(document: object, rows: list[list[str]]) -> object:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    return table


def test_word_task_table_merged_cells_and_continued_on_next_page(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph("DANH MỤC NHIỆM VỤ THỰC HIỆN CHUYỂN ĐỔI SỐ CỦA PHƯỜNG NĂM 2026")
    header = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
              "Thời gian hoàn thành", "Sản phẩm"]
    first = _word_table(document, [
        header,
        ["I. Nhận thức", "", "", "", "", ""],
        ["1.", "Tuyên truyền chuyển đổi số", "UBND phường", "Đoàn Thanh niên\nHội Phụ nữ",
         "Quý I/2026", "Tin bài"],
        ["2.", "Tập huấn cho cán bộ", "Mặt trận", "", "6/2026", ""],
        ["", "", "Hội Nông dân", "", "", ""],
    ])
    row = first.rows[1]  # type: ignore[attr-defined]
    row.cells[0].merge(row.cells[5])  # the group title across the table
    first.cell(3, 0).merge(first.cell(4, 0))  # type: ignore[attr-defined]
    first.cell(3, 1).merge(first.cell(4, 1))  # type: ignore[attr-defined]
    _word_table(document, [header, ["3.", "Số hóa hồ sơ", "UBND phường", "", "Thường xuyên", ""]])
    source = tmp_path / "phu-luc.docx"
    document.save(str(source))

    result = import_document(source, default_bodies())
    out = tmp_path / "out.yaml"
    out.write_text(result.yaml_text, encoding="utf-8")
    plan = load_plan(out).plan
    assert plan.ke_hoach.trich_yeu == "DANH MỤC NHIỆM VỤ THỰC HIỆN CHUYỂN ĐỔI SỐ CỦA PHƯỜNG NĂM 2026"
    assert [(s.ma, s.tieu_de) for s in plan.noi_dung] == [("1", "Nhận thức")]
    tasks = {t.ma: t for _, t in plan.tasks()}
    assert list(tasks) == ["1", "2", "3"]  # the second table goes on with the first
    assert (tasks["1"].chu_tri, tasks["1"].phoi_hop) == (["UBND"], ["ĐTN", "HLHPN"])
    # The content cell merged down two rows: one task, both lead bodies.
    assert tasks["2"].chu_tri == ["MTTQ", "HND"]
    assert tasks["2"].thoi_gian is not None and str(tasks["2"].thoi_gian.han) == "2026-06-30"
    assert tasks["3"].thoi_gian is not None and tasks["3"].thoi_gian.loai is TimeframeKind.THUONG_XUYEN
    texts = [n.text for n in result.notes]
    assert any("bảng 1: đọc 2 nhiệm vụ" in t for t in texts)
    assert any("bảng 2: đọc 1 nhiệm vụ" in t for t in texts)


LETTERED = """\
KẾ HOẠCH
tìm kiếm, quy tập năm 2026

A. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Cụ thể hóa nhiệm vụ.
B. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP
I. CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI
1. Nội dung, biện pháp
a) Tổ chức hội nghị quán triệt;
b) Tổ chức triển khai các chủ trương.
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Ủy ban nhân dân phường.
b) Cơ quan phối hợp
- Mặt trận Tổ quốc; Hội Cựu chiến binh.
3. Thời gian thực hiện: Tháng 12/2025 và thường xuyên.
II. THÔNG TIN, TUYÊN TRUYỀN
1. Nội dung, biện pháp
a) Lập chuyên mục trên cổng thông tin.
2. Chủ trì thực hiện
- Đoàn Thanh niên.
3. Thời gian thực hiện: Từ tháng 11/2025 đến quý I/2026.
"""


def test_lettered_parts_and_numbered_labels(tmp_path: Path) -> None:
    plan, _ = _plan(LETTERED, tmp_path)
    tasks = {t.ma: t for _, t in plan.tasks()}
    assert list(tasks) == ["B.1", "B.2"]  # "1.", "2.", "3." are labels, not task numbers
    first = tasks["B.1"]
    assert first.noi_dung == "CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI"
    assert first.cac_y == ["a) Tổ chức hội nghị quán triệt;", "b) Tổ chức triển khai các chủ trương."]
    assert (first.chu_tri, first.phoi_hop) == (["UBND"], ["MTTQ", "HCCB"])
    assert first.thoi_gian is not None and str(first.thoi_gian.han) == "2025-12-31"
    assert "Tháng 12/2025 và thường xuyên" in (first.ghi_chu or "")
    assert tasks["B.2"].chu_tri == ["ĐTN"]
    assert plan.ke_hoach.muc_dich_yeu_cau == ["Cụ thể hóa nhiệm vụ."]


CONG_VAN = """\
VĂN PHÒNG CHÍNH PHỦ
Số: 12/VPCP-KTTH
V/v trợ cấp cho người có công
Hà Nội, ngày 27 tháng 10 năm 2025
Xét đề nghị của các Bộ, Phó Thủ tướng Nguyễn Văn A có ý kiến như sau:
1. Yêu cầu Bộ Nội vụ khẩn trương hoàn chỉnh dự thảo, trình trước ngày 31 tháng 12 năm 2025.
2. Ủy ban nhân dân tỉnh chủ động rà soát danh sách đối tượng.
Văn phòng Chính phủ xin thông báo để các cơ quan biết, thực hiện./.
"""


def test_cong_van_is_read_and_says_what_is_left(tmp_path: Path) -> None:
    plan, notes = _plan(CONG_VAN, tmp_path, ".txt")
    assert (plan.ke_hoach.loai_van_ban, plan.ke_hoach.trich_yeu) == (
        "Công văn", "trợ cấp cho người có công")
    first, second = (t for _, t in plan.tasks())
    bodies = {b.ma: b.ten for b in plan.don_vi}
    assert [bodies[c] for c in first.tham_muu_thuc_hien] == ["Bộ Nội vụ"]
    assert [bodies[c] for c in first.chi_dao] == ["Phó Thủ tướng Nguyễn Văn A"]
    assert first.thoi_gian is not None and str(first.thoi_gian.han) == "2025-12-31"
    assert [bodies[c] for c in second.tham_muu_thuc_hien] == ["Ủy ban nhân dân tỉnh"]  # not the ward's UBND
    assert second.thoi_gian is None
    assert any("đọc là công văn" in n for n in notes)


TWO_ROW_HEADER = """\
KẾ HOẠCH
thực hiện công tác dân vận năm 2026

II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN

| TT | Nội dung công việc | Cơ quan thực hiện | | Thời gian |
|---|---|---|---|---|
| | | Chủ trì | Phối hợp | |
| (1) | (2) | (3) | (4) | (5) |
| A | CÔNG TÁC TUYÊN TRUYỀN | | | |
| 1 | Hội thi tìm hiểu pháp luật | Đoàn Thanh niên | Hội LHPN, Hội CCB | trong quý II |
"""


def test_two_row_header_column_numbers_and_a_period_without_its_year(tmp_path: Path) -> None:
    plan, notes = _plan(TWO_ROW_HEADER, tmp_path)
    (_, task), = plan.tasks()
    assert (task.ma, task.chu_tri, task.phoi_hop) == ("1", ["ĐTN"], ["HLHPN", "HCCB"])
    assert task.thoi_gian is not None and task.thoi_gian.van_ban == "quý II/2026"
    assert any("“trong quý II” không ghi năm" in n and "bảng 1, hàng 5, cột “Thời gian”" in n
               for n in notes)
    assert task.ghi_chu == "Thời gian: trong quý II"


WORDED_LABELS = """\
KẾ HOẠCH
về công tác dân vận năm 2026

II. NHIỆM VỤ TRỌNG TÂM
1. Đối thoại với Nhân dân
- Cơ quan, đơn vị chủ trì, phối hợp: Ủy ban nhân dân phường; Mặt trận, Hội Nông dân
- Thời gian dự kiến hoàn thành: Quý III/2026
2. Lấy ý kiến cử tri
- Lãnh đạo phụ trách: Thường trực Đảng ủy
- Cơ quan, đơn vị thực hiện: Đoàn Thanh niên
- Cơ quan giám sát: Mặt trận
- Thời hạn: hoàn thành trước ngày 15/5/2026
"""


def test_label_wordings_read_by_their_role_word(tmp_path: Path) -> None:
    plan, notes = _plan(WORDED_LABELS, tmp_path)
    first, second = (t for _, t in plan.tasks())
    assert (first.chu_tri, first.phoi_hop) == (["UBND"], ["MTTQ", "HND"])
    assert any("“Ủy ban nhân dân phường” được hiểu là chủ trì" in n for n in notes)
    assert first.thoi_gian is not None and str(first.thoi_gian.han) == "2026-09-30"
    assert (second.chi_dao, second.tham_muu_thuc_hien) == (["TTĐU"], ["ĐTN"])
    assert second.thoi_gian is not None and str(second.thoi_gian.han) == "2026-05-15"
    # A label whose role the schema lacks is kept and reported, not guessed.
    assert second.ghi_chu == "Cơ quan giám sát: Mặt trận"
