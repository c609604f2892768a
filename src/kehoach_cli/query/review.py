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
What is kept of the notes depends on the output (`every_note`): the Word draft and the
workbook quote every note of the period, so their review keeps them all; the tables, JSON,
CSV and Markdown show per task only the count, the summed figures and the latest
`LATEST_NOTES`, so their review keeps just those, and its memory grows with the tasks, not
with the notes (1,000,000 notes: the review no longer holds the 300,000 of a quarter).

With `don_vi`, the review narrows to the tasks that body holds in any role (as `list`
shows them) and to the notes it, or its members, reported; each task's state is then that
body's own part (`TaskState.for_body`), the one figure its report gives everywhere.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, Protocol, cast

from kehoach_cli.journal.digest import StateNote
from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.placement import count_unplaced
from kehoach_cli.journal.read import group_by_task
from kehoach_cli.periods import Kind, Span, span_of
from kehoach_cli.plan.bodies import Registry, TaskRole, registry_of, resolve_in_plans, task_roles_for
from kehoach_cli.plan.loader import LoadedPlan
from kehoach_cli.plan.model import IMPLEMENTING_ROLES, Body, Section, Task
from kehoach_cli.plan.timeframe import TimeframeKind
from kehoach_cli.query.state import (
    Structure,
    TaskState,
    assess,
    deadlines_in,
    starts_after,
    structure_of,
)
from kehoach_cli.status import Status, Timeliness
from kehoach_cli.text import fold

if TYPE_CHECKING:
    from kehoach_cli.journal.digest import Stamp
    from kehoach_cli.journal.read import Listing
    from kehoach_cli.query.review_cache import StoredPlan

LATEST_NOTES = 2  # how many of the latest notes a task row shows


@dataclass(frozen=True, slots=True, init=False)
class TaskLine:
    """One task in the review."""

    plan: LoadedPlan
    section: Section
    task: Task
    # The notes dated within the span, oldest first: every one (`Report.every_note`), or
    # only the latest LATEST_NOTES; `count` is how many there are in either case.
    entries: list[Entry]
    count: int
    reporters: frozenset[str]  # the bodies that wrote those notes
    so_lieu: dict[str, float]  # figures summed over those notes
    so_lieu_don_vi: dict[str, dict[str, float]]  # the same per figure, per reporting body
    state: TaskState
    due_next: list[date]  # deadlines falling in the next period
    not_expected: bool  # completed before, or not begun: no note is expected
    ref: str  # "kh160:3.2", the task's id across plans (made once: JSON names it 4 times)
    roles: list[TaskRole] = field(default_factory=list)  # of the narrowing body, if any
    # The line's JSON text (`render.report.task_json`) when it was kept with it, or made
    # while keeping it (`LineMemo`): an unnarrowed review's JSON writes it as it is.
    json: str | None = None

    def __init__(self, *, plan: LoadedPlan, section: Section, task: Task, entries: list[Entry],
                 count: int, reporters: frozenset[str], so_lieu: dict[str, float],
                 so_lieu_don_vi: dict[str, dict[str, float]], state: TaskState,
                 due_next: list[date], not_expected: bool, ref: str,
                 roles: list[TaskRole] | None = None, json: str | None = None) -> None:
        # Each slot set through its own descriptor: a frozen dataclass's generated
        # __init__ goes through object.__setattr__ by name, 13 times for each of 20,000
        # tasks (slots, not a dict: a dict per line would hold 11 MB more).
        for setter, value in zip(_LINE_SETTERS, (
                plan, section, task, entries, count, reporters, so_lieu, so_lieu_don_vi,
                state, due_next, not_expected, ref, [] if roles is None else roles, json),
                strict=True):
            setter(self, value)

    @property
    def active(self) -> bool:
        return self.count > 0

    @property
    def needs_activity(self) -> bool:
        """Open, expected to be worked on, and no note in the span."""
        return not self.count and not self.not_expected and not self.state.completed

    @property
    def overdue(self) -> bool:
        return self.state.late and not self.state.completed


_LINE_SETTERS = [getattr(TaskLine, name).__set__ for name in (
    "plan", "section", "task", "entries", "count", "reporters", "so_lieu", "so_lieu_don_vi",
    "state", "due_next", "not_expected", "ref", "roles", "json")]


