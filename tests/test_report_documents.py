"""The documents `report --xuat` writes, read back: the Word draft (python-docx) with its
sections, notes, page numbers, language, signature and appendix; a body's own report in
its layout; the Excel workbook (openpyxl); and the report's other issue-12 behaviours
(per-body CSV table, silent bodies, the period just begun, --ngay in the future)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "05/10/2025"
NOTES = [
    ("3.2", "Giám sát việc tiếp công dân tại 3 khu dân cư", "MTTQ", "10/7/2025",
     ["--so-lieu", "số cuộc kiểm tra=2", "--minh-chung", "15-BC/MTTQ"]),
    ("3.2", "Kiểm tra việc tiếp thu góp ý của Nhân dân", "UBND", "20/7/2025",
     ["--so-lieu", "so cuoc kiem tra=2"]),
    ("3.2", "Hội Phụ nữ phản biện dự thảo quy chế chợ", "HLHPN", "05/8/2025",
     ["--trang-thai", "hoan thanh"]),
    ("3.2", "da giam sat viec thu phi ve sinh", "MTTQ", "12/9/2025", []),
    ("1.1", "Tổ chức hội nghị quán triệt cho 120 đảng viên", "MTTQ", "15/8/2025",
     ["--so-lieu", "số người tham dự=120"]),
]


@pytest.fixture
def noted(workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)
    for task, text, body, day, extra in NOTES:
        result = cli("log", task, text, "--don-vi", body, "--ngay", day, *extra)
        assert result.code == 0, result.err
    return workspace


def _docx(cli: Runner, target: Path, *args: str) -> Any:
    from docx import Document

    result = cli("report", "--ky", "quý III/2025", "--xuat", str(target), *args)
    assert result.code == 0, result.err
    return Document(str(target)), result


def _body_texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def test_word_draft_reads_like_a_report(noted: Path, cli: Runner) -> None:
    from docx.oxml.ns import qn

    doc, result = _docx(cli, noted / "bc.docx")
    texts = _body_texts(doc)
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.")]
    assert headings == ["I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
                        "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG",
                        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"]
    second = texts[texts.index("II. KẾT QUẢ THỰC HIỆN"):texts.index("III. ĐÁNH GIÁ CHUNG")]
    joined = "\n".join(second)
    for _, text, _, _, _ in NOTES:  # every note of the period, not the latest two
        assert text in joined
    # bodies by their full names, notes in date order with their evidence
    front = next(t for t in second if "tiếp công dân" in t)
    assert front.startswith("- Ủy ban Mặt trận Tổ quốc Việt Nam phường: ")
    assert front.index("tiếp công dân") < front.index("thu phi ve sinh")
    assert "(ngày 10/07/2025; minh chứng: 15-BC/MTTQ)" in front
    # a figure two bodies added to is shown per body, whatever the spelling
    assert "Số liệu trong kỳ: số cuộc kiểm tra: 4 (MTTQ 2, UBND 2)." in second
    # the Women's Union completed its part only: the shared task is not complete
    assert "Đến ngày 30/09/2025, nhiệm vụ đang thực hiện (không thời hạn)." in second
    everything = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "…" not in everything
    third = texts[texts.index("III. ĐÁNH GIÁ CHUNG"):]
    assert any(t.startswith("- Hội Nông dân phường (HND) chưa báo cáo") for t in third)
    assert any("Tiếp tục thực hiện thường xuyên các nhiệm vụ:" in t for t in third)
    # the note typed without diacritics is listed for correction
    assert "gõ không dấu: “da giam sat viec thu phi ve sinh”" in result.err

    styles = doc.styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:val")) == "vi-VN"
    first = doc.sections[0]
    assert first.different_first_page_header_footer  # no number on page 1
    fields = first.header._element.findall(f".//{qn('w:instrText')}")
    assert [f.text.strip() for f in fields] == ["PAGE"]


def test_signature_kept_together_and_with_the_last_paragraph(noted: Path, cli: Runner) -> None:
    from docx.oxml.ns import qn

    doc, _ = _docx(cli, noted / "bc.docx")
    closing = doc.tables[1]
    signature = closing.rows[0].cells[1]
    assert closing.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    kept = signature.paragraphs[:-1]
    assert kept and all(p.paragraph_format.keep_with_next for p in kept)
    # the paragraph just before the closing table stays with it
    body = doc.element.body
    before = closing._tbl.getprevious()
    assert before is not None and before.tag == qn("w:p")
    last = next(p for p in doc.paragraphs if p._p is before)
    assert last.paragraph_format.keep_with_next and last.paragraph_format.keep_together
    assert body is not None


def test_appendix_on_landscape_pages(noted: Path, cli: Runner) -> None:
    from docx.enum.section import WD_ORIENT

    doc, _ = _docx(cli, noted / "bc.docx")
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert doc.sections[1].page_width > doc.sections[1].page_height
    texts = _body_texts(doc)
    assert texts.index("PHỤ LỤC") > texts.index("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    bodies, tasks = doc.tables[2], doc.tables[3]
    assert bodies.rows[0].cells[1].text == "Đơn vị"
    women = next(r for r in bodies.rows if r.cells[1].text.startswith("HLHPN"))
    # its own part of 3.2 completed; 3.2 is "Thường xuyên": not "đúng hạn" (no deadline),
    # counted with the tasks without one, and in the completion rate
    assert [women.cells[i].text for i in (5, 9, 10)] == ["0", "11", "9,1%"]
    youth = next(r for r in bodies.rows if r.cells[1].text.startswith("ĐTN"))
    assert [youth.cells[i].text for i in (5, 9, 10)] == ["0", "11", "0%"]
    assert len(tasks.rows) == 1 + 11
    full = next(r for r in tasks.rows if r.cells[0].text == "3.2").cells[1].text
    assert full.endswith("hòa giải tại cộng đồng.")  # the whole text, never shortened


def test_recipients_from_the_workspace_setting(noted: Path, cli: Runner) -> None:
    (noted / "plans" / "kehoach.toml").write_text(
        'noi_nhan_bao_cao = """\nBan Thường vụ Thành ủy Quảng Ngãi (b/c),\n'
        '- Ban Dân vận Thành ủy (b/c),\nLưu Văn phòng Đảng ủy."""\n', encoding="utf-8")
    doc, _ = _docx(cli, noted / "bc.docx")
    lines = [p.text for p in doc.tables[1].rows[0].cells[0].paragraphs]
    assert lines == ["Nơi nhận:", "- Ban Thường vụ Thành ủy Quảng Ngãi (b/c),",
                     "- Ban Dân vận Thành ủy (b/c),", "- Lưu Văn phòng Đảng ủy."]


