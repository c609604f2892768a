"""Rendering for `list`, `show` and `don-vi`: results in, tables, JSON or text out.

Four outputs, chosen by `--dinh-dang` and by where stdout goes:
- `bang` on a terminal: a Rich table (or grid) that wraps Vietnamese text at word
  boundaries to the terminal's width;
- `bang` piped to a file or another program: plain aligned columns, one line per row,
  no colour codes and no box drawing, never wrapped at 80 columns. That is what `grep`,
  `less -S` and a text file want; programs should ask for json or csv instead;
- `json`, `csv` (UTF-8 with BOM, formula cells neutralised), `md`: for other tools. They
  always carry the plan key and the full texts, whatever the number of plans.

Text from plans and notes is always literal: Rich cells are `Text`, never markup, and
control characters (terminal escapes included) are made visible by `text.printable`.
The functions building tables and dicts are pure; `emit_*` are the one place that prints.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from kehoach_cli.plan.model import ROLE_LABELS, ROLE_SHORT, Body, Role
from kehoach_cli.render.output import (
    Format,
    TableData,
    column_widths,
    console,
    emit_table,
    stacked,
    to_terminal,
    warn_problems,
    write_text,
)
from kehoach_cli.render.values import (
    document_data,
    document_text,
    entries_data,
    entry_text,
    timeframe_data,
    timeframe_long,
    timeframe_text,
)
from kehoach_cli.status import STATUS_LABELS
from kehoach_cli.text import printable, shorten

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kehoach_cli.query.state import Part
    from kehoach_cli.query.tasks import BodySummary, TaskDetail, TaskList, TaskRow

# How much of a task's content a row shows; the full text is in `show`, json and csv.
CONTENT_WIDTH_TERMINAL = 160
CONTENT_WIDTH_PLAIN = 90
SECTION_WIDTH = 40


def _rich_table(table: TableData, settings: dict[str, dict[str, Any]]) -> RenderableType:
    """`render.to_rich` with per-column settings (ratio, no_wrap)."""
    from rich import box

    from kehoach_cli.render.output import to_rich

    return to_rich(table, settings, box=box.SIMPLE_HEAD, expand=True, title_justify="left")


def _roles_cell(row: TaskRow, by_body: bool, several_bodies: bool) -> str:
    if not by_body:
        grouped: dict[Role, list[str]] = {}
        for a in row.assignments:
            grouped.setdefault(a.role, []).append(a.body)
        return "; ".join(f"{ROLE_SHORT[r]}: {', '.join(codes)}" for r, codes in grouped.items())
    if several_bodies:
        return "; ".join(f"{a.body}: {a.label()}" for a in row.assignments)
    return "; ".join(a.label() for a in row.assignments)


# --------------------------------------------------------------------------- list

def task_list_table(result: TaskList, *, full: bool, for_terminal: bool = False) -> TableData:
    """The rows of `kehoach list`; `full` keeps whole texts and every column (csv, md)."""
    by_body = bool(result.bodies)
    several_bodies = len(result.body_codes) > 1
    show_plan = full or result.plan_count > 1
    show_status = full or any(r.noted for r in result.rows)
    width = CONTENT_WIDTH_TERMINAL if for_terminal else CONTENT_WIDTH_PLAIN
    columns = ["Mã", "Mục", "Nội dung", "Vai trò" if by_body else "Đơn vị", "Thời gian"]
    if show_plan:
        columns.insert(0, "Kế hoạch")
    if show_status:
        columns.append("Trạng thái")
    rows = []
    sections: dict[tuple[str, str], str] = {}  # many rows share a section: shorten it once
    # Rows of tasks with the same assignment share one list (`query.tasks.list_tasks`):
    # its cell is written once.
    written: dict[int, str] = {}

    def roles_cell(row: TaskRow) -> str:
        text = written.get(id(row.assignments))
        if text is None:
            text = written[id(row.assignments)] = _roles_cell(row, by_body, several_bodies)
        return text

    for row in result.rows:
        key = (row.section.ma, row.section.tieu_de)
        section = sections.get(key)
        if section is None:
            section = f"{key[0]}. {key[1]}"
            section = sections[key] = section if full else shorten(section, SECTION_WIDTH)
        cells = [
            row.task.ma,
            section,
            row.task.noi_dung if full else shorten(row.task.noi_dung, width),
            roles_cell(row),
            timeframe_text(row.task.thoi_gian),
        ]
        if show_plan:
            cells.insert(0, row.plan_key)
        if show_status:
            cells.append(STATUS_LABELS[row.status])
        rows.append(cells)
    return TableData(columns, rows)


def task_list_data(result: TaskList) -> list[dict[str, Any]]:
    """JSON of `kehoach list`: one object per task, with full texts."""
    return [
        {
            "ke_hoach": row.plan_key,
            "ma": row.task.ma,
            "muc": row.section.ma,
            "tieu_de_muc": row.section.tieu_de,
            "noi_dung": row.task.noi_dung,
            "cac_y": list(row.task.cac_y),
            "vai_tro": [{"don_vi": a.body, "vai_tro": a.role.value, "qua_nhom": a.via_group}
                        for a in row.assignments],
            "don_vi": {role.value: list(codes) for role, codes in row.task.roles().items()},
            "thoi_gian": timeframe_data(row.task.thoi_gian),
            "trang_thai": row.status.value,
        }
        for row in result.rows
    ]


def emit_task_list(result: TaskList, fmt: Format) -> None:
    warn_problems(result.problems)
    if not result.rows and fmt is Format.BANG:
        print("Không có nhiệm vụ nào khớp với điều kiện đã chọn.", file=sys.stderr)
        return
    terminal = fmt is Format.BANG and to_terminal()
    table = task_list_table(result, full=fmt in (Format.CSV, Format.MD), for_terminal=terminal)
    rich = task_list_rich(result, table) if terminal else None
    emit_table(table, fmt, task_list_data(result) if fmt is Format.JSON else None, rich)


def task_list_rich(result: TaskList, table: TableData) -> RenderableType:
    """The terminal view: tasks grouped under their section's title instead of a narrow
    "Mục" column that would wrap every title over five lines."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if result.bodies:
        names = "; ".join(dict.fromkeys(f"{r.body.ma} ({r.body.ten})" for r in result.bodies))
        title = f"Nhiệm vụ của {names}: {len(result.rows)}"
    else:
        title = f"Nhiệm vụ: {len(result.rows)}"
    # The content takes the squeeze; the other columns stay as wide as their widest word.
    settings: dict[str, dict[str, Any]] = {
        "Nội dung": {"ratio": 5},
        "Vai trò": {"ratio": 2},
        "Đơn vị": {"ratio": 2},
    }
    section_at = table.columns.index("Mục")
    content_at = table.columns.index("Nội dung") - 1
    columns = [c for c in table.columns if c != "Mục"]
    narrow = TableData(columns, [[c for i, c in enumerate(cells) if i != section_at]
                                 for cells in table.rows], title)
    widths = column_widths(narrow, console().width, per_column=3,
                           weights={name: extra["ratio"] for name, extra in settings.items()})
    if widths is None:
        return stacked(TableData(table.columns, table.rows, title))
    rich = Table(title=Text(printable(title)), title_justify="left", box=box.SIMPLE_HEAD)
    for column, width in zip(columns, widths, strict=True):
        rich.add_column(Text(column), overflow="fold", width=width)
    current: tuple[str, str] | None = None
    for row, cells in zip(result.rows, table.rows, strict=True):
        if (row.plan_key, row.section.ma) != current:
            current = (row.plan_key, row.section.ma)
            heading = [Text("")] * len(columns)
            heading[content_at] = Text(printable(f"{row.section.ma}. {row.section.tieu_de}"),
                                       style="bold")
            rich.add_row(*heading)
        rich.add_row(*(Text(printable(c)) for i, c in enumerate(cells) if i != section_at))
    return rich


