"""Every command and every option explains itself in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from kehoach_cli.cli import app
from tests.conftest import Runner

COMMAND = typer.main.get_command(app)
NAMES = sorted(COMMAND.commands) if isinstance(COMMAND, typer.core.TyperGroup) else []
_VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                         re.IGNORECASE)


def test_the_card_commands_exist() -> None:
    assert {"list", "show", "don-vi", "log", "nhat-ky", "report", "nhap", "check"} <= set(NAMES)


def test_main_help(cli: Runner) -> None:
    result = cli("--help")
    assert result.code == 0
    assert result.out.startswith("Cách dùng: kehoach [TÙY CHỌN] LỆNH")
    for name in NAMES:
        assert re.search(rf"^  {re.escape(name)}\s+\S", result.out, re.MULTILINE), name
    assert "Show this message" not in result.out


@pytest.mark.parametrize("name", NAMES)
def test_command_help_is_vietnamese(cli: Runner, name: str) -> None:
    result = cli(name, "--help")
    assert result.code == 0, result.err
    assert result.out.startswith(f"Cách dùng: kehoach {name}")
    assert "Tùy chọn:" in result.out
    assert "Hiện hướng dẫn này rồi thoát." in result.out
    for english in ("Show this message", "Options:", "Arguments:", "[default:", "[required]"):
        assert english not in result.out


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_has_vietnamese_help(name: str) -> None:
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    assert command.help and _VIETNAMESE.search(command.help), name
    for param in command.params:
        text = getattr(param, "help", None)
        assert text and _VIETNAMESE.search(text), f"{name} {param.name}"


def test_usage_errors_are_vietnamese(cli: Runner) -> None:
    result = cli("list", "--khong-co")
    assert result.code == 2
    assert result.err.startswith("Lỗi: không có tùy chọn --khong-co")
    result = cli("lis")
    assert result.code == 2
    assert "không có lệnh “lis”" in result.err


def test_number_option_errors_are_vietnamese(cli: Runner) -> None:
    for value in ("-1", "abc"):
        result = cli("nhat-ky", "--so-dong", value)
        assert result.code == 2
        assert result.err.startswith("Lỗi: giá trị không hợp lệ cho '--so-dong'"), result.err
        assert " is not " not in result.err and "range" not in result.err, result.err


def test_sua_help_says_it_keeps_what_is_not_given(cli: Runner) -> None:
    shown = cli("sua", "--help").out
    assert "giữ ngày cũ" in shown and "giữ đơn vị cũ" in shown
    assert "mặc định hôm nay" not in shown


def test_unknown_option_suggestion_is_vietnamese(workspace: Path, cli: Runner) -> None:
    result = cli("report", "--bogus")
    assert result.code == 2
    assert "Possible" not in result.err and "không có tùy chọn --bogus" in result.err


def test_list_help_names_every_timeframe_kind(cli: Runner) -> None:
    from kehoach_cli.plan.timeframe import KIND_LABELS

    shown = " ".join(cli("list", "--help").out.split())
    for label in KIND_LABELS.values():
        assert label in shown, label


def test_many_runs_in_one_process_wrap_the_help_option_once(cli: Runner) -> None:
    """`i18n.install` runs at every start: in-process callers (tests, other tools) ran
    into Python's recursion limit once each run had wrapped the help option again."""
    from typer._click import core

    cli("--help")
    wrapped = core.Command.get_help_option
    for _ in range(3):
        assert cli("--help").code == 0
    assert core.Command.get_help_option is wrapped


@pytest.mark.parametrize("args", [[name, *extra] for name in NAMES
                                  for extra in (["--help"], ["--khong-co"])])
def test_a_run_built_for_its_command_alone_reads_as_the_whole_app(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """`cli._app_for` builds only the command a run names: its help and usage errors must
    be the whole application's, word for word."""
    from typer._click.exceptions import ClickException

    from kehoach_cli import cli as cli_module

    def run(application: typer.Typer) -> tuple[str, str]:
        try:
            application(args=args, prog_name="kehoach", standalone_mode=False)
        except ClickException as exc:
            return capsys.readouterr().out, exc.format_message()
        return capsys.readouterr().out, ""

    single = cli_module._app_for(args)
    assert single is not app and len(single.registered_commands) + len(
        single.registered_groups) == 1
    assert run(single) == run(app)
