"""Conflict copies that file-sync services leave beside the files they could not merge.

Dropbox (and Nextcloud, ownCloud) write "2026-12.ten (conflicted copy 2026-12-01).jsonl",
Syncthing "2026-12.ten.sync-conflict-20261201-101010-ABCDEFG.jsonl". A journal copy is
harmless: its lines are whole records with their ids, and reading counts an id once, so the
copy's extra lines (the other machine's notes) are read and its duplicates are not. The user
is still told, so the folder gets tidied. A copy of a plan file is not harmless: two plans
with one key, or two versions of a plan, need a person to choose.
"""

from __future__ import annotations

import re
from pathlib import Path

_PATTERN = re.compile(r"\(conflicted copy|\.sync-conflict-|\(conflict\b|conflit", re.IGNORECASE)


def is_conflict_copy(name: str) -> bool:
    """Whether a file name is one a sync service gives a conflict copy."""
    return bool(_PATTERN.search(name))


def conflict_copies(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The conflict copies among the files of `folder` ending with one of `suffixes`."""
    try:
        names = sorted(item.name for item in folder.iterdir() if item.name.endswith(suffixes))
    except OSError:
        return []
    return [folder / name for name in names if is_conflict_copy(name)]


JOURNAL_ADVICE = ("bản xung đột do dịch vụ đồng bộ (Dropbox, OneDrive, Syncthing...) tạo ra; "
                  "kehoach đã đọc cả bản này, mỗi ghi nhận chỉ tính một lần, nên không mất và "
                  "không trùng gì. Khi mọi máy đã đồng bộ xong, có thể để nguyên hoặc chuyển tệp "
                  "này ra khỏi thư mục nhật ký")
PLAN_ADVICE = ("bản xung đột của một tệp kế hoạch, do dịch vụ đồng bộ tạo ra khi hai máy cùng "
               "sửa; kehoach không tự chọn bản nào. Hãy mở cả hai tệp, chép phần đúng vào tệp "
               "gốc, kiểm tra bằng kehoach check, rồi chuyển bản xung đột ra khỏi thư mục plans/")
