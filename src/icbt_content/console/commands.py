"""`icbt console`: run the therapist console against the service's FHIR server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from icbt_content.commandline.exits import EXIT_CONTENT, EXIT_OK
from icbt_content.commandline.helps import HELP
from icbt_content.commandline.support import (
    add_output_options,
    print_diagnostics,
    project_folder,
    usage_error,
)

if TYPE_CHECKING:
    from icbt_content.console.settings import ConsoleConfig
    from icbt_content.diagnostics import Diagnostic
    from icbt_content.model.programme import Programme


def cmd_console(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from icbt_content.console.app import create_app
        from icbt_content.console.settings import load_console_config
    except ImportError:
        return usage_error("the console needs its extra: pip install 'icbt-content[console]'")
    project = project_folder(args)
    config, problems = load_console_config(project, public_url=f"http://{args.host}:{args.port}")
    if config is None:
        print_diagnostics(problems)
        return EXIT_CONTENT
    found = [*problems, *check_server(config)]
    programmes, localised, diagnostics = load_programmes(project)
    found.extend(diagnostics)
    print_diagnostics(found)
    if any(problem.severity == "error" for problem in found):
        return EXIT_CONTENT
    print(
        f"therapist console on {config.public_url} for {len(programmes)} programme(s); "
        "press Ctrl+C to stop",
        file=sys.stderr,
    )
    # No access log: paths name clients by id, and ids are still better kept out of logs.
    uvicorn.run(
        create_app(config, programmes, localised=localised),
        host=args.host,
        port=args.port,
        access_log=False,
        log_level="warning",
        proxy_headers=False,
    )
    return EXIT_OK


def check_server(config: ConsoleConfig) -> list[Diagnostic]:
    """ICBT942 when the FHIR server's SMART configuration cannot be read."""
    import httpx

    from icbt_content.console.smart import SmartError, discover
    from icbt_content.deployment import DEPLOY_FILE
    from icbt_content.diagnostics import diagnostic

    async def ask() -> None:
        async with httpx.AsyncClient(timeout=15) as http:
            await discover(http, config.fhir_base)

    try:
        # A thread of its own: the caller may already be running an event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, ask()).result()
    except SmartError as exc:
        return [
            diagnostic(
                "ICBT942",
                f"cannot sign therapists in: {exc}",
                DEPLOY_FILE,
                hint="check the FHIR base URL in deploy.yaml and that the server is running and "
                "supports SMART App Launch",
            )
        ]
    return []


def load_programmes(
    project: Path,
) -> tuple[list[Programme], dict[str, dict[str, Programme]], list[Diagnostic]]:
    """The project's programmes, each as published in its locales; the errors of any that
    cannot be read."""
    from icbt_content.authoring.loader import read_programme
    from icbt_content.i18n.localise import localise
    from icbt_content.project import programme_folders

    programmes: list[Programme] = []
    localised: dict[str, dict[str, Programme]] = {}
    problems: list[Diagnostic] = []
    for folder in programme_folders(project):
        loaded = read_programme(folder, project)
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        if loaded.programme is None or errors:
            problems.extend(errors)
            continue
        programmes.append(loaded.programme)
        # Locales the build would refuse are left out; the source locale is always there.
        localised[loaded.programme.id] = {
            one.locale.code: one.programme for one in localise(project, loaded)[0]
        }
    return programmes, localised, problems


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `console` command."""
    console = subparsers.add_parser("console", help=HELP["console"])
    console.add_argument("--project", default=".", help="project folder (default: .)")
    console.add_argument("--host", default="127.0.0.1")
    console.add_argument("--port", type=int, default=8400)
    add_output_options(console)
    console.set_defaults(run=cmd_console)
