"""The review as tables, text and JSON: pure functions from a `Report` to `TableData`,
strings and plain dicts. The terminal, Markdown, CSV and Word outputs share these rows,
so the four always say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from json.encoder import encode_basestring as _string
from operator import attrgetter
from typing import Any

from kehoach_cli.dates import format_date
from kehoach_cli.journal.entry import Entry
from kehoach_cli.periods import CONVENTION_LABELS
from kehoach_cli.plan.model import ROLE_SHORT, Role, Section, Task
from kehoach_cli.plan.timeframe import KIND_LABELS
from kehoach_cli.query.review import LATEST_NOTES, BodyLine, Report, TaskLine
from kehoach_cli.render.output import TableData, to_markdown
from kehoach_cli.render.values import figures_by_body_text, timeframe_text
from kehoach_cli.status import STATUS_LABELS, Status
from kehoach_cli.text import shorten


class Grouping(StrEnum):
    """How the task table is split: by the plan's sections or by body."""

    MUC = "muc"
    DON_VI = "don-vi"


DASH = "–"


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%".replace(".", ",").replace(",0%", "%")


def task_id(report: Report, line: TaskLine) -> str:
    """"3.2", or "kh160:3.2" when the review covers several plans."""
    return line.ref if len(report.plans) > 1 else line.task.ma


def bodies_text(task: Task) -> str:
    """The implementing bodies: "MTTQ, CT-XH", or by role when the task names several."""
    roles = task.implementing()
    if not roles:
        return ", ".join(task.chi_dao)
    if len(roles) == 1:
        return ", ".join(next(iter(roles.values())))
    return "; ".join(f"{ROLE_SHORT[r]}: {', '.join(codes)}" for r, codes in roles.items())


def line_figures(line: TaskLine) -> str:
    """A task's figures of the period, per body where several added to one."""
    return figures_by_body_text(line.so_lieu, line.so_lieu_don_vi)


def note_text(entry: Entry, width: int) -> str:
    day = f"{entry.ngay.day:02d}/{entry.ngay.month:02d}"
    return f"{day} {entry.don_vi}: {shorten(entry.noi_dung, width)}"


def latest_notes(line: TaskLine, width: int = 70, count: int = LATEST_NOTES) -> str:
    return "\n".join(note_text(e, width) for e in reversed(line.entries[-count:]))


def activity_text(line: TaskLine) -> str:
    if line.active:
        return "có"
    return "không cần" if line.not_expected else "không"


TASK_COLUMNS = ["Mã", "Nội dung", "Đơn vị thực hiện", "Thời gian", "Số ghi nhận",
                "Ghi nhận gần nhất", "Số liệu", "Trạng thái cuối kỳ"]


def task_row(report: Report, line: TaskLine, width: int) -> list[str]:
    return [
        task_id(report, line),
        shorten(line.task.noi_dung, width),
        bodies_text(line.task),
        timeframe_text(line.task.thoi_gian, DASH),
        str(line.count),
        latest_notes(line) or DASH,
        line_figures(line) or DASH,
        line.state.label(),
    ]


def task_tables(report: Report, grouping: Grouping = Grouping.MUC,
                width: int = 70) -> list[TableData]:
    """The task table, one table per section (or per body)."""
    tables: list[TableData] = []
    if grouping is Grouping.DON_VI:
        for body in report.bodies:
            columns = [*TASK_COLUMNS[:2], "Vai trò", *TASK_COLUMNS[3:]]
            rows = []
            for line, roles in body.tasks:
                row = task_row(report, line, width)
                row[2] = "; ".join(r.label() for r in roles)
                rows.append(row)
            tables.append(TableData(columns, rows, f"{body.ma} – {body.ten}"))
        return tables
    for prefix, section, lines in by_section(report):
        title = f"{prefix}Mục {section.ma}. {shorten(section.tieu_de, 100)}"
        tables.append(TableData(list(TASK_COLUMNS), [task_row(report, line, width)
                                                     for line in lines], title))
    return tables


def by_section(report: Report) -> Iterator[tuple[str, Section, list[TaskLine]]]:
    """The review's tasks under their plan's sections, in document order, each with the
    heading prefix naming the plan when the review covers several ("kh160 – ")."""
    several = len(report.plans) > 1
    current: tuple[str, str] | None = None
    group: list[TaskLine] = []
    for line in report.tasks:
        key = (line.plan.key, line.section.ma)
        if key != current:
            if group:
                yield _prefix(group[0], several), group[0].section, group
            current, group = key, []
        group.append(line)
    if group:
        yield _prefix(group[0], several), group[0].section, group