# --------------------------------------------------------------------------- show

def _body_text(body: Body | str) -> str:
    if isinstance(body, str):
        return body
    text = f"{body.ma} – {body.ten}"
    if body.thanh_vien:
        text += f" (gồm {', '.join(body.thanh_vien)})"
    return text


def detail_fields(detail: TaskDetail) -> list[tuple[str, list[str]]]:
    """The labelled parts of a task, in reading order; a part may have several lines."""
    ref = detail.ref
    meta = ref.plan.plan.ke_hoach
    plan = f"{ref.plan.key}: {meta.loai_van_ban} {meta.trich_yeu}"
    if meta.so_ky_hieu:
        plan = f"{ref.plan.key}: {meta.loai_van_ban} số {meta.so_ky_hieu} {meta.trich_yeu}"
    fields: list[tuple[str, list[str]]] = [
        ("Kế hoạch", [plan]),
        ("Mục", [f"{ref.section.ma}. {ref.section.tieu_de}"]),
        ("Nội dung", [ref.task.noi_dung]),
    ]
    if ref.task.cac_y:
        fields.append(("Các ý", [f"- {item}" for item in ref.task.cac_y]))
    for role, bodies in detail.roles:
        fields.append((ROLE_LABELS[role], [_body_text(b) for b in bodies]))
    if ref.task.thoi_gian:
        fields.append(("Thời gian thực hiện", [timeframe_long(ref.task.thoi_gian)]))
    if ref.task.van_ban_lien_quan:
        fields.append(("Văn bản liên quan",
                       [f"- {document_text(d)}" for d in ref.task.van_ban_lien_quan]))
    if ref.task.ghi_chu:
        fields.append(("Ghi chú", [ref.task.ghi_chu]))
    fields.append(("Trạng thái", state_lines(detail)))
    history = [f"- {entry_text(e)}" for e in detail.history] or ["chưa có ghi nhận nào"]
    fields.append(("Tiến độ", history))
    return fields