def set_json(line: TaskLine, text: str) -> None:
    """Give a (frozen) task line its JSON text, made while keeping it (`LineMemo`)."""
    _LINE_SETTERS[-1](line, text)


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
    # Counted while the review was built (`_Tally.count`), each task then still at hand:
    # walking 55,000 (task, body) pairs again afterwards costs 0.15 s, most of it in
    # fetching objects long out of the processor's cache.
    # How many tasks are (done with or not, timeliness), by this body's part.
    tally: dict[tuple[bool, Timeliness], int] = field(default_factory=dict, compare=False)
    # Ongoing tasks (no deadline) it holds, and those it reported on in the span.
    ongoing: tuple[int, int] = field(default=(0, 0), compare=False)

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
    every_note: bool = True  # each task line holds every note of the span, not the latest

    @property
    def end(self) -> date:
        """The last day whose notes count: the span's end, or the reference date if earlier."""
        return min(self.span.den, self.as_of)

    @cached_property
    def _scan(self) -> _Scan:
        """What the summary, the attention list and the JSON totals count of the tasks, in
        one pass over them (20,000 tasks: one walk instead of seven)."""
        by_status = dict.fromkeys(Status, 0)
        late = 0
        without: list[TaskLine] = []
        overdue: list[TaskLine] = []
        due: list[TaskLine] = []
        for line in self.tasks:
            state = line.state
            by_status[state.status] += 1
            if state.late:
                late += 1
                if not state.completed:
                    overdue.append(line)
            if not line.count and not line.not_expected and not state.completed:
                without.append(line)
            if line.due_next:
                due.append(line)
        return _Scan(by_status, late, without, overdue, due)

    @property
    def by_status(self) -> dict[Status, int]:
        """How many tasks stand at each status (every status, zero included)."""
        return self._scan.by_status

    @property
    def late_count(self) -> int:
        """How many tasks are late (quá hạn), completed late included."""
        return self._scan.late

    @property
    def without_activity(self) -> list[TaskLine]:
        return self._scan.without_activity

    @property
    def overdue(self) -> list[TaskLine]:
        return self._scan.overdue

    @cached_property
    def unaccented(self) -> list[Entry]:
        """Notes of the period typed without diacritics ("da giam sat 3 khu dan cu"): a
        document going up must not carry them; the office corrects them with `sua`. Asked
        only with a document, whose review keeps every note (`every_note`)."""
        if not self.every_note:
            raise ValueError("unaccented notes need a review that keeps every note")
        return [e for t in self.tasks for e in t.entries if looks_unaccented(e.noi_dung)]

    @cached_property
    def silent_bodies(self) -> list[BodyLine]:
        """Bodies that reported nothing in the span on tasks they hold, longest silence first
        (the follow-up list before a review)."""
        quiet = [b for b in self.bodies if b.active == 0 and b.total]
        return sorted(quiet, key=lambda b: -(b.silent_periods or 0))

    @property
    def due_next(self) -> list[TaskLine]:
        return self._scan.due_next

    @cached_property
    def entry_count(self) -> int:
        return sum(t.count for t in self.tasks)


class _Scan(NamedTuple):
    """`Report._scan`: the counts and lists one pass over the tasks gives."""

    by_status: dict[Status, int]
    late: int
    without_activity: list[TaskLine]
    overdue: list[TaskLine]
    due_next: list[TaskLine]


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
        if not entry.so_lieu:  # most notes carry no figure
            continue
        for name, value in entry.so_lieu.items():
            key = _FOLDED.get(name)
            if key is None:
                key = _FOLDED[name] = fold(name)
            shown = names.setdefault(key, name)
            totals[shown] = totals.get(shown, 0.0) + value
            by_body = shares.setdefault(shown, {})
            by_body[entry.don_vi] = by_body.get(entry.don_vi, 0.0) + value
    return totals, shares


# What `_due_next` depends on in a timeframe: plans repeat a few timeframes over thousands
# of tasks, and each distinct one is worked out once per review.
_DueKey = tuple[TimeframeKind, date | None, Kind | None]


def _due_next(task: Task, state: TaskState, next_span: Span,
              memo: dict[_DueKey, list[date]]) -> list[date]:
    """Deadlines in the next period, unless the task is done for good (a recurring task
    completed this time is due again). The lists are shared between tasks: read only."""
    timeframe = task.thoi_gian
    if timeframe is None:
        return []
    recurring = timeframe.loai is TimeframeKind.DINH_KY
    if state.completed and not recurring:
        return []
    key = (timeframe.loai, timeframe.han, timeframe.chu_ky)
    found = memo.get(key)
    if found is None:
        found = memo[key] = deadlines_in(timeframe, next_span)
    return found


