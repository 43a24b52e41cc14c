"""The command line's imports: no module imports it back, and starting it loads nothing heavy."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

import icbt_content
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.registry import COMMANDS, command_modules

SRC = Path(icbt_content.__file__).parent
#: Only the runner imports command modules (by name, from the registry); they import helpers
#: from commandline.support/exits/formats, never the runner or the old cli module.
FORBIDDEN = {"icbt_content.cli", "icbt_content.commandline", "icbt_content.commandline.runner"}
ALLOWED_TO_IMPORT_RUNNER = {"cli.py", "__main__.py", "commandline/__init__.py"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "templates" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_module_imports_the_command_line_back(path: Path) -> None:
    name = path.relative_to(SRC).as_posix()
    if name in ALLOWED_TO_IMPORT_RUNNER:
        return
    assert not _imports(path) & FORBIDDEN, f"{name} imports the command line's runner"


def test_the_ast_check_sees_both_kinds_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from icbt_content.cli import run\n"
        "import icbt_content.commandline.runner\nfrom icbt_content import cli\n"
    )
    assert {
        "icbt_content.cli",
        "icbt_content.cli.run",
        "icbt_content.commandline.runner",
    } <= _imports(sample)


def _loaded_after(argv: list[str]) -> list[str]:
    """The modules loaded after running ``icbt ARGV`` in a fresh interpreter."""
    code = (
        "import sys, contextlib, io\n"
        "from icbt_content.commandline.runner import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    run({argv!r})\n"
        "print(__import__('json').dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_command_and_none_of_the_library(argv: list[str]) -> None:
    loaded = _loaded_after(argv)
    ours = {m for m in loaded if m.startswith("icbt_content")}
    assert ours == {
        "icbt_content",
        "icbt_content.commandline",
        "icbt_content.commandline.exits",
        "icbt_content.commandline.helps",
        "icbt_content.commandline.registry",
        "icbt_content.commandline.runner",
        "icbt_content.commandline.support",
        # --version reads the one module that holds the version, and nothing else
        *(["icbt_content._version"] if argv == ["--version"] else []),
    }
    for heavy in ("pydantic", "jinja2", "markdown_it", "yaml", "babel", "importlib.metadata"):
        assert heavy not in loaded


def test_a_command_imports_only_its_own_module() -> None:
    loaded = set(_loaded_after(["guidance", "--help"]))
    assert "icbt_content.guidance.commands" in loaded
    others = set(command_modules()) - {"icbt_content.guidance.commands"}
    assert not others & loaded


def test_version_is_the_installed_distributions() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "icbt_content", "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == f"icbt {importlib.metadata.version('icbt-content')}\n"
    assert icbt_content.__version__ == importlib.metadata.version("icbt-content")


def test_importing_the_package_loads_no_submodule() -> None:
    code = "import sys, icbt_content; print(sorted(m for m in sys.modules if 'icbt' in m))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "['icbt_content']"


@pytest.mark.parametrize("name", icbt_content.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(icbt_content, name)
    assert getattr(value, "__name__", name) == name
    assert name in dir(icbt_content)


def test_star_import_and_unknown_names() -> None:
    namespace: dict[str, object] = {}
    exec("from icbt_content import *", namespace)
    assert set(icbt_content.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = icbt_content.nothing_here  # type: ignore[attr-defined]


def test_every_registered_module_adds_only_its_commands() -> None:
    import argparse

    for module in command_modules():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).register(sub)
        assert set(sub.choices) == {n for n, m in COMMANDS.items() if m == module}
        # `icbt --help` shows the table's help without importing the module: the same words,
        # both read from commandline/helps.py.
        for action in sub._choices_actions:
            assert action.help == HELP[action.dest], action.dest


def test_every_commands_module_is_in_the_registry() -> None:
    # A feature's commands.py with a register() that the table does not name would never run.
    found = {
        ".".join(("icbt_content", *path.relative_to(SRC).with_suffix("").parts))
        for path in SRC.rglob("commands.py")
        if "def register(" in path.read_text(encoding="utf-8")
    }
    assert found <= set(command_modules())


def test_the_old_entry_point_still_works() -> None:
    # Installed scripts and programs written against `icbt_content.cli:main` keep working.
    import icbt_content.cli
    import icbt_content.commandline

    assert icbt_content.cli.main is icbt_content.commandline.main
    assert icbt_content.cli.run is icbt_content.commandline.run


def test_every_command_has_its_help_and_every_help_a_command() -> None:
    assert list(HELP) == list(COMMANDS)
