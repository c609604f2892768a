"""Entries across a workspace, filtered by body, task and dates (`kehoach nhat-ky`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from kehoach_cli.journal.read import read_journal

if TYPE_CHECKING:
    from datetime import date

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.workspace import Workspace
    from kehoach_cli.problems import Problem


@dataclass
class Selection:
    """What a history query found: entries newest first, with their corrections."""

    entries: list[Entry] = field(default_factory=list)
    corrections: dict[str, list[Entry]] = field(default_factory=dict)  # ids are random: unique
    problems: list[Problem] = field(default_factory=list)
    plans: int = 0


def check_range(start: date | None, end: date | None) -> None:
    """Refuse a --tu after --den, naming both."""
    if start and end and start > end:
        from kehoach_cli.dates import format_date
        from kehoach_cli.errors import KehoachError

        raise KehoachError(f"--tu {format_date(start)} sau --den {format_date(end)}: "
                           "hãy đổi chỗ hai ngày")


def body_codes(plan: LoadedPlan, code: str) -> set[str]:
    """A body and, for a group, every member under it: what the group's filter covers."""
    from kehoach_cli.plan.bodies import registry_of

    return set(registry_of(plan).members_of(code))


def select(
    workspace: Workspace,
    *,
    bodies: list[str] | None = None,
    task: str | None = None,
    tu: date | None = None,
    den: date | None = None,
    raw: bool = False,
) -> Selection:
    """Entries (or with `raw`, every record, corrections included) matching all filters.

    `bodies` are names as typed (resolved as `kehoach list` resolves them, a group covering
    its members); `task` is "3.2" or "kh160:3.2".
    """
    from kehoach_cli.plan.bodies import resolve_in_plans

    plans = list(workspace.plans)
    task_id: str | None = None
    if task is not None:
        ref = workspace.find_task(task)
        plans = [ref.plan]
        task_id = ref.task.ma
    wanted: dict[str, set[str]] | None = None
    if bodies:
        wanted = {}
        for text in bodies:
            for resolved in resolve_in_plans(plans, text):
                wanted.setdefault(resolved.plan.key, set()).update(
                    body_codes(resolved.plan, resolved.body.ma))
        plans = [plan for plan in plans if plan.key in wanted]
    out = Selection(plans=len(plans))
    for plan in plans:
        journal = read_journal(plan, task_id)
        out.problems.extend(journal.problems)
        codes = wanted[plan.key] if wanted is not None else None
        for entry in journal.all_records if raw else journal.entries:
            if ((codes is None or entry.don_vi in codes)
                    and (tu is None or entry.ngay >= tu) and (den is None or entry.ngay <= den)):
                out.entries.append(entry)
        out.corrections.update(journal.corrections)
    # Newest first: by day of work, then by time recorded (raw records: by time recorded).
    # One sort on the pair; a reversed sort keeps equal entries in journal order.
    out.entries.sort(key=attrgetter("ghi_luc") if raw else attrgetter("ngay", "ghi_luc"),
                     reverse=True)
    return out
