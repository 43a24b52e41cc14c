"""The table of ``icbt`` commands: which module adds each one, and its one-line help.

The table is read without importing any command module, so ``icbt --help`` and
``icbt --version`` start fast; only the module of the command being run is imported. Each module
named here has ``register(subparsers) -> None``, which adds its commands (a module may add more
than one, each with its help from :mod:`.helps`) and is the only place that prints and picks
exit codes for them.
"""

from __future__ import annotations

from icbt_content.commandline.helps import HELP


class Command:
    """Where a command lives and what ``icbt --help`` says about it."""

    # A plain class: dataclasses would import inspect, which costs a fast start.
    __slots__ = ("help", "module")

    def __init__(self, module: str, help: str) -> None:
        self.module = module
        self.help = help

    def __repr__(self) -> str:
        return f"Command({self.module!r}, {self.help!r})"


_PROJECT = "icbt_content.commandline.project"

#: Every command, in the order ``icbt --help`` lists them.
COMMANDS: dict[str, Command] = {
    "build": Command(_PROJECT, HELP["build"]),
    "check": Command(_PROJECT, HELP["check"]),
    "serve": Command(_PROJECT, HELP["serve"]),
    "lock": Command(_PROJECT, HELP["lock"]),
    "new": Command(_PROJECT, HELP["new"]),
    "export": Command("icbt_content.export.commands", HELP["export"]),
    "guidance": Command("icbt_content.guidance.commands", HELP["guidance"]),
    "console": Command("icbt_content.console.commands", HELP["console"]),
    "i18n": Command("icbt_content.i18n.commands", HELP["i18n"]),
    "release": Command("icbt_content.safety.commands", HELP["release"]),
    "safety": Command("icbt_content.safety.commands", HELP["safety"]),
}


def command_modules() -> list[str]:
    """Every module that adds commands, each once, in the order of the table."""
    return list(dict.fromkeys(command.module for command in COMMANDS.values()))
