"""The review as a Word draft in the Party document format (Hướng dẫn 36-HD/VPTW, 2018).

Layout, from ../shared/domain.md: A4, Times New Roman, margins top 25, bottom 25, left
35, right 15 mm; a header table with the superior body (caps) above the issuing body (caps,
bold), a "*" and "Số ...-BC/ĐU" on the left, and "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, caps,
15pt, underlined) above "<place>, ngày .. tháng .. năm ...." (italic) on the right; the type
name "BÁO CÁO" (bold, 16pt) and its subject line (bold, 14pt); body 14pt; the signature
block (T/M ĐẢNG ỦY / BÍ THƯ / name) and "Nơi nhận:" ending "- Lưu Văn phòng".

It is a draft for the office to finish in Word: whatever the plan does not say (the
report's number and date, the place, the ward's name, the superior body) is left as a
visible blank of dots, never guessed. The file is written to a temporary name and renamed,
and an existing file is only replaced with `overwrite`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach_cli.dates import format_date
from kehoach_cli.errors import Conflict
from kehoach_cli.plan.model import PlanMeta
from kehoach_cli.render.report import (
    DASH,
    bodies_text,
    body_counts,
    latest_notes,
    percent,
    summary_lines,
    task_id,
)
from kehoach_cli.render.values import figures_text, timeframe_text
from kehoach_cli.status import STATUS_LABELS
from kehoach_cli.text import fold, shorten

if TYPE_CHECKING:
    from kehoach_cli.query.review import Report, TaskLine

FONT = "Times New Roman"
BLANK = "................"  # a visible blank the office fills in
WARD_BLANK = "........"  # where the ward's own name goes, short enough for the header
SHORT_BLANK = "...."
# A name ending with one of these lacks the ward's own name ("Đảng ủy phường").
_UNIT_NOUNS = ("phuong", "xa", "thi tran", "dang uy")
TABLE_PT = 12  # tables are set smaller than the 14pt body so they fit the page


def party_name(report: Report) -> str:
    """The issuing body, as the plan names it (its registry name when the plan uses a code
    or short name), with a blank where the ward's name should follow."""
    meta = report.plans[0].plan.ke_hoach
    name = meta.co_quan_ban_hanh
    if not name:
        return BLANK
    for body in report.plans[0].plan.don_vi:
        if fold(name) in {fold(body.ma), fold(body.ten), *(fold(a) for a in body.ten_khac)}:
            name = body.ten
            break
    if fold(name).endswith(_UNIT_NOUNS):
        name = f"{name} {WARD_BLANK}"
    return name


def number_suffix(meta: PlanMeta) -> str:
    """The issuer part of a Party number, from the plan's own ("12-KH/ĐU" -> "ĐU")."""
    if meta.so_ky_hieu and "/" in meta.so_ky_hieu:
        return meta.so_ky_hieu.split("/", 1)[1]
    return "ĐU"


def plan_reference(report: Report) -> str:
    """"Kế hoạch số 12-KH/ĐU, ngày 05/3/2025 của Đảng ủy ... thực hiện ..." (blanks where
    the plan has no number or date)."""
    if len(report.plans) > 1:
        return f"{len(report.plans)} kế hoạch"
    meta = report.plans[0].plan.ke_hoach
    number = meta.so_ky_hieu or BLANK
    when = f", ngày {format_date(meta.ngay)}" if meta.ngay else ""
    return f"{meta.loai_van_ban} số {number}{when} {meta.trich_yeu}".strip()


def _recipients(meta: PlanMeta) -> list[str]:
    """The plan's recipients, the archive line ("Lưu Văn phòng") always last."""
    lines = [r.strip().lstrip("-").strip() for r in meta.noi_nhan]
    keep = [r for r in lines if not fold(r).startswith("luu")]
    archive = next((r for r in lines if fold(r).startswith("luu van phong")), "Lưu Văn phòng.")
    if not keep:
        keep = [f"{BLANK},"]
    return [f"- {r}" for r in keep] + [f"- {archive}"]