def _part_text(part: Part) -> str:
    from kehoach_cli.dates import format_date

    role = f"qua nhóm {part.via_group}" if part.via_group else ROLE_SHORT[part.role]
    text = f"- {part.body} ({role}): {STATUS_LABELS[part.status]}"
    if part.done_on is not None:
        text += f" ngày {format_date(part.done_on)}"
    if part.members:
        text += f"; xong khi {', '.join(part.members)} đều xong phần của mình"
    return text + (f" ({part.notes} ghi nhận)" if part.notes else "")


def state_lines(detail: TaskDetail) -> list[str]:
    """The task's state and why: the rule that decides it, then each body's part."""
    from kehoach_cli.query.state import RULE_LABELS, Rule

    state = detail.state
    lines = [f"{state.label()} — {RULE_LABELS[state.rule]}"]
    if state.rule is Rule.CHU_TRI and not state.completed:
        leads = ", ".join(detail.ref.task.chu_tri)
        lines[0] += f" (chờ {leads})"
    for top in state.parts:
        lines.append(_part_text(top))
        lines += [f"  {_part_text(p)}" for p in state.by_body.values() if p.via_group == top.body]
    return lines


def detail_data(detail: TaskDetail) -> dict[str, Any]:
    """JSON of `kehoach show`."""
    ref = detail.ref
    return {
        "ke_hoach": ref.plan.key,
        "ma": ref.task.ma,
        "muc": ref.section.ma,
        "tieu_de_muc": ref.section.tieu_de,
        "noi_dung": ref.task.noi_dung,
        "cac_y": list(ref.task.cac_y),
        "vai_tro": {
            role.value: [{"ma": b, "ten": None} if isinstance(b, str) else
                         {"ma": b.ma, "ten": b.ten, "thanh_vien": list(b.thanh_vien)}
                         for b in bodies]
            for role, bodies in detail.roles
        },
        "thoi_gian": timeframe_data(ref.task.thoi_gian),
        "van_ban_lien_quan": [document_data(d) for d in ref.task.van_ban_lien_quan],
        "ghi_chu": ref.task.ghi_chu,
        "trang_thai": {
            "trang_thai": detail.state.status.value,
            "thoi_han": detail.state.timeliness.value,
            "nhan": detail.state.label(),
            "quy_tac": detail.state.rule.value,
            "phan_viec": [
                {"don_vi": p.body, "vai_tro": p.role.value, "trang_thai": p.status.value,
                 "hoan_thanh_ngay": p.done_on, "so_ghi_nhan": p.notes,
                 "thanh_vien": list(p.members)}
                for p in detail.state.by_body.values()
            ],
        },
        "lich_su": entries_data(detail.history),
    }


