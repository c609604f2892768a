"""A problem found in a user's file, located by line, column and field path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing to fix, printed as `file:line:column: field: message`."""

    file: Path
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


def format_problems(problems: list[Problem]) -> str:
    """All problems, one a line, with a closing count."""
    lines = [str(p) for p in problems]
    lines.append(f"Có {len(problems)} lỗi cần sửa.")
    return "\n".join(lines)


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
