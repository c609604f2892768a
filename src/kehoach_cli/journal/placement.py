"""Notes that no longer fit their plan: the task was removed or renumbered, or the body left
the registry (or a hand edit misspelt it).

`nhat-ky` still lists such notes, but a review has no row to count them in: `check` reports
each with its file and line, and the report says how many it could not place, so nothing
recorded disappears without a word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kehoach_cli.problems import Problem

if TYPE_CHECKING:
    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.journal.read import JournalRead
    from kehoach_cli.plan.loader import LoadedPlan


def why_unplaced(entry: Entry, task_ids: set[str] | frozenset[str],
                 body_codes: set[str] | frozenset[str]) -> str | None:
    """Why a note cannot be placed in its plan's review, or None when it can."""
    if entry.ma not in task_ids:
        return f"nhiệm vụ “{entry.ma}” không còn trong kế hoạch"
    if entry.don_vi not in body_codes:
        return f"đơn vị “{entry.don_vi}” không có trong danh mục `don_vi` của kế hoạch"
    return None


def plan_keys(loaded: LoadedPlan) -> tuple[frozenset[str], frozenset[str]]:
    """The task ids and body codes a note of `loaded` may name."""
    from kehoach_cli.plan.bodies import registry_of

    tasks = frozenset(task.ma for _, task in loaded.plan.tasks())
    bodies = frozenset(body.ma for body in registry_of(loaded).bodies)
    return tasks, bodies


def count_unplaced(loaded: LoadedPlan, entries: Iterable[Entry]) -> int:
    """How many of `entries` (effective notes of `loaded`) cannot be placed."""
    tasks, bodies = plan_keys(loaded)
    # `why_unplaced`'s test, inline: a review counts a quarter's notes (60,000) through it.
    return sum(1 for entry in entries if entry.ma not in tasks or entry.don_vi not in bodies)


def unplaced_problems(loaded: LoadedPlan, journal: JournalRead) -> list[Problem]:
    """One problem per effective note that cannot be placed, at its file and line."""
    tasks, bodies = plan_keys(loaded)
    problems = []
    for entry in journal.entries:
        reason = why_unplaced(entry, tasks, bodies)
        if reason is None:
            continue
        file, line = journal.location(entry.id)
        problems.append(Problem(file, line, None, "", f"ghi nhận {entry.id}: {reason}; báo cáo "
                                "không tính được ghi nhận này (sửa bằng kehoach sua, hoặc hủy "
                                "bằng kehoach huy)"))
    return problems
