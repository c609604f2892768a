"""Page furniture of a Word report: page, fonts, letterhead, signature, recipients, page
numbers, landscape appendix sections. The content lives in `docx_report.py`.

Two layouts, chosen by who issues the report:
- the Party's (Hướng dẫn 36-HD/VPTW, 2018): "ĐẢNG CỘNG SẢN VIỆT NAM" (bold, 15pt,
  underlined) on the right above the place and date (italic); on the left the superior body
  (caps) above the issuing body (caps, bold), a "*" and "Số ...-BC/ĐU" (a hyphen, no year,
  no colon); signature "T/M ĐẢNG ỦY / BÍ THƯ / name";
- the State's (Nghị định 30/2020/NĐ-CP, Phụ lục I), which the Fatherland Front and the
  organisations follow: the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold, 13pt)
  over "Độc lập - Tự do - Hạnh phúc" (bold, 14pt) with a rule under it, the body's lines on
  the left with a short rule, "Số: .../BC-MTTQ-BTT"; signature "TM. BAN THƯỜNG TRỰC /
  CHỦ TỊCH / name"; "Nơi nhận:" bold italic 12pt, items 11pt, ending "- Lưu: VT, MTTQ.".
Both: A4, Times New Roman, margins top 25, bottom 25, left 35, right 15 mm (within both
guides' ranges); page numbers in Arabic digits centred in the top margin, not on the first
page (Phụ lục I of ND 30; Party handbooks give the same for HD 36); the language of the
text Vietnamese (w:lang vi-VN), so Word checks spelling in Vietnamese.

What the plan or the registry does not say (the number, the date, the ward's name) is a
visible blank of dots, never guessed. A body's own header, number symbol, signature and
recipients are registry data (`don_vi[].van_ban`, `plan.model.Letterhead`); what a ward
leaves out takes the default for the kind of body (`letterhead_for`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kehoach_cli.plan.model import Body, Letterhead, PlanMeta, Signature
from kehoach_cli.text import fold, printable

FONT = "Times New Roman"
LANG = "vi-VN"
BLANK = "................"  # a visible blank the office fills in
WARD_BLANK = "........"  # where the ward's own name goes, short enough for the header
SHORT_BLANK = "...."
TABLE_PT = 12  # tables are set smaller than the 14pt body so they fit the page
TEXT_MM = 160  # A4 portrait: 210 mm less margins 35 + 15
LANDSCAPE_TEXT_MM = 247  # A4 landscape: 297 mm less margins 35 + 15
# A name ending with one of these lacks the ward's own name ("Đảng ủy phường").
_UNIT_NOUNS = ("phuong", "xa", "thi tran", "dang uy")

HD36 = "hd36"
ND30 = "nd30"


@dataclass(frozen=True)
class Heading:
    """Everything that heads and closes one report: resolved from the plan (the Party
    Committee's report) or from a body's registry entry (that body's own report)."""

    layout: str  # HD36 or ND30
    lines: list[str]  # left header lines, top to bottom; the last is the issuing body
    number: str  # "Số    -BC/ĐU" or "Số:      /BC-MTTQ-BTT"
    place: str
    signature: Signature
    recipients: list[str] = field(default_factory=list)


def ward_blank(name: str) -> str:
    """"Đảng ủy phường" -> "Đảng ủy phường ........": the ward's name is never guessed."""
    return f"{name} {WARD_BLANK}" if fold(name).endswith(_UNIT_NOUNS) else name


def _kind(body: Body) -> str:
    """"front", "organisation", "party", "state" or "other", from the code and name."""
    code, name = fold(body.ma), fold(body.ten)
    if code in {"mttq", "ubmttq"} or "mat tran" in name:
        return "front"
    if name.startswith(("hoi ", "doan ", "cong doan")) or code in {"dtn", "hlhpn", "hnd", "hccb"}:
        return "organisation"
    if "dang uy" in name or name.startswith(("khoi dan van", "chi bo", "ban ")) or code == "du":
        return "party"
    if name.startswith(("uy ban nhan dan", "hoi dong nhan dan", "thuong truc hoi dong")):
        return "state"
    return "other"


def default_letterhead(body: Body) -> Letterhead:
    """The usual header and signature of a kind of body, for a ward to adjust in its
    registry (research notes on ND 30 and ward templates of the Front, 2025-2026)."""
    kind = _kind(body)
    name = ward_blank(body.ten).upper()
    if kind == "front":
        return Letterhead(
            ND30, ["ỦY BAN MTTQ VIỆT NAM", f"PHƯỜNG {WARD_BLANK}", "BAN THƯỜNG TRỰC"],
            "BC-MTTQ-BTT", Signature("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"),
            [f"Ban Thường trực Ủy ban MTTQ Việt Nam {BLANK} (b/c);",
             "Thường trực Đảng ủy phường (b/c);", "Các tổ chức thành viên;", "Lưu: VT, MTTQ."])
    if kind == "organisation":
        head = "BÍ THƯ" if fold(body.ten).startswith("doan") else "CHỦ TỊCH"
        return Letterhead(
            ND30, [BLANK, f"BAN CHẤP HÀNH {name}"], f"BC-{body.ma}",
            Signature("TM. BAN THƯỜNG VỤ", head),
            [f"Ban Thường vụ {BLANK} (b/c);", "Thường trực Đảng ủy phường (b/c);",
             "Ban Thường trực Ủy ban MTTQ Việt Nam phường;", f"Lưu: VT, {body.ma}."])
    if kind == "party":
        return Letterhead(HD36, [f"ĐẢNG ỦY PHƯỜNG {WARD_BLANK}", name], f"BC/{body.ma}",
                          Signature(f"T/M {body.ten.upper()}", BLANK),
                          ["Thường trực Đảng ủy (b/c),", f"Lưu {body.ten}."])
    if kind == "state":
        return Letterhead(ND30, [name], f"BC-{body.ma}", Signature(f"TM. {name}", "CHỦ TỊCH"),
                          [f"{BLANK} (b/c);", "Thường trực Đảng ủy phường (b/c);",
                           f"Lưu: VT, {body.ma}."])
    return Letterhead(ND30, [name], f"BC-{body.ma}", Signature(f"TM. {name}", BLANK),
                      [f"{BLANK} (b/c);", "Lưu: VT."])


def letterhead_for(body: Body) -> Letterhead:
    """The body's own letterhead, what it leaves out filled from the default for its kind."""
    default = default_letterhead(body)
    own = body.van_ban
    if own is None:
        return default
    sign = Signature(own.ky.thay_mat or default.ky.thay_mat, own.ky.chuc_vu or default.ky.chuc_vu,
                     own.ky.ho_ten or default.ky.ho_ten)
    return Letterhead(own.the_thuc or default.the_thuc, own.tieu_de or default.tieu_de,
                      own.ky_hieu or default.ky_hieu, sign, own.noi_nhan or default.noi_nhan)


def number_line(layout: str, symbol: str) -> str:
    """"Số    -BC/ĐU" (HD 36: hyphen, no colon) or "Số:      /BC-MTTQ-BTT" (ND 30)."""
    if layout == HD36:
        return f"Số    -{symbol}"
    return f"Số:      /{symbol}"


def body_heading(body: Body, meta: PlanMeta) -> Heading:
    """The heading of body `body`'s own report."""
    head = letterhead_for(body)
    layout = head.the_thuc if head.the_thuc in (HD36, ND30) else ND30
    place = meta.dia_danh or SHORT_BLANK
    return Heading(layout, list(head.tieu_de), number_line(layout, head.ky_hieu or f"BC-{body.ma}"),
                   place, head.ky, list(head.noi_nhan))


def party_heading(meta: PlanMeta, issuer: str, recipients: list[str]) -> Heading:
    """The heading of the Party Committee's report: its plan's own header data."""
    suffix = meta.so_ky_hieu.split("/", 1)[1] if meta.so_ky_hieu and "/" in meta.so_ky_hieu else "ĐU"
    superior = (meta.co_quan_cap_tren or BLANK).upper()
    return Heading(HD36, [superior, issuer.upper()], number_line(HD36, f"BC/{suffix}"),
                   meta.dia_danh or SHORT_BLANK, meta.ky, recipients)


def upward_recipients(meta: PlanMeta, configured: tuple[str, ...]) -> list[str]:
    """Where a report goes: the workspace's `noi_nhan_bao_cao`, else the superior's standing
    committee "(b/c)", the members of the committee and the archive. Never the plan's own
    distribution list: that said where the plan went down, not where the report goes up."""
    if configured:
        return list(configured)
    superior = meta.co_quan_cap_tren
    standing = f"Ban Thường vụ {superior} (b/c)," if superior else f"Ban Thường vụ {BLANK} (b/c),"
    return [standing, "Các đồng chí Đảng ủy viên,", "Lưu Văn phòng Đảng ủy."]


# --------------------------------------------------------------------------- python-docx


def _set_lang(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia"):
        lang.set(qn(attr), LANG)


class Doc:
    """A thin layer over python-docx for the handful of paragraph shapes a report needs."""

    def __init__(self) -> None:
        from docx import Document
        from docx.oxml.ns import qn

        self.doc = Document()
        self.page(self.doc.sections[0], landscape=False)
        normal = self.doc.styles["Normal"]
        self._font(normal.element, normal.font, 14)
        normal.paragraph_format.space_after = 0
        _set_lang(normal.element.get_or_add_rPr())
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if rpr is not None:
                _set_lang(rpr)

    @staticmethod
    def page(section: Any, *, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Mm(25), Mm(25)
        section.left_margin, section.right_margin = Mm(35), Mm(15)
        section.header_distance = Mm(10)

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
             after: float = 6, keep: bool = False) -> Any:
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
            self.run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
        return paragraph

    @staticmethod
    def run(paragraph: Any, text: str, *, size: float = 14, bold: bool = False,
            italic: bool = False, underline: bool = False) -> Any:
        """A run of `text`; only what differs from the Normal style (Times New Roman 14pt)
        is written. The `w:t` element is made directly: python-docx's `run.text` walks the
        text a character at a time, most of the time of a report with 5,000 notes."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        run = paragraph.add_run()
        if size != 14:
            run.font.size = Pt(size)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if underline:
            run.underline = True
        if text:
            # Word's XML cannot hold most control characters (a hand-edited note may): they
            # are written as their visible codes, as on the terminal.
            text = printable(text)
            element = OxmlElement("w:t")
            element.text = text
            if text != text.strip():
                element.set(qn("xml:space"), "preserve")
            run._r.append(element)
        return run

    def cell_para(self, cell: Any, text: str, **kwargs: Any) -> Any:
        """Write into a table cell: its first (empty) paragraph, then new ones."""
        first = cell.paragraphs[0]
        if not first.text and len(cell.paragraphs) == 1 and not first.runs:
            element = first._element
            element.getparent().remove(element)
        kwargs.setdefault("after", 0)
        return self.para(text, container=cell, **kwargs)

    def rule(self, cell: Any, width_mm: float, cell_mm: float) -> None:
        """A solid centred rule `width_mm` long (ND 30: under the motto and the body's
        name; a border, not an underline, so it does not follow the text's length)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        paragraph = self.cell_para(cell, "", size=4)
        side = max((cell_mm - width_mm) / 2, 0)
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
        fmt.line_spacing = Pt(4)
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                            ("w:color", "000000")):
            top.set(qn(attr), value)
        borders.append(top)
        ppr.append(borders)

    def table(self, columns: list[str], rows: list[list[str]], widths_mm: list[float],
              size: float = TABLE_PT, left_from: float = 30, whole_rows: bool = False) -> Any:
        """A table with a repeated header row; `whole_rows` keeps each row on one page (for
        short rows: a table cut mid-row leaves a line of a name alone on the next page;
        long task rows may break, or pages would be left half empty)."""
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
            self.cell_para(cell, text, size=size, bold=True, align="center")
        for values in rows:
            row = table.add_row()
            if whole_rows:
                whole = OxmlElement("w:cantSplit")
                whole.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(whole)
            cells = row.cells
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                align = "left" if widths_mm[i] >= left_from else "center"
                for line in text.split("\n"):
                    self.cell_para(cell, line, size=size, align=align)
        set_widths(table, widths_mm)
        return table

    def two_columns(self, widths: tuple[float, float] = (75, 85)) -> tuple[Any, Any]:
        """The borderless two-column layout of the header and of the closing block (mm)."""
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        set_widths(table, list(widths))
        left, right = table.rows[0].cells
        return left, right

    def page_numbers(self) -> None:
        """A PAGE field centred in the top margin of every page but the first."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = 1  # centre
        run = self.run(paragraph, "", size=14)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
            if kind is None:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
                continue
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
            if kind == "separate":
                shown = OxmlElement("w:t")
                shown.text = "2"
                run._r.append(shown)

    def landscape_section(self) -> None:
        """Start a new page turned landscape, for the wide appendix tables."""
        from docx.enum.section import WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.page(section, landscape=True)
        section.different_first_page_header_footer = False
        self._shrink(self.doc.paragraphs[-1])

    @staticmethod
    def _shrink(paragraph: Any) -> None:
        """Make the empty paragraph that ends a section (it holds the section break) one
        point high: on a full page it would spill over alone and leave a blank page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(1)
        ppr = paragraph._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")  # the paragraph mark's font: it sets the line's height
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "2")  # half-points
        rpr.append(size)
        sect = ppr.find(qn("w:sectPr"))
        if sect is not None:  # the schema puts the mark's rPr before sectPr
            sect.addprevious(rpr)
        else:
            ppr.append(rpr)


def set_widths(table: Any, widths_mm: list[float]) -> None:
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


def write_header(doc: Doc, heading: Heading) -> None:
    """The letterhead: HD 36 or ND 30, as `heading.layout` says."""
    state = heading.layout == ND30
    # ND 30 gives the motto the wider side: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line.
    widths = (62.0, 98.0) if state else (70.0, 90.0)
    left, right = doc.two_columns(widths)
    lines = heading.lines or [BLANK]
    size = 13 if state else 14
    for i, line in enumerate(lines):
        doc.cell_para(left, line, size=size, bold=i == len(lines) - 1, align="center")
    if state:
        doc.rule(left, 25, widths[0])
    else:
        doc.cell_para(left, "*", align="center")
    doc.cell_para(left, heading.number, size=size, align="center", before=3)
    if state:
        doc.cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True,
                      align="center")
        doc.cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=13.5, bold=True, align="center")
        doc.rule(right, 60, widths[1])
    else:
        doc.cell_para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True,
                      align="center", after=6)
    doc.cell_para(right, f"{heading.place}, ngày .. tháng .. năm ....", italic=True,
                  align="center", before=6)


