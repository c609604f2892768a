"""The periodic review (báo cáo định kỳ): plans and notes in, a `Report` out.

Pure over its inputs: `build_report(plans, entries, span, as_of)` reads no file and no
clock, so it is tested without a journal. `collect_entries` is the one place that reads
the journals.

What the review answers:
- per task: the notes dated within the span (count, latest, figures `so_lieu` summed) and
  the status at the span's end, or at the reference date ("tính đến ngày") when that comes
  first (`report_status.assess`);
- per body: the tasks it carries out (an implementing role, held itself or through a
  group; the directing role of the Party Committee is left out, since it directs every
  task), how many had notes from that body or its members in the span, completed, late,
  and the completion rate;
- attention: open tasks without notes in the span (a task completed earlier, or one whose
  timeframe has not begun, needs none), open tasks past their deadline, and deadlines
  falling in the next period.
With `don_vi`, the review narrows to the tasks that body holds in any role (as `list`
shows them) and to the notes it, or its members, reported; the status stays the task's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kehoach_cli.bodies import TaskRole, registry_of, resolve_in_plans, task_roles_for
from kehoach_cli.entries import Entry
from kehoach_cli.errors import KehoachError
from kehoach_cli.model import Body, Role, Section, Task
from kehoach_cli.periods import Convention, PeriodError, Span, resolve_span
from kehoach_cli.plans import LoadedPlan
from kehoach_cli.report_status import TaskState, assess, deadlines_in, starts_after
from kehoach_cli.text import fold
from kehoach_cli.timeframe import TimeframeKind


@dataclass(frozen=True)
class TaskLine:
    """One task in the review."""

    plan: LoadedPlan
    section: Section
    task: Task
    entries: list[Entry]  # notes dated within the span, oldest first
    so_lieu: dict[str, float]  # figures summed over those notes
    state: TaskState
    due_next: list[date]  # deadlines falling in the next period
    not_expected: bool  # completed before, or not begun: no note is expected
    roles: list[TaskRole] = field(default_factory=list)  # of the narrowing body, if any

    @property
    def active(self) -> bool:
        return bool(self.entries)

    @property
    def needs_activity(self) -> bool:
        """Open, expected to be worked on, and no note in the span."""
        return not self.entries and not self.not_expected and not self.state.completed

    @property
    def overdue(self) -> bool:
        return self.state.late and not self.state.completed


@dataclass(frozen=True)
class BodyLine:
    """One body's share of the review: the per-unit statistics table."""

    ma: str
    ten: str
    tasks: list[tuple[TaskLine, list[TaskRole]]]
    active: int  # tasks on which the body or its members reported in the span

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def inactive(self) -> int:
        return self.total - self.active

    def count(self, *, completed: bool, late: bool) -> int:
        return sum(1 for t, _ in self.tasks
                   if t.state.completed == completed and t.state.late == late)

    @property
    def completed(self) -> int:
        return sum(1 for t, _ in self.tasks if t.state.completed)

    @property
    def late(self) -> int:
        return sum(1 for t, _ in self.tasks if t.state.late)

    @property
    def rate(self) -> float | None:
        """Completed tasks over tasks held; None when the body holds none."""
        return self.completed / self.total if self.total else None


@dataclass(frozen=True)
class Report:
    """The whole review of a span."""

    span: Span
    as_of: date  # the reference date ("tính đến ngày")
    next_span: Span
    plans: list[LoadedPlan]
    tasks: list[TaskLine]
    bodies: list[BodyLine]
    don_vi: Body | None = None  # the body the review is narrowed to
    problems: list[str] = field(default_factory=list)  # journal lines that could not be read

    @property
    def end(self) -> date:
        """The last day whose notes count: the span's end, or the reference date if earlier."""
        return min(self.span.den, self.as_of)

    @property
    def without_activity(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.needs_activity]

    @property
    def overdue(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.overdue]

    @property
    def due_next(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.due_next]

    @property
    def entry_count(self) -> int:
        return sum(len(t.entries) for t in self.tasks)


def _members(code: str, by_code: dict[str, Body]) -> set[str]:
    """A body and every member of it, through nested groups."""
    found = {code}
    todo = [code]
    while todo:
        body = by_code.get(todo.pop())
        for member in body.thanh_vien if body else []:
            if member not in found:
                found.add(member)
                todo.append(member)
    return found


def _sum_figures(entries: Iterable[Entry]) -> dict[str, float]:
    # "số cuộc giám sát" and "so cuoc giam sat" are one figure, shown as first written.
    names: dict[str, str] = {}
    totals: dict[str, float] = {}
    for entry in entries:
        for name, value in entry.so_lieu.items():
            key = fold(name)
            shown = names.setdefault(key, name)
            totals[shown] = totals.get(shown, 0.0) + value
    return totals


