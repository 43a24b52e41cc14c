"""The command line is documented: every command in the README, every format and option in
the getting-started page."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content.commandline.formats import FORMATS
from icbt_content.commandline.registry import COMMANDS

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
GETTING_STARTED = (REPO / "docs/getting-started.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme_table(name: str) -> None:
    assert f"| `icbt {name}" in README


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_documented(fmt: str) -> None:
    assert f"`{fmt}`" in GETTING_STARTED.split("## The command line", 1)[1]


@pytest.mark.parametrize("option", ["--version", "-q`/`--quiet", "-v`/`--verbose", "--format"])
def test_global_options_are_documented(option: str) -> None:
    assert option in README and option in GETTING_STARTED
