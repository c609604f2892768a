"""Journal entries as rows and JSON, for `kehoach nhat-ky` and `kehoach show`.

Pure: entries in, `TableData` or plain data out; the command prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kehoach_cli.dates import format_date
from kehoach_cli.journal.format import to_json
from kehoach_cli.render.output import Format, TableData
from kehoach_cli.render.values import figures_text, status_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.query.notes import Selection


def _fixed_note(entry: Entry, corrections: Mapping[str, list[Entry]]) -> str:
    fixes = corrections.get(entry.id)
    if not fixes:
        return ""
    last = fixes[-1]
    return f"đã sửa {len(fixes)} lần, lần cuối {format_date(last.ghi_luc.date())} bởi {last.nguoi_ghi}"


# Columns a screen table leaves out when no row fills them (files for tools keep them all).
_OPTIONAL = {"Trạng thái", "Minh chứng", "Số liệu", "Sửa đổi", "Loại"}


def drop_empty_columns(table: TableData) -> TableData:
    """The table without optional columns that are empty in every row: narrower on screen."""
    keep = [i for i, name in enumerate(table.columns)
            if name not in _OPTIONAL or any(row[i] for row in table.rows)]
    return TableData([table.columns[i] for i in keep],
                     [[row[i] for i in keep] for row in table.rows], table.title)


def history_table(entries: Iterable[Entry], corrections: Mapping[str, list[Entry]] | None = None,
                  show_plan: bool = False, title: str | None = None) -> TableData:
    """Effective entries, one row each; amended ones say so."""
    corrections = corrections or {}
    columns = ["Mã", "Nhiệm vụ", "Ngày", "Đơn vị", "Nội dung", "Trạng thái", "Minh chứng",
               "Số liệu", "Người ghi", "Sửa đổi"]
    if show_plan:
        columns.insert(1, "Kế hoạch")
    table = TableData(columns, title=title)
    for entry in entries:
        row = [entry.id, entry.ma, format_date(entry.ngay), entry.don_vi, entry.noi_dung,
               status_text(entry),
               entry.minh_chung or "", figures_text(entry.so_lieu), entry.nguoi_ghi,
               _fixed_note(entry, corrections)]
        if show_plan:
            row.insert(1, entry.ke_hoach)
        table.rows.append(row)
    return table


def record_kind(record: Entry) -> str:
    """"ghi nhận", "sửa <id>" or "hủy <id>"."""
    if record.sua_cho is None:
        return "ghi nhận"
    return f"{'hủy' if record.huy else 'sửa'} {record.sua_cho}"


def records_table(records: Iterable[Entry], show_plan: bool = False,
                  title: str | None = None) -> TableData:
    """Every record as written, corrections and retractions included (`--day-du`)."""
    columns = ["Mã", "Loại", "Nhiệm vụ", "Ngày", "Đơn vị", "Nội dung", "Trạng thái",
               "Minh chứng", "Số liệu", "Người ghi", "Ghi lúc"]
    if show_plan:
        columns.insert(1, "Kế hoạch")
    table = TableData(columns, title=title)
    for record in records:
        row = [record.id, record_kind(record), record.ma, format_date(record.ngay),
               record.don_vi, record.noi_dung,
               status_text(record),
               record.minh_chung or "", figures_text(record.so_lieu), record.nguoi_ghi,
               record.ghi_luc.strftime("%d/%m/%Y %H:%M")]
        if show_plan:
            row.insert(1, record.ke_hoach)
        table.rows.append(row)
    return table


def emit_selection(found: Selection, fmt: Format, *, limit: int, raw: bool,
                   several_plans: bool) -> None:
    """Print what `nhat-ky` found, newest first, at most `limit` entries (0: all); warnings
    and the count left out go to stderr."""
    import sys

    from kehoach_cli.render import output
    from kehoach_cli.render.values import entries_data

    output.warn_problems(found.problems)
    total = len(found.entries)
    shown = found.entries[:limit] if limit else found.entries
    if len(shown) < total:
        print(f"Hiện {len(shown)}/{total} ghi nhận gần nhất; xem tất cả: --so-dong 0.",
              file=sys.stderr)
    if fmt is Format.JSON:
        data = [to_json(entry) for entry in shown] if raw else entries_data(shown, found.corrections)
        output.write_text(output.to_json(data))
        return
    title = f"Nhật ký thực hiện ({len(shown)} ghi nhận)"
    table = (records_table(shown, several_plans, title) if raw
             else history_table(shown, found.corrections, several_plans, title))
    if fmt is Format.CSV:
        output.write_csv(output.to_csv(table))
    elif fmt is Format.MD:
        output.write_text(output.to_markdown(table))
    elif not shown:
        print("Chưa có ghi nhận nào khớp điều kiện lọc.")
    elif output.to_terminal():
        from rich import box

        output.console().print(output.to_rich(drop_empty_columns(table), box=box.SIMPLE_HEAD,
                                              title_justify="left"))
    else:
        output.write_text(output.to_plain(drop_empty_columns(table)))
