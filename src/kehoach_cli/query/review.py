"""The periodic review (báo cáo định kỳ): plans and notes in, a `Report` out.

Pure over its inputs: `build_report(plans, entries, span, as_of)` reads no file and no
clock, so it is tested without a journal; `JournalSource` is the one place that reads
the journals.

What the review answers:
- per task: the notes dated within the span (count, every note, figures `so_lieu` summed
  and per body) and the state at the span's end, or at the reference date ("tính đến
  ngày") when that comes first (`query.state.assess`, the one task-state rule);
- per body: the tasks it carries out (an implementing role, held itself or through a
  group; the directing role of the Party Committee is left out, since it directs every
  task), how many had notes from that body or its members in the span, how many it is done
  with (its own part, or the whole task: `TaskState.standing_of`), late, the completion
  rate, and for ongoing tasks (thường xuyên) the activity rate;
- attention: open tasks without notes in the span (a task completed earlier, or one whose
  timeframe has not begun, needs none), open tasks past their deadline, and deadlines
  falling in the next period.
With `don_vi`, the review narrows to the tasks that body holds in any role (as `list`
shows them) and to the notes it, or its members, reported; each task's state is then that
body's own part (`TaskState.for_body`), the one figure its report gives everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import cast

from kehoach_cli.journal.digest import StateNote
from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.placement import plan_keys, why_unplaced
from kehoach_cli.periods import Span, span_of
from kehoach_cli.plan.bodies import Registry, TaskRole, registry_of, resolve_in_plans, task_roles_for
from kehoach_cli.plan.loader import LoadedPlan
from kehoach_cli.plan.model import IMPLEMENTING_ROLES, Body, Section, Task
from kehoach_cli.plan.timeframe import TimeframeKind
from kehoach_cli.query.state import TaskState, assess, deadlines_in, starts_after
from kehoach_cli.status import Timeliness
from kehoach_cli.text import fold


@dataclass(frozen=True)
class TaskLine:
    """One task in the review."""

    plan: LoadedPlan
    section: Section
    task: Task
    entries: list[Entry]  # notes dated within the span, oldest first
    so_lieu: dict[str, float]  # figures summed over those notes
    so_lieu_don_vi: dict[str, dict[str, float]]  # the same per figure, per reporting body
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

    active_lines: frozenset[int] = frozenset()  # id() of the task lines it was active on
    last_note: date | None = None  # its latest note (or a member's) on what it holds, to the end
    silent_periods: int | None = None  # consecutive periods without a note, this one included;
    # None for an explicit --tu/--den range (no period kind to count in)

    @cached_property
    def tally(self) -> dict[tuple[bool, Timeliness], int]:
        """How many tasks are (done with or not, timeliness), by this body's part: one pass,
        asked many times."""
        out: dict[tuple[bool, Timeliness], int] = defaultdict(int)
        for line, _ in self.tasks:
            out[line.state.standing_of(self.ma)] += 1
        return out

    @cached_property
    def ongoing(self) -> tuple[int, int]:
        """Ongoing tasks (no deadline) it holds, and those it reported on in the span."""
        held = [line for line, _ in self.tasks if line.state.han is None]
        return len(held), sum(1 for line in held if id(line) in self.active_lines)

    @property
    def activity_rate(self) -> float | None:
        """Ongoing tasks with activity over ongoing tasks held: a completion rate can only be
        0% for them; None when it holds none."""
        total, active = self.ongoing
        return active / total if total else None

    @property
    def completed(self) -> int:
        return sum(n for (done, _), n in self.tally.items() if done)

    @property
    def late(self) -> int:
        return sum(n for (_, timeliness), n in self.tally.items()
                   if timeliness is Timeliness.QUA_HAN)

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
    unplaced: int = 0  # notes of the span for a task or body no longer in their plan

    @property
    def end(self) -> date:
        """The last day whose notes count: the span's end, or the reference date if earlier."""
        return min(self.span.den, self.as_of)

    @cached_property
    def without_activity(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.needs_activity]

    @cached_property
    def overdue(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.overdue]

    @cached_property
    def unaccented(self) -> list[Entry]:
        """Notes of the period typed without diacritics ("da giam sat 3 khu dan cu"): a
        document going up must not carry them; the office corrects them with `sua`."""
        return [e for t in self.tasks for e in t.entries if looks_unaccented(e.noi_dung)]

    @cached_property
    def silent_bodies(self) -> list[BodyLine]:
        """Bodies that reported nothing in the span on tasks they hold, longest silence first
        (the follow-up list before a review)."""
        quiet = [b for b in self.bodies if b.active == 0 and b.total]
        return sorted(quiet, key=lambda b: -(b.silent_periods or 0))

    @cached_property
    def due_next(self) -> list[TaskLine]:
        return [t for t in self.tasks if t.due_next]

    @cached_property
    def entry_count(self) -> int:
        return sum(len(t.entries) for t in self.tasks)


