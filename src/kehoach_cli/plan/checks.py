"""Checks across fields of one plan: unique ids, known body codes, unambiguous names.

They run on the raw YAML data, beside the schema validation rather than after it, so one
`kehoach check` reports a wrong date and a duplicated task id together. Values of the wrong
shape are skipped here: the schema already reports them.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from kehoach_cli.plan.model import SCHEMA_VERSION, Plan, Role
from kehoach_cli.text import UNSAFE, first_unsafe, fold, unsafe_reason

Loc = tuple[Any, ...]
Issue = tuple[Loc, str, bool]
# "1.1", "4", or a part's Roman numeral or letter first ("III.1": a task of "Tổ chức thực
# hiện"; "B.2": a task of part B).
_TASK_ID = re.compile(r"^(?:[A-H]\.|[IVX]{1,4}\.)?\d+(\.\d+)*$")
_ROLE_KEYS = tuple(role.value for role in Role)  # an Enum's .value is slow in a hot loop
# Body codes name files, options and report columns and are typed in a terminal: letters
# (Vietnamese ones included), digits, "-" and "." only, so a code can never carry a shell
# or terminal metacharacter ("MTTQ$(touch X)") into anything that quotes it carelessly.
_BODY_CODE = re.compile(r"^[^\W_]+(?:[-.][^\W_]+)*$")


def _items(parent: Any, key: str) -> list[tuple[int, Any]]:
    """The (index, item) pairs of a list field, or none if it is missing or not a list."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return list(enumerate(value)) if isinstance(value, list) else []


def _text(parent: Any, key: str) -> str | None:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value.strip() if isinstance(value, str) else None


def _unknown_code(code: str, known: list[str]) -> str:
    close = difflib.get_close_matches(code, known, n=1, cutoff=0.5)
    hint = f"; có phải ý là “{close[0]}”?" if close else ""
    return f"mã đơn vị “{code}” không có trong danh mục `don_vi`{hint}"


def _registry(data: dict[str, Any]) -> tuple[list[Issue], dict[str, int]]:
    issues: list[Issue] = []
    codes: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, body in _items(data, "don_vi"):
        code = _text(body, "ma")
        if not code:
            continue
        if not _BODY_CODE.match(code):
            issues.append((("don_vi", i, "ma"), f"mã đơn vị “{code}” chỉ được gồm chữ cái, chữ số "
                           "và dấu “-” hoặc “.” giữa chúng (ví dụ MTTQ, CT-XH, HĐND)", False))
        if code in codes:
            issues.append((("don_vi", i, "ma"), f"mã đơn vị “{code}” bị trùng (đã dùng ở mục "
                           f"thứ {codes[code] + 1} của `don_vi`)", False))
        codes.setdefault(code, i)
        spellings: list[tuple[str | None, Loc]] = [(code, ("don_vi", i, "ma")),
                                                   (_text(body, "ten"), ("don_vi", i, "ten"))]
        spellings += [(a.strip() if isinstance(a, str) else None, ("don_vi", i, "ten_khac", j))
                      for j, a in _items(body, "ten_khac")]
        for spelling, loc in spellings:
            if not spelling:
                continue
            owner = names.setdefault(fold(spelling), code)
            if owner != code:
                issues.append((loc, f"tên “{spelling}” đã dùng cho đơn vị “{owner}”; mỗi tên gọi "
                               "chỉ thuộc về một đơn vị", False))
    known = list(codes)
    for i, body in _items(data, "don_vi"):
        for j, member in _items(body, "thanh_vien"):
            if not isinstance(member, str):
                continue
            loc = ("don_vi", i, "thanh_vien", j)
            if member.strip() not in codes:
                issues.append((loc, "thành viên nhóm: " + _unknown_code(member, known), False))
            elif member.strip() == _text(body, "ma"):
                issues.append((loc, "một nhóm không thể là thành viên của chính nó", False))
    return issues, codes


def _code_refs(codes: dict[str, int], items: list[tuple[int, Any]], loc: Loc) -> list[Issue]:
    return [((*loc, k), _unknown_code(code, list(codes)), False)
            for k, code in items if isinstance(code, str) and code.strip() not in codes]