def detail_plain(detail: TaskDetail) -> str:
    """`show` piped: the title, then "Label: value" with continuation lines indented."""
    lines = [printable(f"Nhiệm vụ {detail.ref.qualified}")]
    for label, values in detail_fields(detail):
        if len(values) == 1 and not values[0].startswith("- "):
            lines.append(printable(f"{label}: {values[0]}"))
        else:
            lines.append(f"{label}:")
            lines.extend(printable(f"  {v}") for v in values)
    return "\n".join(lines) + "\n"


def emit_detail(detail: TaskDetail, fmt: Format) -> None:
    warn_problems(detail.problems)
    fields = detail_fields(detail)
    table = TableData(["Trường", "Giá trị"], [[label, "\n".join(values)] for label, values in fields],
                      title=f"Nhiệm vụ {detail.ref.qualified}")
    if fmt is Format.BANG and not to_terminal():
        write_text(detail_plain(detail))
        return
    rich = None
    if fmt is Format.BANG:
        from rich.table import Table
        from rich.text import Text

        rich = Table.grid(padding=(0, 2))
        rich.title = Text(printable(table.title or ""), style="bold")
        rich.title_justify = "left"
        rich.add_column(no_wrap=True, style="bold")
        rich.add_column(ratio=1, overflow="fold")
        for label, values in fields:
            rich.add_row(Text(label), Text(printable("\n".join(values))))
    emit_table(table, fmt, detail_data(detail) if fmt is Format.JSON else None, rich)


# --------------------------------------------------------------------------- don-vi

def _count_cell(direct: int, via: int) -> str:
    return f"{direct} + {via} qua nhóm" if via else str(direct)


def bodies_table(summaries: list[BodySummary], roles: list[Role], *, several_plans: bool,
                 full: bool) -> TableData:
    columns = ["Mã", "Tên đầy đủ", "Tên khác", "Thành viên", "Thuộc nhóm"]
    labels = [ROLE_SHORT[r][:1].upper() + ROLE_SHORT[r][1:] for r in roles]
    # For spreadsheets, numbers only: direct and through-group counts in their own columns.
    columns += [f"{label}{suffix}" for label in labels
                for suffix in (("", " (qua nhóm)") if full else ("",))]
    show_plan = full or several_plans
    if show_plan:
        columns.insert(0, "Kế hoạch")
    rows = []
    for s in summaries:
        cells = [s.body.ma, s.body.ten, ", ".join(s.body.ten_khac), ", ".join(s.body.thanh_vien),
                 ", ".join(s.groups)]
        if full:
            cells += [str(n) for r in roles for n in (s.direct[r], s.via_group[r])]
        else:
            cells += [_count_cell(s.direct[r], s.via_group[r]) for r in roles]
        if show_plan:
            cells.insert(0, s.plan.key)
        rows.append(cells)
    return TableData(columns, rows)


def bodies_data(summaries: list[BodySummary]) -> list[dict[str, Any]]:
    return [
        {"ke_hoach": s.plan.key, "ma": s.body.ma, "ten": s.body.ten,
         "ten_khac": list(s.body.ten_khac), "thanh_vien": list(s.body.thanh_vien),
         "thuoc_nhom": s.groups,
         "so_nhiem_vu": {r.value: n for r, n in s.direct.items() if n},
         "so_nhiem_vu_qua_nhom": {r.value: n for r, n in s.via_group.items() if n}}
        for s in summaries
    ]


def emit_bodies(summaries: list[BodySummary], roles: list[Role], fmt: Format,
                several_plans: bool) -> None:
    table = bodies_table(summaries, roles, several_plans=several_plans,
                         full=fmt in (Format.CSV, Format.MD))
    rich = None
    if fmt is Format.BANG and to_terminal():
        table.title = f"Danh mục đơn vị: {len(summaries)}"
        rich = _rich_table(table, {
            "Mã": {"no_wrap": True},
            "Kế hoạch": {"no_wrap": True},
            "Tên đầy đủ": {"ratio": 3, "min_width": 16},
            "Tên khác": {"ratio": 3, "min_width": 12},
            "Thành viên": {"ratio": 1, "min_width": 8},
            "Thuộc nhóm": {"ratio": 1, "min_width": 8},
        })
    emit_table(table, fmt, bodies_data(summaries) if fmt is Format.JSON else None, rich)