def looks_unaccented(text: str) -> bool:
    """Vietnamese typed without its marks: plain ASCII with at least three words of letters
    (a code, a number or "OK" alone is not a sentence)."""
    return text.isascii() and sum(1 for word in text.split() if word.isalpha()) >= 3


_FOLDED: dict[str, str] = {}  # a workspace uses a handful of figure names, many times


def _sum_figures(entries: Iterable[Entry]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Figures summed over notes, and per figure the share of each body (in the order they
    first reported it), so joint work is not mistaken for one body's."""
    # "số cuộc giám sát" and "so cuoc giam sat" are one figure, shown as first written.
    names: dict[str, str] = {}
    totals: dict[str, float] = {}
    shares: dict[str, dict[str, float]] = {}
    for entry in entries:
        for name, value in entry.so_lieu.items():
            key = _FOLDED.get(name)
            if key is None:
                key = _FOLDED[name] = fold(name)
            shown = names.setdefault(key, name)
            totals[shown] = totals.get(shown, 0.0) + value
            by_body = shares.setdefault(shown, {})
            by_body[entry.don_vi] = by_body.get(entry.don_vi, 0.0) + value
    return totals, shares


def _due_next(task: Task, state: TaskState, next_span: Span) -> list[date]:
    """Deadlines in the next period, unless the task is done for good (a recurring task
    completed this time is due again)."""
    recurring = task.thoi_gian is not None and task.thoi_gian.loai is TimeframeKind.DINH_KY
    if state.completed and not recurring:
        return []
    return deadlines_in(task.thoi_gian, next_span)


def _order(entry: Entry) -> tuple[date, object]:
    return entry.ngay, entry.ghi_luc


EntrySource = Iterable[Entry] | Callable[[LoadedPlan], Iterable[Entry]]
# A task's notes up to the review's end: whole entries for those of the span, and for
# earlier ones either whole entries or only what the state rule reads (`JournalSource.span`).
History = Entry | StateNote


def build_report(
    plans: Sequence[LoadedPlan],
    entries: EntrySource,
    span: Span,
    as_of: date,
    don_vi: str | None = None,
    problems: Sequence[str] = (),
) -> Report:
    """The review of `span` as known at `as_of`; `don_vi` narrows it to one body (a name as
    people type it, resolved in every plan). Raises NotFound/Ambiguous for a bad name.

    `entries` is every note, or a function giving a plan's notes (`JournalSource`): then
    only one plan's journal is in memory at a time, and only the notes of the span are kept.
    `problems` is read when the review is done, so a source may fill it on the way.
    """
    end = min(span.den, as_of)
    narrowed = {r.plan.key: r.body for r in resolve_in_plans(plans, don_vi)} if don_vi else {}
    if callable(entries):
        source = entries  # a journal gives its notes in order of day, then of recording
    else:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in sorted(entries, key=_order):
            grouped[entry.ke_hoach].append(entry)
        source = lambda loaded: grouped.get(loaded.key, [])  # noqa: E731

    lines: list[TaskLine] = []
    tally = _Tally()
    unplaced = 0
    for loaded in plans:
        registry = registry_of(loaded)
        focus = narrowed.get(loaded.key)
        if narrowed and focus is None:
            continue
        if isinstance(entries, JournalSource):  # whole entries only for the span's notes
            by_task, missed = entries.span(loaded, span.tu, end)
        else:
            by_task, missed = _notes_by_task(loaded, source(loaded), span.tu, end)
        unplaced += missed
        for section, task in loaded.plan.tasks():
            roles = task_roles_for(focus.ma, task, registry) if focus else []
            if focus and not roles:
                continue
            history = by_task.get(task.ma, [])
            line = _task_line(loaded, section, task, registry, history, focus, roles, span, end)
            lines.append(line)
            held_by = ([(focus.ma, roles, registry.members_of(focus.ma))]
                       if focus else _holders(task, registry))
            tally.count(line, history, held_by, registry)
    bodies = tally.bodies(plans, span)
    focus_body = next(iter(narrowed.values()), None)
    return Report(span, as_of, span.next(), list(plans), lines, bodies, focus_body,
                  list(problems), unplaced)


def _notes_by_task(loaded: LoadedPlan, notes: Iterable[Entry], tu: date, end: date
                   ) -> tuple[dict[str, list[History]], int]:
    """A plan's notes up to `end` by task (retractions left out), and how many of those in
    the span name a task or body the plan no longer has."""
    by_task: dict[str, list[History]] = defaultdict(list)
    task_ids, body_codes = plan_keys(loaded)
    unplaced = 0
    for entry in notes:
        if entry.ngay <= end and not entry.huy:
            by_task[entry.ma].append(entry)
            if entry.ngay >= tu and why_unplaced(entry, task_ids, body_codes) is not None:
                unplaced += 1
    return by_task, unplaced


def _task_line(loaded: LoadedPlan, section: Section, task: Task, registry: Registry,
               history: list[History], focus: Body | None, roles: list[TaskRole], span: Span,
               end: date) -> TaskLine:
    """One task of the review: its notes in the span (only the focus body's, when narrowed),
    figures, state at `end`, and what falls due next."""
    # Notes of the span are whole entries, whatever the source (`History`).
    in_span = cast(list[Entry], [e for e in history if e.ngay >= span.tu])
    if focus:
        members = registry.members_of(focus.ma)
        in_span = [e for e in in_span if e.don_vi in members]
    state = assess(task, registry, history, end)
    if focus:  # a body reports on its own part (domain), with one figure throughout
        state = state.for_body(focus.ma)
    totals, shares = _sum_figures(in_span)
    return TaskLine(
        plan=loaded, section=section, task=task, entries=in_span,
        so_lieu=totals, so_lieu_don_vi=shares, state=state,
        due_next=_due_next(task, state, span.next()),
        not_expected=state.completed or starts_after(task.thoi_gian, end),
        roles=roles,
    )


@dataclass
class _Tally:
    """Per body across plans: the tasks it holds, those it reported on in the span, and the
    day of its latest note (for the periods it has been silent)."""

    holders: dict[str, tuple[str, list[tuple[TaskLine, list[TaskRole]]]]] = field(
        default_factory=dict)
    active_by: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    last_seen: dict[str, date] = field(default_factory=dict)

    def count(self, line: TaskLine, history: list[History], held_by: Iterable[Holding],
              registry: Registry) -> None:
        reporters = {e.don_vi for e in line.entries}
        latest: dict[str, date] = {}
        for entry in history:  # in order of day: the last one per body is its latest
            latest[entry.don_vi] = entry.ngay
        for code, held, group in held_by:
            if code not in self.holders:
                body = registry.get(code)
                self.holders[code] = (body.ten if body else code, [])
            self.holders[code][1].append((line, held))
            if not reporters.isdisjoint(group):
                self.active_by[code].append(id(line))
            seen = max((latest[c] for c in group if c in latest), default=None)
            if seen is not None and (code not in self.last_seen or seen > self.last_seen[code]):
                self.last_seen[code] = seen

    def bodies(self, plans: Sequence[LoadedPlan], span: Span) -> list[BodyLine]:
        """One line per body, in registry order (the order the plans list them)."""
        rank: dict[str, int] = {}
        for loaded in plans:
            for body in registry_of(loaded).bodies:
                rank.setdefault(body.ma, len(rank))
        order = sorted(self.holders, key=lambda code: rank.get(code, len(rank)))
        first_day = min((p.plan.ke_hoach.ngay for p in plans if p.plan.ke_hoach.ngay),
                        default=None)
        return [BodyLine(code, self.holders[code][0], self.holders[code][1],
                         len(self.active_by[code]), frozenset(self.active_by[code]),
                         self.last_seen.get(code),
                         silent_periods(span, self.last_seen.get(code), first_day))
                for code in order]


Holding = tuple[str, list[TaskRole], frozenset[str]]  # body, its roles, it and its members
# Per registry and a task's implementing bodies, who holds what. Plans repeat a few role
# assignments over thousands of tasks: 20,000 tasks asked `task_roles_for` 55,000 times.
_HOLDINGS: dict[int, tuple[Registry, dict[tuple[tuple[str, ...], ...], list[Holding]]]] = {}


def _holders(task: Task, registry: Registry) -> list[Holding]:
    """The bodies carrying out `task` with their implementing roles (the directing role
    left out): those it names in such a role, and their members (a member holds what is
    given to its group). The lists are shared between tasks: read them, never change them."""
    assigned = (tuple(task.tham_muu_thuc_hien), tuple(task.chu_tri), tuple(task.phoi_hop))
    held = _HOLDINGS.get(id(registry))
    if held is None or held[0] is not registry:
        held = _HOLDINGS[id(registry)] = (registry, {})
    memo = held[1]
    found = memo.get(assigned)
    if found is None:
        candidates: set[str] = set()
        for codes in assigned:
            for code in codes:
                candidates |= registry.members_of(code)
        found = []
        for code in sorted(candidates):  # a fixed order for codes no registry ranks
            roles = [r for r in task_roles_for(code, task, registry) if r.role in IMPLEMENTING_ROLES]
            if roles:
                found.append((code, roles, registry.members_of(code)))
        memo[assigned] = found
    return found


MAX_SILENT = 24  # periods counted back at most: two years of months is a clear answer


def silent_periods(span: Span, last: date | None, since: date | None) -> int | None:
    """How many periods of `span`'s kind, back from it and including it, passed without a
    note (`last` is the latest note, up to the span's end). Counting stops at the period
    holding `since` (the plan's date) and at `MAX_SILENT`; None when there is nothing to
    count from (an explicit range, or a body that never reported on a plan without a date)."""
    if span.period is None or (last is None and since is None):
        return None
    count = 0
    period = span.period
    current = span
    while count < MAX_SILENT:
        if last is not None and last >= current.tu:
            break
        count += 1
        if since is not None and current.tu <= since:
            break
        period = period.previous()
        current = span_of(period, span.chot)
    return count


class JournalSource:
    """Each plan's notes read from its journal when the review reaches that plan, with the
    damaged lines collected as messages (damage never stops a report)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, loaded: LoadedPlan) -> list[Entry]:
        from kehoach_cli.journal.read import read_journal

        journal = read_journal(loaded)
        self.problems.extend(str(p) for p in journal.problems)
        return journal.entries

    def span(self, loaded: LoadedPlan, tu: date, end: date
             ) -> tuple[dict[str, list[History]], int]:
        """A plan's notes up to `end` by task, whole only for those dated from `tu`
        (`journal.read.read_span`), and how many of those name a task or body the plan no
        longer has."""
        from kehoach_cli.journal.read import read_span

        by_task, damage = read_span(loaded, tu, end)
        self.problems.extend(str(p) for p in damage)
        task_ids, body_codes = plan_keys(loaded)
        unplaced = sum(1 for notes in by_task.values() for e in notes
                       if e.ngay >= tu and isinstance(e, Entry)
                       and why_unplaced(e, task_ids, body_codes) is not None)
        return by_task, unplaced