class _Doc:
    """A thin layer over python-docx for the handful of paragraph shapes a report needs."""

    def __init__(self) -> None:
        from docx import Document
        from docx.shared import Mm

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(25), Mm(25)
        section.left_margin, section.right_margin = Mm(35), Mm(15)
        normal = self.doc.styles["Normal"]
        self._font(normal.element, normal.font, 14)
        normal.paragraph_format.space_after = 0

    @staticmethod
    def _font(element: Any, font: Any, size: float) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt

        font.name = FONT
        font.size = Pt(size)
        rpr = element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)

    def para(self, text: str = "", *, container: Any = None, size: float = 14,
             bold: bool = False, italic: bool = False, underline: bool = False,
             align: str = "justify", indent: bool = False, before: float = 0,
             after: float = 3, keep: bool = False) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        target = container if container is not None else self.doc
        paragraph = target.add_paragraph()
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT,
                               "center": WD_ALIGN_PARAGRAPH.CENTER,
                               "right": WD_ALIGN_PARAGRAPH.RIGHT,
                               "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent:
            fmt.first_line_indent = Mm(10)
        if keep:  # a heading stays on the page of what it introduces
            fmt.keep_with_next = True
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(size)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.name = FONT
        return paragraph

    def cell_para(self, cell: Any, text: str, **kwargs: Any) -> Any:
        """Write into a table cell: its first (empty) paragraph, then new ones."""
        first = cell.paragraphs[0]
        if not first.text and len(cell.paragraphs) == 1 and not first.runs:
            element = first._element
            element.getparent().remove(element)
        return self.para(text, container=cell, **kwargs)

    def table(self, columns: list[str], rows: list[list[str]], widths_mm: list[float],
              size: float = TABLE_PT) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header.cells, columns, strict=True):
            self.cell_para(cell, text, size=size, bold=True, align="center", after=0)
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                align = "left" if widths_mm[i] >= 30 else "center"
                for j, line in enumerate(text.split("\n")):
                    self.cell_para(cell, line, size=size, align=align, after=0,
                                   bold=values[0] == "" and j == 0 and i == 1)
        _set_widths(table, widths_mm)
        return table

    def section_row(self, table: Any, text: str, size: float = TABLE_PT) -> None:
        """A full-width row naming a section of the plan, in bold."""
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        self.cell_para(merged, text, size=size, bold=True, align="left", after=0)


def _two_columns(doc: _Doc) -> tuple[Any, Any]:
    """The borderless two-column layout of the header and of the closing block (mm)."""
    table = doc.doc.add_table(rows=1, cols=2)
    table.autofit = False
    _set_widths(table, [75, 85])
    left, right = table.rows[0].cells
    return left, right


def _header(doc: _Doc, report: Report) -> None:
    meta = report.plans[0].plan.ke_hoach
    left, right = _two_columns(doc)
    superior = meta.co_quan_cap_tren or BLANK
    doc.cell_para(left, superior.upper(), align="center", after=0)
    doc.cell_para(left, party_name(report).upper(), bold=True, align="center", after=0)
    doc.cell_para(left, "*", align="center", after=0)
    doc.cell_para(left, f"Số    -BC/{number_suffix(meta)}", align="center", after=0)
    doc.cell_para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True,
                  align="center", after=6)
    place = meta.dia_danh or SHORT_BLANK
    doc.cell_para(right, f"{place}, ngày .. tháng .. năm ....", italic=True, align="center",
                  before=6, after=0)


def _task_table(doc: _Doc, report: Report) -> None:
    columns = ["Mã", "Nội dung nhiệm vụ", "Đơn vị thực hiện, thời gian",
               "Kết quả trong kỳ", "Trạng thái cuối kỳ"]
    widths = [12.0, 56.0, 28.0, 40.0, 24.0]
    table = doc.table(columns, [], widths)
    current = None
    for line in report.tasks:
        key = (line.plan.key, line.section.ma)
        if key != current:
            current = key
            prefix = f"{line.plan.key} – " if len(report.plans) > 1 else ""
            doc.section_row(table, f"{prefix}{line.section.ma}. {line.section.tieu_de}")
        cells = table.add_row().cells
        values = [task_id(report, line), shorten(line.task.noi_dung, 220),
                  f"{bodies_text(line.task)}\n({timeframe_text(line.task.thoi_gian, DASH)})",
                  _result_text(line), line.state.label()]
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            for part in text.split("\n"):
                doc.cell_para(cell, part, size=TABLE_PT, after=0,
                              align="center" if i in (0, 4) else "left")
    _set_widths(table, widths)


def _result_text(line: TaskLine) -> str:
    if not line.entries:
        return "Không có ghi nhận trong kỳ." if not line.not_expected else "Không phát sinh."
    parts = [f"{len(line.entries)} ghi nhận.", latest_notes(line, width=90)]
    if line.so_lieu:
        parts.append(f"Số liệu: {figures_text(line.so_lieu)}.")
    return "\n".join(parts)


