"""Read deploy.yaml: the deploying service's settings (optional; safe defaults)."""

from __future__ import annotations

from pathlib import Path

from icbt_content.adaptation.resources import project_locales
from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml, validate
from icbt_content.diagnostics import Diagnostic
from icbt_content.loop.checks import check_connection
from icbt_content.model.deployment import Deployment

DEPLOY_FILE = "deploy.yaml"


def load_deployment(project: Path) -> tuple[Deployment, list[Diagnostic]]:
    """The project's deployment settings; the defaults when it has no deploy.yaml.

    A deploy.yaml with errors gives the defaults too, with its diagnostics: the defaults are the
    safe choice (nothing leaves the device; crisis services re-checked every 12 months).
    """
    deployment, _, problems = load_located_deployment(project)
    if any(problem.severity == "error" for problem in problems):
        return Deployment(), problems
    return deployment, problems


def load_located_deployment(
    project: Path,
) -> tuple[Deployment, LocatedYaml | None, list[Diagnostic]]:
    """The deployment settings as written, where each was written, and every problem with them."""
    path = project / DEPLOY_FILE
    if not path.is_file():
        return Deployment(), None, []
    text, problems = read_text(path, DEPLOY_FILE, project)
    if text is None:
        return Deployment(), None, problems
    located, problems = load_yaml(text, DEPLOY_FILE)
    if located is None:
        return Deployment(), None, problems
    deployment, problems = validate(Deployment, located, what=DEPLOY_FILE)
    if deployment is None:
        return Deployment(), located, problems
    return deployment, located, check_connection(deployment, located, project_locales(project))
