"""Checks across fields of one plan: unique ids, known body codes, unambiguous names."""

from __future__ import annotations

import difflib
import re
from typing import Any

from kehoach_cli.model import SCHEMA_VERSION, Plan, Role
from kehoach_cli.text import fold

Loc = tuple[Any, ...]
Issue = tuple[Loc, str, bool]
_TASK_ID = re.compile(r"^\d+(\.\d+)*$")


def _unknown_code(code: str, known: list[str]) -> str:
    close = difflib.get_close_matches(code, known, n=1, cutoff=0.5)
    hint = f"; có phải ý là “{close[0]}”?" if close else ""
    return f"mã đơn vị “{code}” không có trong danh mục `don_vi`{hint}"


def check_plan(plan: Plan) -> list[Issue]:
    """Every cross-field problem of `plan`, located by its path in the YAML data."""
    issues: list[Issue] = []
    if plan.luoc_do != SCHEMA_VERSION:
        issues.append(((("luoc_do",)), f"phiên bản lược đồ {plan.luoc_do} không được hỗ trợ "
                       f"(phiên bản hiện tại: {SCHEMA_VERSION})", False))
    codes: dict[str, int] = {}
    names: dict[str, tuple[str, Loc]] = {}
    for i, body in enumerate(plan.don_vi):
        if body.ma in codes:
            issues.append(((("don_vi", i, "ma")), f"mã đơn vị “{body.ma}” bị trùng "
                           f"(đã dùng ở mục thứ {codes[body.ma] + 1})", False))
        codes.setdefault(body.ma, i)
        spellings: list[tuple[str, Loc]] = [(body.ma, ("don_vi", i, "ma")),
                                            (body.ten, ("don_vi", i, "ten"))]
        spellings += [(alias, ("don_vi", i, "ten_khac", j)) for j, alias in enumerate(body.ten_khac)]
        for spelling, loc in spellings:
            key = fold(spelling)
            owner = names.get(key)
            if owner is not None and owner[0] != body.ma:
                issues.append((loc, f"tên “{spelling}” đã dùng cho đơn vị “{owner[0]}”; "
                               "mỗi tên gọi chỉ thuộc về một đơn vị", False))
            names.setdefault(key, (body.ma, loc))
    known = list(codes)
    for i, body in enumerate(plan.don_vi):
        for j, member in enumerate(body.thanh_vien):
            loc = ("don_vi", i, "thanh_vien", j)
            if member not in codes:
                issues.append((loc, "thành viên nhóm: " + _unknown_code(member, known), False))
            elif member == body.ma:
                issues.append((loc, f"nhóm “{body.ma}” không thể là thành viên của chính nó", False))
    seen_sections: set[str] = set()
    seen_tasks: dict[str, str] = {}
    for si, section in enumerate(plan.noi_dung):
        if section.ma in seen_sections:
            issues.append(((("noi_dung", si, "ma")), f"số mục “{section.ma}” bị trùng", False))
        seen_sections.add(section.ma)
        for ti, task in enumerate(section.nhiem_vu):
            base: Loc = ("noi_dung", si, "nhiem_vu", ti)
            if not _TASK_ID.match(task.ma):
                issues.append(((*base, "ma"), f"mã nhiệm vụ “{task.ma}” phải là số theo văn bản, "
                               "ví dụ 1.1, 3.2 hoặc 4", False))
            if task.ma in seen_tasks:
                issues.append(((*base, "ma"), f"mã nhiệm vụ “{task.ma}” bị trùng (đã có ở mục "
                               f"{seen_tasks[task.ma]})", False))
            seen_tasks.setdefault(task.ma, section.ma)
            for role in Role:
                for k, code in enumerate(task.bodies(role)):
                    if code not in codes:
                        issues.append(((*base, role.value, k), _unknown_code(code, known), False))
    for i, item in enumerate(plan.ke_hoach.to_chuc_thuc_hien):
        for j, code in enumerate(item.don_vi):
            if code not in codes:
                loc = ("ke_hoach", "to_chuc_thuc_hien", i, "don_vi", j)
                issues.append((loc, _unknown_code(code, known), False))
    return issues
