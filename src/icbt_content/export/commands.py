"""``icbt export``: JSON bundles, FHIR Questionnaires, or FHIR responses from saved answers.

Like the rest of :mod:`icbt_content.commandline`, this is the only part of the export that
prints and picks exit codes. Content errors are raised as ContentError and printed by the CLI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import add_output_options, project_folder
from icbt_content.export.bundle import write_bundles
from icbt_content.export.fhir import (
    questionnaire_responses,
    read_answers,
    write_questionnaires,
    write_responses,
)
from icbt_content.export.loading import (
    AnswersError,
    ExportError,
    localised_programmes,
    source_programmes,
)
from icbt_content.loop.questionnaires import BASE_URL_ENV, DEFAULT_BASE_URL, canonical_base
from icbt_content.outputs import EXPORT, guard_output_folder, mark

FORMATS = ("json", "fhir", "fhir-responses")
DEFAULT_OUT = "exports"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export",
        help=HELP["export"],
        description="Write a JSON bundle of each programme per locale with its JSON Schema "
        "(--format json), each measure as a FHIR R4 Questionnaire (--format fhir), or a "
        "client's saved answers as FHIR QuestionnaireResponses (--format fhir-responses). "
        "Files go to <out>/<format>/.",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="what to export")
    parser.add_argument("--project", default=".", help="project folder (default: .)")
    parser.add_argument(
        "--out", default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/)"
    )
    parser.add_argument("--programme", action="append", metavar="ID", help="only this programme")
    parser.add_argument("--locale", action="append", metavar="CODE", help="only this locale")
    parser.add_argument(
        "--answers", metavar="FILE", help="fhir-responses: the my-answers.json saved from the site"
    )
    parser.add_argument(
        "--subject", metavar="REFERENCE", help="fhir-responses: who answered, like Patient/123"
    )
    parser.add_argument(
        "--base-url",
        default=None,
        help=f"fhir: your service's canonical base URL (default: ${BASE_URL_ENV}, else "
        f"{DEFAULT_BASE_URL})",
    )
    add_output_options(parser)
    parser.set_defaults(run=cmd_export)


def _error(message: str) -> None:
    print(f"icbt: error: {message}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    """Run ``icbt export``; return the exit code."""
    project = project_folder(args)
    if args.format == "fhir-responses" and not args.answers:
        _error("--format fhir-responses needs --answers FILE (the my-answers.json from the site)")
        return EXIT_USAGE
    if args.format != "fhir-responses" and (args.answers or args.subject):
        _error("--answers and --subject are only for --format fhir-responses")
        return EXIT_USAGE
    if args.format == "fhir-responses" and args.locale:
        _error(
            "--locale is not used with --format fhir-responses: answers are the same in "
            "every language"
        )
        return EXIT_USAGE
    # The same rules as a built site: never the sources, only a folder an export made.
    guard_output_folder(Path(args.out), project, EXPORT)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    mark(Path(args.out), EXPORT)
    out = Path(args.out) / args.format
    if (
        args.format != "json"
        and not args.quiet
        and canonical_base(args.base_url) == DEFAULT_BASE_URL
    ):
        print(
            f"note: canonical URLs use the placeholder base {DEFAULT_BASE_URL}; set --base-url "
            f"or {BASE_URL_ENV} to your service's own",
            file=sys.stderr,
        )
    try:
        written = _export(args, project, out)
    except AnswersError as exc:
        _error("the answers do not fit the programme's measures:")
        for problem in exc.problems:
            print(f"    {problem}", file=sys.stderr)
        return EXIT_CONTENT
    except ExportError as exc:
        _error(str(exc))
        return EXIT_USAGE
    if not args.quiet:
        print(f"wrote {len(written)} file(s) to {out.as_posix()}", file=sys.stderr)
    return EXIT_OK


def _export(args: argparse.Namespace, project: Path, out: Path) -> list[Path]:
    if args.format == "fhir-responses":
        answers = Path(args.answers)
        responses = questionnaire_responses(
            read_answers(answers),
            source_programmes(project, args.programme),
            subject=args.subject,
            base_url=args.base_url,
        )
        if not args.quiet:
            print(
                f"converted {len(responses)} questionnaire result(s) from {answers.name}",
                file=sys.stderr,
            )
        return [write_responses(responses, out, answers.stem)]
    localised = localised_programmes(project, programmes=args.programme, locales=args.locale)
    if not args.quiet:
        for item in localised:
            for measure in item.programme.measures:
                if measure.needs_wording:
                    print(
                        f"note: {item.programme.id} ({item.locale.code}): '{measure.id}' needs "
                        "permission for its wording and none was supplied; exported without "
                        "wording",
                        file=sys.stderr,
                    )
    if args.format == "json":
        return write_bundles(localised, out)
    return write_questionnaires(localised, out, base_url=args.base_url)
