"""The ``icbt`` command. The only place that prints and picks exit codes.

Exit codes: 0 success, 1 content errors (or warnings under --strict), 2 usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from icbt_content.diagnostics import ContentError, Diagnostic, Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"icbt: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def print_diagnostics(diagnostics: Diagnostics | Sequence[Diagnostic]) -> None:
    """Print diagnostics and a count to standard error."""
    items = list(diagnostics)
    for item in items:
        print(item.format(), file=sys.stderr)
    errors = sum(1 for d in items if d.severity == "error")
    warnings = len(items) - errors
    if items:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def project_folder(args: argparse.Namespace) -> Path:
    """The --project folder; a usage error (exit 2) when it does not exist."""
    project = Path(args.project)
    if not project.is_dir():
        print(f"icbt: error: project folder '{project}' does not exist", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return project


def cmd_build(args: argparse.Namespace) -> int:
    from icbt_content.build import build_site

    project = project_folder(args)

    def progress(programme: str, locale: str, done: int, total: int) -> None:
        if not args.quiet:
            print(f"\r{programme} {locale}: {done}/{total} pages", end="", file=sys.stderr)
            if done == total:
                print(file=sys.stderr)

    report = build_site(
        project,
        args.out,
        programmes=args.programme or None,
        strict=args.strict,
        progress=progress,
    )
    print_diagnostics(report.diagnostics)
    if not report.ok:
        print("icbt: build failed; the previous site was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(
            f"built {report.pages} pages of {len(report.programmes)} programme(s) into "
            f"{report.out} in {report.seconds:.2f}s",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from icbt_content.i18n.localise import check_locales
    from icbt_content.validate import check_project

    project = project_folder(args)
    found = Diagnostics()
    loaded = check_project(project, args.programme or None)
    for item in loaded:
        found.extend(item.diagnostics)
        # What the build would refuse to publish: crisis services, safety words, translations.
        found.extend(check_locales(project, item))
    found.extend(check_safety_files(project))
    print_diagnostics(found)
    if not loaded:
        print("icbt: no programmes found under programmes/", file=sys.stderr)
        return EXIT_CONTENT
    if found.fails(args.strict):
        return EXIT_CONTENT
    if not args.quiet:
        print(f"checked {len(loaded)} programme(s): no problems", file=sys.stderr)
    return EXIT_OK


def check_safety_files(project: Path) -> list[Diagnostic]:
    """Problems of the project's hazard log (its controls must name real codes and tests)."""
    from icbt_content.safety.hazards import check_hazard_log

    return check_hazard_log(project)


def cmd_lock(args: argparse.Namespace) -> int:
    from icbt_content.authoring.loader import load_programme
    from icbt_content.idslock import write_lock
    from icbt_content.validate import programme_folders

    project = project_folder(args)
    for folder in programme_folders(project, args.programme or None):
        try:
            programme = load_programme(folder)
        except ContentError as exc:
            print_diagnostics(exc.diagnostics)
            return EXIT_CONTENT
        path = write_lock(programme, folder)
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from icbt_content.adaptation.resources import LOCALE_FILE
    from icbt_content.scaffold import SOURCE_LOCALE, ScaffoldError, new_programme

    project = project_folder(args)
    locale_file = project / "locales" / SOURCE_LOCALE / LOCALE_FILE
    had_locale = locale_file.exists()
    try:
        folder = new_programme(project, args.id, title=args.title)
    except ScaffoldError as exc:
        print(f"icbt: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"created {folder}; next: icbt serve", file=sys.stderr)
    if not had_locale:
        print(
            f"created {locale_file}: fill in its crisis services before publishing",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from icbt_content.serve import serve

    return serve(project_folder(args), host=args.host, port=args.port, strict=args.strict)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="icbt", description="Author, check and build internet CBT programmes.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = sub.add_parser("build", help="build the static site")
    _common(build)
    build.add_argument("--out", default=None, help="output folder (default: site/)")
    build.add_argument("--programme", action="append", metavar="ID", help="only this programme")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.set_defaults(run=cmd_build)

    check = sub.add_parser("check", help="check content without writing anything")
    _common(check)
    check.add_argument("--programme", action="append", metavar="ID")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=cmd_check)

    serve = sub.add_parser("serve", help="preview on 127.0.0.1, rebuilding on change")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--strict", action="store_true")
    serve.set_defaults(run=cmd_serve)

    lock = sub.add_parser("lock", help="record exercise and field ids in ids.lock")
    _common(lock)
    lock.add_argument("--programme", action="append", metavar="ID")
    lock.set_defaults(run=cmd_lock)

    new = sub.add_parser("new", help="start something new from a template")
    new_sub = new.add_subparsers(dest="what", required=True, parser_class=_Parser)
    new_programme = new_sub.add_parser("programme", help="scaffold a programme")
    _common(new_programme)
    new_programme.add_argument("id", help="the programme id, like low-mood")
    new_programme.add_argument("--title", default=None)
    new_programme.set_defaults(run=cmd_new)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


#: Modules that add subcommands; each has ``register(subparsers) -> None`` and, like this
#: module, prints and returns exit codes only there.
COMMAND_MODULES: tuple[str, ...] = (
    "icbt_content.console.commands",
    "icbt_content.export.commands",
    "icbt_content.guidance.commands",
    "icbt_content.i18n.commands",
    "icbt_content.safety.commands",
)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.run(args))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except ContentError as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: never show an author a traceback
        print(
            f"icbt: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in icbt-content, not in your content. Please report it with the "
            "command you ran.",
            file=sys.stderr,
        )
        return EXIT_CONTENT


def main() -> None:
    raise SystemExit(run())
