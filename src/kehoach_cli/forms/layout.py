"""Writing a return form as an Excel workbook (openpyxl), and the cell layout reading shares.

Sheets: "Hướng dẫn" (instructions, shown first), "Nhiệm vụ" (the table to fill), and a very
hidden "_dinh_danh" holding the form's identity (plan, body, period, form id, which task each
row belongs to), so a renamed or forwarded file is still recognised. Excel itself checks what
it can (dates inside the period, the status list, numbers), the fixed cells are locked (the
sheet is protected without a password: the aim is to stop slips, not people), and the table
prints on A4 landscape with its header row repeated on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from kehoach_cli.dates import format_date
from kehoach_cli.forms.content import EXTRA_ROWS, FORM_KIND, FORM_VERSION, ROWS_PER_TASK, period_fields
from kehoach_cli.status import STATUS_LABELS

if TYPE_CHECKING:
    from datetime import date

    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

    from kehoach_cli.forms.content import FormContent

SHEET_GUIDE = "Hướng dẫn"
SHEET_TASKS = "Nhiệm vụ"
SHEET_ID = "_dinh_danh"
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
FILLER_CELL = "C5"  # "Người điền phiếu"
# Columns of the table: (letter, header, width). Fixed ones first, then those to fill.
COL_STT, COL_MA, COL_TASK, COL_ROLE, COL_DONE = "A", "B", "C", "D", "E"
COL_DAY, COL_RESULT, COL_STATUS, COL_FIG_NAME, COL_FIG, COL_EVIDENCE = "F", "G", "H", "I", "J", "K"
COLUMNS = [
    (COL_STT, "STT", 5), (COL_MA, "Mã nhiệm vụ", 8), (COL_TASK, "Nội dung nhiệm vụ", 44),
    (COL_ROLE, "Vai trò của đơn vị", 14), (COL_DONE, "Đã ghi nhận trong kỳ", 26),
    (COL_DAY, "Ngày thực hiện", 12), (COL_RESULT, "Kết quả thực hiện", 40),
    (COL_STATUS, "Trạng thái", 15), (COL_FIG_NAME, "Tên số liệu", 16), (COL_FIG, "Số liệu", 11),
    (COL_EVIDENCE, "Minh chứng (số văn bản)", 16),
]
FILL_COLUMNS = (COL_DAY, COL_RESULT, COL_STATUS, COL_FIG_NAME, COL_FIG, COL_EVIDENCE)
STATUS_CHOICES = [STATUS_LABELS[s] for s in STATUS_LABELS]
_EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal(): day 0 of Excel's calendar


def excel_serial(day: date) -> int:
    return day.toordinal() - _EXCEL_EPOCH_ORDINAL


def guide_lines(content: FormContent) -> list[str]:
    ident = content.identity
    span = ident.span
    return [
        "PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH",
        f"{content.ten_ke_hoach}: {content.trich_yeu}",
        f"Đơn vị báo cáo: {ident.don_vi} – {content.ten_don_vi}",
        f"Kỳ báo cáo: {ident.ky} ({span.dates_text()})",
        "",
        "Cách điền:",
        f"1. Mở trang “{SHEET_TASKS}”. Mỗi nhiệm vụ của đơn vị có {ROWS_PER_TASK} dòng trống; "
        "mỗi việc đã làm ghi một dòng.",
        f"2. Ngày thực hiện: gõ ngày/tháng/năm, ví dụ {format_date(span.den)}; chỉ nhận ngày trong kỳ "
        f"({format_date(span.tu)} – {format_date(span.den)}) và không sau ngày gửi phiếu.",
        "3. Kết quả thực hiện: đã làm gì, ở đâu, bao nhiêu (bắt buộc khi dòng có ghi gì khác).",
        "4. Trạng thái: chọn trong danh sách (" + ", ".join(STATUS_CHOICES) + "); bỏ trống nếu "
        "chưa rõ.",
        "5. Số liệu: tên ở cột “Tên số liệu” (ví dụ: số cuộc giám sát), con số ở cột “Số liệu” "
        "(chỉ gõ số, ví dụ 3 hoặc 35500000). Mỗi dòng một số liệu.",
        "6. Minh chứng: số văn bản, ví dụ 15-BC/MTTQ.",
        f"7. Việc làm cho nhiệm vụ đã hết dòng: ghi ở phần “Việc khác” cuối trang, chọn mã nhiệm vụ "
        f"trong danh sách ở cột “{COLUMNS[1][1]}”.",
        f"8. Ghi tên người điền ở ô {FILLER_CELL} trang “{SHEET_TASKS}”.",
        "",
        "Lưu ý:",
        "- Các ô xám (nhiệm vụ, vai trò, đã ghi nhận) đã khóa, không cần sửa.",
        "- Không thêm, xóa hay đổi tên trang; đổi tên tệp thì không sao.",
        "- Gửi lại tệp này (Zalo, thư điện tử) cho Văn phòng; gửi lại lần nữa sau khi sửa cũng "
        "được: việc đã nhập không bị tính hai lần, dòng sửa được ghi thành bản sửa.",
        "",
        f"Mã phiếu: {ident.ma_phieu} (lập ngày {format_date(ident.tao_luc.date())}).",
    ]


def _estimated_lines(text: str, width: int) -> int:
    # A column `width` characters wide holds about 1.2 times as many letters of Times 11.
    per_line = max(int(width * 1.2) - 2, 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")) if text else 1


def write_form(content: FormContent, handle: BinaryIO) -> None:
    """Write the workbook of `content` to `handle` (an .xlsx file opened for writing)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    guide = book.active
    assert guide is not None  # a new workbook always has its first sheet
    guide.title = SHEET_GUIDE
    _write_guide(guide, content)
    sheet = book.create_sheet(SHEET_TASKS)
    rows = _write_table(sheet, content)
    ident = book.create_sheet(SHEET_ID)
    _write_identity(ident, content, rows)
    ident.sheet_state = "veryHidden"
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    book.save(handle)


