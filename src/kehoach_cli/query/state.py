"""A task's state at a date: the one rule `list`, `show`, `report` and the per-body table use.

Shared tasks have a part per body (domain: "each body reports on its own part; one body
finishing its part does not finish the task for the others"):
- the parts are the bodies the task names in an implementing role (tham mưu, thực hiện;
  chủ trì; phối hợp; the directing role is left out, it directs every task);
- a body's note speaks for its own part; a group's note (CT-XH) speaks for the part of
  every member; a note the office marks for the whole task (`--ca-nhiem-vu`) speaks for
  every part;
- a part's status is the latest status a note speaking for it reported (notes without a
  status show it is being worked on: "đang thực hiện"; no note: "chưa thực hiện");
- a group's part belongs to its members: a member organisation is responsible for what is
  assigned to its group, so the group's part is complete only when every member has
  completed its own (one member completing completes its part, not the group's), and it is
  being worked on as soon as one member is;
- the task is complete when its lead (chủ trì) has completed its part (every lead, if the
  task names several); where no lead is named, when every implementing body has; the
  office closes it as a whole with a `--ca-nhiem-vu` note. Otherwise it is "đang thực
  hiện" when any note of the period shows work, else "chưa thực hiện". A task no body
  carries out takes the latest status any note reported.
Deadlines:
- the deadline is the timeframe's (`Trước ngày 31/3/2025`, the end of `Quý I/2025`); for a
  recurring task (`Hằng quý`) it is the end of the occurrence holding the date, and only
  the notes of that occurrence count, since the work is due again each time;
- completed on or before the deadline is "đúng hạn", after it "quá hạn"; not completed and
  past the deadline is "quá hạn", otherwise "trong hạn"; without a deadline (`Thường
  xuyên`, free text) the task is "không thời hạn".
Deadlines use calendar dates, as plans write them; the ND 09 convention moves only the
dates a report's data covers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache, partial
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, Protocol

from kehoach_cli.periods import Kind, Span, containing, span_of
from kehoach_cli.plan.model import IMPLEMENTING_ROLES, Role, Task
from kehoach_cli.plan.timeframe import Timeframe, TimeframeKind
from kehoach_cli.status import STATUS_LABELS, Status, Timeliness

if TYPE_CHECKING:
    from kehoach_cli.plan.bodies import Registry


class Note(Protocol):
    """What the state rule reads of a note: a journal `Entry`, or the slimmer record the
    journal digest keeps for `list` (`journal/digest.py`)."""

    @property
    def ngay(self) -> date: ...
    @property
    def don_vi(self) -> str: ...
    @property
    def trang_thai(self) -> Status | None: ...
    @property
    def ca_nhiem_vu(self) -> bool: ...


class Rule(StrEnum):
    """What decides whether the task is complete."""

    CHU_TRI = "chu_tri"  # the lead body's part
    TAT_CA = "tat_ca"  # every implementing body's part (no lead named)
    CA_NHIEM_VU = "ca_nhiem_vu"  # the office closed the task as a whole
    KHONG_DON_VI = "khong_don_vi"  # no body carries it out: the latest status reported


RULE_LABELS = {
    Rule.CHU_TRI: "hoàn thành khi đơn vị chủ trì hoàn thành phần việc của mình",
    Rule.TAT_CA: "hoàn thành khi mọi đơn vị thực hiện hoàn thành phần việc của mình",
    Rule.CA_NHIEM_VU: "văn phòng đã ghi nhận trạng thái cho cả nhiệm vụ",
    Rule.KHONG_DON_VI: "chưa giao đơn vị thực hiện: theo trạng thái ghi nhận gần nhất",
}


class Part(NamedTuple):
    """One body's part of a task at a date."""

    body: str
    role: Role
    status: Status
    done_on: date | None  # the day its completing note reports
    notes: int  # notes that speak for this part
    members: tuple[str, ...] = ()  # for a group: the members whose parts make it up
    via_group: str | None = None  # for a member: the group whose task it holds

    @property
    def completed(self) -> bool:
        return self.status is Status.HOAN_THANH