def _prefix(line: TaskLine, several: bool) -> str:
    return f"{line.plan.key} – " if several else ""


BODY_COLUMNS = ["STT", "Đơn vị", "Tổng số nhiệm vụ", "Có hoạt động", "Không có hoạt động",
                "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành trong hạn",
                "Chưa hoàn thành quá hạn", "Thường xuyên (không thời hạn)", "Tỷ lệ hoàn thành",
                "Tỷ lệ có hoạt động (thường xuyên)"]


def body_counts(body: BodyLine) -> dict[str, int]:
    """The per-unit statistics, as the task-tracking systems count them."""
    from kehoach_cli.status import Timeliness

    tally = body.tally
    return {
        "tong_so": body.total,
        "co_hoat_dong": body.active,
        "khong_hoat_dong": body.inactive,
        # A task without a deadline ("Thường xuyên") is neither on time nor late, done or not.
        "hoan_thanh_dung_han": tally.get((True, Timeliness.DUNG_HAN), 0),
        "hoan_thanh_qua_han": tally.get((True, Timeliness.QUA_HAN), 0),
        "chua_hoan_thanh_trong_han": tally.get((False, Timeliness.DUNG_HAN), 0),
        "chua_hoan_thanh_qua_han": tally.get((False, Timeliness.QUA_HAN), 0),
        "khong_thoi_han": (tally.get((False, Timeliness.KHONG_THOI_HAN), 0)
                           + tally.get((True, Timeliness.KHONG_THOI_HAN), 0)),
    }


def body_table(report: Report) -> TableData:
    rows = []
    for i, body in enumerate(report.bodies, 1):
        counts = body_counts(body)
        rows.append([str(i), f"{body.ma} – {body.ten}", *(str(v) for v in counts.values()),
                     percent(body.rate), percent(body.activity_rate)])
    return TableData(list(BODY_COLUMNS), rows, "Kết quả theo đơn vị")


ATTENTION_COLUMNS = ["Cần quan tâm", "Mã", "Nội dung", "Đơn vị thực hiện", "Chi tiết"]


def attention_table(report: Report, width: int = 70) -> TableData:
    rows: list[list[str]] = []
    for line in report.without_activity:
        rows.append(["Không có hoạt động trong kỳ", task_id(report, line),
                     shorten(line.task.noi_dung, width), bodies_text(line.task),
                     line.state.label()])
    for line in report.overdue:
        due = format_date(line.state.han) if line.state.han else DASH
        rows.append(["Quá hạn", task_id(report, line), shorten(line.task.noi_dung, width),
                     bodies_text(line.task), f"hạn {due}, {STATUS_LABELS[line.state.status]}"])
    for body in report.silent_bodies:
        rows.append(["Đơn vị không báo cáo trong kỳ", body.ma, body.ten,
                     f"giữ {body.total} nhiệm vụ", silence_text(body)])
    for line in report.due_next:
        rows.append(["Đến hạn kỳ tới", task_id(report, line), shorten(line.task.noi_dung, width),
                     bodies_text(line.task),
                     "hạn " + ", ".join(format_date(d) for d in line.due_next)])
    return TableData(list(ATTENTION_COLUMNS), rows, "Cần quan tâm")


def silence_text(body: BodyLine) -> str:
    """"3 kỳ liên tiếp không báo cáo (lần gần nhất: 12/03/2025)"."""
    if body.last_note is None:
        since = f" ({body.silent_periods} kỳ từ khi ban hành kế hoạch)" if body.silent_periods else ""
        return f"chưa báo cáo lần nào{since}"
    last = f"lần gần nhất: {format_date(body.last_note)}"
    if body.silent_periods is None:
        return f"không báo cáo trong khoảng này ({last})"
    return f"{body.silent_periods} kỳ liên tiếp không báo cáo ({last})"


def _plans_text(report: Report) -> str:
    if len(report.plans) == 1:
        loaded = report.plans[0]
        meta = loaded.plan.ke_hoach
        number_text = f" số {meta.so_ky_hieu}" if meta.so_ky_hieu else ""
        return f"{loaded.key}{number_text} – {shorten(meta.trich_yeu, 120)}"
    return f"{len(report.plans)} kế hoạch"


def heading(report: Report) -> str:
    """"Báo cáo quý III/2025: từ ngày 01/07/2025 đến ngày 30/09/2025 (theo lịch)"; an
    explicit range is named by its dates once: "Báo cáo từ ngày 01/07/2025 đến ngày ..."."""
    span = report.span
    named = f"{span.label}: " if span.period is not None else ""
    return f"Báo cáo {named}{span.dates_text()} ({CONVENTION_LABELS[span.chot]})"


