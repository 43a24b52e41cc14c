"""The table of ``icbt`` commands: which module adds each one, and its one-line help.

The table is read without importing any command module, so ``icbt --help`` and
``icbt --version`` start fast; only the module of the command being run is imported. Each module
named here has ``register(subparsers) -> None``, which adds its commands (a module may add more
than one) and is the only place that prints and picks exit codes for them.
"""

from __future__ import annotations


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
    "build": Command(_PROJECT, "build the static site"),
    "check": Command(_PROJECT, "check content without writing anything"),
    "serve": Command(_PROJECT, "preview on 127.0.0.1, rebuilding on change"),
    "lock": Command(_PROJECT, "record exercise and field ids in ids.lock"),
    "new": Command(_PROJECT, "start something new from a template"),
    "export": Command(
        "icbt_content.export.commands",
        "export programmes for other platforms (JSON bundle, FHIR)",
    ),
    "guidance": Command("icbt_content.guidance.commands", "therapist guidance message templates"),
    "console": Command(
        "icbt_content.console.commands", "run the therapist console against the FHIR server"
    ),
    "i18n": Command(
        "icbt_content.i18n.commands", "translate programmes: catalogs, checks, coverage"
    ),
    "release": Command(
        "icbt_content.safety.commands", "record a signed-off version, or compare releases"
    ),
    "safety": Command("icbt_content.safety.commands", "the clinical safety case"),
}


def command_modules() -> list[str]:
    """Every module that adds commands, each once, in the order of the table."""
    return list(dict.fromkeys(command.module for command in COMMANDS.values()))