@dataclass(frozen=True, slots=True, init=False)
class TaskState:
    """Where a task stands at a date, and the parts it is made of."""

    status: Status
    timeliness: Timeliness
    han: date | None = None  # the deadline that applies at that date
    hoan_thanh_ngay: date | None = None  # the day the completing note reports
    parts: tuple[Part, ...] = ()  # one per body the task names in an implementing role
    rule: Rule = Rule.KHONG_DON_VI
    # Per body holding the task (members of groups too): its own part; see `part_of`.
    by_body: dict[str, Part] = field(default_factory=dict, compare=False, repr=False)
    # Plain fields, not properties: reports over 20,000 tasks ask them hundreds of
    # thousands of times, and an enum member lookup is not free.
    completed: bool = field(init=False, compare=False)
    late: bool = field(init=False, compare=False)

    def __init__(self, status: Status, timeliness: Timeliness, han: date | None = None,
                 hoan_thanh_ngay: date | None = None, parts: tuple[Part, ...] = (),
                 rule: Rule = Rule.KHONG_DON_VI, by_body: dict[str, Part] | None = None
                 ) -> None:
        # Each slot set through its own descriptor: a frozen dataclass's generated
        # __init__ goes through object.__setattr__ by name, nine times for each of the
        # 20,000 states of a review.
        for setter, value in zip(_STATE_SETTERS, (
                status, timeliness, han, hoan_thanh_ngay, parts, rule,
                {} if by_body is None else by_body, status is Status.HOAN_THANH,
                timeliness is Timeliness.QUA_HAN), strict=True):
            setter(self, value)

    def part_of(self, code: str) -> Part | None:
        """The part of body `code` (a member of a group holds its own part of the
        group's), or None when it holds none."""
        return self.by_body.get(code)

    def standing_of(self, code: str) -> tuple[bool, Timeliness]:
        """For the per-body table: whether `code` is done with the task (its part, or the
        whole task) and how that stands against the deadline."""
        if self.completed:
            return True, self.timeliness
        part = self.by_body.get(code)
        if part is None or not part.completed:
            return False, self.timeliness
        if self.han is None:
            return True, Timeliness.KHONG_THOI_HAN
        done = part.done_on
        late = done is not None and done > self.han
        return True, Timeliness.QUA_HAN if late else Timeliness.DUNG_HAN

    def for_body(self, code: str) -> TaskState:
        """The task as body `code` stands on it, for that body's own report: its part (or
        the whole task, once that is done: `standing_of`), so the text, the summary and the
        per-body table of the report give one figure. The state itself when `code` holds
        no part."""
        part = self.by_body.get(code)
        if part is None:
            return self
        done, timeliness = self.standing_of(code)
        if done:
            status = Status.HOAN_THANH
            done_on = self.hoan_thanh_ngay if self.completed else part.done_on
        else:
            status, done_on = part.status, None
        return TaskState(status, timeliness, self.han, done_on, self.parts, self.rule,
                         self.by_body)

    def label(self) -> str:
        """"đã hoàn thành, đúng hạn", "đang thực hiện, quá hạn", "chưa thực hiện, trong hạn",
        "đang thực hiện (không thời hạn)"."""
        # A dozen texts in all, asked for once or twice a task row: made once each.
        key = (self.status, self.timeliness)
        text = _LABELS.get(key)
        if text is None:
            text = _LABELS[key] = self._label()
        return text

    def _label(self) -> str:
        status = STATUS_LABELS[self.status]
        if self.timeliness is Timeliness.KHONG_THOI_HAN:
            return f"{status} (không thời hạn)"
        if self.timeliness is Timeliness.QUA_HAN:
            return f"{status}, quá hạn"
        return f"{status}, {'đúng hạn' if self.completed else 'trong hạn'}"


_LABELS: dict[tuple[Status, Timeliness], str] = {}
_STATE_SETTERS = [getattr(TaskState, name).__set__ for name in (
    "status", "timeliness", "han", "hoan_thanh_ngay", "parts", "rule", "by_body", "completed",
    "late")]


def occurrence(timeframe: Timeframe, day: date) -> Span | None:
    """For a recurring task, the occurrence (month, quarter, ...) holding `day`."""
    if timeframe.loai is not TimeframeKind.DINH_KY or timeframe.chu_ky is None:
        return None
    return _occurrence(timeframe.chu_ky, day)


@lru_cache(maxsize=1024)
def _occurrence(kind: Kind, day: date) -> Span:
    # A review asks it for every recurring task at one date: worked out once per period kind.
    return span_of(containing(kind, day))