def summary_lines(report: Report) -> list[str]:
    """A short summary in words: the span, the plans, the counts, what needs attention."""
    tasks = report.tasks
    by_status = report.by_status
    completed_late = report.late_count - len(report.overdue)
    active = sum(1 for t in tasks if t.count)
    lines = [heading(report)]
    if report.as_of < report.span.den:
        lines.append(f"Kỳ chưa kết thúc: số liệu tính đến ngày {format_date(report.as_of)}.")
    lines.append(f"Kế hoạch: {_plans_text(report)}.")
    if report.don_vi is not None:
        lines.append(f"Đơn vị: {report.don_vi.ma} – {report.don_vi.ten}.")
    late_note = f" ({completed_late} quá hạn)" if completed_late else ""
    lines.append(
        f"{len(tasks)} nhiệm vụ: {by_status[Status.HOAN_THANH]} đã hoàn thành{late_note}, "
        f"{by_status[Status.DANG_THUC_HIEN]} đang thực hiện, "
        f"{by_status[Status.CHUA_THUC_HIEN]} chưa thực hiện; {active} nhiệm vụ có ghi nhận "
        f"trong kỳ ({report.entry_count} ghi nhận)."
    )
    nxt = report.next_span
    lines.append(
        f"Cần quan tâm: {len(report.without_activity)} nhiệm vụ không có hoạt động trong kỳ, "
        f"{len(report.overdue)} quá hạn, {len(report.due_next)} đến hạn trong kỳ tới "
        f"({nxt.label}, {nxt.dates_text()})."
    )
    if report.problems:
        lines.append(f"Có {len(report.problems)} dòng nhật ký không đọc được (bỏ qua).")
    if report.unplaced:
        lines.append(f"{report.unplaced} ghi nhận không xếp được (nhiệm vụ hoặc đơn vị không còn "
                     "trong kế hoạch); chạy `kehoach check` để xem.")
    return lines


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_ROLE_KEYS = [role.value for role in Role]
_role_lists = attrgetter(*_ROLE_KEYS)  # a task's four lists of codes in one C call


def task_dict(report: Report, line: TaskLine) -> dict[str, Any]:
    # StrEnum members are str: json writes them as their value, no `.value` needed.
    task = line.task
    tf = task.thoi_gian
    return {
        "ke_hoach": line.plan.key,
        "muc": line.section.ma,
        "ma": task.ma,
        "noi_dung": task.noi_dung,
        "don_vi": {key: codes for key in _ROLE_KEYS if (codes := getattr(task, key))},
        "thoi_gian": {
            "van_ban": tf.van_ban if tf else None,
            "loai": tf.loai if tf else None,
            "loai_nhan": KIND_LABELS[tf.loai] if tf else None,
        },
        "so_ghi_nhan": line.count,
        "co_hoat_dong": line.active,
        "ghi_nhan_gan_nhat": [
            {"id": e.id, "ngay": e.ngay.isoformat(), "don_vi": e.don_vi, "noi_dung": e.noi_dung,
             "trang_thai": e.trang_thai}
            for e in reversed(line.entries[-LATEST_NOTES:])
        ],
        "so_lieu": line.so_lieu,
        "trang_thai": line.state.status,
        "thoi_han": line.state.timeliness,
        "trang_thai_nhan": line.state.label(),
        "han": _iso(line.state.han),
        "hoan_thanh_ngay": _iso(line.state.hoan_thanh_ngay),
        "han_ky_toi": [d.isoformat() for d in line.due_next],
        **({"vai_tro": [r.label() for r in line.roles]} if report.don_vi else {}),
    }


class _Json(str):
    """Text already in JSON (a task's line), written as it is."""

    __slots__ = ()


def _text(value: str | None) -> str:
    """A string (or None) as `json.dumps(value, ensure_ascii=False)` writes it: the same
    C function the encoder calls for strings."""
    return "null" if value is None else _string(value)


def _number(value: float) -> str:
    """A figure as `json.dumps` writes it: a finite float by its repr, as the encoder does;
    anything else (an int, inf, nan) through json itself."""
    if value.__class__ is float and value - value == 0:
        return float.__repr__(value)
    import json

    return json.dumps(value)