def _write_guide(sheet: Worksheet, content: FormContent) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, line in enumerate(guide_lines(content), 1):
        cell = sheet.cell(row=number, column=1, value=line)
        cell.alignment = wrap
        if number == 1:
            cell.font = Font(name="Times New Roman", bold=True, size=14)
        else:
            cell.font = Font(name="Times New Roman", size=12, bold=line.endswith(":") and len(line) < 12)
        sheet.row_dimensions[number].height = 16 * _estimated_lines(line, 110)
    _print_setup(sheet)
    sheet.protection.sheet = True


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


class _Dresser:
    """Styles for the cells of the table, each kind of cell styled once.

    Styling a cell through openpyxl's descriptors hashes every style object each time (most
    of the time of a form); each kind of cell is styled once, on a template cell, and the
    others take a copy of its style record."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.opened = Border(left=thin, right=thin, top=thin, bottom=None)  # a task's first row
        self.joined = Border(left=thin, right=thin, top=None, bottom=thin)  # the rows under it
        self.grey = PatternFill("solid", fgColor="EDEDED")
        self.head_fill = PatternFill("solid", fgColor="D9E1F2")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.font = Font(name="Times New Roman", size=11)
        self.bold = Font(name="Times New Roman", size=11, bold=True)
        self.title = Font(name="Times New Roman", size=14, bold=True)
        self.unlocked = Protection(locked=False)
        self._styled: dict[str, Cell | MergedCell] = {}

    def __call__(self, cell: Cell | MergedCell, kind: str) -> None:
        from copy import copy

        template = self._styled.get(kind)
        if template is not None:
            # `_style` is the StyleArray every openpyxl cell has; the stubs leave it out.
            cell._style = copy(template._style)  # type: ignore[union-attr]
            return
        self._styled[kind] = cell
        cell.font = self.font
        cell.border = {"-head": self.opened, "-cont": self.joined}.get(kind[-5:], self.border)
        if kind.startswith("fixed"):
            cell.fill = self.grey
            cell.alignment = self.centre if kind.startswith("fixed-centre") else self.wrap
        else:
            cell.protection = self.unlocked
            cell.alignment = self.wrap
        if kind == "fill-date":
            cell.number_format = "dd/mm/yyyy"


def _write_titles(sheet: Worksheet, content: FormContent, dress: _Dresser) -> None:
    """The form's title lines, who fills it in, and the column headers."""
    from openpyxl.styles import Alignment

    ident = content.identity
    last_col = COLUMNS[-1][0]
    titles = [
        ("PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN", dress.title),
        (f"{content.ten_ke_hoach}: {content.trich_yeu}", dress.font),
        (f"Đơn vị: {ident.don_vi} – {content.ten_don_vi}", dress.bold),
        (f"Kỳ báo cáo: {ident.ky} ({ident.span.dates_text()})", dress.bold),
    ]
    for number, (text, style) in enumerate(titles, 1):
        sheet.merge_cells(f"A{number}:{last_col}{number}")
        cell = sheet[f"A{number}"]
        cell.value = text
        cell.font = style
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="center" if number == 1 else "left")
        sheet.row_dimensions[number].height = 15 * _estimated_lines(text, 200) + 4
    sheet["A5"] = "Người điền phiếu:"
    sheet["A5"].font = dress.bold
    sheet.merge_cells("A5:B5")
    sheet.merge_cells(f"{FILLER_CELL}:D5")
    filler = sheet[FILLER_CELL]
    filler.protection = dress.unlocked
    filler.border = dress.border
    filler.font = dress.font
    for letter, header, width in COLUMNS:
        sheet.column_dimensions[letter].width = width
        cell = sheet[f"{letter}{HEADER_ROW}"]
        cell.value = header
        cell.font = dress.bold
        cell.fill = dress.head_fill
        cell.alignment = dress.centre
        cell.border = dress.border
    sheet.row_dimensions[HEADER_ROW].height = 32


