"""`nhap` on hostile or broken Word files: each refused with a Vietnamese message, no traceback.

The files are built by `hostile_docx`; `bench/bench_docx_hostile.py` measures the time and
memory each refusal takes (the issue's bound: under 2 s and 200 MB).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.hostile_docx import CASES, base_docx

EXPECTED = {
    "bom nén": "phần word/document.xml nén 1024 lần, bất thường với văn bản: có thể là “bom nén”",
    "giải nén quá lớn": "giải nén ra 105 MB (tối đa 100 MB): có thể là “bom nén”",
    "billion laughs": "phần word/document.xml có khai báo DOCTYPE/ENTITY",
    "XML hỏng": "nội dung XML bị hỏng; hãy mở bằng Word và lưu lại dưới dạng .docx",
    "bảng lồng 300 lớp": "các phần tử lồng nhau quá sâu",
    "bảng lồng 40 lớp": "có bảng lồng trong bảng 17 lớp (tối đa 16)",
    "đoạn 15 MB": "có một đoạn văn bản quá dài",
    "đoạn 200.000 ký tự": "có một đoạn dài 200.000 ký tự (tối đa 100.000)",
    "byte không hợp lệ": "có byte không hợp lệ trong nội dung XML",
    "w:ilvl không phải số": "mức đánh số (w:ilvl) “abc” không phải số từ 0 đến 8",
    "w:ilvl quá lớn": "mức đánh số (w:ilvl) “999999999” không phải số từ 0 đến 8",
}


@pytest.fixture(scope="module")
def base() -> bytes:
    return base_docx()


def test_every_case_has_its_message() -> None:
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_docx_is_refused(case: str, base: bytes, tmp_path: Path, cli: Runner,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(CASES[case](base))
    result = cli("nhap", str(source), "-o", "ra.yaml")
    assert result.code == 2
    assert f"Lỗi: {source}: không đọc tệp Word này: {EXPECTED[case]}" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "ra.yaml").exists()


def test_the_unmodified_file_imports(base: bytes, tmp_path: Path, cli: Runner,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(base)
    result = cli("nhap", str(source))
    assert "Tăng cường công tác dân vận" in result.out
    assert "Traceback" not in result.err
