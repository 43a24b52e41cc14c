"""How ``icbt`` ends: a closed pipe, a bad port, an internal error, and its global options."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from icbt_content.commandline import run
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.registry import COMMANDS

REPO = Path(__file__).resolve().parents[2]
#: Small projects to run commands on: what is tested is how the output ends, not the content.
BASIC = REPO / "tests" / "fixtures" / "projects" / "basic"
TRANSLATED = REPO / "tests" / "fixtures" / "i18n" / "project"


def _icbt(*argv: str) -> list[str]:
    return [sys.executable, "-m", "icbt_content", *argv]


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["check", "--format", "json", "--project", str(BASIC)],
        ["i18n", "status", "--project", str(TRANSLATED)],
    ],
    ids=["help", "version", "check-json", "i18n-status"],
)
def test_a_closed_pipe_ends_quietly_with_141(argv: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before icbt writes anything: every write fails
    try:
        done = subprocess.run(_icbt(*argv), stdout=write, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write)
    assert done.stderr.decode() == ""
    assert done.returncode == 141


def test_piped_into_head_prints_no_error() -> None:
    command = " ".join(_icbt("i18n", "status", "--project", str(TRANSLATED))) + " | head -n 1"
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize(
    ("port", "host", "message"),
    [
        ("abc", "127.0.0.1", "argument --port: 'abc' is not a port number"),
        ("70000", "127.0.0.1", "argument --port: 70000 is not a port: use 1 to 65535"),
        ("-1", "127.0.0.1", "argument --port: -1 is not a port"),
        ("busy", "127.0.0.1", "another program is using it; choose another with --port"),
        ("8000", "192.0.2.1", "that address is not on this computer"),
    ],
)
def test_a_bad_port_is_a_usage_error(
    port: str,
    host: str,
    message: str,
    busy_port: int,
    basic_project: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = str(busy_port) if port == "busy" else port
    argv = ["serve", "--project", str(basic_project), "--host", host, "--port", port]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "internal error" not in err


def test_an_internal_error_says_so_and_shows_a_traceback_with_v(
    basic_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("icbt_content.pipeline.check.check_project", broken)
    assert run(["check", "--project", str(basic_project)]) == 1
    err = capsys.readouterr().err
    assert "icbt: internal error: RuntimeError: boom" in err
    assert "Traceback" not in err and "with -v" in err
    assert run(["-v", "check", "--project", str(basic_project)]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # help text is wrapped to the terminal
    for name in COMMANDS:
        assert name in out and HELP[name] in out
    assert "-v, --verbose" in out and "-q, --quiet" in out and "--version" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: command"),
        (["bulid"], "invalid choice: 'bulid'"),
        (["-q", "-v", "check"], "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_says_more(
    where: str, basic_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--project", str(basic_project)]
    argv = ["-v", *argv] if where == "before" else [*argv, "--verbose"]
    assert run(argv) == 0
    assert "checked demo\n" in capsys.readouterr().err


def test_content_errors_raised_by_a_command_keep_its_format(
    basic_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from icbt_content.diagnostics import ContentError, diagnostic

    problem = diagnostic("ICBT101", "not YAML", "programmes/demo/programme.yaml", 3, 2)

    def refuse(*_: object) -> None:
        raise ContentError([problem])

    monkeypatch.setattr("icbt_content.pipeline.check.check_project", refuse)
    assert run(["check", "--project", str(basic_project), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert '"code": "ICBT101"' in out and "ICBT101" not in err


def test_a_port_taken_while_building_is_a_usage_error(
    basic_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def taken(*_: object, **__: object) -> int:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr("icbt_content.serve.serve", taken)
    assert run(["serve", "--project", str(basic_project), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "cannot listen on 127.0.0.1:0: Address already in use" in err
    assert "internal error" not in err