def _due_next(task: Task, state: TaskState, next_span: Span) -> list[date]:
    """Deadlines in the next period, unless the task is done for good (a recurring task
    completed this time is due again)."""
    recurring = task.thoi_gian is not None and task.thoi_gian.loai is TimeframeKind.DINH_KY
    if state.completed and not recurring:
        return []
    return deadlines_in(task.thoi_gian, next_span)


def _order(entry: Entry) -> tuple[date, object]:
    return entry.ngay, entry.ghi_luc


def build_report(
    plans: Sequence[LoadedPlan],
    entries: Iterable[Entry],
    span: Span,
    as_of: date,
    don_vi: str | None = None,
    problems: Sequence[str] = (),
) -> Report:
    """The review of `span` as known at `as_of`; `don_vi` narrows it to one body (a name as
    people type it, resolved in every plan). Raises NotFound/Ambiguous for a bad name."""
    end = min(span.den, as_of)
    next_span = span.next()
    narrowed = {r.plan.key: r.body for r in resolve_in_plans(plans, don_vi)} if don_vi else {}

    by_task: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.ngay <= end and not entry.huy:
            by_task[(entry.ke_hoach, entry.ma)].append(entry)

    lines: list[TaskLine] = []
    holders: dict[str, tuple[str, list[tuple[TaskLine, list[TaskRole]]], set[str]]] = {}
    holder_order: list[str] = []
    active_by: dict[str, int] = defaultdict(int)
    for loaded in plans:
        registry = registry_of(loaded)
        focus = narrowed.get(loaded.key)
        if narrowed and focus is None:
            continue
        groups = {b.ma: _members(b.ma, registry.by_code) for b in registry.bodies}
        for section, task in loaded.plan.tasks():
            roles = task_roles_for(focus.ma, task, registry) if focus else []
            if focus and not roles:
                continue
            history = by_task.get((loaded.key, task.ma), [])
            history.sort(key=_order)
            in_span = [e for e in history if e.ngay >= span.tu]
            if focus:
                in_span = [e for e in in_span if e.don_vi in groups.get(focus.ma, {focus.ma})]
            state = assess(task.thoi_gian, history, end)
            line = TaskLine(
                plan=loaded, section=section, task=task, entries=in_span,
                so_lieu=_sum_figures(in_span), state=state,
                due_next=_due_next(task, state, next_span),
                not_expected=state.completed or starts_after(task.thoi_gian, end),
                roles=roles,
            )
            lines.append(line)
            reporters = {e.don_vi for e in in_span}
            for body in registry.bodies:
                if focus and body.ma != focus.ma:
                    continue
                held = task_roles_for(body.ma, task, registry)
                if not focus:
                    held = [r for r in held if r.role is not Role.CHI_DAO]
                if not held:
                    continue
                if body.ma not in holders:
                    holders[body.ma] = (body.ten, [], set())
                    holder_order.append(body.ma)
                holders[body.ma][1].append((line, held))
                if reporters & groups[body.ma]:
                    active_by[body.ma] += 1
    # Bodies in registry order (the order the plan lists them), across plans.
    rank: dict[str, int] = {}
    for loaded in plans:
        for body in registry_of(loaded).bodies:
            rank.setdefault(body.ma, len(rank))
    holder_order.sort(key=lambda code: rank.get(code, len(rank)))
    bodies = [BodyLine(code, holders[code][0], holders[code][1], active_by[code])
              for code in holder_order]
    focus_body = next(iter(narrowed.values()), None)
    return Report(span, as_of, next_span, list(plans), lines, bodies, focus_body, list(problems))



def resolve_span_or_fail(ky: str | None, as_of: date, chot: Convention,
                         tu: date | None = None, den: date | None = None) -> Span:
    """`periods.resolve_span`, its errors turned into the user's error type."""
    try:
        return resolve_span(ky, as_of, chot, tu, den)
    except PeriodError as exc:
        raise KehoachError(str(exc)) from None


def collect_entries(plans: Iterable[LoadedPlan]) -> tuple[list[Entry], list[str]]:
    """Every effective note of every plan's journal (corrections applied), and the lines
    that could not be read, as messages; damage never stops a report."""
    from kehoach_cli.journal import read_journal

    entries: list[Entry] = []
    problems: list[str] = []
    for loaded in plans:
        journal = read_journal(loaded)
        entries.extend(journal.entries)
        problems.extend(str(p) for p in journal.problems)
    return entries, problems
