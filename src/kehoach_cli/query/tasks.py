"""Who does what: the task listing behind `kehoach list`, `show` and `don-vi`.

Commands hand raw option texts to `TaskFilter.parse`, call one function here, and pass the
result to a renderer (`render/tasks.py`). Filters of different kinds combine with AND;
several values of one kind (two `--don-vi`, two `--vai-tro`) combine with OR.

Progress comes from the journal (`journal.read_journal(loaded_plan).entries`, corrections
applied); a task's state is `query.state.assess`, the rule `report` uses too: a body's note
speaks for its own part, and the task is complete when its lead (or every implementing
body, or the office for the whole task) says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from kehoach_cli.errors import KehoachError, NotFound
from kehoach_cli.plan.bodies import (
    Registry,
    Resolved,
    registry_of,
    resolve_in_plans,
    role_label,
    task_roles_for,
)
from kehoach_cli.plan.model import ROLE_LABELS, ROLE_SHORT, Body, Role, Section, Task
from kehoach_cli.plan.timeframe import KIND_LABELS, TimeframeKind
from kehoach_cli.plan.workspace import TaskRef
from kehoach_cli.status import Status, parse_status
from kehoach_cli.text import fold, sort_key

if TYPE_CHECKING:
    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.problems import Problem
    from kehoach_cli.query.state import TaskState


# --------------------------------------------------------------------------- option texts

def _choice_message(what: str, text: str, choices: Iterable[str]) -> str:
    return f"không hiểu {what} “{text}”: hãy dùng {'; '.join(choices)} (không dấu cũng được)"


def parse_role(text: str) -> Role:
    """A role as typed: "chủ trì", "chu_tri", "tham muu", "thực hiện", "Cơ quan chỉ đạo"."""
    key = fold(text).replace("_", " ")
    for role in Role:
        spellings = {fold(ROLE_SHORT[role]), fold(ROLE_LABELS[role]), role.value.replace("_", " ")}
        if key in spellings:
            return role
    # A distinctive word: "tham muu", "thuc hien", "chu tri".
    hits = [role for role in Role if key and key in fold(ROLE_LABELS[role])]
    if len(hits) == 1:
        return hits[0]
    raise KehoachError(_choice_message("vai trò", text, ROLE_SHORT.values()))


def parse_kind(text: str) -> TimeframeKind:
    """A timeframe kind as typed: "thường xuyên", "co han", "ky", "dinh_ky"."""
    key = fold(text).replace("_", " ")
    for kind in TimeframeKind:
        if key in {fold(KIND_LABELS[kind]), kind.value.replace("_", " ")}:
            return kind
    raise KehoachError(_choice_message("loại thời gian", text, KIND_LABELS.values()))


# Result types are NamedTuples rather than dataclasses: a dataclass costs about 0.7 ms of
# start-up (it compiles its methods) and this module loads on every `list`, `show`, `don-vi`.
class TaskFilter(NamedTuple):
    """What `kehoach list` keeps; an empty field keeps everything."""

    bodies: tuple[str, ...] = ()  # names as typed, resolved per plan
    roles: tuple[Role, ...] = ()
    sections: tuple[str, ...] = ()  # section numbers ("3") or words of their titles
    kinds: tuple[TimeframeKind, ...] = ()
    statuses: tuple[Status, ...] = ()  # a task nobody reported on counts as chưa thực hiện

    @classmethod
    def parse(cls, bodies: Sequence[str] = (), roles: Sequence[str] = (),
              sections: Sequence[str] = (), kinds: Sequence[str] = (),
              statuses: Sequence[str] = ()) -> TaskFilter:
        """Read option texts; a value that cannot be read raises `KehoachError`."""
        return cls(
            bodies=tuple(bodies),
            roles=tuple(dict.fromkeys(parse_role(r) for r in roles)),
            sections=tuple(sections),
            kinds=tuple(dict.fromkeys(parse_kind(k) for k in kinds)),
            statuses=tuple(dict.fromkeys(parse_status(s) for s in statuses)),
        )


# --------------------------------------------------------------------------- results

class Assignment(NamedTuple):
    """A body's role on a task; `via_group` is the group it reaches the body through."""

    body: str
    role: Role
    via_group: str | None = None

    def label(self) -> str:
        return role_label(self.role, self.via_group)


