"""Importing a plan document (Word, Markdown, text) into plan YAML for review.

The flow, one module each: `source` reads the file into numbered lines, `parse` recognises
the genre's structure, `refs` reads cited documents, `split_bodies` turns prose lists of
bodies into registry codes, `build` assembles plan data and the notes to review, and `emit`
writes YAML in the house style. `import_document` runs them in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach_cli.errors import ExitCode, KehoachError

if TYPE_CHECKING:
    from kehoach_cli.importer.parse import Note
    from kehoach_cli.plan.model import Body


@dataclass(frozen=True)
class Imported:
    """The YAML text of an imported plan and what to check in it."""

    yaml_text: str
    notes: list[Note]
    unit: str  # "dòng" or "đoạn": how `Note.no` counts
    task_count: int
    new_bodies: list[Body]


def import_document(path: Path, registry: list[Body], registry_from: str | None = None) -> Imported:
    """Read `path` and return plan YAML; bodies are matched against `registry`, which
    `registry_from` names for the header ("danh mục của kh160.yaml")."""
    from kehoach_cli.importer.build import build
    from kehoach_cli.importer.emit import emit
    from kehoach_cli.importer.parse import Note, parse_lines
    from kehoach_cli.importer.source import read_source
    from kehoach_cli.plan.default_registry import default_bodies

    source = read_source(path)
    draft = parse_lines(source.lines, source.unit, source.tables)
    draft.notes[:0] = [Note(no, text) for no, text in source.notes]
    if not draft.tasks():
        raise KehoachError(
            f"{path}: không tìm thấy nhiệm vụ nào. Lệnh nhap đọc kế hoạch có các mục đánh số "
            "“1.”, “1.1.” trong phần “Nội dung thực hiện” (hoặc “Nhiệm vụ, giải pháp”), "
            "mỗi nhiệm vụ có các dòng như “Cơ quan chủ trì:”, “Thời gian thực hiện:” hoặc "
            "nêu đơn vị trong câu, hoặc bảng phân công có cột “Nội dung nhiệm vụ”",
            ExitCode.USAGE,
        )
    built = build(draft, registry, default_bodies())
    notes = sorted(built.notes, key=lambda n: n.no)
    header = [
        f"Nhập từ {path.name} bằng `kehoach nhap`: hãy đọc lại trước khi dùng.",
        "Những gì văn bản không ghi (số, ngày ban hành, địa danh) để trống (null), không tự điền.",
    ]
    if registry_from:
        header.append(f"Đơn vị được đối chiếu với {registry_from}.")
    if notes:
        header.append(f"Có {len(notes)} điểm cần kiểm tra ({source.unit} trong văn bản gốc):")
        header += [f"- {source.unit} {n.no}: {n.text}" if n.no else f"- {n.text}" for n in notes]
    text = emit(built.data, built.comments, header)
    return Imported(text, notes, source.unit, len(draft.tasks()), built.new_bodies)
