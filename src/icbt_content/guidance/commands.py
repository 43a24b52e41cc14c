"""`icbt guidance render`: preview a therapist message with a context file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import add_output_options, print_diagnostics, usage_error
from icbt_content.diagnostics import ContentError


def cmd_render(args: argparse.Namespace) -> int:
    from icbt_content.guidance import load_context, render_guidance

    project = Path(args.project)
    programme, _, template = args.template.rpartition("/")
    programme = programme or args.programme
    if not programme:
        return usage_error(
            "name the template as PROGRAMME/TEMPLATE (sad/welcome) or use --programme"
        )
    try:
        context = load_context(Path(args.context), args.context)
        message = render_guidance(project, programme, template, context, locale=args.locale)
    except ContentError as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_CONTENT
    if not message.translated:
        print(
            f"icbt: note: '{message.template_id}' is not translated into "
            f"{message.requested_locale} (or its translation fails its checks): shown in "
            f"{message.locale}, the source language",
            file=sys.stderr,
        )
    print(message.html if args.html else message.markdown)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `guidance` command group."""
    guidance = subparsers.add_parser("guidance", help=HELP["guidance"])
    actions = guidance.add_subparsers(dest="action", required=True, parser_class=type(guidance))
    render = actions.add_parser("render", help="preview a message with a context JSON file")
    render.add_argument("template", help="PROGRAMME/TEMPLATE, for example sad/welcome")
    render.add_argument("--context", required=True, metavar="FILE.json")
    render.add_argument(
        "--locale", default=None, help="render the message's translation into this locale"
    )
    render.add_argument("--programme", default=None, help="programme id if not in TEMPLATE")
    render.add_argument("--project", default=".")
    render.add_argument("--html", action="store_true", help="print HTML instead of Markdown")
    add_output_options(render)
    render.set_defaults(run=cmd_render)