def _write_task_rows(sheet: Worksheet, content: FormContent, dress: _Dresser,
                     rows: list[tuple[int, str]]) -> int:
    """`ROWS_PER_TASK` rows a task; returns the next free row."""
    row = FIRST_ROW
    for number, task in enumerate(content.tasks, 1):
        # The task is written on its first row; the rows under it continue it (no line
        # between them in the fixed columns), rather than merged cells, which cost a form
        # as much as all the rest.
        values = {COL_STT: number, COL_MA: task.ma, COL_TASK: task.noi_dung,
                  COL_ROLE: task.vai_tro, COL_DONE: task.da_ghi or None}
        height = 15 * max(_estimated_lines(task.noi_dung, 44), _estimated_lines(task.da_ghi, 26))
        for offset in range(ROWS_PER_TASK):
            rows.append((row, task.ma))
            cont = "-cont" if offset else "-head"
            for letter, _, _ in COLUMNS:
                cell = sheet[f"{letter}{row}"]
                if offset == 0 and letter in values:
                    cell.value = values[letter]
                if letter in FILL_COLUMNS:
                    dress(cell, "fill-date" if letter == COL_DAY else "fill")
                else:
                    centred = "centre" if letter in (COL_STT, COL_MA) else "wrap"
                    dress(cell, f"fixed-{centred}{cont}")
            sheet.row_dimensions[row].height = max(30.0, min(height, 400.0)) if offset == 0 else 30
            row += 1
    return row


def _write_extra_rows(sheet: Worksheet, row: int, dress: _Dresser,
                      rows: list[tuple[int, str]]) -> int:
    """The heading and the free rows for work on a task chosen in column B; returns the
    first free row."""
    last_col = COLUMNS[-1][0]
    sheet.merge_cells(f"A{row}:{last_col}{row}")
    sheet[f"A{row}"] = "Việc khác (chọn mã nhiệm vụ ở cột B)"
    sheet[f"A{row}"].font = dress.bold
    sheet[f"A{row}"].fill = dress.head_fill
    row += 1
    first = row
    for _ in range(EXTRA_ROWS):
        rows.append((row, ""))
        for letter, _, _ in COLUMNS:
            cell = sheet[f"{letter}{row}"]
            if letter in FILL_COLUMNS or letter == COL_MA:
                dress(cell, "fill-date" if letter == COL_DAY else "fill")
            else:
                dress(cell, "fixed-centre" if letter == COL_STT else "fixed-wrap")
        sheet.row_dimensions[row].height = 30
        row += 1
    return first


