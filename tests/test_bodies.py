"""Body names as people type them, resolved against the registry of plans/kh160.yaml."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_cli.errors import Ambiguous, ExitCode, NotFound
from kehoach_cli.plan.bodies import (
    Registry,
    TaskRole,
    registry_of,
    resolve_body,
    resolve_in_plans,
    task_roles_for,
)
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from kehoach_cli.plan.model import Body, Plan, PlanMeta, Role, Section, Task
from kehoach_cli.text import fold
from tests.conftest import SEED_PLAN

SEED = load_plan(SEED_PLAN)
NAMES = [(body.ma, spelling) for body in SEED.plan.don_vi
         for spelling in (body.ma, body.ten, *body.ten_khac)]


@pytest.mark.parametrize(("typed", "code"), [
    ("MTTQ", "MTTQ"),
    ("mttq", "MTTQ"),
    ("mat tran", "MTTQ"),
    ("MẶT TRẬN TỔ QUỐC", "MTTQ"),
    ("UBMTTQ", "MTTQ"),
    ("khoi dan van", "KDV"),
    ("Khối Dân vận Đảng ủy", "KDV"),
    (unicodedata.normalize("NFD", "Ủy ban nhân dân phường"), "UBND"),
    ("uỷ ban nhân dân", "UBND"),
    ("Uy Ban Nhan Dan", "UBND"),
    ("chính quyền", "UBND"),
    ("thanh niên", "ĐTN"),
    ("thanh nien", "ĐTN"),
    ("dtn", "ĐTN"),
    ("ĐTN", "ĐTN"),
    ("phụ nữ", "HLHPN"),
    ("Hội Phụ nữ phường", "HLHPN"),
    ("cựu chiến binh", "HCCB"),
    ("ct-xh", "CT-XH"),
    ("CT – XH", "CT-XH"),
    ("ctxh", "CT-XH"),
    ("doan the", "CT-XH"),
    ("chi bo", "CB"),
    ("dang uy", "ĐU"),
    ("hdnd", "HĐND"),
])
def test_each_way_of_naming_a_body(typed: str, code: str) -> None:
    assert resolve_body(SEED, typed).ma == code


def test_exact_alias_wins_over_partial_match() -> None:
    # "Mặt trận" is also part of MTTQ's full name; "đoàn thể" is a part of nothing else,
    # but "hội" is inside five names: only exact spellings must resolve without doubt.
    assert resolve_body(SEED, "Hội Nông dân").ma == "HND"
    assert resolve_body(SEED, "Đoàn Thanh niên").ma == "ĐTN"


def test_exact_match_beats_partial_match_in_another_body() -> None:
    bodies = [Body("A", "Hội Nông dân"), Body("B", "Hội Nông dân xã Tân Phú")]
    registry = Registry(bodies)
    assert registry.resolve("hoi nong dan").ma == "A"
    assert registry.candidates("nong dan") == bodies


@pytest.mark.parametrize(("typed", "codes"), [
    ("ủy ban", ["UBND", "MTTQ"]),
    ("hoi", ["HĐND", "CT-XH", "HLHPN", "HND", "HCCB"]),
    ("đoàn", ["CT-XH", "ĐTN"]),
])
def test_ambiguous_name_lists_candidates(typed: str, codes: list[str]) -> None:
    with pytest.raises(Ambiguous) as caught:
        resolve_body(SEED, typed)
    assert caught.value.exit_code == ExitCode.AMBIGUOUS
    message = caught.value.message
    assert message.startswith(f"tên đơn vị “{typed}” khớp với nhiều đơn vị: ")
    for code in codes:
        body = registry_of(SEED).get(code)
        assert body is not None
        assert f"{code} ({body.ten})" in message
    assert message.count("(") == len(codes)


def test_unknown_name_suggests_closest() -> None:
    with pytest.raises(NotFound) as caught:
        resolve_body(SEED, "Hoi Nong dan xa")
    assert caught.value.message == (
        "không có đơn vị “Hoi Nong dan xa” trong danh mục; có phải ý là: "
        "HND (Hội Nông dân phường)? (xem danh mục: kehoach don-vi)"
    )


def test_unknown_name_without_anything_close() -> None:
    with pytest.raises(NotFound) as caught:
        resolve_body(SEED, "xyz")
    assert caught.value.message == "không có đơn vị “xyz” trong danh mục (xem danh mục: kehoach don-vi)"


@pytest.mark.parametrize("typed", ["", "   ", "--"])
def test_empty_name(typed: str) -> None:
    with pytest.raises(NotFound, match="tên đơn vị đang để trống"):
        resolve_body(SEED, typed)


def test_member_reaches_group_tasks_through_group() -> None:
    registry = registry_of(SEED)
    assert registry.groups_of("ĐTN") == ["CT-XH"]
    assert registry.groups_of("MTTQ") == []
    for _, task in SEED.plan.tasks():
        assert task_roles_for("ĐTN", task, registry) == [TaskRole(Role.THAM_MUU, "CT-XH")]
        assert task_roles_for("ĐU", task, registry) == [TaskRole(Role.CHI_DAO)]
    assert TaskRole(Role.THAM_MUU, "CT-XH").label() == "tham mưu, thực hiện (qua nhóm CT-XH)"
    assert TaskRole(Role.CHU_TRI).label() == "chủ trì"


def _plan(key: str, bodies: list[Body], tasks: list[Task]) -> LoadedPlan:
    plan = Plan(PlanMeta(trich_yeu="thử", ma=key), don_vi=bodies,
                noi_dung=[Section("1", "Mục một", tasks)])
    return LoadedPlan(Path(f"{key}.yaml"), plan)


def test_nested_groups_and_direct_role_wins() -> None:
    bodies = [Body("MTTQ", "Mặt trận", thanh_vien=["CT-XH"]),
              Body("CT-XH", "các đoàn thể", thanh_vien=["ĐTN"]),
              Body("ĐTN", "Đoàn Thanh niên", thanh_vien=[])]
    tasks = [Task("1.1", "a", chu_tri=["MTTQ"], phoi_hop=["ĐTN", "CT-XH"])]
    loaded = _plan("a", bodies, tasks)
    registry = registry_of(loaded)
    assert registry.groups_of("ĐTN") == ["CT-XH", "MTTQ"]
    assert task_roles_for("ĐTN", tasks[0], registry) == [
        TaskRole(Role.CHU_TRI, "MTTQ"), TaskRole(Role.PHOI_HOP)]


def test_group_cycle_is_ignored() -> None:
    registry = Registry([Body("A", "Nhóm A", thanh_vien=["B"]), Body("B", "Nhóm B", thanh_vien=["A"])])
    assert registry.groups_of("A") == ["B"]
    assert registry.groups_of("B") == ["A"]


def test_resolution_per_plan() -> None:
    first = _plan("a", [Body("MTTQ", "Mặt trận Tổ quốc"), Body("HND", "Hội Nông dân")], [])
    second = _plan("b", [Body("UBMTTQ", "Ủy ban Mặt trận Tổ quốc xã")], [])
    third = _plan("c", [Body("HND", "Hội Nông dân xã")], [])
    found = resolve_in_plans([first, second, third], "mặt trận tổ quốc")
    # An exact name in plan a beats the partial match in plan b.
    assert [(r.plan.key, r.body.ma) for r in found] == [("a", "MTTQ")]
    found = resolve_in_plans([first, second, third], "mat tran")
    assert [(r.plan.key, r.body.ma) for r in found] == [("a", "MTTQ"), ("b", "UBMTTQ")]
    found = resolve_in_plans([first, second, third], "HND")
    assert [(r.plan.key, r.body.ma) for r in found] == [("a", "HND"), ("c", "HND")]
    with pytest.raises(NotFound, match="có phải ý là: HND"):
        resolve_in_plans([first, second, third], "hoi nong dn")


def test_ambiguous_in_one_plan_names_the_plan() -> None:
    first = _plan("a", [Body("X", "Hội Nông dân"), Body("Y", "Hội Cựu chiến binh")], [])
    second = _plan("b", [Body("Z", "Hội Nông dân xã")], [])
    with pytest.raises(Ambiguous, match=r"\(kế hoạch a\)$"):
        resolve_in_plans([first, second], "hội")


# --------------------------------------------------------------------------- properties

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_PAIRS = ("oa", "oe", "uy")


def move_tone(text: str) -> str:
    """Old and new tone placement swapped: "uỷ" <-> "ủy", "hoà" <-> "hòa"."""
    chars = list(unicodedata.normalize("NFD", text))
    out: list[str] = []
    i = 0
    while i < len(chars):
        a = chars[i]
        if i + 2 < len(chars) and chars[i + 1] in _TONES and (a + chars[i + 2]).lower() in _PAIRS:
            out += [a, chars[i + 2], chars[i + 1]]  # tone on the first vowel -> second
            i += 3
        elif i + 2 < len(chars) and chars[i + 2] in _TONES and (a + chars[i + 1]).lower() in _PAIRS:
            out += [a, chars[i + 2], chars[i + 1]]  # tone on the second vowel -> first
            i += 3
        else:
            out.append(a)
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


def test_move_tone_helper() -> None:
    assert move_tone("Ủy ban") == "Uỷ ban"
    assert move_tone("Tỉnh uỷ") == "Tỉnh ủy"
    assert move_tone("hòa giải") == "hoà giải"


def _no_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("đ", "d").replace("Đ", "D")


_VARIANTS = {
    "nfc": lambda s: unicodedata.normalize("NFC", s),
    "nfd": lambda s: unicodedata.normalize("NFD", s),
    "upper": str.upper,
    "lower": str.lower,
    "no_diacritics": _no_diacritics,
    "tone_placement": move_tone,
}


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    steps=st.lists(st.sampled_from(sorted(_VARIANTS)), min_size=1, max_size=4),
    flips=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_variants_of_every_name_resolve_to_the_same_body(
    name: tuple[str, str], steps: list[str], flips: list[bool]
) -> None:
    code, spelling = name
    typed = spelling
    for step in steps:
        typed = _VARIANTS[step](typed)
    typed = "".join(ch.swapcase() if flip else ch for ch, flip in zip(typed, flips, strict=False)) \
        + typed[len(flips):]
    assert resolve_body(SEED, typed).ma == code


@pytest.mark.parametrize(("code", "spelling"), NAMES)
@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_every_name_and_variant_resolves(code: str, spelling: str, variant: str) -> None:
    assert resolve_body(SEED, _VARIANTS[variant](spelling)).ma == code


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.sampled_from(NAMES))
def test_fold_meets_all_variants(name: tuple[str, str]) -> None:
    _, spelling = name
    folded = {fold(v(spelling)) for v in _VARIANTS.values()}
    assert len(folded) == 1