def _order(entry: Entry) -> tuple[date, object]:
    return entry.ngay, entry.ghi_luc


_day = attrgetter("ngay")
_don_vi = attrgetter("don_vi")

EntrySource = Iterable[Entry] | Callable[[LoadedPlan], Iterable[Entry]]
# A task's notes up to the review's end: whole entries for those of the span, and for
# earlier ones either whole entries or only what the state rule reads (`JournalSource.span`).
History = Entry | StateNote


class LineMemo(Protocol):
    """Task lines kept between reviews of one span (`query/review_cache.ReviewCache`)."""

    def start(self, span: Span, end: date) -> None:
        """Serve and keep the lines of a review of `span` counting to `end`."""

    def recall(self, loaded: LoadedPlan, stamps: list[Stamp]) -> StoredPlan | None:
        """A plan's kept lines, if its file and its journal (`stamps`) are unchanged."""

    def keep(self, loaded: LoadedPlan, stamps: list[Stamp], unplaced: int,
             lines: Sequence[TaskLine], latest: Sequence[dict[str, date]]) -> None:
        """Keep a plan's lines just computed from its journal as stamped before the read,
        read without damage."""


def build_report(
    plans: Sequence[LoadedPlan],
    entries: EntrySource,
    span: Span,
    as_of: date,
    don_vi: str | None = None,
    problems: Sequence[str] = (),
    *,
    every_note: bool = True,
    memo: LineMemo | None = None,
) -> Report:
    """The review of `span` as known at `as_of`; `don_vi` narrows it to one body (a name as
    people type it, resolved in every plan). Raises NotFound/Ambiguous for a bad name.

    `entries` is every note, or a function giving a plan's effective notes (retractions
    applied) in order of day, then of recording (`JournalSource`): then only one plan's
    journal is in memory at a time. `every_note` keeps every note of the span on the task lines (the
    Word draft and the workbook quote them); without it only the latest `LATEST_NOTES`.
    `problems` is read when the review is done, so a source may fill it on the way.
    `memo` serves and keeps each plan's lines of a review read from a `JournalSource`,
    neither narrowed nor quoting every note; a plan whose journal had damage is not kept.
    """
    from kehoach_cli.journal import digest

    end = min(span.den, as_of)
    narrowed = {r.plan.key: r.body for r in resolve_in_plans(plans, don_vi)} if don_vi else {}
    if callable(entries):
        source = entries
    else:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in sorted((e for e in entries if not e.huy), key=_order):
            grouped[entry.ke_hoach].append(entry)
        source = lambda loaded: grouped.get(loaded.key, [])  # noqa: E731

    build = _Build(span, end, span.next(), every_note)
    if narrowed or every_note or not isinstance(entries, JournalSource):
        memo = None
    if memo is not None:
        memo.start(span, end)
    with digest.batch():  # one read of the journals' digest pack, one write
        for loaded in plans:
            focus = narrowed.get(loaded.key)
            if narrowed and focus is None:
                continue
            if isinstance(entries, JournalSource):  # whole entries only for the span's notes
                # Listed and stamped once: what the kept lines and the digest are keyed by.
                listing = entries.listing(loaded) if memo is not None else None
                stamps = listing[1] if listing is not None else None
                if memo is not None and stamps is not None:
                    stored = memo.recall(loaded, stamps)
                    if stored is not None:
                        build.recalled(loaded, stored)
                        continue
                damaged = len(entries.problems)
                first = len(build.lines)
                by_task, unplaced = entries.span(loaded, span.tu, end, listing)
                latest = build.grouped(loaded, by_task, unplaced, focus)
                if memo is not None and stamps is not None and len(entries.problems) == damaged:
                    memo.keep(loaded, stamps, unplaced, build.lines[first:], latest)
            else:
                build.plan(loaded, source(loaded), focus)
    bodies = build.tally.bodies(plans, span)
    focus_body = next(iter(narrowed.values()), None)
    return Report(span, as_of, span.next(), list(plans), build.lines, bodies, focus_body,
                  list(problems), build.unplaced, every_note)