def _add_validations(sheet: Worksheet, content: FormContent, extra_first: int,
                     last_row: int) -> None:
    """Excel's own checks: dates in the period, statuses from the list, numbers, task ids."""
    from openpyxl.worksheet.datavalidation import DataValidation

    ident = content.identity
    span = ident.span
    checks = [
        (DataValidation(type="date", operator="between", formula1=str(excel_serial(span.tu)),
                        formula2=str(excel_serial(span.den)), allow_blank=True,
                        errorTitle="Ngày không hợp lệ",
                        error=f"Hãy gõ một ngày trong kỳ, từ {format_date(span.tu)} đến "
                              f"{format_date(span.den)}, dạng {format_date(span.den)}.",
                        promptTitle="Ngày thực hiện", prompt="Ngày/tháng/năm, ví dụ "
                        f"{format_date(span.den)}"), COL_DAY, FIRST_ROW),
        (DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                        errorTitle="Trạng thái không có trong danh sách",
                        error="Hãy chọn: " + ", ".join(STATUS_CHOICES) + "."), COL_STATUS, FIRST_ROW),
        (DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                        allow_blank=True, errorTitle="Số liệu phải là số",
                        error="Chỉ gõ số không âm, ví dụ 3 hoặc 35500000; tên số liệu ghi ở cột "
                              "bên trái."), COL_FIG, FIRST_ROW),
        (DataValidation(type="list", allow_blank=True,
                        formula1=f"'{SHEET_ID}'!$B$2:$B${len(ident.nhiem_vu) + 1}",
                        errorTitle="Mã nhiệm vụ không có trong phiếu",
                        error="Hãy chọn mã nhiệm vụ trong danh sách."), COL_MA, extra_first),
    ]
    for check, letter, start in checks:
        check.showErrorMessage = True
        check.add(f"{letter}{start}:{letter}{last_row}")
        sheet.add_data_validation(check)


def _finish_sheet(sheet: Worksheet, last_row: int) -> None:
    """Frozen header, printed A4 landscape with the header on every page, cells locked."""
    last_col = COLUMNS[-1][0]
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last_col}{last_row}"
    _print_setup(sheet)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "Trang &P/&N"
    protection = sheet.protection
    protection.sheet = True
    protection.formatRows = False  # allowed: a long answer needs a taller row
    protection.formatColumns = False


def _write_table(sheet: Worksheet, content: FormContent) -> list[tuple[int, str]]:
    """The table; returns each fillable row with its task id ("" for the free rows)."""
    dress = _Dresser()
    rows: list[tuple[int, str]] = []
    _write_titles(sheet, content, dress)
    row = _write_task_rows(sheet, content, dress, rows)
    extra_first = _write_extra_rows(sheet, row, dress, rows)
    last_row = extra_first + EXTRA_ROWS - 1
    _add_validations(sheet, content, extra_first, last_row)
    _finish_sheet(sheet, last_row)
    return rows


def _write_identity(sheet: Worksheet, content: FormContent, rows: list[tuple[int, str]]) -> None:
    """Key/value lines, the task list (for the drop-down), then row -> task id."""
    ident = content.identity
    fields = period_fields(ident.period)
    values: list[tuple[str, str | int]] = [
        ("loai", FORM_KIND), ("phien_ban", FORM_VERSION), ("ma_phieu", ident.ma_phieu),
        ("ke_hoach", ident.ke_hoach), ("don_vi", ident.don_vi), ("ky", ident.ky),
        ("tu", ident.tu.isoformat()), ("den", ident.den.isoformat()), ("chot", ident.chot.value),
        ("ky_loai", fields[0] if fields else ""), ("ky_nam", fields[1] if fields else ""),
        ("ky_so", fields[2] if fields else ""), ("tao_luc", ident.tao_luc.isoformat()),
        ("dong_dau", FIRST_ROW), ("dong_cuoi", rows[-1][0] if rows else FIRST_ROW),
    ]
    for column, header in enumerate(("khoa", "nhiem_vu", "gia_tri", "dong", "ma"), 1):
        sheet.cell(row=1, column=column, value=header)
    for index, (key, value) in enumerate(values, 2):
        sheet.cell(row=index, column=1, value=key)
        sheet.cell(row=index, column=3, value=value)
    for index, task_id in enumerate(ident.nhiem_vu, 2):
        sheet.cell(row=index, column=2, value=task_id)
    for index, (row, task_id) in enumerate(rows, 2):
        sheet.cell(row=index, column=4, value=row)
        sheet.cell(row=index, column=5, value=task_id)
    sheet.protection.sheet = True