class TaskRow(NamedTuple):
    """One listed task: where it is, who holds which role, and its latest status."""

    ref: TaskRef
    assignments: list[Assignment]
    status: Status = Status.CHUA_THUC_HIEN
    noted: bool = False  # it has notes: without any in the list, the status column is left out

    @property
    def plan_key(self) -> str:
        return self.ref.plan.key

    @property
    def section(self) -> Section:
        return self.ref.section

    @property
    def task(self) -> Task:
        return self.ref.task


class TaskList(NamedTuple):
    """The rows of `kehoach list`, and what shaped them (for headers and titles)."""

    rows: list[TaskRow]
    bodies: list[Resolved]  # the --don-vi bodies, per plan
    plan_count: int
    problems: list[Problem]  # damaged journal lines

    @property
    def body_codes(self) -> list[str]:
        return list(dict.fromkeys(r.body.ma for r in self.bodies))


# --------------------------------------------------------------------------- journal hook

class Progress(NamedTuple):
    """A plan's journal as far as listing needs it: entries, the same grouped by task id
    (`JournalRead.by_task`, built once), and damaged lines to warn of."""

    entries: list[Entry]
    by_task: dict[str, list[Entry]]
    problems: list[Problem]


def read_progress(loaded: LoadedPlan, task_id: str | None = None) -> Progress:
    """The plan's journal entries (corrections applied) and its damaged lines; with
    `task_id`, only that task's (the journal then skips parsing other tasks' lines)."""
    from kehoach_cli.journal.read import read_journal

    read = read_journal(loaded, task_id)
    return Progress(read.entries, read.by_task(), read.problems)


# --------------------------------------------------------------------------- list

def _section_matches(section: Section, wanted: Sequence[str]) -> bool:
    title = f" {fold(section.tieu_de)} "
    for text in wanted:
        key = fold(text).rstrip(".")
        if key == fold(section.ma) or (key and not key[0].isdigit() and f" {key} " in title):
            return True
    return False


def _assignments(task: Task, holders: Sequence[tuple[str, list[str]]],
                 registry: Registry) -> list[Assignment]:
    """The roles the bodies of `holders` (each code with its groups) hold on `task`."""
    return [Assignment(code, tr.role, tr.via_group)
            for code, groups in holders for tr in task_roles_for(code, task, registry, groups)]


def _all_assignments(task: Task) -> list[Assignment]:
    return [Assignment(code, role) for role, codes in task.roles().items() for code in codes]


# Every role's list of codes on a task, in one C call.
_role_lists = attrgetter(*(role.value for role in Role))


def list_tasks(workspace: Workspace, flt: TaskFilter, today: date) -> TaskList:
    """The tasks `flt` keeps, in plan and document order, with their state at `today`.

    With `--don-vi`, a task is kept when one of the bodies holds a role on it (directly or
    through a group) and, with `--vai-tro`, when that role is one asked for. Every task's
    status is the task's own (`assess`), as `report` gives it; `show` explains it part by
    part.
    """
    from kehoach_cli.journal import digest
    from kehoach_cli.journal.read import read_states
    from kehoach_cli.query.state import status_at  # only once there are notes to weigh

    resolved: list[Resolved] = []
    for text in flt.bodies:
        resolved.extend(resolve_in_plans(workspace.plans, text))
    if flt.sections and not any(_section_matches(s, flt.sections)
                                for p in workspace.plans for s in p.plan.noi_dung):
        raise NotFound(f"không có mục nào khớp với “{', '.join(flt.sections)}”; "
                       "hãy dùng số mục (ví dụ 3) hoặc một cụm từ trong tiêu đề mục")
    wanted: dict[str, list[str]] = {}
    for item in resolved:
        codes = wanted.setdefault(item.plan.key, [])
        if item.body.ma not in codes:
            codes.append(item.body.ma)
    rows: list[TaskRow] = []
    problems: list[Problem] = []
    with digest.batch():  # one read of the journals' digest pack, one write
        for loaded in workspace.plans:
            if flt.bodies and loaded.key not in wanted:
                continue
            registry = registry_of(loaded)
            codes = wanted.get(loaded.key, [])
            # Each body's groups once per plan, not once per task (10,000 tasks in a big plan).
            holders = [(code, registry.groups_of(code)) for code in codes]
            seen: dict[tuple[tuple[str, ...], ...], list[Assignment]] = {}
            # Each task's notes in order of day, then of recording; from the journal digest
            # when the journal has not changed since it was last read in full.
            by_task, damage = read_states(loaded)
            problems.extend(damage)
            for section, task in loaded.plan.tasks():
                if flt.sections and not _section_matches(section, flt.sections):
                    continue
                if flt.kinds and (task.thoi_gian is None or task.thoi_gian.loai not in flt.kinds):
                    continue
                # Plans repeat a few assignments over thousands of tasks: each worked out
                # once per plan (the lists are shared between rows, never changed).
                assigned = tuple(map(tuple, _role_lists(task)))
                found = seen.get(assigned)
                if found is None:
                    found = seen[assigned] = (_assignments(task, holders, registry) if codes
                                              else _all_assignments(task))
                if flt.roles:
                    found = [a for a in found if a.role in flt.roles]
                # Without --don-vi or --vai-tro every task is kept, even one no body holds yet.
                if not found and (codes or flt.roles):
                    continue
                history = by_task.get(task.ma)
                # No note: "chưa thực hiện", as `assess` says (not worth assessing 20,000 times).
                status = (status_at(task, registry, history, today) if history
                          else Status.CHUA_THUC_HIEN)
                if flt.statuses and status not in flt.statuses:
                    continue
                rows.append(TaskRow(TaskRef(loaded, section, task), found, status, bool(history)))
    return TaskList(rows, resolved, len(workspace.plans), problems)


