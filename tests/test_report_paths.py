"""The report's fast paths give what the plain ones give: a review keeping only the latest
notes (tables, JSON, CSV, Markdown) says what the one keeping every note (Word, Excel) says,
and each task's JSON line, written directly, is the text `json.dumps` makes of its dict."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kehoach_cli.journal.entry import Entry
from kehoach_cli.journal.store import append_entry, new_id
from kehoach_cli.periods import Convention, Kind, Period, span_of
from kehoach_cli.plan.loader import LoadedPlan, load_plan
from kehoach_cli.query.review import LATEST_NOTES, JournalSource, Report, build_report
from kehoach_cli.render import report as render
from kehoach_cli.render.docx_report import build_document
from kehoach_cli.render.xlsx_report import build_workbook
from kehoach_cli.status import Status
from tests.conftest import Runner

TZ = timezone(timedelta(hours=7))
Q3 = Period(Kind.QUY, 2025, 3)
AS_OF = date(2025, 10, 15)
TASKS = ["1.1", "1.2", "2.1", "3.1", "3.2", "5.3"]
BODIES = ["MTTQ", "CT-XH", "ĐTN", "HLHPN", "UBND", "ĐU", "KDV"]
# Texts with everything JSON must escape or keep: quotes, backslashes, controls, a line
# separator, a right-to-left mark, an emoji, a note without diacritics.
NOTES = ['Giám sát "khu dân cư" số {n}', "Đường dẫn C:\\hồ sơ\\{n}", "Dòng\tcó\x01 ký tự {n}",
         "Tách\u2028dòng {n}", "Chữ \u200f ngược {n} 🎉", "da giam sat khu dan cu so {n}"]
FIGURES: list[dict[str, int | float]] = [
    {}, {"số cuộc": 1.0}, {"so cuoc": 2}, {'tên "lạ"': 0.1}, {"kinh phí": 1e20},
    {"số cuộc": 3.5, "số người": 150}]


@pytest.fixture
def noted(workspace: Path) -> LoadedPlan:
    """The seed plan with notes from every body on several tasks through 2025, some with a
    status, some for the whole task, with figures of odd spellings and values."""
    loaded = load_plan(workspace / "plans" / "kh160.yaml")
    start = datetime(2025, 6, 1, 8, 0, tzinfo=TZ)
    for n in range(120):
        recorded = start + timedelta(days=n, minutes=n)
        status = [None, None, Status.DANG_THUC_HIEN, Status.HOAN_THANH][n % 4]
        append_entry(loaded, Entry(
            new_id(), loaded.key, TASKS[n % len(TASKS)], recorded.date(), BODIES[n % len(BODIES)],
            "Văn phòng", recorded, NOTES[n % len(NOTES)].format(n=n), status,
            "15-BC/MTTQ" if n % 5 == 0 else None, dict(FIGURES[n % len(FIGURES)]),
            ca_nhiem_vu=n % 23 == 0))
    return loaded


def review(plan: LoadedPlan, every_note: bool, don_vi: str | None = None) -> Report:
    source = JournalSource()
    return build_report([plan], source, span_of(Q3, Convention.LICH), AS_OF, don_vi,
                        source.problems, every_note=every_note)


@pytest.mark.parametrize("don_vi", [None, "MTTQ", "CT-XH"])
def test_task_json_is_the_text_of_its_dict(noted: LoadedPlan, don_vi: str | None) -> None:
    report = review(noted, every_note=False, don_vi=don_vi)
    assert report.tasks
    for line in report.tasks:
        expected = json.dumps(render.task_dict(report, line), ensure_ascii=False)
        assert render.task_json(report, line) == expected


def test_json_document_is_what_to_dict_holds(noted: LoadedPlan) -> None:
    report = review(noted, every_note=False)
    text = "".join(render.json_chunks(report))
    assert json.loads(text) == json.loads(json.dumps(render.to_dict(report)))
    assert "\u2028" not in text and "\u200f" not in text  # escaped, never raw


def test_json_lists_longer_than_a_batch(noted: LoadedPlan, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    """Lines written in batches: a batch boundary inside the task list changes nothing."""
    report = review(noted, every_note=False)
    whole = "".join(render.json_chunks(report))
    monkeypatch.setattr(render, "_BATCH", 2)
    assert "".join(render.json_chunks(report)) == whole


@pytest.mark.parametrize("don_vi", [None, "CT-XH"])
def test_latest_notes_review_says_what_the_full_one_says(noted: LoadedPlan,
                                                         don_vi: str | None) -> None:
    slim, full = review(noted, False, don_vi), review(noted, True, don_vi)
    assert not slim.every_note and full.every_note
    assert slim.entry_count == full.entry_count > 0
    assert full.unaccented != []
    for a, b in zip(slim.tasks, full.tasks, strict=True):
        assert a.count == b.count == len(b.entries)
        assert a.entries == b.entries[-LATEST_NOTES:]
        assert a.reporters == {e.don_vi for e in b.entries}
        assert (a.so_lieu, a.so_lieu_don_vi, a.state, a.due_next) == (
            b.so_lieu, b.so_lieu_don_vi, b.state, b.due_next)
    assert "".join(render.json_chunks(slim)) == "".join(render.json_chunks(full))
    assert render.markdown(slim) == render.markdown(full)


def test_documents_refuse_a_review_without_every_note(noted: LoadedPlan) -> None:
    slim = review(noted, every_note=False)
    with pytest.raises(ValueError):
        build_document(slim)
    with pytest.raises(ValueError):
        build_workbook(slim)
    with pytest.raises(ValueError):
        _ = slim.unaccented


@pytest.mark.parametrize("fmt", [["-d", "json"], ["-d", "csv"], ["-d", "md"], ["-d", "bang"],
                                 ["-d", "csv", "--nhom", "don-vi"], ["-d", "md", "--don-vi", "MTTQ"]])
def test_cli_output_is_the_same_with_and_without_a_document(
        noted: LoadedPlan, cli: Runner, tmp_path: Path, fmt: list[str]) -> None:
    """`--xuat` makes the command keep every note (the workbook lists them); asked for a
    format too, it prints what the lighter review prints."""
    args = ["report", "--ky", "quý III/2025", "--ngay", "15/10/2025", *fmt]
    plain = cli(*args)
    with_document = cli(*args, "--xuat", str(tmp_path / "bao-cao.xlsx"))
    assert plain.code == with_document.code == 0, plain.err + with_document.err
    assert plain.out == with_document.out != ""


def test_registries_share_what_they_hold_only_when_alike(workspace: Path) -> None:
    """Parts are worked out once per registry structure: a plan listing the same bodies
    under other names shares them, one whose group has other members does not."""
    from kehoach_cli.plan.bodies import registry_of
    from kehoach_cli.query.state import assess, structure_of

    seed = (workspace / "plans" / "kh160.yaml").read_text(encoding="utf-8")
    renamed = seed.replace("ma: kh160", "ma: kh161").replace("Mặt trận Tổ quốc", "MTTQ")
    narrower = seed.replace("ma: kh160", "ma: kh162").replace(
        "thanh_vien: [ĐTN, HLHPN, HND, HCCB]", "thanh_vien: [ĐTN]")
    paths = []
    for name, text in [("kh161", renamed), ("kh162", narrower)]:
        path = workspace / "plans" / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    plans = [load_plan(workspace / "plans" / "kh160.yaml"), *map(load_plan, paths)]
    registries = [registry_of(p) for p in plans]
    assert structure_of(registries[0]) == structure_of(registries[1])
    assert structure_of(registries[0]) != structure_of(registries[2])
    day = date(2025, 10, 1)
    holders = [set(assess(next(t for _, t in p.plan.tasks()), r, [], day).by_body)
               for p, r in zip(plans, registries, strict=True)]
    assert holders[0] == holders[1] and "HLHPN" in holders[0]
    assert "HLHPN" not in holders[2] and "ĐTN" in holders[2]