def _until(notes: list[Entry], end: date) -> list[Entry]:
    """The notes of `notes` (in day order) up to `end`."""
    if not notes or notes[-1].ngay <= end:  # the usual case: nothing later, no copy
        return notes
    return notes[:bisect_right(notes, end, key=_day)]


def _in_span(history: list[History], tu: date) -> list[Entry]:
    """The notes of `history` (in day order) from `tu` on: whole entries, whatever the
    source (`History`)."""
    if not history or history[0].ngay >= tu:
        return cast(list[Entry], history)
    return cast(list[Entry], history[bisect_left(history, tu, key=_day):])


@dataclass
class _Build:
    """The review being built, plan by plan: its task lines, the per-body tally, and the
    count of notes it cannot place."""

    span: Span
    end: date
    next_span: Span
    every_note: bool
    lines: list[TaskLine] = field(default_factory=list)
    tally: _Tally = field(default_factory=lambda: _Tally())
    unplaced: int = 0
    due_memo: dict[_DueKey, list[date]] = field(default_factory=dict)

    def plan(self, loaded: LoadedPlan, given: Iterable[Entry], focus: Body | None) -> None:
        notes = given if isinstance(given, list) else list(given)
        upto = _until(notes, self.end)
        unplaced = count_unplaced(loaded, _in_span(cast(list[History], upto), self.span.tu))
        self.grouped(loaded, group_by_task(upto), unplaced, focus)

    def grouped(self, loaded: LoadedPlan, by_task: Mapping[str, Sequence[History]],
                unplaced: int, focus: Body | None) -> list[dict[str, date]]:
        """A plan's tasks, its notes up to the end grouped by task (each in day order); per
        task line made, each body's latest note (what `recalled` is given back)."""
        registry = registry_of(loaded)
        key = loaded.key
        self.unplaced += unplaced
        members = registry.members_of(focus.ma) if focus else None
        latest_of: list[dict[str, date]] = []
        for section, task in loaded.plan.tasks():
            roles = task_roles_for(focus.ma, task, registry) if focus else []
            if focus and not roles:
                continue
            history = cast(list[History], by_task.get(task.ma, []))
            line = self.task_line(loaded, key, section, task, registry, history, focus,
                                  members, roles)
            self.lines.append(line)
            held_by = ([(focus.ma, roles, registry.members_of(focus.ma))]
                       if focus else _holders(task, registry))
            # In order of day: the last one per body is its latest (a dict built in C).
            latest = dict(zip(map(_don_vi, history), map(_day, history), strict=True))
            latest_of.append(latest)
            self.tally.count(line, latest, held_by, registry)
        return latest_of

    def recalled(self, loaded: LoadedPlan, stored: StoredPlan) -> None:
        """A plan's lines as a `LineMemo` kept them: what `grouped` made of the same plan,
        journal and span, without reading the journal or assessing a task."""
        from kehoach_cli.query.review_cache import entries_of, parts_of

        registry = registry_of(loaded)
        key = loaded.key
        self.unplaced += stored.unplaced
        for (section, task), kept in zip(loaded.plan.tasks(), stored.lines, strict=True):
            parts, by_body = parts_of(kept)
            state = TaskState(kept.status, kept.timeliness, kept.han, kept.done_on, parts,
                              kept.rule, by_body)
            line = TaskLine(
                plan=loaded, section=section, task=task, entries=entries_of(kept),
                count=kept.count, reporters=frozenset(kept.reporters), so_lieu=kept.so_lieu,
                so_lieu_don_vi=kept.shares, state=state,
                due_next=_due_next(task, state, self.next_span, self.due_memo),
                not_expected=kept.not_expected, ref=f"{key}:{task.ma}",
                json=None if kept.json is None else kept.json.decode())
            self.lines.append(line)
            self.tally.count(line, dict(kept.latest), _holders(task, registry), registry)

    def task_line(self, loaded: LoadedPlan, key: str, section: Section, task: Task,
                  registry: Registry, history: list[History], focus: Body | None,
                  members: frozenset[str] | None, roles: list[TaskRole]) -> TaskLine:
        """One task of the review: its notes in the span (only the focus body's, when
        narrowed), figures, state at the end, and what falls due next."""
        in_span = _in_span(history, self.span.tu)
        if members is not None:
            in_span = [e for e in in_span if e.don_vi in members]
        state = assess(task, registry, history, self.end)
        if focus:  # a body reports on its own part (domain), with one figure throughout
            state = state.for_body(focus.ma)
        figured = [e for e in in_span if e.so_lieu]  # most notes carry no figure
        totals, shares = _sum_figures(figured) if figured else ({}, {})
        return TaskLine(
            plan=loaded, section=section, task=task,
            entries=in_span if self.every_note else in_span[-LATEST_NOTES:],
            count=len(in_span), reporters=frozenset(map(_don_vi, in_span)),
            so_lieu=totals, so_lieu_don_vi=shares, state=state,
            due_next=_due_next(task, state, self.next_span, self.due_memo),
            not_expected=state.completed or starts_after(task.thoi_gian, self.end),
            roles=roles, ref=f"{key}:{task.ma}",
        )