# --------------------------------------------------------------------------- show

class TaskDetail(NamedTuple):
    """One task whole, for `kehoach show`."""

    ref: TaskRef
    roles: list[tuple[Role, list[Body | str]]]  # a str is a code missing from the registry
    history: list[Entry]
    registry: Registry
    problems: list[Problem]  # damaged journal lines
    state: TaskState  # at the day `show` runs, with the parts that make it


def task_detail(workspace: Workspace, ref: str, today: date) -> TaskDetail:
    """The task `ref` names ("3.2", "kh160:3.2"), its bodies by role, its history and its
    state at `today`."""
    from kehoach_cli.query.state import assess

    found = workspace.find_task(ref)
    registry = registry_of(found.plan)
    roles: list[tuple[Role, list[Body | str]]] = [
        (role, [registry.get(code) or code for code in codes])
        for role, codes in found.task.roles().items()
    ]
    progress = read_progress(found.plan, found.task.ma)
    history = progress.by_task.get(found.task.ma, [])  # already by day, then recording
    state = assess(found.task, registry, history, today)
    return TaskDetail(found, roles, history, registry, progress.problems, state)


# --------------------------------------------------------------------------- don-vi

class BodySummary(NamedTuple):
    """A registry entry with its groups and how many tasks it holds per role."""

    plan: LoadedPlan
    body: Body
    groups: list[str]
    direct: dict[Role, int]
    via_group: dict[Role, int]


_SORT_KEYS: dict[str, Any] = {}


def _sort_key(text: str) -> Any:
    # Registries of many plans repeat the same codes and names: compute each key once.
    key = _SORT_KEYS.get(text)
    if key is None:
        key = _SORT_KEYS[text] = sort_key(text)
    return key


def body_summaries(workspace: Workspace) -> list[BodySummary]:
    """Every body of every plan, in plan order then Vietnamese alphabetical order of code."""
    out: list[BodySummary] = []
    for loaded in workspace.plans:
        registry = registry_of(loaded)
        tasks = [task for _, task in loaded.plan.tasks()]
        direct = {body.ma: dict.fromkeys(Role, 0) for body in loaded.plan.don_vi}
        via = {body.ma: dict.fromkeys(Role, 0) for body in loaded.plan.don_vi}
        in_groups = [body.ma for body in loaded.plan.don_vi if registry.groups_of(body.ma)]
        for task in tasks:
            for role, codes in task.roles().items():
                for code in codes:
                    if code in direct:
                        direct[code][role] += 1
            for code in in_groups:
                for held in task_roles_for(code, task, registry):
                    if held.via_group:
                        via[code][held.role] += 1
        for body in sorted(loaded.plan.don_vi, key=lambda b: (_sort_key(b.ma), _sort_key(b.ten))):
            out.append(BodySummary(loaded, body, registry.groups_of(body.ma), direct[body.ma],
                                   via[body.ma]))
    return out


def roles_in_use(workspace: Workspace) -> list[Role]:
    """The roles some task of the workspace assigns, in schema order."""
    used = {role for p in workspace.plans for _, t in p.plan.tasks() for role in t.roles()}
    return [role for role in Role if role in used]
