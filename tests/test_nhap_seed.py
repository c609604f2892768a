"""`kehoach nhap` on the seed: the Markdown copy and a Word file built from the same text
give the plan encoded by hand in plans/kh160.yaml, task by task."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kehoach_cli.importer import import_document
from kehoach_cli.plan.loader import load_plan
from kehoach_cli.plan.model import Plan
from tests.conftest import FIXTURES, SEED_PLAN

SEED_MD = FIXTURES / "ke-hoach-160.md"


def _seed() -> Plan:
    return load_plan(SEED_PLAN).plan


def _import(path: Path, tmp_path: Path, registry: bool = True) -> tuple[Plan, Any]:
    result = import_document(path, list(_seed().don_vi) if registry else [], "kh160.yaml")
    out = tmp_path / "nhap.yaml"
    out.write_text(result.yaml_text, encoding="utf-8")
    return load_plan(out).plan, result


def _tasks(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (section.ma, section.tieu_de, task.ma, task.noi_dung, tuple(task.cac_y),
         {role.value: codes for role, codes in task.roles().items()},
         task.thoi_gian.van_ban if task.thoi_gian else None,
         task.thoi_gian.loai if task.thoi_gian else None,
         [(d.loai, d.so_ky_hieu, d.ngay, d.co_quan) for d in task.van_ban_lien_quan])
        for section, task in plan.tasks()
    ]


def _assert_same_as_seed(plan: Plan) -> None:
    seed = _seed()
    assert [t[2] for t in _tasks(plan)] == [t[2] for t in _tasks(seed)]
    for got, expected in zip(_tasks(plan), _tasks(seed), strict=True):
        assert got == expected, f"nhiệm vụ {expected[2]}"
    meta, want = plan.ke_hoach, seed.ke_hoach
    assert (meta.so_ky_hieu, meta.ngay, meta.dia_danh, meta.co_quan_cap_tren) == (None,) * 4
    assert meta.loai_van_ban == want.loai_van_ban
    assert meta.co_quan_ban_hanh == want.co_quan_ban_hanh
    assert meta.trich_yeu == want.trich_yeu
    assert meta.mo_dau == want.mo_dau
    assert [(d.loai, d.so_ky_hieu, d.ngay, d.co_quan) for d in meta.can_cu] == [
        (d.loai, d.so_ky_hieu, d.ngay, d.co_quan) for d in want.can_cu]
    assert meta.muc_dich_yeu_cau == want.muc_dich_yeu_cau
    assert meta.to_chuc_thuc_hien == want.to_chuc_thuc_hien
    assert meta.noi_nhan == want.noi_nhan
    assert meta.ky == want.ky
    assert sorted(b.ma for b in plan.don_vi) == sorted(b.ma for b in seed.don_vi)


def test_seed_markdown_matches_kh160(tmp_path: Path) -> None:
    plan, result = _import(SEED_MD, tmp_path)
    _assert_same_as_seed(plan)
    assert result.notes == []
    assert result.new_bodies == []


def test_seed_summary_table(tmp_path: Path) -> None:
    """The same table as the foundation test: ids, bodies per role, timeframe, sub-points."""
    plan, _ = _import(SEED_MD, tmp_path)
    table = {task.ma: (task.chi_dao, task.tham_muu_thuc_hien, task.thoi_gian.loai.value
                       if task.thoi_gian else None, len(task.cac_y))
             for _, task in plan.tasks()}
    full = ["HĐND", "UBND", "KDV", "MTTQ", "CT-XH", "CB"]
    assert table == {
        "1.1": (["ĐU"], ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "1.2": (["ĐU"], ["MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "2.1": (["ĐU"], ["UBND", "KDV", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "2.2": (["ĐU"], full, "thuong_xuyen", 0),
        "3.1": (["ĐU"], ["KDV", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 2),
        "3.2": (["ĐU"], ["HĐND", "UBND", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "3.3": (["ĐU"], ["UBND", "KDV", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "4": (["ĐU"], full, "thuong_xuyen", 0),
        "5.1": (["ĐU"], ["KDV", "MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "5.2": (["ĐU"], ["MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
        "5.3": (["ĐU"], ["MTTQ", "CT-XH", "CB"], "thuong_xuyen", 0),
    }


def test_seed_without_registry_proposes_codes_and_reports_them(tmp_path: Path) -> None:
    plan, result = _import(SEED_MD, tmp_path, registry=False)
    codes = {b.ma: b.ten for b in plan.don_vi}
    assert codes["ĐU"] == "Đảng ủy"
    assert codes["UBND"] == "UBND phường"
    # The name as the document writes it: no "phường" taken from a neighbouring item.
    assert codes["MTTQ"] == "Mặt trận Tổ quốc"
    assert len(plan.tasks()) == 11
    assert {n.no for n in result.notes} >= {25, 27}
    assert all("mã đề xuất" in n.text for n in result.notes)


def test_emitted_yaml_reads_back_as_built(tmp_path: Path) -> None:
    import yaml

    result = import_document(SEED_MD, list(_seed().don_vi))
    data = yaml.safe_load(result.yaml_text)
    assert [s["ma"] for s in data["noi_dung"]] == ["1", "2", "3", "4", "5"]
    assert data["noi_dung"][3]["nhiem_vu"][0]["ma"] == "4"
    assert "Mục 4 không có mục con" in result.yaml_text
    # Vietnamese is written as is, never as \u escapes.
    assert "\\u" not in result.yaml_text and "Mặt trận Tổ quốc" in result.yaml_text
    assert max(len(line) for line in result.yaml_text.splitlines()) <= 100


# --- the same text as a Word document --------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _runs(paragraph: Any, text: str) -> None:
    """Markdown **bold** as bold runs; *italic* marks dropped."""
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            paragraph.add_run(text[pos:match.start()].replace("*", ""))
        paragraph.add_run(match.group(1).replace("*", "")).bold = True
        pos = match.end()
    if pos < len(text):
        paragraph.add_run(text[pos:].replace("*", ""))


def _docx_from_markdown(source: Path, target: Path, numbering_bold: bool = True) -> None:
    """A Word file with the seed's text: bold task numbers, bullet paragraphs, headings as
    bold paragraphs, and the recipients and signature side by side in a table."""
    from docx import Document

    document = Document()
    lines = [line.strip() for line in source.read_text(encoding="utf-8").splitlines()]
    closing_at = next(i for i, line in enumerate(lines) if "Nơi nhận" in line)
    for line in lines[:closing_at]:
        if not line or set(line) <= {"-"}:
            continue
        line = re.sub(r"^#+\s*", "", line)
        if line.startswith("- "):
            paragraph = document.add_paragraph(style="List Bullet")
            _runs(paragraph, line[2:])
            continue
        paragraph = document.add_paragraph()
        if not numbering_bold:
            line = line.replace("**", "")
        _runs(paragraph, line)
    recipients = [line for line in lines[closing_at + 1:] if line.startswith("- ")]
    signature = [line.replace("**", "") for line in lines[closing_at + 1:]
                 if line and not line.startswith("- ")]
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for item in recipients:
        left.add_paragraph(item)
    right.paragraphs[0].add_run(signature[0]).bold = True
    for item in signature[1:]:
        right.add_paragraph().add_run(item).bold = True
    document.save(str(target))


@pytest.mark.parametrize("numbering_bold", [True, False], ids=["số đậm", "không đậm"])
def test_seed_docx_matches_kh160(tmp_path: Path, numbering_bold: bool) -> None:
    target = tmp_path / "ke-hoach-160.docx"
    _docx_from_markdown(SEED_MD, target, numbering_bold)
    plan, result = _import(target, tmp_path)
    _assert_same_as_seed(plan)
    assert result.unit == "đoạn"
    assert result.notes == []
