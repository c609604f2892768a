"""Editing a plan's body registry (`kehoach don-vi them/sua/gop/nhom`) without losing its layout.

The plan file is the user's: comments, key order, flow lists and quoting are kept by editing
it through ruamel.yaml's round-trip mode (reading plans stays on the fast loader; ruamel is
imported only here). Every edit refuses to start on a plan that has errors, is validated
as `kehoach check` would before anything is written, and is written whole or not at all
(atomic.py), so a failed edit leaves the file as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kehoach_cli.errors import Conflict, KehoachError, NotFound, PlanInvalid
from kehoach_cli.plan.model import Role
from kehoach_cli.text import fold

Change = Callable[[Any], str]  # edits the round-trip data, returns what was done


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Plans write an empty field as `null` (ruamel would leave it blank).
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def edit_plan(path: Path, change: Change) -> str:
    """Apply `change` to the plan at `path` and write it back; return what was done."""
    from kehoach_cli.atomic import write_text
    from kehoach_cli.plan import yamlio
    from kehoach_cli.plan.loader import check_file, validate_text
    from kehoach_cli.problems import format_problems

    problems = check_file(path)[1]
    if problems:
        raise PlanInvalid(f"{path}: kế hoạch đang có lỗi, chưa sửa danh mục đơn vị được; "
                          "hãy sửa các lỗi sau trước (kehoach check):\n"
                          + format_problems(problems), problems)
    raw = path.read_bytes()
    # A plan saved by Windows Notepad keeps its BOM and CRLF line ends: ruamel works on LF
    # text and the file is written back as it came.
    crlf = raw.count(b"\r\n") * 2 > raw.count(b"\n")
    text = yamlio.decode_text(path, raw).replace("\r\n", "\n")
    yaml = _yaml()
    data = yaml.load(text)
    done = change(data)
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    if new_text == text:
        return "không có gì thay đổi"
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    if raw.startswith(b"\xef\xbb\xbf"):
        new_text = "\ufeff" + new_text
    problems = validate_text(path, new_text)[1]
    if problems:
        raise PlanInvalid("thay đổi này làm kế hoạch không hợp lệ, chưa ghi gì:\n"
                          + format_problems(problems), problems)
    write_text(path, new_text, overwrite=True)
    return done


def _bodies(data: Any) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if data.get("don_vi") is None:
        data["don_vi"] = CommentedSeq()
    return data["don_vi"]


def _find(data: Any, code: str) -> Any:
    """The registry entry with this code (exact, then ignoring case and diacritics)."""
    bodies = _bodies(data)
    for body in bodies:
        if body.get("ma") == code:
            return body
    matches = [b for b in bodies if fold(str(b.get("ma"))) == fold(code)]
    if len(matches) == 1:
        return matches[0]
    # A name as people type it ("mat tran", "cong doan"), resolved as every other command
    # resolves it: ambiguous and unknown names get the same messages and suggestions.
    from kehoach_cli.plan.bodies import Registry
    from kehoach_cli.plan.model import Body

    registry = Registry([Body(str(b.get("ma")), str(b.get("ten") or b.get("ma")),
                              [str(a) for a in b.get("ten_khac") or []]) for b in bodies])
    found = registry.resolve(code).ma
    return next(b for b in bodies if str(b.get("ma")) == found)


def _flow(items: list[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()  # `ten_khac: [A, B]`, as plans write short lists
    return seq


def _add_names(body: Any, names: list[str]) -> None:
    have = {fold(str(n)) for n in [body.get("ten"), body.get("ma"), *(body.get("ten_khac") or [])]}
    new = [n for n in names if n.strip() and fold(n) not in have]
    if not new:
        return
    if body.get("ten_khac") is None:
        body["ten_khac"] = _flow(new)
    else:
        body["ten_khac"].extend(new)


def add_body(code: str, name: str, aliases: list[str], members: list[str]) -> Change:
    def change(data: Any) -> str:
        from ruamel.yaml.comments import CommentedMap

        code_ = code.strip()
        if any(fold(str(b.get("ma"))) == fold(code_) for b in _bodies(data)):
            raise Conflict(f"đã có đơn vị mã “{code_}”; dùng `kehoach don-vi sua {code_}` để sửa")
        body = CommentedMap([("ma", code_), ("ten", name.strip())])
        if aliases:
            body["ten_khac"] = _flow([a.strip() for a in aliases if a.strip()])
        if members:
            body["thanh_vien"] = _flow([str(_find(data, m).get("ma")) for m in members])
        _bodies(data).append(body)
        return f"đã thêm đơn vị {code_} ({name.strip()})"
    return change


def edit_body(code: str, name: str | None, add: list[str], remove: list[str]) -> Change:
    def change(data: Any) -> str:
        body = _find(data, code)
        if name is not None and name.strip():
            body["ten"] = name.strip()
        _add_names(body, add)
        if remove:
            aliases = body.get("ten_khac") or []
            gone = {fold(r) for r in remove}
            missing = [r for r in remove if fold(r) not in {fold(str(a)) for a in aliases}]
            if missing:
                raise NotFound(f"đơn vị {body['ma']} không có tên khác “{missing[0]}”")
            for alias in [a for a in aliases if fold(str(a)) in gone]:
                aliases.remove(alias)
            if not aliases and "ten_khac" in body:
                del body["ten_khac"]
        return f"đã sửa đơn vị {body['ma']}"
    return change


def _replace(codes: Any, old: str, new: str) -> int:
    """Rewrite `old` as `new` in a list of codes, without repeating `new`; the count."""
    if not codes or old not in codes:
        return 0
    count = 0
    while old in codes:
        index = codes.index(old)
        if new in codes:
            del codes[index]
        else:
            codes[index] = new
        count += 1
    return count


def merge_bodies(source: str, target: str) -> Change:
    """Merge body `source` into `target`: every role, membership and "tổ chức thực hiện"
    item naming `source` names `target`; `source`'s code and names become aliases."""
    def change(data: Any) -> str:
        old, new = _find(data, source), _find(data, target)
        old_code, new_code = str(old["ma"]), str(new["ma"])
        if old_code == new_code:
            raise KehoachError("hai mã là một đơn vị: không có gì để gộp")
        count = 0
        for section in data.get("noi_dung") or []:
            for task in section.get("nhiem_vu") or []:
                for role in Role:
                    count += _replace(task.get(role.value), old_code, new_code)
        for item in (data.get("ke_hoach") or {}).get("to_chuc_thuc_hien") or []:
            count += _replace(item.get("don_vi"), old_code, new_code)
        for body in _bodies(data):
            _replace(body.get("thanh_vien"), old_code, new_code)
            if body is new and body.get("thanh_vien") and new_code in body["thanh_vien"]:
                body["thanh_vien"].remove(new_code)
        members = [m for m in old.get("thanh_vien") or [] if m != new_code]
        became_group = bool(members) and not new.get("thanh_vien")
        _bodies(data).remove(old)
        _add_names(new, [old_code, str(old["ten"]), *(str(a) for a in old.get("ten_khac") or [])])
        if members:
            if new.get("thanh_vien") is None:
                new["thanh_vien"] = _flow([])
            new["thanh_vien"].extend(m for m in members if m not in new["thanh_vien"])
        done = (f"đã gộp {old_code} vào {new_code}: {count} chỗ giao việc được ghi lại là "
                f"{new_code}; “{old_code}” và tên của nó là tên khác của {new_code}")
        if became_group:
            done += (f". Lưu ý: {new_code} nay là một nhóm gồm {', '.join(members)}: phần việc "
                     f"của {new_code} chỉ xong khi các thành viên đều xong phần của mình; bỏ "
                     f"thành viên bằng: kehoach don-vi nhom {new_code} --bot MÃ")
        return done
    return change


def group_members(code: str, add: list[str], remove: list[str]) -> Change:
    def change(data: Any) -> str:
        group = _find(data, code)
        group_code = str(group["ma"])
        members = group.get("thanh_vien")
        for name in add:
            member = str(_find(data, name)["ma"])
            if member == group_code:
                raise KehoachError("một nhóm không thể là thành viên của chính nó")
            if members is None:
                members = group["thanh_vien"] = _flow([])
            if member not in members:
                members.append(member)
        for name in remove:
            member = str(_find(data, name)["ma"])
            if members is None or member not in members:
                raise NotFound(f"{member} không phải thành viên của nhóm {group_code}")
            members.remove(member)
        if members is not None and not members:
            del group["thanh_vien"]
        listed = ", ".join(group.get("thanh_vien") or []) or "không còn thành viên nào"
        return f"nhóm {group_code}: {listed}"
    return change
