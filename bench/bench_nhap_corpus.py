"""Scores of `kehoach nhap` on the development corpus of real plans (tests/fixtures/nhap/corpus).

Each document NAME.md|.txt|.docx has NAME.expected.yaml, written by hand from the document
(format in the corpus README). The import runs with the built-in registry, as `nhap` does
for a user with no plans yet, and is compared with the expectations:

- tasks found: an expected task is found when an imported task's text starts with (or,
  within its first words, contains) the expected opening words; each imported task counts once;
- bodies in the right role: for each found task, each expected name in each role is right
  when the imported task's same role holds a body one of whose names gives the same
  `plan.bodies.name_key` (folding, abbreviations spelled out, locality dropped);
- timeframes with their dates: for each found task whose expected timeframe is not null,
  right when the import has a timeframe whose deadline (and start, when one is expected)
  are the expected dates; a timeframe expected without dates only needs to be there;
- passes check: the YAML written passes the validator of `kehoach check`;
- tracebacks: an exception other than the importer's own Vietnamese errors.

Run: python bench/bench_nhap_corpus.py [NAME ...]
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "nhap" / "corpus"
SUFFIXES = (".docx", ".md", ".txt")
ROLES = {"chu_tri": "chu_tri", "phoi_hop": "phoi_hop", "thuc_hien": "tham_muu_thuc_hien",
         "chi_dao": "chi_dao"}


@dataclass
class Score:
    """One document's figures (or the corpus total)."""

    name: str
    tasks: int = 0
    tasks_found: int = 0
    bodies: int = 0
    bodies_right: int = 0
    times: int = 0
    times_right: int = 0
    passes_check: int = 0
    documents: int = 1
    tracebacks: int = 0
    errors: list[str] = field(default_factory=list)  # what went wrong, for the reader
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for key in ("tasks", "tasks_found", "bodies", "bodies_right", "times", "times_right",
                    "passes_check", "documents", "tracebacks"):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    @staticmethod
    def ratio(right: int, total: int) -> float:
        return right / total if total else 1.0


def documents(corpus: Path = CORPUS) -> list[Path]:
    """The corpus documents that have expectations, in name order."""
    out = []
    for expected in sorted(corpus.glob("*.expected.yaml")):
        stem = expected.name.removesuffix(".expected.yaml")
        source = next((corpus / f"{stem}{s}" for s in SUFFIXES if (corpus / f"{stem}{s}").exists()),
                      None)
        if source is not None:
            out.append(source)
    return out


def _date(text: Any) -> date | None:
    from kehoach_cli.dates import parse_date

    return parse_date(str(text)) if text else None


def _task_text(task: dict[str, Any]) -> str:
    from kehoach_cli.text import fold

    parts = [task.get("noi_dung") or "", *(task.get("cac_y") or [])]
    return fold(" ".join(str(p) for p in parts))


def _found(opening: str, texts: list[str], used: set[int]) -> int | None:
    from kehoach_cli.text import fold

    want = fold(opening)
    for i, text in enumerate(texts):
        if i not in used and text.startswith(want):
            return i
    for i, text in enumerate(texts):
        if i not in used and want in text[: len(want) + 200]:
            return i
    return None


def _names(data: dict[str, Any]) -> dict[str, set[str]]:
    """Body code -> the name keys of its code, name and aliases."""
    from kehoach_cli.plan.bodies import name_key

    out: dict[str, set[str]] = {}
    for body in data.get("don_vi") or []:
        spellings = [body.get("ma"), body.get("ten"), *(body.get("ten_khac") or [])]
        out[str(body.get("ma"))] = {name_key(str(s)) for s in spellings if s}
    return out


def _timeframe_right(value: Any, expected: dict[str, Any]) -> bool:
    from kehoach_cli.plan.model import _timeframe

    if value is None:
        return False
    try:
        timeframe = _timeframe(value)
    except ValueError:
        return False
    han, tu = _date(expected.get("han")), _date(expected.get("tu"))
    if han is None and tu is None:
        return True
    if timeframe.han != han:
        return False
    return tu is None or timeframe.tu_ngay == tu