def _keep(paragraph: Any) -> None:
    fmt = paragraph.paragraph_format
    fmt.keep_with_next = True
    fmt.keep_together = True


def write_closing(doc: Doc, heading: Heading, last: Any) -> None:
    """Recipients on the left, signature on the right, kept on one page and with the last
    paragraph of the text (`last`): a signature alone on a page is not signed text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _keep(last)
    left, right = doc.two_columns((75, 85))
    row = left._tc.getparent()
    trpr = row.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)
    state = heading.layout == ND30
    label = doc.cell_para(left, "Nơi nhận:", size=12 if state else 14, bold=state,
                          italic=state, underline=not state, align="left")
    _keep(label)
    for line in heading.recipients or [f"{BLANK},"]:
        text = line if line.lstrip().startswith("-") else f"- {line}"
        _keep(doc.cell_para(left, text, size=11 if state else 12, align="left"))
    sign = heading.signature
    lines = [(sign.thay_mat or ("TM. " if state else "T/M ") + BLANK).upper(),
             (sign.chuc_vu or BLANK).upper()]
    for text in lines:
        _keep(doc.cell_para(right, text, bold=True, align="center"))
    for _ in range(4):
        _keep(doc.cell_para(right, "", align="center"))
    name = doc.cell_para(right, sign.ho_ten or BLANK, bold=True, align="center")
    name.paragraph_format.keep_together = True
