"""The YAML writer of `kehoach nhap`: whatever the text, it reads back unchanged."""

from __future__ import annotations

import pytest
import yaml

from kehoach_cli.importer.emit import emit

TRICKY = [
    "Thường xuyên",
    "- bắt đầu bằng gạch",
    "Trọng tâm là: giám sát",
    "có dấu # ở giữa",
    "“ngoặc kép” và 'nháy đơn'",
    "1.10",
    "null",
    "yes",
    "2025-03-15",
    "[UBND]",
    "ký tự điều khiển \x1b[31m đỏ",
    "dài " * 60,
    "đoạn một\nđoạn hai",
    "  khoảng trắng đầu",
    "@ký hiệu",
    "a: b",
    "chính trị - xã hội " * 10,
]


@pytest.mark.parametrize("text", TRICKY)
def test_text_reads_back(text: str) -> None:
    text = text.strip() if text.startswith("dài") or text.startswith("chính") else text
    data = {"ke_hoach": {"trich_yeu": text, "noi_nhan": [text]},
            "don_vi": [{"ma": "CT-XH", "ten": text, "ten_khac": ["Mặt trận", "a, b"]}],
            "noi_dung": [{"ma": "4", "tieu_de": text, "nhiem_vu": []}]}
    written = emit(data, {("ke_hoach", "trich_yeu"): ["ghi chú: có dấu #"]}, ["tiêu đề"])
    assert yaml.safe_load(written) == data
    assert "\\u" not in written or "\x1b" in text


def test_codes_are_flow_lists_and_ids_quoted() -> None:
    data = {"noi_dung": [{"ma": "1", "tieu_de": "Mục", "nhiem_vu": [
        {"ma": "1.1", "noi_dung": "Việc", "chu_tri": ["ĐU", "CT-XH"]}]}]}
    written = emit(data, {}, [])
    assert 'ma: "1.1"' in written
    assert "chu_tri: [ĐU, CT-XH]" in written