class _Shape(NamedTuple):
    """What a task's assignment makes of its parts, for one registry (shared by tasks with
    the same assignment: plans repeat a few over hundreds of tasks). Leaves are numbered in
    `leaves` order: the state rule keeps each leaf's part in plain lists by that number."""

    tops: list[tuple[str, Role, tuple[str, ...]]]  # assigned body, role, its leaf bodies
    holders: list[tuple[str, Role, tuple[str, ...], str | None]]  # and members, via group
    speaks_for: dict[str, tuple[str, ...]]  # reporting body -> leaves its notes speak for
    leads: tuple[str, ...]
    leaves: tuple[str, ...]
    # The same, by leaf number, for `assess`: per holder (tops first, in `holders` order)
    # its code, role, leaf numbers, members and group; per reporting body the numbers its
    # notes speak for; which holders decide completion (the leads', else every top's), and
    # the leaves under those.
    plan: list[tuple[str, Role, tuple[int, ...], tuple[str, ...], str | None]]
    speaks_at: dict[str, tuple[int, ...]]
    every_leaf: tuple[int, ...]
    deciding: tuple[int, ...]
    deciding_leaves: tuple[int, ...]


# Kinds with one deadline (a date, the end of a period or of a range), not recurring ones.
_ONE_DEADLINE = (TimeframeKind.HAN, TimeframeKind.KY, TimeframeKind.KHOANG)
_IMPLEMENTING = tuple((role, role.value) for role in IMPLEMENTING_ROLES)
# The three lists of codes in one C call (`_shape` runs once per task assessed).
_assigned_lists = attrgetter(*(name for _, name in _IMPLEMENTING))
Structure = tuple[tuple[str, tuple[str, ...]], ...]
# Shapes by registry structure, then by assignment: a workspace's plans mostly list the
# same bodies, and 1,000 plans of one registry then work out each shape once, not 1,000 times.
_SHAPES: dict[Structure, dict[tuple[tuple[str, ...], ...], _Shape]] = {}
_STRUCTURES: dict[int, tuple[Registry, Structure]] = {}


def structure_of(registry: Registry) -> Structure:
    """All that who-holds-what reads of a registry: each body's code and members, in the
    registry's order (names do not matter to it). Registries alike in this share memos."""
    known = _STRUCTURES.get(id(registry))
    if known is None or known[0] is not registry:
        known = _STRUCTURES[id(registry)] = (
            registry, tuple((body.ma, tuple(body.thanh_vien)) for body in registry.bodies))
    return known[1]


def _members_in_order(code: str, registry: Registry) -> list[str]:
    """The members of group `code`, nested ones too, in the order the registry lists them."""
    found: dict[str, None] = {}  # ordered, and a set: no scan per member (large groups)
    todo = deque([code])
    while todo:
        body = registry.get(todo.popleft())
        for member in body.thanh_vien if body else ():
            if member != code and member not in found:
                found[member] = None
                todo.append(member)
    return list(found)


def _leaves(code: str, registry: Registry) -> tuple[str, ...]:
    """The bodies that carry out what is given to `code`: itself, or its members that are
    not groups themselves (groups may nest)."""
    found = [m for m in _members_in_order(code, registry)
             if not ((body := registry.get(m)) and body.thanh_vien)]
    return tuple(found) or (code,)


def _shape(task: Task, registry: Registry) -> _Shape:
    assigned = tuple(map(tuple, _assigned_lists(task)))
    memo = _SHAPES.setdefault(structure_of(registry), {})
    shape = memo.get(assigned)
    if shape is not None:
        return shape
    tops: list[tuple[str, Role, tuple[str, ...]]] = []
    seen: set[str] = set()  # codes already placed: a set, so many bodies cost no scans
    for (role, _), codes in zip(_IMPLEMENTING, assigned, strict=True):
        for code in codes:
            if code not in seen:
                seen.add(code)
                tops.append((code, role, _leaves(code, registry)))
    holders: list[tuple[str, Role, tuple[str, ...], str | None]] = [
        (code, role, leaves, None) for code, role, leaves in tops]
    for code, role, _ in tops:
        for member in _members_in_order(code, registry):
            if member not in seen:
                seen.add(member)
                holders.append((member, role, _leaves(member, registry), code))
    leaves_all = tuple(dict.fromkeys(leaf for _, _, leaves in tops for leaf in leaves))
    speaks: dict[str, list[str]] = {}
    for leaf in leaves_all:
        for speaker in (leaf, *registry.groups_of(leaf)):
            speaks.setdefault(speaker, []).append(leaf)
    leads = tuple(dict.fromkeys(code for code in task.chu_tri))
    number = {leaf: i for i, leaf in enumerate(leaves_all)}
    plan = [(code, role, tuple(number[leaf] for leaf in leaves),
             leaves if leaves != (code,) else (), via) for code, role, leaves, via in holders]
    position = {code: i for i, (code, *_) in enumerate(holders)}
    deciding = tuple(position[c] for c in leads) if leads else tuple(range(len(tops)))
    shape = _Shape(tops, holders, {k: tuple(v) for k, v in speaks.items()}, leads, leaves_all,
                   plan, {k: tuple(number[leaf] for leaf in v) for k, v in speaks.items()},
                   tuple(range(len(leaves_all))), deciding,
                   tuple(dict.fromkeys(i for h in deciding for i in plan[h][2])))
    memo[assigned] = shape
    return shape


