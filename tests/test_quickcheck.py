"""`plan/quickcheck.py` builds exactly the plan Pydantic builds, or declines.

Checked on the seed plan, on the plans `nhap` writes from the real documents of the corpus
(they must take the quick path), and on random damage to the seed plan's data: wherever the
quick path gives a plan, Pydantic gives the same one; wherever Pydantic refuses, the quick
path declined. Errors are always Pydantic's words (`test_check.py` holds those)."""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach_cli.plan import quickcheck, schema, yamlio
from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "plans" / "kh160.yaml"
CORPUS = ROOT / "tests" / "fixtures" / "nhap" / "corpus"

# Values a hand-edited or damaged plan puts where another belongs.
ODD_VALUES: list[Any] = [
    None, "", "   ", " x ", "x", "\x1cx", "x\x1f", "\u00a0x", 1, 0, True, 1.5, "1", "01", "+1",
    "1_0", " 1", "-1", "1.0", "١", [], ["x"], [""], [None], ["  y  "], {}, {"x": 1},
    {"van_ban": "Quý I/2025"}, {"van_ban": "x", "loai": "khac"}, {"loai": "khac"},
    "Quý I/2025", "Trước ngày 31/3/2025", "Thường xuyên", "15/01/2020", "31/02/2025",
    "2025-01-15", "ngày mai", [{"ma": "X", "ten": "Y"}], [{"noi_dung": "z"}],
]


def _data(text: str) -> Any:
    return yamlio.load_yaml(Path("plan.yaml"), text)


def _by_pydantic(data: Any) -> Any:
    from pydantic import ValidationError

    try:
        return schema._adapter().validate_python(data)
    except ValidationError:
        return None


def _agrees(data: Any) -> bool:
    quick = quickcheck.quick_plan(data)
    full = _by_pydantic(data)
    return quick is None or quick == full


def test_the_seed_plan_takes_the_quick_path() -> None:
    data = _data(SEED.read_text(encoding="utf-8"))
    quick = quickcheck.quick_plan(data)
    assert quick is not None and quick == _by_pydantic(data)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir()
                                        if p.suffix in {".md", ".docx"} and p.stem != "README"))
def test_plans_nhap_writes_from_real_documents_take_the_quick_path(
        tmp_path: Path, cli: Runner, name: str) -> None:
    out = tmp_path / "plan.yaml"
    result = cli("nhap", str(CORPUS / name), "-o", str(out))
    assert result.code == 0, result.err
    data = _data(out.read_text(encoding="utf-8"))
    quick = quickcheck.quick_plan(data)
    assert quick is not None and quick == _by_pydantic(data)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and item position in the data, as paths from the top."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _damage(data: Any, rng: random.Random) -> Any:
    damaged = copy.deepcopy(data)
    path = rng.choice(_places(damaged)[1:])
    parent = damaged
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = rng.randrange(4)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[rng.choice(["ma ", "trich_yue", "khac", 1])] = rng.choice(ODD_VALUES)
    else:
        parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
    return damaged


SEED_DATA = _data(SEED.read_text(encoding="utf-8"))


@given(seed=st.integers(0, 2**32), rounds=st.integers(1, 3))
def test_damaged_data_gives_pydantics_plan_or_a_decline(seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    data = SEED_DATA
    for _ in range(rounds):
        data = _damage(data, rng)
    assert _agrees(data)


def test_every_odd_value_in_every_place_agrees() -> None:
    """Exhaustively, one odd value at a time (the random test's single steps)."""
    places = _places(SEED_DATA)[1:]
    for path in places[::7]:  # a spread of keys and items of every kind
        for value in ODD_VALUES:
            data = copy.deepcopy(SEED_DATA)
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(value)
            assert _agrees(data), (path, value)


def test_what_it_declines_pydantic_words(tmp_path: Path, cli: Runner) -> None:
    plan = tmp_path / "plans" / "kh.yaml"
    plan.parent.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("luoc_do: 1", "luoc_do: mot", 1)
    plan.write_text(text, encoding="utf-8")
    result = cli("check", str(plan))
    assert result.code != 0 and "luoc_do" in result.out + result.err
    assert "phải là một số nguyên" in result.out + result.err


def test_a_cold_load_of_a_plain_plan_does_not_import_pydantic(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from kehoach_cli.plan.loader import "
            f"load_plan; load_plan(Path({str(SEED)!r})); print('pydantic' in sys.modules)")
    env = {"KEHOACH_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert out.strip() == "False"
