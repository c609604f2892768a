"""The defects a user review found in the periodic report: a body's own report gives its own
part everywhere (text, summary, appendix), "đúng hạn" is never counted for tasks without a
deadline, the Word wording (whose status, strengths, one bullet for a silent group, the
appendix note kept with its table), and `--xuat` printing the summary only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "15/10/2026"


@pytest.fixture
def done_by_mttq(workspace: Path, cli: Runner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MTTQ completes its part of 1.2 and 3.2 (both "Thường xuyên", shared with others)."""
    monkeypatch.setenv("KEHOACH_HOM_NAY", TODAY)
    for task in ("1.2", "3.2"):
        result = cli("log", task, "Đã tổ chức giám sát tại 3 khu dân cư", "--don-vi", "MTTQ",
                     "--trang-thai", "hoan thanh")
        assert result.code == 0, result.err
    return workspace


def _texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def _between(texts: list[str], first: str, last: str) -> list[str]:
    return texts[texts.index(first) + 1:texts.index(last)]


def test_a_bodys_own_report_gives_one_figure(done_by_mttq: Path, cli: Runner) -> None:
    from docx import Document

    result = cli("report", "--don-vi", "MTTQ", "--xuat", str(done_by_mttq / "mttq.docx"))
    assert result.code == 0, result.err
    assert "11 nhiệm vụ: 2 đã hoàn thành, 0 đang thực hiện, 9 chưa thực hiện" in result.out
    doc = Document(str(done_by_mttq / "mttq.docx"))
    texts = _texts(doc)
    good = _between(texts, "1. Ưu điểm", "2. Hạn chế")
    assert good[0].endswith("; 2 nhiệm vụ đã hoàn thành.")
    results = _between(texts, "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG")
    assert results.count("Đến ngày 15/10/2026, phần việc của đơn vị đã hoàn thành (không thời "
                         "hạn) (ngày 15/10/2026).") == 2
    assert not any("đang thực hiện" in t for t in results)
    row = [c.text for c in doc.tables[2].rows[1].cells]
    assert row[1].startswith("MTTQ")
    # done 2 of 11, none "đúng hạn": every task is "Thường xuyên", without a deadline
    assert row[2:] == ["11", "2", "9", "0", "0", "0", "0", "11", "18,2%", "18,2%"]
    tasks = {r.cells[0].text: r.cells[-1].text for r in doc.tables[3].rows[1:]}
    assert tasks["1.2"] == tasks["3.2"] == "đã hoàn thành (không thời hạn)"


def test_the_partys_report_keeps_the_tasks_own_state(done_by_mttq: Path, cli: Runner) -> None:
    """Without --don-vi the shared tasks are still being carried out by the others."""
    from docx import Document

    result = cli("report", "--xuat", str(done_by_mttq / "dang.docx"))
    assert result.code == 0, result.err
    assert "11 nhiệm vụ: 0 đã hoàn thành, 2 đang thực hiện" in result.out
    doc = Document(str(done_by_mttq / "dang.docx"))
    texts = _texts(doc)
    everything = "\n".join(texts)
    # whose status a note reports, not "báo cáo đã hoàn thành" (the report is in progress)
    assert "(ngày 15/10/2026; trạng thái: đã hoàn thành)" in everything
    assert "báo cáo đã hoàn thành" not in everything
    # no "0 ... đã hoàn thành" among the strengths: a shortcoming instead
    good = _between(texts, "1. Ưu điểm", "2. Hạn chế")
    weak = _between(texts, "2. Hạn chế", "3. Nguyên nhân")
    assert not any("đã hoàn thành" in t for t in good)
    assert "- Chưa có nhiệm vụ nào hoàn thành." in weak
    # the silent group and its silent members: one bullet, not five
    assert ("- Các tổ chức chính trị - xã hội phường (ĐTN, HLHPN, HND, HCCB) chưa báo cáo kết "
            "quả thực hiện 11 nhiệm vụ được giao: chưa báo cáo lần nào.") in weak
    assert not any(t.startswith(("- Hội Nông dân", "- Đoàn Thanh niên")) for t in weak)
    # the appendix note comes before its table and stays with it
    body = doc.element.body
    # the paragraph ending the portrait section is one point high: on a full last page it
    # would otherwise spill over alone and leave a blank page before the appendix
    from docx.oxml.ns import qn

    ending = next(p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
                  is not None)
    assert ending.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "2"
    note = next(p for p in doc.paragraphs if p.text.startswith("Ghi chú:"))
    following = note._p.getnext()
    assert following is not None and following.tag == doc.tables[2]._tbl.tag
    assert following is doc.tables[2]._tbl and note.paragraph_format.keep_with_next
    # its short rows are never cut across pages (a line of a body's name alone on the next)
    assert all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None
               for r in doc.tables[2].rows[1:])
    assert body.index(note._p) > body.index(
        next(p for p in doc.paragraphs if p.text == "1. Kết quả theo đơn vị")._p)


def test_a_report_with_a_completed_task_says_so_among_strengths(
        done_by_mttq: Path, cli: Runner) -> None:
    from docx import Document

    assert cli("log", "1.2", "Đã kết thúc", "--don-vi", "MTTQ", "--ca-nhiem-vu",
               "--trang-thai", "hoan thanh").code == 0
    assert cli("report", "--xuat", str(done_by_mttq / "dang.docx")).code == 0
    texts = _texts(Document(str(done_by_mttq / "dang.docx")))
    assert _between(texts, "1. Ưu điểm", "2. Hạn chế")[0].endswith(
        "; 1 nhiệm vụ đã hoàn thành.")
    assert "- Chưa có nhiệm vụ nào hoàn thành." not in texts


def test_xuat_prints_the_summary_only(done_by_mttq: Path, cli: Runner) -> None:
    result = cli("report", "--xuat", str(done_by_mttq / "bc.docx"))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("Báo cáo quý IV/2026")
    assert any(line.startswith("Cần quan tâm: ") for line in lines)
    assert len(lines) == 5  # heading, period not over, plan, counts, attention
    assert "Kết quả theo đơn vị" not in result.out
    assert "Đã ghi dự thảo báo cáo:" in result.err
    # a format asked for explicitly is still printed whole
    asked = cli("report", "--xuat", str(done_by_mttq / "bc.xlsx"), "-d", "md")
    assert asked.code == 0, asked.err
    assert "# Tổng hợp" in asked.out
    table = cli("report", "--xuat", str(done_by_mttq / "bc2.docx"), "-d", "bang")
    assert "Kết quả theo đơn vị" in table.out