def test_a_body_report_has_that_bodys_header_and_signature(noted: Path, cli: Runner) -> None:
    doc, _ = _docx(cli, noted / "mttq.docx", "--don-vi", "mat tran")
    left, right = doc.tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines == ["ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG ........", "BAN THƯỜNG TRỰC",
                     "Số:      /BC-MTTQ-BTT"]
    motto = [p.text for p in right.paragraphs if p.text]
    assert motto[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    recipients, signature = doc.tables[1].rows[0].cells
    assert [t for t in (p.text for p in signature.paragraphs) if t] == [
        "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "................"]
    assert recipients.paragraphs[-1].text == "- Lưu: VT, MTTQ."
    texts = _body_texts(doc)
    assert any("Ủy ban Mặt trận Tổ quốc Việt Nam phường ........ báo cáo" in t for t in texts)
    assert not any("Hội Phụ nữ phản biện" in t for t in texts)  # its own notes only


def test_a_ward_sets_its_own_letterhead_in_the_registry(noted: Path, cli: Runner) -> None:
    plan = noted / "plans" / "kh160.yaml"
    text = plan.read_text(encoding="utf-8")
    old = "  - ma: MTTQ\n"
    assert old in text
    text = text.replace(old, old + "    van_ban:\n      tieu_de: [ỦY BAN MTTQ VIỆT NAM PHƯỜNG "
                        "TRẦN PHÚ, BAN THƯỜNG TRỰC]\n      ky: {ho_ten: Lê Thị Hoa}\n", 1)
    plan.write_text(text, encoding="utf-8")
    assert cli("check").code == 0
    doc, _ = _docx(cli, noted / "mttq.docx", "--don-vi", "MTTQ")
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[:2] == ["ỦY BAN MTTQ VIỆT NAM PHƯỜNG TRẦN PHÚ", "BAN THƯỜNG TRỰC"]
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Lê Thị Hoa"]


def test_excel_workbook(noted: Path, cli: Runner) -> None:
    from datetime import datetime

    from openpyxl import load_workbook

    target = noted / "bc.xlsx"
    result = cli("report", "--ky", "quý III/2025", "--xuat", str(target))
    assert result.code == 0, result.err
    book = load_workbook(target)
    assert book.sheetnames == ["Nhiệm vụ", "Theo đơn vị", "Ghi nhận", "Cần quan tâm"]
    tasks = book["Nhiệm vụ"]
    header = [c.value for c in tasks[1]]
    assert header[:3] == ["Mã", "Mục", "Nội dung nhiệm vụ"]
    assert all(c.font.bold for c in tasks[1])
    assert tasks.freeze_panes == "A2"
    assert tasks.page_setup.orientation == "landscape"
    rows = {r[0].value: r for r in tasks.iter_rows(min_row=2)}
    assert all(isinstance(key, str) for key in rows)
    kiem_tra = header.index("số cuộc kiểm tra")
    assert rows["3.2"][kiem_tra].value == 4  # a number, not the text "4"
    assert rows["3.2"][header.index("Số lượt báo cáo")].value == 4
    notes = book["Ghi nhận"]
    values = [[c.value for c in r] for r in notes.iter_rows(min_row=2)]
    assert len(values) == len(NOTES)
    assert isinstance(values[0][0], datetime) and values[0][0].date().isoformat() == "2025-07-10"
    assert [v[1] for v in values] == ["3.2", "3.2", "3.2", "1.1", "3.2"]  # date order
    bodies = book["Theo đơn vị"]
    women = next(r for r in bodies.iter_rows(min_row=2) if r[1].value == "HLHPN")
    assert women[6].value == 0 and women[10].value == 11  # 3.2 has no deadline
    assert isinstance(women[3].value, int)


def test_csv_of_the_per_body_table(noted: Path, cli: Runner) -> None:
    result = cli("report", "--ky", "quý III/2025", "-d", "csv", "--bang", "don-vi")
    assert result.code == 0, result.err
    lines = result.out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("STT,Đơn vị,Tổng số nhiệm vụ")
    # 3.2, completed by her, is "Thường xuyên": counted without a deadline, not "đúng hạn"
    women = ',HLHPN – Hội Liên hiệp Phụ nữ phường,11,1,10,0,0,0,0,11,"9,1%",'
    assert any(women in f",{line}" for line in lines)


def test_attention_counts_consecutive_silent_periods(workspace: Path, cli: Runner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "05/10/2025")
    assert cli("log", "3.2", "Đoàn Thanh niên ra quân", "--don-vi", "ĐTN",
               "--ngay", "10/02/2025").code == 0
    data = json.loads(cli("report", "--ky", "quý III/2025", "-d", "json").out)
    silent = {b["ma"]: b for b in data["can_quan_tam"]["don_vi_khong_bao_cao"]}
    # quarter I had a note; quarters II and III did not
    assert silent["ĐTN"] == {"ma": "ĐTN", "so_ky_lien_tiep": 2, "lan_gan_nhat": "2025-02-10"}
    assert silent["HND"]["lan_gan_nhat"] is None
    out = cli("report", "--ky", "quý III/2025").out
    assert "2 kỳ liên tiếp không báo cáo (lần gần nhất: 10/02/2025)" in out


def test_future_reference_date_is_refused(workspace: Path, cli: Runner,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "05/10/2025")
    result = cli("report", "--ngay", "06/10/2025")
    assert result.code != 0
    assert "--ngay 06/10/2025 chưa tới (hôm nay là 05/10/2025)" in result.err


def test_first_days_of_a_period_name_the_one_just_closed(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "20/12/2025")
    result = cli("report", "--ky", "nam", "--chot", "nd09")
    assert result.code == 0, result.err
    assert result.out.startswith("Báo cáo năm 2026: từ ngày 15/12/2025 đến ngày 14/12/2026")
    assert ("kỳ vừa kết thúc là năm 2025 (từ ngày 15/12/2024 đến ngày 14/12/2025): báo cáo kỳ "
            "đó bằng --ky nam-truoc") in result.err
    later = cli("report", "--ky", "quy", "--ngay", "20/11/2025")
    assert "kỳ vừa kết thúc" not in later.err
    explicit = cli("report", "--ky", "năm 2026", "--chot", "nd09")
    assert "kỳ vừa kết thúc" not in explicit.err


def test_excel_counts_keep_their_own_format(noted: Path, cli: Runner) -> None:
    """A count keeps its own look: openpyxl would give a plain value the style of the cell
    before it (a count after a wrapped name wrapped, after a percentage a percentage)."""
    from openpyxl import load_workbook

    target = noted / "bc.xlsx"
    assert cli("report", "--ky", "quý III/2025", "--xuat", str(target)).code == 0
    sheet = load_workbook(target)["Theo đơn vị"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "HND")
    assert row[header.index("Tỷ lệ hoàn thành")].number_format == "0.0%"
    total = row[header.index("Tổng số nhiệm vụ")]
    assert total.alignment.vertical == "top" and not total.alignment.wrap_text
    assert row[header.index("Báo cáo gần nhất")].value is None


def test_workspace_makes_the_period_just_closed_the_default(
        workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_HOM_NAY", "20/12/2025")
    (workspace / "plans" / "kehoach.toml").write_text('chot = "nd09"\nky_dau_ky = "vua-xong"\n',
                                                      encoding="utf-8")
    result = cli("report")
    assert result.code == 0, result.err
    # 20/12/2025 is in the first days of quý I/2026 (ND 09: from 15/12/2025)
    assert result.out.startswith("Báo cáo quý IV/2025: từ ngày 15/09/2025 đến ngày 14/12/2025")
    assert "kỳ đang chạy là quý I/2026 (từ ngày 15/12/2025 đến ngày 14/03/2026): --ky quy" in result.err
    # an explicit --ky is taken as written
    assert cli("report", "--ky", "quy").out.startswith("Báo cáo quý I/2026")
    (workspace / "plans" / "kehoach.toml").write_text('ky_dau_ky = "truoc"\n', encoding="utf-8")
    refused = cli("report")
    assert refused.code != 0 and "ky_dau_ky = “truoc” không hợp lệ" in refused.err
