"""Validation of plain YAML data against the plan schema, with Vietnamese messages.

Pydantic is imported here and only here, when a plan is read without a valid cache entry
and is not of the plain kind `quickcheck` builds by itself.
"""

from __future__ import annotations

import difflib
from dataclasses import fields, is_dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kehoach_cli.plan import model

if TYPE_CHECKING:
    from pydantic import TypeAdapter

Loc = tuple[Any, ...]


@cache
def _adapter() -> TypeAdapter[model.Plan]:
    from pydantic import TypeAdapter

    return TypeAdapter(model.Plan)


@cache
def _known_keys() -> list[str]:
    classes = [getattr(model, name) for name in dir(model)]
    names = {f.name for cls in classes if is_dataclass(cls) for f in fields(cls)}
    return sorted(names)


def _suggestion(name: object) -> str | None:
    close = difflib.get_close_matches(str(name), _known_keys(), n=1, cutoff=0.6)
    return close[0] if close else None


def _message(error: dict[str, Any]) -> tuple[str, bool]:
    """Vietnamese text for one Pydantic error, and whether it points at a key."""
    kind = error["type"]
    loc = error["loc"]
    name = loc[-1] if loc else ""
    if kind == "kehoach":
        return error["msg"], False
    if kind in {"unexpected_keyword_argument", "extra_forbidden"}:
        close = _suggestion(name)
        hint = f"; có phải ý là “{close}”?" if close else ""
        return f"khóa “{name}” không có trong lược đồ kế hoạch{hint}", True
    if kind in {"missing", "missing_argument"}:
        return f"thiếu khóa bắt buộc “{name}”", True
    if kind in {"list_type", "tuple_type"}:
        if error.get("input") is None:
            return "đang để trống: viết [] hoặc xóa dòng này nếu không có mục nào", False
        return "phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”)", False
    if kind in {"dataclass_type", "dict_type", "model_type", "dataclass_exact_type"}:
        return "phải là một bảng “khóa: giá trị”", False
    if kind in {"string_type"}:
        return "phải là văn bản", False
    if kind.startswith("int"):
        return "phải là một số nguyên", False
    if kind == "too_short":
        return "không được để trống: cần ít nhất một mục", False
    return f"giá trị không hợp lệ ({error['msg']})", False


def validate(data: Any) -> tuple[model.Plan | None, list[tuple[Loc, str, bool]]]:
    """Validate YAML data; return the plan, or the errors as (location, message, at_key).

    Plain valid data is built without Pydantic (`quickcheck`); anything else goes to it."""
    from kehoach_cli.plan.quickcheck import quick_plan

    plan = quick_plan(data)
    if plan is not None:
        return plan, []
    from pydantic import ValidationError

    if not isinstance(data, dict):
        return None, [((), "tệp kế hoạch phải là một bảng “khóa: giá trị” (bắt đầu bằng "
                       "luoc_do:, ke_hoach:, don_vi:, noi_dung:)", False)]
    try:
        return _adapter().validate_python(data), []
    except ValidationError as exc:
        raw: list[dict[str, Any]] = [dict(error) for error in exc.errors()]
        # A mistyped key ("trich_yue") is one mistake: report the unknown key with its
        # suggestion, not also the required key it was meant to be.
        typed_for = {(tuple(e["loc"][:-1]), _suggestion(e["loc"][-1])) for e in raw
                     if e["type"] in {"unexpected_keyword_argument", "extra_forbidden"} and e["loc"]}
        errors = []
        for error in raw:
            loc = tuple(error["loc"])
            if error["type"] in {"missing", "missing_argument"} and loc and (loc[:-1], loc[-1]) in typed_for:
                continue
            message, at_key = _message(error)
            if error["type"] in {"missing", "missing_argument"}:
                loc, at_key = loc[:-1], False
            errors.append((loc, message, at_key))
        return None, errors
