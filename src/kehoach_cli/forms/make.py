"""Making the forms `kehoach phieu` asks for: which (plan, body) pairs, where each file goes,
and writing them, all checked before the first file is written."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach_cli.errors import Conflict, KehoachError, NotFound

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from kehoach_cli.forms.content import FormContent
    from kehoach_cli.periods import Span
    from kehoach_cli.plan.loader import LoadedPlan
    from kehoach_cli.plan.model import Body
    from kehoach_cli.plan.workspace import Workspace


@dataclass(frozen=True)
class Made:
    """A form written: where, and what it holds."""

    path: Path
    content: FormContent


def _pairs(workspace: Workspace, names: Sequence[str]) -> list[tuple[LoadedPlan, Body]]:
    from kehoach_cli.forms.content import form_bodies
    from kehoach_cli.plan.bodies import resolve_in_plans

    if not names:
        return [(plan, body) for plan in workspace.plans for body in form_bodies(plan)]
    pairs: list[tuple[LoadedPlan, Body]] = []
    for name in names:
        for item in resolve_in_plans(workspace.plans, name):
            if (item.plan, item.body) not in pairs:
                pairs.append((item.plan, item.body))
    return pairs


def _is_file(out: Path) -> bool:
    return out.suffix.lower() == ".xlsx" and not out.is_dir()


def make_forms(workspace: Workspace, names: Sequence[str], span: Span, out: Path, *,
               overwrite: bool, now: datetime) -> list[Made]:
    """Write one form per (plan, body) into `out` (a .xlsx file when there is one form, else
    a folder, created if missing). Nothing is written if a target exists without
    `overwrite`, or if a named body has no task in the period."""
    from kehoach_cli.atomic import write_file
    from kehoach_cli.errors import ExitCode, os_reason
    from kehoach_cli.forms.content import build_form, file_name
    from kehoach_cli.forms.layout import write_form
    from kehoach_cli.journal.read import read_journal
    from kehoach_cli.journal.store import new_id

    if out.suffix.lower() not in ("", ".xlsx") and not out.is_dir():
        raise KehoachError(f"-o {out}: phiếu là tệp Excel, hãy ghi tên đuôi .xlsx hoặc một thư mục")
    entries = {plan.key: read_journal(plan).entries for plan in workspace.plans}
    contents: list[FormContent] = []
    for plan, body in _pairs(workspace, names):
        content = build_form(plan, body, span, entries[plan.key], new_id(), now)
        if not content.tasks:
            if names:
                raise NotFound(f"đơn vị {body.ma} không có nhiệm vụ nào trong kế hoạch {plan.key} "
                               f"cho {span.label}: không lập phiếu")
            continue
        contents.append(content)
    if not contents:
        raise NotFound(f"không có đơn vị nào có nhiệm vụ trong {span.label}: không lập phiếu")
    several_plans = len({c.identity.ke_hoach for c in contents}) > 1
    if _is_file(out):
        if len(contents) > 1:
            raise KehoachError(f"có {len(contents)} phiếu cần lập: hãy cho -o một thư mục (ví dụ "
                               "-o phieu/) thay vì một tệp")
        targets = [out]
    else:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KehoachError(f"{out}: không tạo được thư mục ({os_reason(exc)})", ExitCode.IO) from None
        targets = [out / file_name(c.identity.ke_hoach, c.identity.don_vi, several_plans)
                   for c in contents]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        shown = ", ".join(str(t) for t in existing[:5]) + (" ..." if len(existing) > 5 else "")
        raise Conflict(f"đã có tệp: {shown}; thêm --ghi-de để ghi đè, hoặc chọn chỗ khác")
    made = []
    for content, target in zip(contents, targets, strict=True):
        write_file(target, partial(write_form, content), overwrite=overwrite)
        made.append(Made(target, content))
    return made