def _day(value: date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _strings(values: list[str]) -> str:
    return "[" + ", ".join(map(_string, values)) + "]"


# Plans repeat a few role assignments and timeframes over thousands of tasks: their JSON is
# made once each (by the codes and texts themselves, so equal ones always read the same).
_ROLES_JSON: dict[tuple[tuple[str, ...], ...], str] = {}
_TIMEFRAME_JSON: dict[tuple[str, str], str] = {}


def _roles_json(task: Task) -> str:
    assigned = tuple(map(tuple, _role_lists(task)))
    text = _ROLES_JSON.get(assigned)
    if text is None:
        text = _ROLES_JSON[assigned] = "{" + ", ".join(
            f"{_string(key)}: {_strings(list(codes))}"
            for key, codes in zip(_ROLE_KEYS, assigned, strict=True) if codes) + "}"
    return text


def _timeframe_json(task: Task) -> str:
    tf = task.thoi_gian
    if tf is None:
        return '{"van_ban": null, "loai": null, "loai_nhan": null}'
    key = (tf.van_ban, tf.loai)
    text = _TIMEFRAME_JSON.get(key)
    if text is None:
        text = _TIMEFRAME_JSON[key] = (
            f'{{"van_ban": {_text(tf.van_ban)}, "loai": {_text(tf.loai)}, '
            f'"loai_nhan": {_text(KIND_LABELS[tf.loai])}}}')
    return text


def _head_json(line: TaskLine) -> str:
    """The part of a task's JSON that the plan alone decides."""
    task = line.task
    return (f'{{"ke_hoach": {_string(line.plan.key)}, "muc": {_string(line.section.ma)}, '
            f'"ma": {_string(task.ma)}, "noi_dung": {_string(task.noi_dung)}, '
            f'"don_vi": {_roles_json(task)}, "thoi_gian": {_timeframe_json(task)}')


def task_json(report: Report, line: TaskLine) -> str:
    """`json.dumps(task_dict(report, line), ensure_ascii=False)`, written directly: building
    the dict and encoding it cost three times as much over 20,000 tasks (the tests hold the
    two to the same text); a line kept with its text (`query/review_cache.py`) as it is."""
    if line.json is not None and report.don_vi is None:
        return _Json(line.json)
    return _Json(line_json(line, report.don_vi is not None))


def line_json(line: TaskLine, narrowed: bool = False) -> str:
    """A task line's JSON text (`task_json`), with its roles when the review is `narrowed`."""
    state = line.state
    notes = ", ".join(
        f'{{"id": {_string(e.id)}, "ngay": "{e.ngay.isoformat()}", "don_vi": {_string(e.don_vi)}, '
        f'"noi_dung": {_string(e.noi_dung)}, "trang_thai": {_text(e.trang_thai)}}}'
        for e in reversed(line.entries[-LATEST_NOTES:]))
    figures = ", ".join(f"{_string(name)}: {_number(value)}" for name, value in line.so_lieu.items())
    due = ", ".join(f'"{d.isoformat()}"' for d in line.due_next)
    roles = f', "vai_tro": {_strings([r.label() for r in line.roles])}' if narrowed else ""
    return (
        f'{_head_json(line)}, "so_ghi_nhan": {line.count}, '
        f'"co_hoat_dong": {"true" if line.count else "false"}, '
        f'"ghi_nhan_gan_nhat": [{notes}], "so_lieu": {{{figures}}}, '
        f'"trang_thai": {_string(state.status)}, "thoi_han": {_string(state.timeliness)}, '
        f'"trang_thai_nhan": {_string(state.label())}, "han": {_day(state.han)}, '
        f'"hoan_thanh_ngay": {_day(state.hoan_thanh_ngay)}, "han_ky_toi": [{due}]{roles}}}')


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON document: the span in ISO dates, every task, every body, attention."""
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _fields(report).items()}


def _fields(report: Report, encoded: bool = False) -> dict[str, Any]:
    """The document's fields; the long lists (tasks, bodies) as iterators, made item by item
    while they are written; with `encoded`, each task already as its JSON text."""
    span, nxt = report.span, report.next_span

    def ref(line: TaskLine) -> str:
        return line.ref

    task_item = task_json if encoded else task_dict
    return {
        "ky": span.label,
        "chot": span.chot.value,
        "tu_ngay": span.tu.isoformat(),
        "den_ngay": span.den.isoformat(),
        "tinh_den_ngay": report.as_of.isoformat(),
        "ky_toi": {"ky": nxt.label, "tu_ngay": nxt.tu.isoformat(), "den_ngay": nxt.den.isoformat()},
        "ke_hoach": [p.key for p in report.plans],
        "don_vi_loc": ({"ma": report.don_vi.ma, "ten": report.don_vi.ten}
                       if report.don_vi else None),
        "tong_hop": {
            "so_nhiem_vu": len(report.tasks),
            "so_ghi_nhan": report.entry_count,
            **{s.value: n for s, n in report.by_status.items()},
            "qua_han": report.late_count,
        },
        "nhiem_vu": (task_item(report, line) for line in report.tasks),
        "theo_don_vi": (
            {"ma": b.ma, "ten": b.ten, **body_counts(b),
             "ty_le_hoan_thanh": round(b.rate, 4) if b.rate is not None else None,
             "ty_le_co_hoat_dong_thuong_xuyen": (round(b.activity_rate, 4)
                                                 if b.activity_rate is not None else None),
             "nhiem_vu": [ref(t) for t, _ in b.tasks]}
            for b in report.bodies
        ),
        "can_quan_tam": {
            "khong_hoat_dong": [ref(t) for t in report.without_activity],
            "qua_han": [ref(t) for t in report.overdue],
            "den_han_ky_toi": [ref(t) for t in report.due_next],
            "don_vi_khong_bao_cao": [
                {"ma": b.ma, "so_ky_lien_tiep": b.silent_periods,
                 "lan_gan_nhat": _iso(b.last_note)} for b in report.silent_bodies],
        },
        "loi_nhat_ky": report.problems,
        "ghi_nhan_khong_xep_duoc": report.unplaced,
    }


def json_chunks(report: Report) -> Iterator[str]:
    """The JSON document piece by piece, indented at the top and one line a task and a body,
    for writing as it is made: the text of 20,000 tasks is never held whole, only that of
    `_BATCH` lines at a time.

    Still one JSON value, readable and diffable line by line; and `json.dumps` without
    `indent` runs in C, while `indent` falls back to pure Python, several times slower on
    a workspace of 20,000 tasks.
    """
    from kehoach_cli.text import json_escaped

    opening = "{\n"
    for key, value in _fields(report, encoded=True).items():
        head = f"{opening}  {_dumps(key)}: "
        opening = ",\n"
        if not isinstance(value, Iterator):
            yield json_escaped(head + _dumps(value))
            continue
        yield head
        yield from _array(value)
    yield "\n}\n"


_BATCH = 64  # lines escaped and written at once: one call, not 64; small enough (some 120 KB
# of text) to be made again in the memory the last batch freed, where 500 lines took fresh
# pages from the system each time (20,000 page faults more over 20,000 tasks)


def _array(items: Iterator[Any]) -> Iterator[str]:
    """A list, one item a line, in batches: escaping unsafe characters (`json_escaped`)
    over a batch's text gives what it gives line by line, since they occur only inside
    strings."""
    from itertools import islice

    from kehoach_cli.text import json_escaped

    separator = "[\n    "
    while batch := [item if isinstance(item, _Json) else _dumps(item)
                    for item in islice(items, _BATCH)]:
        yield json_escaped(separator + ",\n    ".join(batch))
        separator = ",\n    "
    yield "[]" if separator.startswith("[") else "\n  ]"


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def markdown(report: Report, grouping: Grouping = Grouping.MUC) -> str:
    lines = summary_lines(report)
    parts = [f"# {lines[0]}", "", *(f"- {line}" for line in lines[1:]), ""]
    parts += ["# Nhiệm vụ", ""]
    parts += [to_markdown(t) for t in task_tables(report, grouping)]
    parts += ["# Tổng hợp", "", to_markdown(body_table(report)), to_markdown(attention_table(report))]
    return "\n".join(parts)


CSV_COLUMNS = ["Kế hoạch", "Mục", "Mã", "Nội dung", "Đơn vị thực hiện", "Thời gian",
               "Từ ngày", "Đến ngày", "Số ghi nhận", "Ghi nhận gần nhất", "Số liệu",
               "Trạng thái", "Hạn", "Hoạt động trong kỳ"]


def csv_table(report: Report, grouping: Grouping = Grouping.MUC) -> TableData:
    """One row a task (a body and a task with `don-vi` grouping), each with the span's
    dates, so a sheet cut from it still says what it covers."""

    def row(line: TaskLine) -> list[str]:
        return [line.plan.key, line.section.ma, line.task.ma, line.task.noi_dung,
                bodies_text(line.task), timeframe_text(line.task.thoi_gian, DASH),
                format_date(report.span.tu), format_date(report.span.den),
                str(line.count), latest_notes(line, width=200),
                line_figures(line), line.state.label(),
                format_date(line.state.han) if line.state.han else "", activity_text(line)]

    if grouping is Grouping.DON_VI:
        rows = [[body.ma, "; ".join(r.label() for r in roles), *row(line)]
                for body in report.bodies for line, roles in body.tasks]
        return TableData(["Đơn vị", "Vai trò", *CSV_COLUMNS], rows)
    return TableData(list(CSV_COLUMNS), [row(line) for line in report.tasks])
