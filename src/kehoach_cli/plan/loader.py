"""The one loader of plan files: read, parse, validate, locate problems, cache.

Every command reads plans through `load_plan`; `kehoach check` calls `check_file`, which is
the same path with the problems returned instead of raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehoach_cli.errors import PlanInvalid
from kehoach_cli.plan import cache
from kehoach_cli.plan.model import MAX_FILE_BYTES, Plan
from kehoach_cli.problems import Problem, format_problems


@dataclass(frozen=True)
class LoadedPlan:
    """A validated plan and where it came from; `key` qualifies its task ids."""

    path: Path
    plan: Plan
    # The plan file's size and CRC-32 (`cache.stamp_of`) when it was read: what a result
    # computed from this plan may be kept under (`query/review_cache.py`); None when the
    # plan did not come from a file's bytes.
    source: tuple[int, int] | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return self.plan.ke_hoach.ma or self.path.stem


def describe(loc: tuple[Any, ...], data: Any) -> str:
    """A field path readers can follow: `noi_dung[2].nhiem_vu[2.1].thoi_gian`.

    List items show their `ma` when they have one, else their 1-based position.
    """
    out = ""
    node = data
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            label = item.get("ma") if isinstance(item, dict) else None
            out += f"[{label}]" if isinstance(label, str) else f"[#{step + 1}]"
            node = item
        else:
            out += ("." if out else "") + str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return out


def validate_text(path: Path, text: str) -> tuple[Plan | None, list[Problem]]:
    """Validate plan text read from `path` (which is only used in messages).

    Raises `PlanInvalid` for unreadable YAML; returns the plan or the located problems.
    """
    from kehoach_cli.plan import checks as validate
    from kehoach_cli.plan import schema, yamlio

    data = yamlio.load_yaml(path, text)
    plan, issues = schema.validate(data)
    issues += validate.check_data(data, text)
    if not issues:
        return plan, []
    marks = yamlio.marks_of(text)
    problems = []
    for loc, message, at_key in issues:
        pos = marks.find(loc, key=at_key)
        line, column = pos if pos else (None, None)
        problems.append(Problem(path, line, column, describe(loc, data), message))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return None, problems


def check_file(path: Path) -> tuple[LoadedPlan | None, list[Problem]]:
    """The plan and no problems, or no plan and every problem of the file."""
    try:
        return load_plan(path), []
    except PlanInvalid as exc:
        return None, exc.problems or [Problem(path, None, None, "", exc.message)]


def _read_bytes(path: Path) -> bytes | None:
    """A plan file's bytes, or None when it cannot be read as one (too big, missing, a
    folder): `yamlio.read_text` then says why, in the user's words."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_FILE_BYTES else None


def load_plan(path: Path) -> LoadedPlan:
    """Read and validate a plan, from the cache when the file's bytes are unchanged.

    Raises `PlanInvalid` whose message lists every problem as file:line:column.
    """
    raw = _read_bytes(path)
    stamp = None if raw is None else cache.stamp_of(raw)
    if raw is not None:
        cached = cache.get(path, raw, stamp)
        if cached is not None:
            return LoadedPlan(path, cached, stamp)
    from kehoach_cli.plan import yamlio

    text = yamlio.read_text(path) if raw is None else yamlio.decode_text(path, raw)
    plan, problems = validate_text(path, text)
    if plan is None:
        raise PlanInvalid(format_problems(problems), problems=problems)
    if raw is not None:
        cache.put(path, raw, plan)
    return LoadedPlan(path, plan, stamp)


def plan_warnings(loaded: LoadedPlan) -> list[Problem]:
    """Warnings (not errors) about a valid plan, located like problems."""
    from kehoach_cli.plan import checks as validate

    found = validate.warnings_of(loaded.plan)
    if not found:
        return []
    from kehoach_cli.plan import yamlio  # only now: a clean plan came from the cache, YAML unread
    text = yamlio.read_text(loaded.path)
    marks = yamlio.marks_of(text)
    data = yamlio.load_yaml(loaded.path, text)
    out = []
    for loc, message in found:
        line, column = marks.find(loc) or (None, None)
        out.append(Problem(loaded.path, line, column, describe(loc, data), f"cảnh báo: {message}"))
    return out