# A Part built straight from its fields' tuple: NamedTuple's own constructor is Python
# code, and a review builds some 55,000 parts.
_new_part = partial(tuple.__new__, Part)


def _latest_status(notes: Sequence[Note]) -> tuple[Status, date | None]:
    """For a task no body carries out: the latest status reported, and since when it holds
    if it is "completed" (the start of the latest unbroken run of completing notes)."""
    status: Status | None = None
    done_on: date | None = None
    for entry in notes:
        reported = entry.trang_thai
        if reported is None:
            continue
        if reported is _DONE:
            if status is not _DONE:
                done_on = entry.ngay
        else:
            done_on = None
        status = reported
    if status is None:
        return (_DOING if notes else _NOT_BEGUN), None
    return status, done_on


_DONE, _DOING, _NOT_BEGUN = Status.HOAN_THANH, Status.DANG_THUC_HIEN, Status.CHUA_THUC_HIEN


def _window(task: Task, history: Sequence[Note], at: date) -> tuple[Sequence[Note], date | None]:
    """The notes of `history` that count at `at` (none after it; for a recurring task, only
    those of the occurrence holding it) and the deadline that applies then."""
    timeframe = task.thoi_gian
    relevant: Sequence[Note] = history
    if history and history[-1].ngay > at:  # in day order: only then are some notes later
        relevant = [e for e in history if e.ngay <= at]
    deadline: date | None = None
    if timeframe is not None:
        if timeframe.loai in _ONE_DEADLINE:
            deadline = timeframe.han
        elif (current := occurrence(timeframe, at)) is not None:
            deadline = current.den
            if relevant and relevant[0].ngay < current.tu:  # in day order: else all count
                relevant = [e for e in relevant if e.ngay >= current.tu]
    return relevant, deadline


_Leaves = tuple[list["Status | None"], list["date | None"], list[int], list[bool], bool]


def _leaf_notes(shape: _Shape, relevant: Sequence[Note]) -> _Leaves:
    """Each leaf's part as its notes come in, oldest first, by leaf number: its latest
    status, the day that status turned "completed" (the start of the latest unbroken run
    of completing notes), its count of notes, and whether that latest status came from a
    whole-task note; and whether a body holding no part (the directing body) showed work.
    Plain lists: a review runs this for 20,000 tasks."""
    size = len(shape.leaves)
    statuses: list[Status | None] = [None] * size
    done: list[date | None] = [None] * size
    counts = [0] * size
    whole = [False] * size
    speaks_at = shape.speaks_at
    every_leaf = shape.every_leaf
    other = False
    for entry in relevant:
        if entry.ca_nhiem_vu:
            leaves = every_leaf
        else:
            found = speaks_at.get(entry.don_vi)
            if found is None:
                other = other or entry.trang_thai is not _NOT_BEGUN
                continue
            leaves = found
        reported = entry.trang_thai
        if reported is None:  # most notes: counted, the status stands
            for i in leaves:
                counts[i] += 1
            continue
        day = entry.ngay
        by_whole = entry.ca_nhiem_vu
        for i in leaves:
            counts[i] += 1
            if reported is _DONE:
                if statuses[i] is not _DONE:
                    done[i] = day
            else:
                done[i] = None
            statuses[i] = reported
            whole[i] = by_whole
    return statuses, done, counts, whole, other