@dataclass
class _Tally:
    """Per body across plans: the tasks it holds, those it reported on in the span, and the
    day of its latest note (for the periods it has been silent)."""

    holders: dict[str, tuple[str, list[tuple[TaskLine, list[TaskRole]]]]] = field(
        default_factory=dict)
    active_by: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    last_seen: dict[str, date] = field(default_factory=dict)
    # Per body: `BodyLine.tally` and, for tasks without a deadline, [held, reported on].
    standing: dict[str, defaultdict[tuple[bool, Timeliness], int]] = field(default_factory=dict)
    ongoing: dict[str, list[int]] = field(default_factory=dict)

    def count(self, line: TaskLine, latest: Mapping[str, date], held_by: Iterable[Holding],
              registry: Registry) -> None:
        """Add a task line to the tally of each body holding it; `latest` is each body's
        latest note on the task, up to the review's end."""
        reporters = line.reporters
        state = line.state
        ongoing = state.han is None
        for code, held, group in held_by:
            holding = self.holders.get(code)
            if holding is None:
                body = registry.get(code)
                holding = self.holders[code] = (body.ten if body else code, [])
                self.standing[code] = defaultdict(int)
                self.ongoing[code] = [0, 0]
            holding[1].append((line, held))
            active = not reporters.isdisjoint(group)
            if active:
                self.active_by[code].append(id(line))
            self.standing[code][state.standing_of(code)] += 1
            if ongoing:
                counts = self.ongoing[code]
                counts[0] += 1
                counts[1] += active
            if len(group) == 1:  # most bodies are not groups: no generator for them
                seen = latest.get(code)
            else:
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
                         silent_periods(span, self.last_seen.get(code), first_day),
                         self.standing[code], (self.ongoing[code][0], self.ongoing[code][1]))
                for code in order]


Holding = tuple[str, list[TaskRole], frozenset[str]]  # body, its roles, it and its members
# Per registry and a task's implementing bodies, who holds what. Plans repeat a few role
# assignments over thousands of tasks: 20,000 tasks asked `task_roles_for` 55,000 times.
# Keyed by the registry's structure (`state.structure_of`): alike registries share them.
_HOLDINGS: dict[Structure, dict[tuple[tuple[str, ...], ...], list[Holding]]] = {}


def _holders(task: Task, registry: Registry) -> list[Holding]:
    """The bodies carrying out `task` with their implementing roles (the directing role
    left out): those it names in such a role, and their members (a member holds what is
    given to its group). The lists are shared between tasks: read them, never change them."""
    assigned = (tuple(task.tham_muu_thuc_hien), tuple(task.chu_tri), tuple(task.phoi_hop))
    memo = _HOLDINGS.setdefault(structure_of(registry), {})
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

    def listing(self, loaded: LoadedPlan) -> Listing:
        """A plan's record files and their stamps, now (`journal.read.list_journal`)."""
        from kehoach_cli.journal.read import list_journal

        return list_journal(loaded)

    def span(self, loaded: LoadedPlan, tu: date, end: date, listing: Listing | None = None
             ) -> tuple[dict[str, list[History]], int]:
        """A plan's notes up to `end` by task, whole only for those dated from `tu`
        (`journal.read.read_span`; `listing` is the journal as just listed, if it was), and
        how many of those name a task or body the plan no longer has."""
        from kehoach_cli.journal.read import read_span

        by_task, damage = read_span(loaded, tu, end, listing)
        self.problems.extend(str(p) for p in damage)
        in_span = [e for notes in by_task.values() for e in _in_span(notes, tu)]
        return by_task, count_unplaced(loaded, in_span)
