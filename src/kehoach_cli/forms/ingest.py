"""From filled forms to journal records: what `nhap-phieu` would add, and adding it.

Idempotent by construction: the entry a form's row makes has an id derived from the form's
id and the row's number (`journal.store.derived_id`), so the same form imported again, or a
re-sent copy, finds its entries already there and adds nothing; a row changed in a re-sent
form becomes a correction of that entry (the record `kehoach sua` makes), never a second
entry. A row that repeats a note already logged by hand (same task, body, day and text) is
not added either. Records go through the journal's own append; nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kehoach_cli.errors import KehoachError, NotFound
from kehoach_cli.journal.entry import Entry, replace

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime
    from pathlib import Path

    from kehoach_cli.forms.read import FilledForm, FilledRow
    from kehoach_cli.journal.read import JournalRead
    from kehoach_cli.periods import Span
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.workspace import Workspace

_COMPARED = ("ma", "ngay", "noi_dung", "trang_thai", "minh_chung", "so_lieu")


@dataclass
class FormImport:
    """What one form brings: new entries, corrections, rows already in, and its errors."""

    path: Path
    form: FilledForm | None = None
    plan: LoadedPlan | None = None
    new: list[Entry] = field(default_factory=list)
    fixes: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # rows left out, and why
    errors: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[Entry]:
        return self.new + self.fixes


@dataclass(frozen=True)
class Expectation:
    """What forms are accepted: plans of the workspace, and a period.

    `span` is the period asked for with --ky (None: the current period of the form's kind,
    or the one before it); `any_period` accepts every period (--khac-ky); `into_plan` imports
    a form of another plan into this one (--vao-ke-hoach).
    """

    span: Span | None = None
    any_period: bool = False
    into_plan: str | None = None


def _check_period(form: FilledForm, expect: Expectation, today: date) -> str | None:
    from kehoach_cli.periods import containing, span_of

    ident = form.identity
    if expect.any_period:
        return None
    if expect.span is not None:
        if (expect.span.tu, expect.span.den) == (ident.tu, ident.den):
            return None
        wanted = expect.span.label
    else:
        if ident.period is None:
            if ident.tu <= today:
                return None
            wanted = "kỳ đang diễn ra"
        else:
            current = containing(ident.period.kind, today, ident.chot)
            if ident.period in (current, current.previous()):
                return None
            wanted = f"{span_of(current, ident.chot).label} hoặc {current.previous().label()}"
    return (f"{form.path.name}: phiếu của kỳ {ident.ky} ({ident.span.dates_text()}), không phải "
            f"kỳ đang nhập ({wanted}); nếu đúng là muốn nhập, thêm --ky \"{ident.ky}\" (hoặc "
            "--khac-ky); không nhập gì từ phiếu này")


def _plan_of(form: FilledForm, workspace: Workspace, expect: Expectation) -> LoadedPlan:
    keys = {p.key: p for p in workspace.plans}
    wanted = expect.into_plan or form.identity.ke_hoach
    plan = keys.get(wanted)
    if plan is None:
        raise NotFound(f"{form.path.name}: phiếu của kế hoạch “{form.identity.ke_hoach}”, không có "
                       f"trong các kế hoạch đang dùng ({', '.join(keys)}); hãy chạy lệnh ở thư mục "
                       "có kế hoạch đó, chỉ rõ --ke-hoach, hoặc --vao-ke-hoach MÃ nếu kế hoạch đã "
                       "đổi mã")
    return plan


def _row_entry(form: FilledForm, row: FilledRow, plan: LoadedPlan, who: str,
               now: datetime) -> Entry:
    from kehoach_cli.journal.store import derived_id

    return Entry(id=derived_id(form.identity.ma_phieu, str(row.row)), ke_hoach=plan.key,
                 ma=row.ma, ngay=row.ngay, don_vi=form.identity.don_vi, nguoi_ghi=who,
                 ghi_luc=now, noi_dung=row.noi_dung, trang_thai=row.trang_thai,
                 minh_chung=row.minh_chung, so_lieu=row.so_lieu)


def _check_rows(form: FilledForm, plan: LoadedPlan, today: date) -> list[str]:
    """Rows whose task or body no longer fits the plan, or whose day the plan refuses."""
    from kehoach_cli.forms.layout import COL_DAY, COL_MA, SHEET_TASKS
    from kehoach_cli.journal.input import check_day, reporting_body

    tasks = {task.ma: task for _, task in plan.plan.tasks()}
    held: dict[str, str | None] = {}  # task id -> why the form's body may not report on it
    errors = []
    for row in form.rows:
        where = f"{form.path.name}, trang {SHEET_TASKS}, ô"
        task = tasks.get(row.ma)
        if task is None:
            errors.append(f"{where} {COL_MA}{row.row}: nhiệm vụ {row.ma} không còn trong kế hoạch "
                          f"{plan.key}; hãy xóa dòng này hoặc ghi sang nhiệm vụ khác")
            continue
        refused = held.get(task.ma, "")
        if refused == "":  # a task's roles are checked once, not once a row
            try:
                reporting_body(plan, task, form.identity.don_vi)
                refused = held[task.ma] = None
            except KehoachError as exc:
                refused = held[task.ma] = exc.message
        if refused is not None:
            errors.append(f"{where} {COL_MA}{row.row}: {refused}")
        try:
            check_day(row.ngay, today, plan)
        except KehoachError as exc:
            errors.append(f"{where} {COL_DAY}{row.row}: {exc.message}")
    return errors


class _Known:
    """The journal of a plan as the import sees it, with what this run already planned, so a
    form given twice on one command line is counted once."""

    def __init__(self, plan: LoadedPlan, journal: JournalRead) -> None:
        self.plan = plan
        self.journal = journal
        self.planned: dict[str, Entry] = {}

    def current(self, entry_id: str) -> Entry | None:
        from kehoach_cli.journal.read import Found

        if entry_id in self.planned:
            return self.planned[entry_id]
        root = self.journal.by_id.get(entry_id)
        if root is None or root.sua_cho is not None:
            return None
        return Found(self.plan, root, self.journal).current


def plan_imports(workspace: Workspace, paths: Sequence[Path], expect: Expectation, *,
                 importer: str, today: date, now: datetime) -> list[FormImport]:
    """Read every form and work out what it adds; nothing is written."""
    from kehoach_cli.forms.read import read_form
    from kehoach_cli.journal.input import correction, find_duplicate
    from kehoach_cli.journal.read import read_journal
    from kehoach_cli.journal.store import derived_id

    known: dict[str, _Known] = {}
    out: list[FormImport] = []
    for path in paths:
        item = FormImport(path)
        out.append(item)
        try:
            form = read_form(path, today)
            item.form = form
            plan = _plan_of(form, workspace, expect)
        except KehoachError as exc:
            item.errors.append(exc.message)
            continue
        item.plan = plan
        refused = _check_period(form, expect, today)
        if refused:
            item.errors.append(refused)
            continue
        item.errors.extend(form.errors)
        item.errors.extend(_check_rows(form, plan, today))
        if item.errors:
            continue
        state = known.get(plan.key)
        if state is None:
            state = known[plan.key] = _Known(plan, read_journal(plan))
        who = form.nguoi_dien or importer  # who filled the form, else who imports it
        for row in form.rows:
            entry = _row_entry(form, row, plan, who, now)
            if entry.id in state.journal.retracted:
                item.notes.append(f"dòng {row.row}: ghi nhận {entry.id} đã bị hủy, không nhập lại")
                continue
            current = state.current(entry.id)
            if current is None:
                twin = find_duplicate(entry, state.journal.entries)
                if twin is not None:
                    item.notes.append(f"dòng {row.row}: đã có ghi nhận {twin.id} y hệt, bỏ qua")
                    continue
                item.new.append(entry)
                state.planned[entry.id] = entry
                continue
            changes = {key: getattr(entry, key) for key in _COMPARED
                       if getattr(entry, key) != getattr(current, key)}
            if not changes:
                item.unchanged += 1
                continue
            fix = correction(replace(current, id=entry.id), current, changes, nguoi_ghi=who, now=now)
            item.fixes.append(fix)
            state.planned[entry.id] = replace(fix, id=entry.id, sua_cho=None)
        for number in form.blank:
            # A row emptied in a re-sent form: its note is kept, never withdrawn by the import
            # (an older copy imported late must not undo newer work); the user is told.
            entry_id = derived_id(form.identity.ma_phieu, str(number))
            if state.current(entry_id) is not None and entry_id not in state.journal.retracted:
                item.notes.append(f"dòng {number} nay để trống nhưng trước đã nhập thành ghi nhận "
                                  f"{entry_id}: ghi nhận đó vẫn giữ; muốn bỏ thì kehoach huy {entry_id}")
    return out


def apply_imports(imports: Sequence[FormImport]) -> list[Path]:
    """Append what the error-free forms bring; returns the journal files written."""
    from kehoach_cli.journal.store import append_entries

    by_plan: dict[str, tuple[LoadedPlan, list[Entry]]] = {}
    for item in imports:
        if item.errors or item.plan is None or not item.records:
            continue
        by_plan.setdefault(item.plan.key, (item.plan, []))[1].extend(item.records)
    written: list[Path] = []
    for plan, records in by_plan.values():
        written.extend(append_entries(plan, records))
    return written
