"""``icbt build``, ``check``, ``serve``, ``lock`` and ``new``: the commands on a whole project."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from pathlib import Path
from typing import Any

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import (
    add_format_option,
    add_project_option,
    check_safety_files,
    print_diagnostics,
    progress_printer,
    project_folder,
    say,
    usage_error,
)


def cmd_build(args: argparse.Namespace) -> int:
    """Run ``icbt build``; return the exit status."""
    from icbt_content.outputs import SITE, check_output_folder
    from icbt_content.pipeline import build_site
    from icbt_content.pipeline.cache import BuildCache, cache_folder_problem, default_cache_dir
    from icbt_content.project import Project

    project = project_folder(args)
    out = Path(args.out) if args.out else Project(project).site
    cache = None
    # An output folder the build refuses (the root, the home folder, the sources) is reported
    # by the build itself (ICBT704): no cache is placed or checked against it.
    if not args.no_cache and check_output_folder(out, project, SITE) is None:
        folder = Path(args.cache_dir) if args.cache_dir else default_cache_dir(project)
        problem = cache_folder_problem(folder, project, out)
        if problem is not None:
            return usage_error(problem)
        cache = BuildCache(folder)
    report = build_site(
        project,
        args.out,
        programmes=args.programme or None,
        strict=args.strict,
        progress=progress_printer(args),
        jobs=args.jobs,
        cache=cache,
    )
    print_diagnostics(report.diagnostics, args.diagnostic_format)
    if not report.ok:
        print("icbt: build failed; the previous site was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    say(
        args,
        f"built {report.pages} pages of {len(report.programmes)} programme(s) into "
        f"{report.out} in {report.seconds:.2f}s",
    )
    return EXIT_OK


def _jobs(value: str) -> int:
    """A ``--jobs`` value: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return number


def cmd_check(args: argparse.Namespace) -> int:
    """Run ``icbt check``; return the exit status."""
    from icbt_content.diagnostics import Diagnostics
    from icbt_content.i18n.gate import catalog_currency
    from icbt_content.pipeline.check import check_project, locale_problems

    project = project_folder(args)
    found = Diagnostics()
    loaded = check_project(project, args.programme or None)
    for item in loaded:
        found.extend(item.diagnostics)
        # What the build would refuse to publish: crisis services, safety words, translations.
        found.extend(locale_problems(project, item))
        if args.verbose:
            print(f"checked {item.root.name}", file=sys.stderr)
    found.extend(catalog_currency(project, loaded))
    found.extend(check_safety_files(project))
    print_diagnostics(found, args.diagnostic_format)
    if not loaded:
        print("icbt: no programmes found under programmes/", file=sys.stderr)
        return EXIT_CONTENT
    if found.fails(args.strict):
        return EXIT_CONTENT
    say(args, f"checked {len(loaded)} programme(s): no problems")
    return EXIT_OK


def cmd_lock(args: argparse.Namespace) -> int:
    """Run ``icbt lock``; return the exit status."""
    from icbt_content.diagnostics import ContentError
    from icbt_content.idslock import write_lock
    from icbt_content.pipeline.check import load_programme
    from icbt_content.project import programme_folders

    project = project_folder(args)
    for folder in programme_folders(project, args.programme or None):
        try:
            programme = load_programme(folder)
        except ContentError as exc:
            print_diagnostics(exc.diagnostics)
            return EXIT_CONTENT
        path = write_lock(programme, folder)
        say(args, f"wrote {path}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Run ``icbt new programme``; return the exit status."""
    from icbt_content.adaptation.resources import LOCALE_FILE
    from icbt_content.scaffold import SOURCE_LOCALE, ScaffoldError, new_programme

    project = project_folder(args)
    locale_file = project / "locales" / SOURCE_LOCALE / LOCALE_FILE
    had_locale = locale_file.exists()
    try:
        folder = new_programme(project, args.id, title=args.title)
    except ScaffoldError as exc:
        return usage_error(str(exc))
    say(args, f"created {folder}; next: icbt serve")
    if not had_locale:
        say(args, f"created {locale_file}: fill in its crisis services before publishing")
    return EXIT_OK


def port_number(text: str) -> int:
    """An ``argparse`` type: a TCP port, 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1 to 65535 (0: any free one)")
    return port


def unusable_port(host: str, port: int) -> str | None:
    """Why the preview cannot listen on host:port (in use, not allowed, no such address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot listen on '{host}': {exc}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # The preview server reuses addresses too, so a port left in TIME_WAIT is usable.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = {
                errno.EADDRINUSE: "another program is using it",
                errno.EACCES: "this user may not use ports under 1024",
                errno.EADDRNOTAVAIL: "that address is not on this computer",
            }.get(exc.errno or 0, exc.strerror or str(exc))
            return f"cannot listen on {host}:{port}: {reason}"
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    """Run ``icbt serve`` until it is stopped; return the exit status."""
    from icbt_content.serve import serve

    project = project_folder(args)
    problem = unusable_port(args.host, args.port)
    if problem is not None:
        return usage_error(f"{problem}; choose another with --port")
    try:
        return serve(project, host=args.host, port=args.port, strict=args.strict)
    except OSError as exc:
        # Another program took the port between the check above and the server starting.
        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
            raise
        return usage_error(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``build``, ``check``, ``serve``, ``lock`` and ``new``."""
    build = subparsers.add_parser("build", help=HELP["build"])
    add_project_option(build)
    build.add_argument("--out", default=None, help="output folder (default: site/)")
    build.add_argument("--programme", action="append", metavar="ID", help="only this programme")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="programmes built at once, in worker processes (default: one per core; 1: none)",
    )
    build.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="where built programmes are kept for the next build "
        "(default: $XDG_CACHE_HOME/icbt-content/<project>/)",
    )
    build.add_argument(
        "--no-cache", action="store_true", help="build every programme; read and keep no cache"
    )
    add_format_option(build)
    build.set_defaults(run=cmd_build)

    check = subparsers.add_parser("check", help=HELP["check"])
    add_project_option(check)
    check.add_argument("--programme", action="append", metavar="ID", help="only this programme")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    add_format_option(check)
    check.set_defaults(run=cmd_check)

    serve = subparsers.add_parser("serve", help=HELP["serve"])
    add_project_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument(
        "--port", type=port_number, default=8000, help="port to listen on (default: 8000)"
    )
    serve.add_argument("--strict", action="store_true", help="fail on warnings too")
    serve.set_defaults(run=cmd_serve)

    lock = subparsers.add_parser("lock", help=HELP["lock"])
    add_project_option(lock)
    lock.add_argument("--programme", action="append", metavar="ID", help="only this programme")
    lock.set_defaults(run=cmd_lock)

    new = subparsers.add_parser("new", help=HELP["new"])
    new_sub = new.add_subparsers(dest="what", required=True, parser_class=type(new))
    new_programme = new_sub.add_parser("programme", help="scaffold a programme")
    add_project_option(new_programme)
    new_programme.add_argument("id", help="the programme id, like low-mood")
    new_programme.add_argument("--title", default=None, help="the programme's title")
    new_programme.set_defaults(run=cmd_new)
