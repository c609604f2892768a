"""Finding plans and tasks: `--ke-hoach PATH` when given, else every plan in ./plans/.

Task references: "3.2" works when exactly one plan has task 3.2; "kh160:3.2" (plan key,
colon, task id) always works. A plan's key is its `ke_hoach.ma`, else its file name.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kehoach_cli.errors import Ambiguous, NotFound, PlanInvalid
from kehoach_cli.plan import cache
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from kehoach_cli.plan.model import Section, Task
from kehoach_cli.problems import format_problems
from kehoach_cli.text import fold

PLAN_SUFFIXES = (".yaml", ".yml")
DEFAULT_DIR = Path("plans")


def plan_files(paths: Sequence[Path] | None, cwd: Path | None = None) -> list[Path]:
    """The plan files named by `--ke-hoach` (files or folders), else those in ./plans/."""
    base = cwd or Path()
    if not paths:
        folder = base / DEFAULT_DIR
        if not folder.is_dir():
            raise NotFound(
                "không tìm thấy kế hoạch: chạy lệnh trong thư mục có thư mục plans/, "
                "hoặc chỉ rõ tệp bằng --ke-hoach ĐƯỜNG_DẪN"
            )
        paths = [folder]
    # Each file with what it really is (links resolved): a file named twice (`-k plans -k
    # plans/kh160.yaml`, or a link to it) is one plan, read once.
    found: list[tuple[Path, str]] = []
    for given in paths:
        # Relative paths stay relative, so messages show them as the user typed them.
        path = given if given.is_absolute() or cwd is None else base / given
        if path.is_dir():
            found.extend(_folder_plans(path))
        elif path.exists():
            found.append((path, os.path.realpath(path)))
        else:
            raise NotFound(f"{given}: không tìm thấy tệp hoặc thư mục kế hoạch")
    if not found:
        raise NotFound(f"không có tệp kế hoạch (.yaml) nào trong {', '.join(map(str, paths))}")
    seen: set[str] = set()
    unique: list[Path] = []
    for path, real in found:
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _folder_plans(folder: Path) -> list[tuple[Path, str]]:
    """The plan files of `folder`, in name order, each with its real path. The folder is
    resolved once and its listing says which entries are links: resolving each of 1,000
    plans cost a `lstat` per part of its path."""
    real_folder = os.path.realpath(folder)
    with os.scandir(folder) as items:
        chosen = [(folder / item.name, item.is_symlink()) for item in items
                  if os.path.splitext(item.name)[1] in PLAN_SUFFIXES and item.is_file()]
    chosen.sort()
    return [(path, os.path.realpath(path) if link else os.path.join(real_folder, path.name))
            for path, link in chosen]


@dataclass(frozen=True)
class TaskRef:
    """A task located in its plan."""

    plan: LoadedPlan
    section: Section
    task: Task

    @property
    def qualified(self) -> str:
        return f"{self.plan.key}:{self.task.ma}"


@dataclass
class Workspace:
    """The plans a command works on."""

    plans: list[LoadedPlan]

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, cwd: Path | None = None) -> Workspace:
        """Load every plan; all problems of all files are reported together."""
        loaded: list[LoadedPlan] = []
        problems = []
        # The cyclic collector is paused for the whole command by `gcpolicy` (cli.main).
        # One cache write for all the plans (`cache.batch`), not one file per plan.
        with cache.batch():
            for path in plan_files(paths, cwd):
                try:
                    loaded.append(load_plan(path))
                except PlanInvalid as exc:
                    problems.extend(exc.problems)
        if problems:
            raise PlanInvalid(
                format_problems(problems) + "\nChạy `kehoach check` để xem chi tiết.",
                problems=problems,
            )
        keys: dict[str, LoadedPlan] = {}
        for item in loaded:
            if item.key in keys:
                from kehoach_cli.conflicts import PLAN_ADVICE, is_conflict_copy

                copy = next((p.path for p in (keys[item.key], item) if is_conflict_copy(p.path.name)),
                            None)
                advice = (f"{copy} là {PLAN_ADVICE}" if copy is not None
                          else "hãy đặt `ke_hoach.ma` khác nhau")
                raise PlanInvalid(
                    f"hai kế hoạch cùng mã “{item.key}”: {keys[item.key].path} và {item.path}; "
                    f"{advice}"
                )
            keys[item.key] = item
        return cls(loaded)

    def tasks(self) -> Iterable[TaskRef]:
        for item in self.plans:
            for section, task in item.plan.tasks():
                yield TaskRef(item, section, task)

    def find_task(self, ref: str) -> TaskRef:
        """Resolve "3.2" or "kh160:3.2"; unknown or ambiguous references say what exists."""
        ref = ref.strip()
        plan_key, _, task_id = ref.rpartition(":")
        wanted = fold(plan_key)  # "KH160:3.2" and "kh160:3.2" name the same plan
        task_id = task_id.strip().rstrip(".")
        matches = [
            t for t in self.tasks()
            if t.task.ma == task_id and (not plan_key or fold(t.plan.key) == wanted)
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(m.qualified for m in matches)
            raise Ambiguous(f"nhiệm vụ “{ref}” có trong nhiều kế hoạch: {listed}; "
                            "hãy ghi rõ dạng KẾ_HOẠCH:MÃ")
        if plan_key and wanted not in {fold(p.key) for p in self.plans}:
            keys = ", ".join(p.key for p in self.plans)
            raise NotFound(f"không có kế hoạch “{plan_key}”; các kế hoạch hiện có: {keys}")
        ids = list(dict.fromkeys(t.task.ma for t in self.tasks()))
        known = ids + [t.qualified for t in self.tasks()]
        # A section's number ("3") names its tasks (3.1, 3.2, ...): list them in order
        # rather than the ids that merely look alike ("5.3").
        under = [ma for ma in ids if ma.startswith(f"{task_id}.")]
        close = difflib.get_close_matches(ref, known, n=3, cutoff=0.5)
        if under:
            hint = f"; mục {task_id} gồm các nhiệm vụ: {', '.join(under)}"
        elif close:
            hint = f"; có phải ý là: {', '.join(close)}?"
        else:
            shown = ", ".join(ids[:30]) + (", ..." if len(ids) > 30 else "")
            hint = f"; các nhiệm vụ hiện có: {shown}"
        raise NotFound(f"không có nhiệm vụ “{ref}”{hint}")
