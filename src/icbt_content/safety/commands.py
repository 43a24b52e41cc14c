"""`icbt release` and `icbt safety report`: sign off a version, compare versions, write the report.

Like the rest of the command line, these print and choose exit codes only here: 0 done, 1 the
content or the records stop it, 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import (
    add_output_options,
    check_safety_files,
    print_diagnostics,
    project_folder,
)
from icbt_content.diagnostics import Diagnostics
from icbt_content.errors import InvalidArgumentError

#: Every report says how it was made (see templates/report.*): an existing file that does not
#: is someone else's, and is never replaced.
REPORT_SIGNATURE = b"icbt safety report"


def _usage(message: str) -> int:
    print(f"icbt: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(
            _usage(f"--date must be a date written YYYY-MM-DD, not '{text}'")
        ) from None


def _project(args: argparse.Namespace) -> Path:
    return project_folder(args)


# -- icbt release ---------------------------------------------------------------------------------


def cmd_release(args: argparse.Namespace) -> int:
    if args.target == "diff":
        return _diff(args)
    if args.target == "list":
        return _list(args)
    if args.rest:
        return _usage(f"unexpected arguments: {' '.join(args.rest)}")
    return _record(args)


def _record(args: argparse.Namespace) -> int:
    from icbt_content.pipeline.check import check_project
    from icbt_content.safety.release import ReleaseError, SignOff, record_release

    project = _project(args)
    missing = [
        option
        for option, value in (
            ("--version", args.version),
            ("--signed-off-by", args.signed_off_by),
            ("--role", args.role),
            ("--notes", args.notes),
        )
        if not (value or "").strip()
    ]
    if missing:
        return _usage(f"a release needs {', '.join(missing)}")
    if not (project / "programmes" / args.target / "programme.yaml").is_file():
        return _usage(f"there is no programme '{args.target}' under {project / 'programmes'}")
    notes_path = Path(args.notes)
    try:
        notes = notes_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _usage(f"cannot read the notes file {notes_path}: {exc}")
    if not notes.strip():
        return _usage(f"the notes file {notes_path} is empty: say what changed and why")
    from icbt_content.safety.release import MAX_NOTES_CHARS

    if len(notes) > MAX_NOTES_CHARS:
        return _usage(f"the notes are longer than {MAX_NOTES_CHARS} characters")
    sign_off = SignOff(
        version=args.version.strip(),
        signed_off_by=args.signed_off_by,
        role=args.role,
        notes=notes,
        date=_date(args.date),
    )
    # Only content that passes the strict check can be signed off.
    found = Diagnostics()
    loaded = check_project(project, [args.target])
    for item in loaded:
        found.extend(item.diagnostics)
    found.extend(check_safety_files(project))
    if found.fails(strict=True) or not loaded or loaded[0].programme is None:
        print_diagnostics(found)
        print(
            "icbt: release refused: a version can be signed off only when "
            "'icbt check --strict' passes",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    try:
        path = record_release(project, loaded[0], sign_off)
    except ReleaseError as exc:
        print(f"icbt: release refused: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        print(f"recorded {path.relative_to(project.resolve()).as_posix()}", file=sys.stderr)
    return EXIT_OK


def _side(project: Path, spec: str, programme: str | None) -> tuple[str, object]:
    """Parse ``[PROGRAMME@]VERSION`` into (programme, side); raise InvalidArgumentError why not."""
    from icbt_content.safety.diff import ReleaseSide
    from icbt_content.safety.release import is_version, list_releases, read_release

    name, _, version = spec.rpartition("@")
    name = name or programme or ""
    if not name:
        with_releases = [
            p.name
            for p in sorted((project / "releases").glob("*"))
            if list_releases(project, p.name)
        ]
        if len(with_releases) != 1:
            raise InvalidArgumentError(
                "name the programme: --programme ID, or write the version as ID@VERSION"
            )
        name = with_releases[0]
    if not is_version(version):
        raise InvalidArgumentError(f"'{version}' is not a version")
    release, problems = read_release(project, name, version)
    if release is None:
        known = ", ".join(list_releases(project, name)) or "none"
        reason = "; ".join(d.format() for d in problems) or f"released versions: {known}"
        raise InvalidArgumentError(f"{name} {version} has no readable release record ({reason})")
    return name, ReleaseSide.of(release.record)


def _diff(args: argparse.Namespace) -> int:
    from icbt_content.safety.diff import ReleaseSide, compare, current_side

    project = _project(args)
    if not 1 <= len(args.rest) <= 2:
        return _usage("use: icbt release diff A [B] (B defaults to the sources as they are now)")
    try:
        name, before = _side(project, args.rest[0], args.programme)
        if len(args.rest) == 2:
            other, after = _side(project, args.rest[1], args.programme or name)
            if other != name:
                return _usage("both versions must be of the same programme")
        else:
            after = current_side(project, name)
    except ValueError as exc:
        return _usage(str(exc))
    assert isinstance(before, ReleaseSide) and isinstance(after, ReleaseSide)
    print(compare(name, before, after).text(), end="")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from icbt_content.safety.release import list_releases, read_release

    project = _project(args)
    folder = project / "releases"
    names = [args.programme] if args.programme else sorted(p.name for p in folder.glob("*"))
    for name in names:
        for version in list_releases(project, name):
            release, _ = read_release(project, name, version)
            if release is None:
                print(f"{name} {version}: unreadable record")
                continue
            record = release.record
            print(f"{name} {version}: signed off on {record.date} by {record.signed_off_by}")
    return EXIT_OK


# -- icbt safety report ---------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    from icbt_content.outputs import check_output_file
    from icbt_content.safety.evidence import EvidenceError, read_junit
    from icbt_content.safety.files import OutsideProjectError, write_inside
    from icbt_content.safety.report import build_report, render_report

    project = _project(args)
    out = Path(args.out)
    fmt = args.format or ("html" if out.suffix.lower() in (".html", ".htm") else "md")
    tests = None
    if args.test_results:
        try:
            tests = read_junit(Path(args.test_results))
        except EvidenceError as exc:
            return _usage(str(exc))
    report = build_report(project, args.programme or None, tests=tests, today=_date(args.date))
    if not report.programmes:
        return _usage(
            "no programmes found"
            + (f" named {', '.join(args.programme)}" if args.programme else "")
        )
    # A report is written in safety/reports/, which the command owns, or anywhere the output
    # guard allows a file: never over a source, a release record or someone else's file.
    owned = (project / "safety" / "reports").resolve()
    target = (out if out.is_absolute() else Path.cwd() / out).resolve()
    if owned not in target.parents:
        problem = check_output_file(out, project, REPORT_SIGNATURE)
        if problem is not None:
            print_diagnostics([problem])
            return EXIT_CONTENT
    try:
        write_inside(project, out, render_report(report, fmt).encode("utf-8"))
    except OutsideProjectError as exc:
        return _usage(f"{exc}: write the report inside the project")
    except OSError as exc:
        print(f"icbt: error: could not write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        verdict = "ready to sign" if report.ready_to_sign else "NOT ready to sign"
        print(f"wrote {out} ({verdict})", file=sys.stderr)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `release` and `safety` commands."""
    release = subparsers.add_parser(
        "release",
        help=HELP["release"],
        description="icbt release PROGRAMME --version X --signed-off-by NAME --role ROLE "
        "--notes FILE records a signed-off, immutable release. 'icbt release diff A [B]' lists "
        "what changed between two releases (B defaults to the sources now); 'icbt release "
        "list' lists the releases.",
    )
    release.add_argument("target", metavar="PROGRAMME|diff|list")
    release.add_argument("rest", nargs="*", metavar="VERSION", help="for diff: A and B")
    release.add_argument("--project", default=".", help="project folder (default: .)")
    release.add_argument("--version", default=None, help="the version signed off")
    release.add_argument("--signed-off-by", default=None, metavar="NAME")
    release.add_argument("--role", default=None, help="such as 'Clinical Safety Officer'")
    release.add_argument("--notes", default=None, metavar="FILE", help="release notes")
    release.add_argument("--date", default=None, help="the sign-off date (default: today)")
    release.add_argument("--programme", default=None, metavar="ID", help="for diff and list")
    add_output_options(release)
    release.set_defaults(run=cmd_release)

    safety = subparsers.add_parser("safety", help=HELP["safety"])
    actions = safety.add_subparsers(dest="action", required=True, parser_class=type(safety))
    report = actions.add_parser(
        "report", help="write the hazard log, releases and evidence as one document to sign"
    )
    report.add_argument("--project", default=".", help="project folder (default: .)")
    report.add_argument("--programme", action="append", metavar="ID")
    report.add_argument("--format", choices=("html", "md"), default=None)
    report.add_argument("--test-results", default=None, metavar="JUNIT.xml")
    report.add_argument("--out", required=True, metavar="FILE")
    report.add_argument("--date", default=None, help="the report date (default: today)")
    add_output_options(report)
    report.set_defaults(run=cmd_report)
