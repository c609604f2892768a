"""The review as an Excel workbook (`report --xuat bao-cao.xlsx`), for offices that keep
their follow-up in sheets.

One sheet per table: the tasks (one numeric column per figure), the per-body statistics,
every note of the period, and what needs attention. Each sheet has a bold header row that
stays in view when scrolling (frozen), wrapped text in its long columns, set widths, task
ids stored as text (3.10 stays 3.10, never the number 3.1), dates as real dates, figures
and counts as numbers, and an A4 landscape print set-up fitted to the page width.
The workbook is written to a temporary name and renamed (atomic.py).
"""

from __future__ import annotations

import math
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehoach_cli.errors import Conflict
from kehoach_cli.render.report import body_counts, silence_text, task_id
from kehoach_cli.render.values import timeframe_text
from kehoach_cli.status import STATUS_LABELS
from kehoach_cli.text import fold, printable

if TYPE_CHECKING:
    from kehoach_cli.query.review import Report

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0.##"


def figure_names(report: Report) -> list[str]:
    """Every figure reported in the period, once each (folded spellings meet), as first
    written, in the order first met."""
    seen: dict[str, str] = {}
    for line in report.tasks:
        for name in line.so_lieu:
            seen.setdefault(fold(name), name)
    return list(seen.values())