def score_document(source: Path) -> Score:
    """Import `source` with the built-in registry and compare with its expectations."""
    import yaml

    from kehoach_cli.errors import KehoachError
    from kehoach_cli.importer import import_document
    from kehoach_cli.plan.bodies import name_key
    from kehoach_cli.plan.default_registry import default_bodies
    from kehoach_cli.plan.loader import validate_text

    stem = source.name.rsplit(".", 1)[0]
    expected = yaml.safe_load((source.parent / f"{stem}.expected.yaml").read_text(encoding="utf-8"))
    want = expected.get("nhiem_vu") or []
    score = Score(stem, tasks=len(want))
    for task in want:
        score.bodies += sum(len(task.get(key) or []) for key in ROLES)
        score.times += task.get("thoi_gian") is not None
    try:
        result = import_document(source, default_bodies(), "danh mục dựng sẵn")
    except KehoachError as exc:
        score.errors.append(f"lỗi: {exc}")
        return score
    except Exception:
        score.tracebacks = 1
        score.errors.append(traceback.format_exc())
        return score
    data = yaml.safe_load(result.yaml_text)
    try:
        problems = validate_text(Path(f"{stem}.yaml"), result.yaml_text)[1]
    except KehoachError as exc:
        problems = list(getattr(exc, "problems", [exc]))
    score.passes_check = int(not problems)
    score.errors += [str(p) for p in problems[:5]]
    tasks = [t for s in data.get("noi_dung") or [] for t in s.get("nhiem_vu") or []]
    texts = [_task_text(t) for t in tasks]
    names = _names(data)
    used: set[int] = set()
    for task in want:
        index = _found(str(task.get("bat_dau", "")), texts, used)
        if index is None:
            score.misses.append(f"thiếu nhiệm vụ {task.get('ma')}: {task.get('bat_dau')}")
            continue
        used.add(index)
        got = tasks[index]
        score.tasks_found += 1
        for key, role in ROLES.items():
            held = [names.get(str(code), set()) for code in got.get(role) or []]
            for name in task.get(key) or []:
                if any(name_key(str(name)) in keys for keys in held):
                    score.bodies_right += 1
                else:
                    score.misses.append(f"{task.get('ma')} {key}: “{name}” (có: {got.get(role)})")
        if task.get("thoi_gian") is not None:
            if _timeframe_right(got.get("thoi_gian"), task):
                score.times_right += 1
            else:
                score.misses.append(f"{task.get('ma')} thời gian: “{task.get('thoi_gian')}” "
                                    f"(có: {got.get('thoi_gian')})")
    return score


def score_corpus(sources: list[Path]) -> tuple[list[Score], Score]:
    scores = [score_document(source) for source in sources]
    total = Score("TỔNG", documents=0)
    for score in scores:
        total.add(score)
    return scores, total


def _pct(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * Score.ratio(right, total):.0f}%)"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if not a.startswith("-")]
    sources = [s for s in documents() if not names or s.name.rsplit(".", 1)[0] in names]
    scores, total = score_corpus(sources)
    print(f"{'văn bản':48} {'nhiệm vụ':>13} {'đơn vị đúng vai':>15} {'thời gian':>13} check tb")
    for s in [*scores, total]:
        check = f"{s.passes_check}/{s.documents}" if s is total else ("có" if s.passes_check else "không")
        print(f"{s.name[:48]:48} {_pct(s.tasks_found, s.tasks):>13} "
              f"{_pct(s.bodies_right, s.bodies):>15} {_pct(s.times_right, s.times):>13} "
              f"{check:>5} {s.tracebacks}")
        if verbose and s is not total:
            for line in [*s.errors, *s.misses]:
                print("    " + line)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
