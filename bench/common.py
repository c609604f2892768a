"""Shared benchmark helpers: whole-process timing, the import floor, generated workspaces."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEHOACH = [sys.executable, "-m", "kehoach_cli"]
FLOOR = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]


def median_seconds(cmd: Sequence[str], runs: int = 10, cwd: Path | None = None,
                   env: dict[str, str] | None = None, warmup: int = 1) -> float:
    """Median wall time of `cmd` as a whole process, after `warmup` untimed runs.

    Bytecode caching is turned back on (this workplace sets PYTHONDONTWRITEBYTECODE=1, which
    users' machines do not): otherwise every run recompiles the package from source.
    With BENCH_CPU=1 in the environment, the child's CPU time (user + system) is measured
    instead of wall time: on a machine shared with other work, wall time mostly measures
    the neighbours, while CPU time stays close to what an idle machine's wall time would be.
    """
    import resource

    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "", **(env or {})}
    cpu = os.environ.get("BENCH_CPU") == "1"
    times = []
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if cpu:
            elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if i >= warmup:
            times.append(elapsed)
    return statistics.median(times)


def _one_run(cmd: Sequence[str], cwd: Path | None, env: dict[str, str] | None) -> float:
    """One timed run of `cmd` (wall time, or CPU time with BENCH_CPU=1, as `median_seconds`)."""
    return median_seconds(cmd, 1, cwd, env, warmup=0)


def side_by_side(subject: tuple[Sequence[str], Path | None, dict[str, str] | None],
                 anchor: tuple[Sequence[str], Path | None, dict[str, str] | None],
                 runs: int, prepare: Callable[[], None] | None = None
                 ) -> tuple[float, float, float]:
    """`subject` and `anchor` run in turn, `runs` rounds after one untimed round each:
    their medians, and the median of each round's ratio subject/anchor. On a machine
    whose speed drifts (a shared VM: here by up to 2× within minutes), two medians taken
    minutes apart compare the drift; a ratio within one round compares the programs.
    `prepare` runs before each subject run (e.g. empties a cache), untimed."""
    subject_times: list[float] = []
    anchor_times: list[float] = []
    for i in range(runs + 1):
        if prepare is not None:
            prepare()
        first = _one_run(*subject)
        second = _one_run(*anchor)
        if i:
            subject_times.append(first)
            anchor_times.append(second)
    ratios = [a / b for a, b in zip(subject_times, anchor_times, strict=True)]
    return (statistics.median(subject_times), statistics.median(anchor_times),
            statistics.median(ratios))


def import_floor(runs: int = 10) -> float:
    """Median time of `python -c "import typer, rich, pydantic, yaml"`: the target's base."""
    return median_seconds(FLOOR, runs)


def report(name: str, seconds: float, floor: float | None = None, target: str = "") -> str:
    """One result line; with a floor, the ratio to it."""
    ratio = f"  ({seconds / floor:.2f}× sàn import)" if floor else ""
    goal = f"  mục tiêu: {target}" if target else ""
    line = f"{name:<55} {seconds * 1000:8.1f} ms{ratio}{goal}"
    print(line, flush=True)
    return line


BODIES = """don_vi:
  - ma: ĐU
    ten: Đảng ủy phường
  - ma: UBND
    ten: Ủy ban nhân dân phường
  - ma: MTTQ
    ten: Ủy ban Mặt trận Tổ quốc Việt Nam phường
    ten_khac: [Mặt trận]
  - ma: CT-XH
    ten: các tổ chức chính trị - xã hội phường
    thanh_vien: [ĐTN, HLHPN]
  - ma: ĐTN
    ten: Đoàn TNCS Hồ Chí Minh phường
    ten_khac: [Đoàn Thanh niên]
  - ma: HLHPN
    ten: Hội Liên hiệp Phụ nữ phường
  - ma: KDV
    ten: Khối Dân vận Đảng ủy
"""
_TIMEFRAMES = ["Thường xuyên", "Quý I/2025", "Trước ngày 30/6/2025", "Hằng quý", "Tháng 9/2025"]
_ROLES = ["[UBND, MTTQ, CT-XH]", "[MTTQ, KDV]", "[ĐTN, HLHPN]", "[UBND, KDV]"]


def make_plan_text(index: int, tasks: int = 20, roles: Sequence[str] = tuple(_ROLES)) -> str:
    """A plan of the genre with `tasks` tasks in sections of five, `roles` in turn."""
    lines = ["luoc_do: 1", "ke_hoach:", f"  ma: kh{index:04d}",
             f"  so_ky_hieu: {index}-KH/ĐU", f"  trich_yeu: Kế hoạch thử số {index}", BODIES.rstrip(),
             "noi_dung:"]
    for t in range(tasks):
        section, item = divmod(t, 5)
        if item == 0:
            lines += [f"  - ma: \"{section + 1}\"", f"    tieu_de: Nhóm nhiệm vụ {section + 1}",
                      "    nhiem_vu:"]
        lines += [
            f"      - ma: \"{section + 1}.{item + 1}\"",
            f"        noi_dung: Nhiệm vụ {section + 1}.{item + 1} của kế hoạch {index}, tuyên "
            "truyền, vận động, giám sát và phản biện xã hội ở khu dân cư.",
            "        chi_dao: [ĐU]",
            f"        tham_muu_thuc_hien: {roles[t % len(roles)]}",
            f"        thoi_gian: {_TIMEFRAMES[t % len(_TIMEFRAMES)]}",
        ]
    return "\n".join(lines) + "\n"


def make_workspace(root: Path, plans: int = 1000, tasks: int = 20) -> Path:
    """Write `plans` plan files under root/plans (kept if already there); return root."""
    folder = root / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(plans):
        path = folder / f"kh{i:04d}.yaml"
        if not path.exists():
            path.write_text(make_plan_text(i, tasks), encoding="utf-8")
    return root


def fresh_cache_seconds(cmd: Sequence[str], runs: int, cwd: Path, env: dict[str, str] | None = None
                        ) -> float:
    """Median wall time of `cmd` with an empty cache folder each run: fully cold."""
    import tempfile

    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            times.append(median_seconds(cmd, 1, cwd, {**(env or {}), "KEHOACH_CACHE_DIR": cache},
                                        warmup=0))
    return statistics.median(times)


def peak_mb(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Peak resident memory of one run of `cmd`, in MB (the child's ru_maxrss, measured in a
    fresh wrapper process so that no earlier child's peak leaks into it)."""
    import json

    probe = (
        "import resource, subprocess, sys, json\n"
        "cmd = json.loads(sys.argv[1])\n"
        "subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, json.dumps(list(cmd))], cwd=cwd,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "", **env},
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024  # Linux reports kilobytes


ROLE_BODIES = [["UBND", "MTTQ", "ĐTN", "HLHPN"], ["MTTQ", "KDV"], ["ĐTN", "HLHPN"],
               ["UBND", "KDV"]]  # who reports, per _ROLES (groups by member)
_NOTES = ["Tổ chức hội nghị quán triệt tại khu dân cư số {n}",
          "Giám sát việc thực hiện chính sách ở tổ dân phố {n}",
          "Tuyên truyền, vận động đoàn viên, hội viên tham gia đợt {n}"]


def write_journals(root: Path, plans: int, tasks: int, per_plan: int,
                   role_bodies: Sequence[Sequence[str]] = ROLE_BODIES) -> int:
    """Write `per_plan` entries into each plan's sidecars once (a marker file records it), in
    the journal's own format, as `kehoach log` would leave them; return the number written.

    Going through `append_entry` would cost an fsync and a lock per entry (minutes) and
    measure nothing a reader sees differently.
    """
    import random
    from datetime import date, datetime, timedelta, timezone

    from kehoach_cli.journal.entry import Entry
    from kehoach_cli.journal.format import encode
    from kehoach_cli.journal.store import new_id, sidecar_file
    from kehoach_cli.status import Status

    marker = root / ".journals-written"
    total = plans * per_plan
    if marker.exists():
        return total
    rng = random.Random(5)
    tz = timezone(timedelta(hours=7))
    statuses = [None] * 6 + [Status.DANG_THUC_HIEN] * 3 + [Status.HOAN_THANH]
    for i in range(plans):
        path = root / "plans" / f"kh{i:04d}.yaml"
        key = f"kh{i:04d}"
        files: dict[Path, list[str]] = {}
        for n in range(per_plan):
            t = rng.randrange(tasks)
            ma = f"{t // 5 + 1}.{t % 5 + 1}"
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
            writer = rng.choice(["Nguyễn Văn A", "Trần Thị B", "Lê Văn C"])
            recorded = datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=9, minutes=n)
            body = rng.choice(role_bodies[t % len(role_bodies)])
            entry = Entry(new_id(), key, ma, day, body, writer, recorded,
                          rng.choice(_NOTES).format(n=n), rng.choice(statuses), None,
                          {"số cuộc": float(rng.randrange(1, 4))} if n % 3 == 0 else {})
            files.setdefault(sidecar_file(path, writer, recorded), []).append(encode(entry))
        for target, lines in files.items():
            target.parent.mkdir(exist_ok=True)
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Dated in the past, as a real journal's closed months are.
    old = time.time() - 3600
    for sidecar in (root / "plans").glob("*.nhat-ky/*.jsonl"):
        os.utime(sidecar, (old, old))
    marker.write_text("ok\n", encoding="utf-8")
    return total


def parse_floor(per_file: bool = False, gc_off: bool = False) -> list[str]:
    """A process that reads every journal line under ./plans and `json.loads` each (or, with
    `per_file`, each file in one call): what any reader of the journal must pay. `gc_off`
    turns the cyclic collector off first, as kehoach does for its reads."""
    body = ("import json, os, glob\n"
            "n = 0\n"
            "for d in sorted(glob.glob('plans/*.nhat-ky')):\n"
            "    for name in sorted(os.listdir(d)):\n"
            "        if not name.endswith('.jsonl'): continue\n"
            "        data = open(os.path.join(d, name), 'rb').read()\n")
    if per_file:
        body += "        n += len(json.loads(b'[' + b','.join(data.splitlines()) + b']'))\n"
    else:
        body += "        n += len([json.loads(line) for line in data.splitlines()])\n"
    return [sys.executable, "-c", ("import gc; gc.disable()\n" if gc_off else "") + body]