def status_at(task: Task, registry: Registry, history: Sequence[Note], at: date) -> Status:
    """`assess(task, registry, history, at).status`, without the parts and the deadline
    (`list` shows only the status, of up to 20,000 tasks): the same rule, by leaf."""
    relevant, _ = _window(task, history, at)
    shape = _shape(task, registry)
    if not shape.leaves:
        return _latest_status(relevant)[0]
    statuses, _, counts, _, other = _leaf_notes(shape, relevant)
    # The deciding parts are complete when every leaf under them is (a group's part when
    # every member's is); a part shows work when one of its leaves does.
    if all(statuses[i] is _DONE for i in shape.deciding_leaves):
        return _DONE
    if other or any(status is not _NOT_BEGUN if status is not None else count
                    for status, count in zip(statuses, counts, strict=True)):
        return _DOING
    return _NOT_BEGUN


def assess(task: Task, registry: Registry, history: Sequence[Note], at: date) -> TaskState:
    """The state of `task` at `at`. `history` holds its notes in order of the day the work
    happened (then of recording), retracted ones already left out; notes after `at` are
    ignored."""
    relevant, deadline = _window(task, history, at)
    shape = _shape(task, registry)
    parts: tuple[Part, ...] = ()
    by_body: dict[str, Part] = {}
    if not shape.leaves:
        status, done_on = _latest_status(relevant)
        rule = Rule.KHONG_DON_VI
    else:
        statuses, done, counts, whole, other = _leaf_notes(shape, relevant)
        made: list[Part] = []
        for code, role, numbers, members, via in shape.plan:
            if len(numbers) == 1:  # most parts: one leaf, its own status
                i = numbers[0]
                part_status = statuses[i]
                if part_status is None:
                    part_status = _DOING if counts[i] else _NOT_BEGUN
                made.append(_new_part((code, role, part_status,
                                       done[i] if part_status is _DONE else None, counts[i],
                                       members, via)))
                continue
            # A group's part: complete when every member's is, worked on when any is.
            leaf_statuses = [statuses[i] or (_DOING if counts[i] else _NOT_BEGUN)
                             for i in numbers]
            notes = sum(counts[i] for i in numbers)
            part_done: date | None = None
            if all(s is _DONE for s in leaf_statuses):
                part_status = _DONE
                part_done = max((d for i in numbers if (d := done[i]) is not None),
                                default=None)
            elif any(s is not _NOT_BEGUN for s in leaf_statuses):
                part_status = _DOING
            else:
                part_status = _NOT_BEGUN
            made.append(_new_part((code, role, part_status, part_done, notes, members, via)))
        by_body = {part[0]: part for part in made}
        parts = tuple(made[:len(shape.tops)])
        rule = Rule.CHU_TRI if shape.leads else Rule.TAT_CA
        done_on = None
        deciding = [made[i] for i in shape.deciding]
        if all(p[2] is _DONE for p in deciding):
            status = _DONE
            done_on = max((d for p in deciding if (d := p[3]) is not None), default=None)
            if any(whole[i] for i in shape.deciding_leaves):
                rule = Rule.CA_NHIEM_VU
        elif other or any(p[2] is not _NOT_BEGUN for p in made):
            status = _DOING
        else:
            status = _NOT_BEGUN
    if deadline is None:
        timeliness = Timeliness.KHONG_THOI_HAN
    elif done_on is not None:
        timeliness = Timeliness.DUNG_HAN if done_on <= deadline else Timeliness.QUA_HAN
    else:
        timeliness = Timeliness.QUA_HAN if at > deadline else Timeliness.DUNG_HAN
    return TaskState(status, timeliness, deadline, done_on, parts, rule, by_body)


def deadlines_in(timeframe: Timeframe | None, span: Span) -> list[date]:
    """The deadlines of a task that fall within `span` (several for a monthly task)."""
    if timeframe is None:
        return []
    if timeframe.loai in _ONE_DEADLINE:
        return [timeframe.han] if timeframe.han is not None and timeframe.han in span else []
    out: list[date] = []
    current = occurrence(timeframe, span.tu)
    while current is not None and current.den <= span.den:
        out.append(current.den)
        current = current.next()
    return out


def starts_after(timeframe: Timeframe | None, day: date) -> bool:
    """Whether the task's timeframe begins after `day` (no work is expected before)."""
    return timeframe is not None and timeframe.tu_ngay is not None and timeframe.tu_ngay > day
