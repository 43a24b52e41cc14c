"""``icbt``'s main: parse the arguments, run one command, turn what went wrong into an exit status.

Only the module of the command being run is imported (see :mod:`.registry`), so ``icbt
--version`` and ``icbt --help`` answer before any of the library is loaded.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from icbt_content.commandline.exits import (
    EXIT_BROKEN_PIPE,
    EXIT_CONTENT,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
)
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.registry import COMMANDS, command_modules
from icbt_content.commandline.support import add_output_options, installed_version

# Not typing.TYPE_CHECKING: importing typing would slow down `icbt --version`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from _typeshed import SupportsWrite


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"icbt: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse ignores a failed write; a closed pipe must reach run() to end with 141.
        if message:
            (file or sys.stderr).write(message)


class _Version(argparse.Action):
    """``--version``: print ``icbt_content.__version__``, which the package metadata also uses."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"icbt {installed_version()}")
        parser.exit()


def _command_name(argv: Sequence[str]) -> str | None:
    """The command in argv: its first word that is not an option (global options take none)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def make_parser(command: str | None = None, *, everything: bool = True) -> argparse.ArgumentParser:
    """The ``icbt`` parser: with every command (the default), or only ``command`` in full.

    The other commands are there by name and help only, so ``icbt --help`` lists them and a
    mistyped name gets the list of choices, without importing their modules.
    """
    parser = _Parser(prog="icbt", description="Author, check and build internet CBT programmes.")
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    add_output_options(parser)
    parser.set_defaults(verbose=0, quiet=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = command_modules() if everything else []
    if command in COMMANDS:
        wanted.append(COMMANDS[command])
    for module in dict.fromkeys(wanted):
        importlib.import_module(module).register(sub)
    for name in COMMANDS:
        if name not in sub.choices:
            sub.add_parser(name, help=HELP[name], add_help=False)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(argv)
        # Write out what is buffered now, so a closed pipe is noticed here and not at exit.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE


def _run(argv: list[str]) -> int:
    verbose = any(w == "--verbose" or (w[:2] == "-v" and set(w[1:]) == {"v"}) for w in argv)
    args = argparse.Namespace()
    try:
        parser = make_parser(_command_name(argv), everything=False)
        args = parser.parse_args(argv)
        return int(args.run(args))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last guard: never show an author a traceback unasked
        from icbt_content.diagnostics import ContentError

        if isinstance(exc, ContentError):
            from icbt_content.commandline.support import print_diagnostics

            print_diagnostics(exc.diagnostics, getattr(args, "diagnostic_format", "text"))
            return EXIT_CONTENT
        if verbose:
            import traceback

            traceback.print_exc()
        print(
            f"icbt: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in icbt-content, not in your content. Please report it with the "
            "command you ran" + ("." if verbose else ", and its output with -v."),
            file=sys.stderr,
        )
        return EXIT_CONTENT


def _quiet_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
        pass


def main() -> None:
    """The ``icbt`` entry point."""
    raise SystemExit(run())