def _set_widths(table: Any, widths_mm: list[float]) -> None:
    from docx.shared import Mm

    # Word reads the cell widths, LibreOffice the grid columns: set both.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        cells = row.cells
        if len({id(c._tc) for c in cells}) < len(cells):
            continue  # a merged section row keeps its full width
        for cell, width in zip(cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _body_table(doc: _Doc, report: Report) -> None:
    columns = ["STT", "Đơn vị", "Tổng số NV", "Có hoạt động", "Không hoạt động",
               "HT đúng hạn", "HT quá hạn", "Chưa HT, trong hạn", "Chưa HT, quá hạn",
               "Thường xuyên", "Tỷ lệ HT"]
    rows = []
    for i, body in enumerate(report.bodies, 1):
        rows.append([str(i), body.ma, *(str(v) for v in body_counts(body).values()),
                     percent(body.rate)])
    doc.table(columns, rows, [11.0, 19.0, 13.0, 15.0, 15.0, 13.0, 13.0, 15.0, 15.0, 17.0, 14.0],
              size=10)
    doc.para("Ghi chú: NV: nhiệm vụ; HT: hoàn thành; “thường xuyên”: nhiệm vụ không thời "
             "hạn chưa hoàn thành. Đơn vị nhận nhiệm vụ trực tiếp hoặc qua nhóm (thành viên "
             "các tổ chức chính trị - xã hội).", size=12, italic=True, before=3)


def _attention(doc: _Doc, report: Report) -> None:
    """One paragraph a kind of concern, naming the tasks: what a report to the Committee
    says, where the terminal lists a row a task."""
    quiet, late = report.without_activity, report.overdue
    if not quiet and not late:
        doc.para("Các nhiệm vụ đều có hoạt động trong kỳ, không có nhiệm vụ quá hạn.",
                 indent=True)
    if quiet:
        ids = ", ".join(task_id(report, t) for t in quiet)
        doc.para(f"- Không có hoạt động trong kỳ ({len(quiet)} nhiệm vụ): {ids}.", indent=True)
    if late:
        items = "; ".join(
            f"{task_id(report, t)} ({bodies_text(t.task)}; hạn "
            f"{format_date(t.state.han) if t.state.han else '...'}, "
            f"{STATUS_LABELS[t.state.status]})" for t in late)
        doc.para(f"- Quá hạn ({len(late)} nhiệm vụ): {items}.", indent=True)


def _next_tasks(doc: _Doc, report: Report) -> None:
    nxt = report.next_span
    due = report.due_next
    if due:
        doc.para(f"Các nhiệm vụ đến hạn trong {nxt.label} ({nxt.dates_text()}):", indent=True)
        for line in due:
            dates = ", ".join(format_date(d) for d in line.due_next)
            doc.para(f"- Nhiệm vụ {task_id(report, line)}: {shorten(line.task.noi_dung, 160)} "
                     f"(hạn {dates}; {STATUS_LABELS[line.state.status]}).", indent=True)
    for _ in range(2):
        doc.para("- " + "." * 95, indent=True)


def _closing(doc: _Doc, report: Report) -> None:
    meta = report.plans[0].plan.ke_hoach
    left, right = _two_columns(doc)
    doc.cell_para(left, "Nơi nhận:", underline=True, align="left", after=0)
    for line in _recipients(meta):
        doc.cell_para(left, line, size=12, align="left", after=0)
    sign = meta.ky
    doc.cell_para(right, (sign.thay_mat or "T/M " + BLANK).upper(), bold=True, align="center",
                  after=0)
    doc.cell_para(right, (sign.chuc_vu or BLANK).upper(), bold=True, align="center", after=0)
    for _ in range(4):
        doc.cell_para(right, "", align="center", after=0)
    doc.cell_para(right, sign.ho_ten or BLANK, bold=True, align="center", after=0)


def build_document(report: Report) -> Any:
    """The python-docx Document of the draft report."""
    doc = _Doc()
    _header(doc, report)
    doc.para("BÁO CÁO", size=16, bold=True, align="center", before=18, after=0)
    doc.para(f"kết quả thực hiện {plan_reference(report)}", bold=True, align="center", after=0)
    span = report.span
    doc.para(f"{span.label[:1].upper()}{span.label[1:]} ({span.dates_text()})", bold=True,
             align="center", after=0)
    doc.para("-----", align="center", after=12)
    summary = summary_lines(report)
    issuer = party_name(report)
    doc.para(f"Thực hiện {plan_reference(report)}, {issuer} báo cáo kết quả thực hiện "
             f"{span.label}, số liệu {span.dates_text()}"
             f"{', tính đến ngày ' + format_date(report.as_of) if report.as_of < span.den else ''}"
             ", như sau:", indent=True, after=6)
    doc.para("I. KẾT QUẢ THỰC HIỆN", bold=True, keep=True, after=3)
    doc.para("1. Tình hình chung", bold=True, keep=True, indent=True)
    for line in summary[1:]:
        if not line.startswith("Kế hoạch:"):  # the subject line already names the plan
            doc.para(line, indent=True)
    doc.para("2. Kết quả thực hiện từng nhiệm vụ", bold=True, keep=True, indent=True, before=6)
    _task_table(doc, report)
    doc.para("II. KẾT QUẢ THEO ĐƠN VỊ", bold=True, keep=True, before=12, after=3)
    _body_table(doc, report)
    doc.para("III. NHỮNG VẤN ĐỀ CẦN QUAN TÂM", bold=True, keep=True, before=12, after=3)
    _attention(doc, report)
    doc.para("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", bold=True, keep=True, before=12, after=3)
    _next_tasks(doc, report)
    doc.para("", after=12)
    _closing(doc, report)
    return doc.doc


def write_docx(report: Report, target: Path, *, overwrite: bool = False) -> None:
    """Write the draft to `target` whole or not at all (atomic.py); refuse to replace an
    existing file unless `overwrite`."""
    from kehoach_cli.atomic import write_file

    if target.exists() and not overwrite:  # before building: the check is cheap, the build not
        raise Conflict(f"{target}: tệp đã có; thêm --ghi-de để ghi đè, hoặc chọn tên khác")
    document = build_document(report)
    write_file(target, document.save, overwrite=overwrite)
