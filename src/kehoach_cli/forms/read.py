"""Reading a filled return form: its identity and its rows, every bad cell named.

Nothing here touches the journal: `read_form` returns the rows as checked values and the list
of cell errors ("phieu-MTTQ.xlsx, trang Nhiệm vụ, ô F9: ... hãy sửa ..."), so the import can
add nothing from a form that has any. The identity comes from the hidden sheet, never from
the file's name (files get renamed when forwarded through Zalo or e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kehoach_cli.dates import DateError, format_date, parse_date
from kehoach_cli.errors import ExitCode, KehoachError, os_reason
from kehoach_cli.forms.content import FORM_KIND, FORM_VERSION, FormIdentity, period_from
from kehoach_cli.forms.layout import (
    COL_DAY,
    COL_EVIDENCE,
    COL_FIG,
    COL_FIG_NAME,
    COL_MA,
    COL_RESULT,
    COL_STATUS,
    FILLER_CELL,
    HEADER_ROW,
    SHEET_ID,
    SHEET_TASKS,
    STATUS_CHOICES,
)
from kehoach_cli.periods import Convention, PeriodError
from kehoach_cli.status import Status, parse_status

if TYPE_CHECKING:
    from pathlib import Path

    from kehoach_cli.forms.xlsx import Cells, Value

_EXCEL_EPOCH = date(1899, 12, 30)
_FILL = (COL_DAY, COL_RESULT, COL_STATUS, COL_FIG_NAME, COL_FIG, COL_EVIDENCE)


@dataclass(frozen=True)
class FilledRow:
    """One filled row, every value checked."""

    row: int
    ma: str
    ngay: date
    noi_dung: str
    trang_thai: Status | None
    so_lieu: dict[str, float]
    minh_chung: str | None


@dataclass
class FilledForm:
    """A form as read: identity, who filled it, its rows, and the cells to fix."""

    path: Path
    identity: FormIdentity
    nguoi_dien: str | None
    rows: list[FilledRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)  # rows of the form left empty


class NotAForm(KehoachError):
    """A workbook without the identity sheet of a kehoach form."""


def read_form(path: Path, today: date) -> FilledForm:
    """Read `path`; raises `NotAForm` or `KehoachError` only when it cannot be read as a form
    at all. Cell problems are collected in `errors`, rows with problems are left out."""
    from kehoach_cli.forms.xlsx import NotXlsx, read_cells

    try:
        names, sheets = read_cells(path, [SHEET_ID, SHEET_TASKS])
    except NotXlsx:
        raise KehoachError(f"{path.name}: không đọc được phiếu (không phải tệp Excel .xlsx, "
                           "hoặc tệp bị hỏng); hãy xin đơn vị gửi lại tệp .xlsx") from None
    except OSError as exc:
        code = ExitCode.NOT_FOUND if isinstance(exc, FileNotFoundError) else ExitCode.IO
        raise KehoachError(f"{path.name}: không đọc được phiếu ({os_reason(exc)})", code) from None
    if SHEET_ID not in names:
        raise NotAForm(f"{path.name}: không phải phiếu báo cáo của kehoach (thiếu phần định "
                       "danh ẩn); hãy dùng đúng tệp lập bằng kehoach phieu")
    identity, rows_map = _identity(path, sheets[SHEET_ID])
    if SHEET_TASKS not in names:
        raise NotAForm(f"{path.name}: thiếu trang “{SHEET_TASKS}”; hãy dùng lại tệp phiếu gốc")
    table = sheets[SHEET_TASKS]
    column, row = FILLER_CELL[0], int(FILLER_CELL[1:])
    form = FilledForm(path, identity, _text(table.get(row, {}).get(column)))
    for number in sorted(table):
        if number > HEADER_ROW:
            _read_row(form, number, table[number], rows_map, today)
    filled = {row.row for row in form.rows}
    form.blank = [number for number in rows_map if number not in filled and not any(
        _text(table.get(number, {}).get(column)) is not None for column in _FILL)]
    return form


def _identity(path: Path, cells: Cells) -> tuple[FormIdentity, dict[int, str]]:
    values: dict[str, Any] = {}
    tasks: list[str] = []
    rows: dict[int, str] = {}
    for number in sorted(cells):
        if number < 2:
            continue
        line = cells[number]
        if "A" in line:
            values[str(line["A"])] = line.get("C")
        if "B" in line:
            tasks.append(str(line["B"]))
        row = line.get("D")
        if isinstance(row, int) and not isinstance(row, bool):
            rows[row] = str(line.get("E", ""))
    damaged = KehoachError(f"{path.name}: phần định danh ẩn của phiếu bị hỏng; hãy lập lại "
                           "phiếu bằng kehoach phieu và gửi lại cho đơn vị")
    if values.get("loai") != FORM_KIND:
        raise NotAForm(f"{path.name}: không phải phiếu báo cáo của kehoach")
    if values.get("phien_ban") != FORM_VERSION:
        raise KehoachError(f"{path.name}: phiếu lập bằng phiên bản khác của kehoach (mẫu "
                           f"{values.get('phien_ban')}); hãy cập nhật kehoach hoặc lập lại phiếu")
    try:
        period = None
        if values.get("ky_loai"):
            period = period_from(str(values["ky_loai"]), int(values["ky_nam"]), int(values["ky_so"]))
        identity = FormIdentity(
            ma_phieu=str(values["ma_phieu"]), ke_hoach=str(values["ke_hoach"]),
            don_vi=str(values["don_vi"]), tu=date.fromisoformat(str(values["tu"])),
            den=date.fromisoformat(str(values["den"])), chot=Convention(str(values["chot"])),
            ky=str(values["ky"]), period=period,
            tao_luc=datetime.fromisoformat(str(values["tao_luc"])), nhiem_vu=tuple(tasks))
    except (KeyError, TypeError, ValueError, PeriodError):
        raise damaged from None
    return identity, rows


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class _CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _read_row(form: FilledForm, number: int, values: dict[str, Value], rows_map: dict[int, str],
              today: date) -> None:
    at = values.get

    fill = [at(column) for column in _FILL]
    if all(_text(value) is None for value in fill):
        return
    errors: list[_CellError] = []
    task_id = rows_map.get(number)
    if not task_id:  # a free row, or a row the body added below the table
        task_id = _text(at(COL_MA))
        if task_id is None:
            errors.append(_CellError(COL_MA, "dòng có ghi kết quả nhưng chưa có mã nhiệm vụ; "
                                             "hãy chọn mã nhiệm vụ trong danh sách"))
        elif task_id not in form.identity.nhiem_vu:
            errors.append(_CellError(COL_MA, f"mã nhiệm vụ “{task_id}” không có trong phiếu; hãy "
                                             f"sửa thành một trong: {', '.join(form.identity.nhiem_vu)}"))
    day = _guard(errors, COL_DAY, lambda: _day(at(COL_DAY), form.identity, today))
    result = _guard(errors, COL_RESULT, lambda: _result(at(COL_RESULT)))
    status = _guard(errors, COL_STATUS, lambda: _status(at(COL_STATUS)))
    figures = _figures(errors, at(COL_FIG_NAME), at(COL_FIG))
    evidence = _guard(errors, COL_EVIDENCE, lambda: _evidence(at(COL_EVIDENCE)))
    for error in errors:
        form.errors.append(f"{form.path.name}, trang {SHEET_TASKS}, ô {error.column}{number}: "
                           f"{error.message}")
    if errors or task_id is None or day is None or result is None:
        return
    form.rows.append(FilledRow(number, task_id, day, result, status, figures or {}, evidence))


def _guard(errors: list[_CellError], column: str, read: Any) -> Any:
    try:
        return read()
    except _CellError as exc:
        errors.append(exc)
    except KehoachError as exc:
        errors.append(_CellError(column, exc.message))
    return None


def _day(value: Any, identity: FormIdentity, today: date) -> date:
    example = format_date(identity.den if identity.den <= today else today)
    if value is None or _text(value) is None:
        raise _CellError(COL_DAY, f"chưa ghi ngày thực hiện; hãy ghi ngày, ví dụ {example}")
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        try:
            day = parse_date(str(value))
        except DateError as exc:
            raise _CellError(COL_DAY, f"{exc}; hãy sửa thành ngày dạng {example}") from None
    if not identity.tu <= day <= identity.den:
        raise _CellError(COL_DAY, f"ngày {format_date(day)} ngoài kỳ {identity.ky} của phiếu "
                                  f"({format_date(identity.tu)} – {format_date(identity.den)}); "
                                  "hãy sửa ngày, hoặc báo việc đó trong phiếu của kỳ khác")
    if day > today:
        raise _CellError(COL_DAY, f"ngày {format_date(day)} chưa tới (hôm nay là "
                                  f"{format_date(today)}); hãy sửa: chỉ ghi việc đã làm")
    return day


def _result(value: Any) -> str:
    from kehoach_cli.journal.input import MAX_NOTE, clean_text

    text = _text(value)
    if text is None:
        raise _CellError(COL_RESULT, "chưa ghi kết quả thực hiện; hãy ghi đã làm gì (bắt buộc khi "
                                     "dòng có ngày, trạng thái hay số liệu)")
    return clean_text(text, "kết quả thực hiện", MAX_NOTE)


def _status(value: Any) -> Status | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return parse_status(text)
    except ValueError:
        raise _CellError(COL_STATUS, f"trạng thái “{text}” không có trong danh sách; hãy chọn "
                                     f"một trong: {', '.join(STATUS_CHOICES)}") from None


def _figures(errors: list[_CellError], name_value: Any, number_value: Any) -> dict[str, float] | None:
    from kehoach_cli.journal.input import MAX_FIGURE_NAME, clean_text, parse_number

    name = _text(name_value)
    raw = _text(number_value)
    if name is None and raw is None:
        return None
    if name is None:
        errors.append(_CellError(COL_FIG_NAME, "có số liệu nhưng chưa có tên; hãy ghi tên số liệu, "
                                               "ví dụ “số cuộc giám sát”"))
        return None
    if raw is None:
        errors.append(_CellError(COL_FIG, f"có tên số liệu “{name}” nhưng chưa có con số; hãy ghi "
                                          "số, ví dụ 3"))
        return None
    try:
        name = clean_text(" ".join(name.split()), "tên số liệu", MAX_FIGURE_NAME, multiline=False)
    except KehoachError as exc:
        errors.append(_CellError(COL_FIG_NAME, exc.message))
        return None
    if isinstance(number_value, int | float) and not isinstance(number_value, bool):
        if number_value < 0:
            errors.append(_CellError(COL_FIG, f"số liệu “{name}” âm ({number_value}); hãy sửa "
                                              "thành số không âm"))
            return None
        number: float = int(number_value) if float(number_value).is_integer() else number_value
        return {name: number}
    try:
        return {name: parse_number(raw, name)}
    except KehoachError:
        errors.append(_CellError(COL_FIG, f"“{raw}” không phải số; hãy sửa thành số không âm, "
                                          "ví dụ 3, 92,5 hoặc 35.500.000"))
        return None


def _evidence(value: Any) -> str | None:
    from kehoach_cli.journal.input import MAX_EVIDENCE, clean_text

    text = _text(value)
    if text is None:
        return None
    return clean_text(text, "minh chứng", MAX_EVIDENCE, multiline=False)