def _sheet(book: Any, title: str, columns: list[tuple[str, float]], rows: list[list[Any]],
           formats: dict[int, str] | None = None, wrap: tuple[int, ...] = (),
           text: tuple[int, ...] = ()) -> Any:
    """A sheet of `rows` under a bold header row kept in view; columns `wrap` wrap their
    text, columns `text` are stored as text whatever they hold (task ids: 3.10 stays 3.10),
    `formats` gives a number format per column (1-based)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    # A write-only sheet streams its rows: a workbook of 5,000 notes is written in a
    # fraction of the time the in-memory one takes, which keeps every cell.
    sheet = book.create_sheet(title)
    for index, (_, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    formats = formats or {}
    widths = [width for _, width in columns]
    # Spreadsheet programs do not grow a row for wrapped text they did not lay out
    # themselves: each row gets the height of its longest wrapped cell.
    for number, row in enumerate(rows, 2):
        # A column of width w holds about 1.2 w characters of the sheet's 11-point font.
        lines = max((math.ceil(len(str(row[i - 1])) / max(widths[i - 1] * 1.2, 1))
                     for i in wrap if i - 1 < len(row) and row[i - 1]), default=1)
        if lines > 1:
            sheet.row_dimensions[number].height = 15 * min(lines, 30)
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.append(cell)
    sheet.append(header)
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    templates: dict[tuple[bool, str | None], Any] = {}
    for row in rows:
        cells: list[Any] = []
        for index, value in enumerate(row, 1):
            if value is None:
                cells.append(None)
                continue
            if index in text:
                value = str(value)
            if isinstance(value, str):  # the file format refuses control characters
                value = printable(value)
            # Every value is a cell with its own style: openpyxl writes a plain value with
            # the style of the cell before it in the row (a count after a percentage would
            # print as one).
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":  # text starting with "=" is text, never a formula
                cell.data_type = "s"
            fmt = formats.get(index) if not isinstance(value, str) else None
            key = (index in wrap, fmt)
            template = templates.get(key)
            if template is None:
                # The first cell of each look goes through openpyxl's style registry; the
                # others copy its style indices (styling cell by cell took seconds).
                cell.alignment = wrapped if key[0] else top
                if fmt:
                    cell.number_format = fmt
                templates[key] = copy(cell._style)  # type: ignore[attr-defined]
            else:
                cell._style = copy(template)  # type: ignore[attr-defined]
            cells.append(cell)
        sheet.append(cells)
    return sheet


def _tasks(book: Any, report: Report) -> None:
    names = figure_names(report)
    folded = [fold(n) for n in names]
    columns = [("Mã", 8.0), ("Mục", 8.0), ("Nội dung nhiệm vụ", 60.0), ("Đơn vị thực hiện", 22.0),
               ("Thời gian", 16.0), ("Số lượt báo cáo", 10.0), ("Trạng thái", 24.0),
               ("Hạn", 12.0), ("Hoàn thành ngày", 12.0), *((n, 14.0) for n in names)]
    rows = []
    for line in report.tasks:
        by_fold = {fold(k): v for k, v in line.so_lieu.items()}
        codes = dict.fromkeys(c for cs in line.task.implementing().values() for c in cs)
        rows.append([task_id(report, line), line.section.ma, line.task.noi_dung, ", ".join(codes),
                     timeframe_text(line.task.thoi_gian), line.count, line.state.label(),
                     line.state.han, line.state.hoan_thanh_ngay,
                     *(by_fold.get(key) for key in folded)])
    formats = {8: DATE_FORMAT, 9: DATE_FORMAT}
    formats.update({10 + i: NUMBER_FORMAT for i in range(len(names))})
    _sheet(book, "Nhiệm vụ", columns, rows, formats, wrap=(3, 4, 5, 7), text=(1, 2))


def _bodies(book: Any, report: Report) -> None:
    columns = [("STT", 6.0), ("Mã", 10.0), ("Đơn vị", 36.0), ("Tổng số nhiệm vụ", 11.0),
               ("Có hoạt động", 11.0), ("Không có hoạt động", 11.0), ("Hoàn thành đúng hạn", 11.0),
               ("Hoàn thành quá hạn", 11.0), ("Chưa hoàn thành, trong hạn", 12.0),
               ("Chưa hoàn thành, quá hạn", 12.0), ("Thường xuyên", 11.0),
               ("Tỷ lệ hoàn thành", 11.0), ("Tỷ lệ có hoạt động (thường xuyên)", 13.0),
               ("Số kỳ liên tiếp không báo cáo", 12.0), ("Báo cáo gần nhất", 12.0)]
    rows = [[i, b.ma, b.ten, *body_counts(b).values(), b.rate, b.activity_rate,
             b.silent_periods if b.active == 0 else 0, b.last_note]
            for i, b in enumerate(report.bodies, 1)]
    _sheet(book, "Theo đơn vị", columns, rows,
           {12: PERCENT_FORMAT, 13: PERCENT_FORMAT, 15: DATE_FORMAT}, wrap=(3,), text=(2,))


def _notes(book: Any, report: Report) -> None:
    # Bodies by code only: the sheet "Theo đơn vị" gives their names, and each column of
    # 5,000 cells costs a tenth of a second to write.
    names = figure_names(report)
    folded = [fold(n) for n in names]
    columns = [("Ngày", 12.0), ("Mã nhiệm vụ", 10.0), ("Đơn vị", 10.0), ("Nội dung", 70.0),
               ("Trạng thái", 16.0), ("Minh chứng", 18.0), ("Người ghi", 18.0),
               ("Mã ghi nhận", 12.0), *((n, 14.0) for n in names)]
    rows = []
    entries = sorted(((e, line) for line in report.tasks for e in line.entries),
                     key=lambda pair: (pair[0].ngay, pair[0].ghi_luc))
    for entry, line in entries:
        by_fold = {fold(k): v for k, v in entry.so_lieu.items()}
        status = STATUS_LABELS[entry.trang_thai] if entry.trang_thai else None
        rows.append([entry.ngay, task_id(report, line), entry.don_vi, entry.noi_dung, status,
                     entry.minh_chung, entry.nguoi_ghi, entry.id,
                     *(by_fold.get(key) for key in folded)])
    formats = {1: DATE_FORMAT, **{9 + i: NUMBER_FORMAT for i in range(len(names))}}
    _sheet(book, "Ghi nhận", columns, rows, formats, wrap=(4, 6), text=(2, 3, 8))


def _attention(book: Any, report: Report) -> None:
    columns = [("Cần quan tâm", 26.0), ("Mã", 10.0), ("Nội dung", 60.0), ("Chi tiết", 40.0),
               ("Hạn", 12.0)]
    rows: list[list[Any]] = []
    for line in report.without_activity:
        rows.append(["Không có hoạt động trong kỳ", task_id(report, line), line.task.noi_dung,
                     line.state.label(), line.state.han])
    for line in report.overdue:
        rows.append(["Quá hạn", task_id(report, line), line.task.noi_dung,
                     STATUS_LABELS[line.state.status], line.state.han])
    for body in report.silent_bodies:
        rows.append(["Đơn vị không báo cáo trong kỳ", body.ma, body.ten, silence_text(body), None])
    for line in report.due_next:
        rows.append(["Đến hạn kỳ tới", task_id(report, line), line.task.noi_dung,
                     line.state.label(), line.due_next[0]])
    _sheet(book, "Cần quan tâm", columns, rows, {5: DATE_FORMAT}, wrap=(3, 4), text=(2,))


def build_workbook(report: Report) -> Any:
    """The openpyxl Workbook of the review; its sheet "Ghi nhận" lists every note of the
    period, which `report` must keep (`build_report(..., every_note=True)`)."""
    if not report.every_note:
        raise ValueError("the workbook needs a review that keeps every note of the period")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _tasks(book, report)
    _bodies(book, report)
    _notes(book, report)
    _attention(book, report)
    return book


def write_xlsx(report: Report, target: Path, *, overwrite: bool = False) -> None:
    """Write the workbook to `target` whole or not at all; refuse to replace an existing
    file unless `overwrite`."""
    from kehoach_cli.atomic import write_file

    if target.exists() and not overwrite:
        raise Conflict(f"{target}: tệp đã có; thêm --ghi-de để ghi đè, hoặc chọn tên khác")
    book = build_workbook(report)
    write_file(target, book.save, overwrite=overwrite)