def check_data(data: Any, text: str | None = None) -> list[Issue]:
    """Every cross-field problem of the plan data, located by its path; `text`, the YAML
    the data was read from, lets a plan with no unsafe character skip looking for them."""
    if not isinstance(data, dict):
        return []
    issues: list[Issue] = [] if text is not None and plainly_safe(text) else _unsafe_text(data)
    version = data.get("luoc_do")
    if version is not None and str(version).strip() != str(SCHEMA_VERSION):
        issues.append((("luoc_do",), f"phiên bản lược đồ “{version}” không được hỗ trợ "
                       f"(phiên bản hiện tại: {SCHEMA_VERSION})", False))
    registry_issues, codes = _registry(data)
    issues += registry_issues
    sections: dict[str, int] = {}
    tasks: dict[str, str] = {}
    for si, section in _items(data, "noi_dung"):
        section_id = _text(section, "ma")
        if section_id:
            if section_id in sections:
                issues.append((("noi_dung", si, "ma"), f"số mục “{section_id}” bị trùng", False))
            sections.setdefault(section_id, si)
        for ti, task in _items(section, "nhiem_vu"):
            if not isinstance(task, dict):
                continue  # the schema reports it; nothing here to cross-check
            task_id = _text(task, "ma")
            if task_id:
                if not _TASK_ID.match(task_id):
                    issues.append((("noi_dung", si, "nhiem_vu", ti, "ma"), f"mã nhiệm vụ "
                                   f"“{task_id}” phải là số như văn bản đánh số, ví dụ 1.1, "
                                   "3.2, 4 hoặc III.1", False))
                if task_id in tasks:
                    issues.append((("noi_dung", si, "nhiem_vu", ti, "ma"), f"mã nhiệm vụ "
                                   f"“{task_id}” bị trùng (đã có ở mục {tasks[task_id]})", False))
                tasks.setdefault(task_id, section_id or "?")
            # 80,000 role lists in 1,000 plans: looked at in place, a helper called only
            # for a list holding a code the registry does not know.
            for role in _ROLE_KEYS:
                refs = task.get(role)
                if isinstance(refs, list) and any(
                        isinstance(code, str) and code.strip() not in codes for code in refs):
                    issues += _code_refs(codes, list(enumerate(refs)),
                                         ("noi_dung", si, "nhiem_vu", ti, role))
    meta = data.get("ke_hoach")
    for i, item in _items(meta, "to_chuc_thuc_hien"):
        loc = ("ke_hoach", "to_chuc_thuc_hien", i, "don_vi")
        issues += _code_refs(codes, _items(item, "don_vi"), loc)
    return issues


def plainly_safe(text: str) -> bool:
    """Whether no text parsed from this YAML can hold an unsafe character: the file holds
    none (a line break's CR aside: YAML reads line breaks as LF) and no backslash, the only
    way (an escape in double quotes) YAML makes a character the file does not hold. One C
    scan of the file instead of one per string: a 10,000-task plan has 118,000 strings."""
    return "\\" not in text and _UNSAFE_BUT_CR.search(text) is None


_UNSAFE_BUT_CR = re.compile(UNSAFE.pattern.replace("\x0b-\x1f", "\x0b\x0c\x0e-\x1f"))


def _unsafe_text(data: Any) -> list[Issue]:
    """Every key and text holding a control or bidirectional character (a YAML escape such
    as "\\e" or "\\u202e" can put one in): refused as `log` refuses them in notes, since the
    text would print differently from what is stored, or break the Word export."""
    issues: list[Issue] = []
    stack: list[tuple[Any, Loc]] = [(data, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                bad = first_unsafe(key) if isinstance(key, str) else None
                if bad:
                    issues.append(((*loc, key), f"tên khóa {unsafe_reason(bad)}", True))
                stack.append((value, (*loc, key)))
        elif isinstance(node, list):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node))
        elif isinstance(node, str) and (bad := first_unsafe(node)):
            issues.append((loc, f"văn bản {unsafe_reason(bad)}", False))
    return issues


def warnings_of(plan: Plan) -> list[tuple[Loc, str]]:
    """Things a valid plan may hold but a reader should look at: a task no body carries out
    can never have progress logged, and every review would list it as without activity."""
    found: list[tuple[Loc, str]] = []
    if not any(section.nhiem_vu for section in plan.noi_dung):
        found.append((("noi_dung",), "kế hoạch chưa có nhiệm vụ nào (`noi_dung` trống hoặc các "
                      "mục không có `nhiem_vu`): không có gì để giao, ghi nhận hay báo cáo"))
    for si, section in enumerate(plan.noi_dung):
        for ti, task in enumerate(section.nhiem_vu):
            if not task.implementing():
                found.append((("noi_dung", si, "nhiem_vu", ti),
                              f"nhiệm vụ {task.ma} chưa giao cho đơn vị thực hiện nào "
                              "(tham_muu_thuc_hien, chu_tri hoặc phoi_hop): chưa ghi nhận "
                              "tiến độ được"))
    return found
