"""The table of ``icbt`` commands: which module adds each one.

The table is read without importing any command module, so ``icbt --help`` and
``icbt --version`` start fast; only the module of the command being run is imported. Each module
named here has ``register(subparsers) -> None``, which adds its commands (a module may add more
than one, each with its help from :mod:`.helps`) and is the only place that prints and picks
exit codes for them.
"""

from __future__ import annotations

_PROJECT = "icbt_content.commandline.project"

#: Every command -> the module that adds it, in the order ``icbt --help`` lists them (their
#: help is in :data:`~icbt_content.commandline.helps.HELP`).
COMMANDS: dict[str, str] = {
    "build": _PROJECT,
    "check": _PROJECT,
    "serve": _PROJECT,
    "lock": _PROJECT,
    "new": _PROJECT,
    "export": "icbt_content.export.commands",
    "guidance": "icbt_content.guidance.commands",
    "console": "icbt_content.console.commands",
    "i18n": "icbt_content.i18n.commands",
    "release": "icbt_content.safety.commands",
    "safety": "icbt_content.safety.commands",
}


def command_modules() -> list[str]:
    """Every module that adds commands, each once, in the order of the table."""
    return list(dict.fromkeys(COMMANDS.values()))
