"""Read deploy.yaml: the deploying service's settings (optional; safe defaults)."""

from __future__ import annotations

from pathlib import Path

from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import load_yaml, validate
from icbt_content.diagnostics import Diagnostic
from icbt_content.model.deployment import Deployment

DEPLOY_FILE = "deploy.yaml"


def load_deployment(project: Path) -> tuple[Deployment, list[Diagnostic]]:
    """The project's deployment settings; the defaults when it has no deploy.yaml.

    A deploy.yaml with errors gives the defaults too, with its diagnostics: the defaults are the
    safe choice (nothing leaves the device; crisis services re-checked every 12 months).
    """
    path = project / DEPLOY_FILE
    if not path.is_file():
        return Deployment(), []
    text, problems = read_text(path, DEPLOY_FILE, project)
    if text is None:
        return Deployment(), problems
    located, problems = load_yaml(text, DEPLOY_FILE)
    if located is None:
        return Deployment(), problems
    deployment, problems = validate(Deployment, located, what=DEPLOY_FILE)
    return deployment or Deployment(), problems
