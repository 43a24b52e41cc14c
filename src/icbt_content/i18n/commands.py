"""``icbt i18n``: extract, init, update, compile, status, check and adaptations.

Like the rest of :mod:`icbt_content.commandline`, this is a place that prints and picks exit
codes: 0 success, 1 problems in catalogs (or coverage under --fail-under), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import (
    add_format_option,
    add_output_options,
    print_diagnostics,
    project_folder,
)

#: What every coverage dashboard contains, so a later run may replace it.
DASHBOARD_SIGNATURE = b"<title>Translation coverage</title>"


def register(subparsers: Any) -> None:
    """Add the ``i18n`` command group to the ``icbt`` command."""
    i18n = subparsers.add_parser("i18n", help=HELP["i18n"])
    sub = i18n.add_subparsers(dest="i18n_command", required=True, parser_class=type(i18n))

    def command(name: str, help: str, run: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
        parser.add_argument("--project", default=".", help="project folder (default: .)")
        add_output_options(parser)
        parser.set_defaults(run=run)
        return parser

    p = command("extract", "write the translation templates locales/templates/*.pot", _extract)
    p.add_argument("--programme", action="append", metavar="ID", help="only this programme")

    p = command("init", "start translating into a locale: catalogs and locale.yaml", _init)
    p.add_argument("locale", help="a BCP 47 code such as zh-Hant-HK or ar")
    p.add_argument("--programme", action="append", metavar="ID", help="only this programme")

    p = command("update", "bring every catalog up to date with the source", _update)
    p.add_argument("--locale", action="append", metavar="CODE", help="only this locale")
    p.add_argument(
        "--fuzzy-matching",
        action="store_true",
        help="also guess translations of new text from similar old text (marked fuzzy)",
    )
    p.add_argument(
        "--no-obsolete", action="store_true", help="drop translations the source no longer uses"
    )

    p = command("compile", "check catalogs and write .mo files of what may be published", _compile)

    p = command("status", "how much is translated, per locale and module", _status)
    p.add_argument("--locale", action="append", metavar="CODE", help="only this locale")
    p.add_argument("--json", action="store_true", help="print JSON (for CI)")
    p.add_argument("--html", metavar="FILE", help="also write a dashboard page to FILE")
    p.add_argument(
        "--fail-under",
        type=float,
        metavar="N",
        help="exit with 1 if a catalog of a locale is under N percent translated",
    )

    p = command("check", "check every translation before it is published", _check)
    p.add_argument("--locale", action="append", metavar="CODE", help="only this locale")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    add_format_option(p)

    p = command("adaptations", "report each locale's adapted passages (FRAME records)", _report)
    p.add_argument("--locale", action="append", metavar="CODE", help="only this locale")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown")

    p = command("adapt", "start an adaptation of a box, page or image for a locale", _adapt)
    p.add_argument("locale")
    p.add_argument("programme")
    p.add_argument("target", help="box <id>, page <module>/<page> or image <path>", nargs="+")


def _project(args: argparse.Namespace) -> Path:
    return project_folder(args)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def _problems(items: Any, fmt: str = "text") -> None:
    print_diagnostics(items, fmt)


def _extract(args: argparse.Namespace) -> int:
    from icbt_content.i18n.workflow import extract

    project = _project(args)
    for path in extract(project, args.programme):
        _say(args, f"wrote {path}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from icbt_content.i18n.translations import I18nError
    from icbt_content.i18n.workflow import init

    project = _project(args)
    try:
        written = init(project, args.locale, args.programme)
    except I18nError as exc:
        print(f"icbt: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        _say(args, f"created {path}")
    if not written:
        _say(args, f"{args.locale} already has its catalogs; run 'icbt i18n update'")
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    from icbt_content.i18n.translations import I18nError
    from icbt_content.i18n.workflow import update

    project = _project(args)
    try:
        results = update(
            project,
            args.locale,
            fuzzy_matching=args.fuzzy_matching,
            keep_obsolete=not args.no_obsolete,
        )
    except I18nError as exc:
        print(f"icbt: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for item in results:
        r = item.report
        _say(
            args,
            f"{item.path}: {r.kept} kept, {r.changed} changed (to review), {r.moved} moved, "
            f"{r.new} new, {r.obsolete} obsolete" + (f", {r.guessed} guessed" if r.guessed else ""),
        )
    if not results:
        _say(args, "no catalogs yet: start a locale with 'icbt i18n init LOCALE'")
    return EXIT_OK


def _compile(args: argparse.Namespace) -> int:
    from icbt_content.diagnostics import Diagnostics
    from icbt_content.i18n.workflow import compile_catalogs

    written, found = compile_catalogs(_project(args))
    diagnostics = Diagnostics(found)
    _problems(diagnostics)
    for path in written:
        _say(args, f"wrote {path}")
    return EXIT_CONTENT if diagnostics.errors else EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from icbt_content.i18n.coverage import (
        below,
        coverage,
        coverage_html,
        coverage_json,
        coverage_text,
    )

    project = _project(args)
    if args.html:
        from icbt_content.outputs import OutputRefused, check_output_file

        # Only a new file, or a dashboard written before: never a source, never through a link.
        refused = check_output_file(Path(args.html), project, DASHBOARD_SIGNATURE)
        if refused is not None:
            raise OutputRefused(refused)
    items = coverage(project, args.locale)
    print(coverage_json(items) if args.json else coverage_text(items))
    if args.html:
        Path(args.html).write_text(coverage_html(items), encoding="utf-8")
        _say(args, f"wrote {args.html}")
    if args.fail_under is not None:
        low = below(items, args.fail_under)
        for item in low:
            print(
                f"icbt: {item.locale}/{item.domain} is {item.total.percent:.1f}% translated, "
                f"under {args.fail_under:g}%",
                file=sys.stderr,
            )
        if low:
            return EXIT_CONTENT
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from icbt_content.diagnostics import Diagnostics
    from icbt_content.i18n.workflow import check

    found = Diagnostics(check(_project(args), args.locale))
    _problems(found, args.diagnostic_format)
    if found.fails(args.strict):
        return EXIT_CONTENT
    if not len(found):
        _say(args, "translations checked: no problems")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from icbt_content.i18n.adaptations import (
        adaptation_statuses,
        report_json,
        report_markdown,
    )
    from icbt_content.i18n.translations import programmes

    project = _project(args)
    statuses = []
    found = []
    locales = args.locale or [
        p.name for p in sorted((project / "locales").glob("*")) if (p / "adaptations").is_dir()
    ]
    for locale in locales:
        for loaded in programmes(project):
            items, problems = adaptation_statuses(project, loaded, locale)
            statuses.extend(items)
            found.extend(problems)
    _problems(found)
    print(report_json(statuses) if args.json else report_markdown(statuses), end="")
    return EXIT_CONTENT if any(d.severity == "error" for d in found) else EXIT_OK


def _adapt(args: argparse.Namespace) -> int:
    from icbt_content.i18n.adaptations import start_adaptation
    from icbt_content.i18n.translations import I18nError

    try:
        path = start_adaptation(_project(args), args.locale, args.programme, " ".join(args.target))
    except I18nError as exc:
        print(f"icbt: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _say(args, f"created {path}: write the adapted text and fill in the FRAME record")
    return EXIT_OK
