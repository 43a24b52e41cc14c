"""What every command shares: options, the project folder, printing diagnostics and progress.

Command modules import these helpers from here (never from the runner), so no module imports the
command line back.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK, EXIT_USAGE

# Not typing.TYPE_CHECKING: importing typing would slow down `icbt --version`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from icbt_content.diagnostics import Diagnostic

__all__ = [
    "EXIT_CONTENT",
    "EXIT_OK",
    "EXIT_USAGE",
    "add_format_option",
    "add_output_options",
    "add_project_option",
    "check_safety_files",
    "installed_version",
    "print_diagnostics",
    "progress_printer",
    "project_folder",
    "say",
    "usage_error",
]

Progress = Callable[[str, str, int, int], None]


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """Add ``-v/--verbose`` and ``-q/--quiet``, which also work before the command name.

    Their defaults are set once on the top-level parser: a subcommand's default would otherwise
    undo ``icbt -q build``.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="say more: each step, and a traceback on an internal error",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems"
    )


def add_project_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--project DIR`` and the output options."""
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    add_output_options(parser)


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--format`` for diagnostics (stored as ``args.diagnostic_format``)."""
    from icbt_content.commandline.formats import FORMATS

    parser.add_argument(
        "--format",
        dest="diagnostic_format",
        choices=list(FORMATS),
        default="text",
        help="how to print problems: "
        + "; ".join(f"{name}: {item.help}" for name, item in FORMATS.items())
        + " (default: text)",
    )


def installed_version() -> str:
    """The version of icbt-content.

    ``icbt_content.__version__`` is the one source: the package metadata takes it from there
    (``[tool.setuptools.dynamic]``), and reading it costs nothing, where
    ``importlib.metadata.version`` searches every installed distribution (about 100 ms).
    """
    from icbt_content import __version__

    return __version__


def say(args: argparse.Namespace, text: str) -> None:
    """Tell the person running the command something, on standard error, unless ``-q``."""
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


def usage_error(message: str) -> int:
    """Print ``icbt: error: ...`` and return the usage exit status."""
    print(f"icbt: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def print_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> None:
    """Print diagnostics in a format of :data:`~icbt_content.commandline.formats.FORMATS`.

    Text (with a count) goes to standard error and is printed only when there is something to
    say; the machine formats go to standard output, and are printed even when empty.
    """
    from icbt_content.commandline.formats import FORMATS

    chosen = FORMATS[fmt]
    text = chosen.render(list(diagnostics))
    if chosen.to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
    elif text:
        sys.stderr.write(text)


def project_folder(args: argparse.Namespace) -> Path:
    """The --project folder; a usage error (exit 2) when it does not exist."""
    from pathlib import Path

    project = Path(args.project)
    if not project.is_dir():
        raise SystemExit(usage_error(f"project folder '{project}' does not exist"))
    return project


def check_safety_files(project: Path) -> list[Diagnostic]:
    """Problems of the project's hazard log (its controls must name real codes and tests)."""
    from icbt_content.safety.hazards import check_hazard_log

    return check_hazard_log(project)


def progress_printer(args: argparse.Namespace) -> Progress:
    """Report build progress: a line rewritten in place on a terminal, nothing in a pipe.

    With ``-v`` a pipe gets one line per programme and locale when it is done, so CI logs show
    what was built without a carriage return in them.
    """
    quiet = getattr(args, "quiet", False)
    verbose = getattr(args, "verbose", 0)
    terminal = sys.stderr.isatty()

    def progress(programme: str, locale: str, done: int, total: int) -> None:
        if quiet:
            return
        if terminal:
            print(f"\r{programme} {locale}: {done}/{total} pages", end="", file=sys.stderr)
            if done == total:
                print(file=sys.stderr)
        elif verbose and done == total:
            print(f"{programme} {locale}: {done}/{total} pages", file=sys.stderr)

    return progress
