"""Word specifics of `kehoach nhap`: the header in a table, Word's own numbering and bullets,
and a table of tasks, read as tasks."""

from __future__ import annotations

from pathlib import Path

from kehoach_cli.importer import import_document
from kehoach_cli.plan.loader import load_plan
from tests.conftest import SEED_PLAN


def test_word_header_table_auto_numbering_and_task_table(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "ĐẢNG BỘ THỊ XÃ ĐỨC PHỐ"
    for text in ("ĐẢNG ỦY PHƯỜNG PHỔ VĂN", "*", "Số 15-KH/ĐU"):
        left.add_paragraph(text)
    right.paragraphs[0].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    right.add_paragraph("Phổ Văn, ngày 10 tháng 01 năm 2025")
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("về công tác dân vận năm 2025").bold = True
    document.add_paragraph("II. NỘI DUNG THỰC HIỆN")
    document.add_paragraph("Công tác dân vận chính quyền", style="List Number")
    document.add_paragraph("1.1. Đối thoại với Nhân dân.")
    document.add_paragraph("Đơn vị chủ trì: UBND phường", style="List Bullet")
    document.add_paragraph("Thời gian thực hiện: 6 tháng đầu năm 2025", style="List Bullet")
    tasks = document.add_table(rows=2, cols=3)
    for i, text in enumerate(("STT", "Nội dung", "Chủ trì")):
        tasks.cell(0, i).text = text
    for i, text in enumerate(("2", "Việc trong bảng", "Mặt trận")):
        tasks.cell(1, i).text = text
    source = tmp_path / "ke-hoach.docx"
    document.save(str(source))

    result = import_document(source, list(load_plan(SEED_PLAN).plan.don_vi))
    out = tmp_path / "out.yaml"
    out.write_text(result.yaml_text, encoding="utf-8")
    plan = load_plan(out).plan
    meta = plan.ke_hoach
    assert (meta.so_ky_hieu, meta.dia_danh, str(meta.ngay)) == ("15-KH/ĐU", "Phổ Văn", "2025-01-10")
    assert meta.co_quan_ban_hanh == "ĐẢNG ỦY PHƯỜNG PHỔ VĂN"
    assert meta.trich_yeu == "về công tác dân vận năm 2025"
    # The task table is read: its task joins the plan, under the part's title.
    assert [(s.ma, s.tieu_de) for s in plan.noi_dung] == [("1", "Công tác dân vận chính quyền"),
                                                         ("2", "NỘI DUNG THỰC HIỆN")]
    table_task = plan.tasks()[1][1]
    assert (table_task.ma, table_task.noi_dung, table_task.chu_tri) == ("2", "Việc trong bảng",
                                                                        ["MTTQ"])
    task = plan.tasks()[0][1]
    assert (task.ma, task.chu_tri, task.thoi_gian.van_ban if task.thoi_gian else None) == (
        "1.1", ["UBND"], "6 tháng đầu năm 2025")
    texts = [note.text for note in result.notes]
    assert any("đánh số tự động của Word" in t for t in texts)
    table_notes = [n for n in result.notes if "bảng 2" in n.text]
    assert len(table_notes) == 1 and "đọc 1 nhiệm vụ" in table_notes[0].text
