"""`icbt new programme`: a small, valid programme an author can start from."""

from __future__ import annotations

from pathlib import Path

from icbt_content.adaptation.resources import LOCALE_FILE, locale_file_to_fill
from icbt_content.errors import IcbtError
from icbt_content.ids import is_valid_id
from icbt_content.project import Project

SOURCE_LOCALE = "en-GB"


class ScaffoldError(IcbtError):
    """The scaffold cannot be created (bad id, or the folder exists)."""


def _files(programme_id: str, title: str) -> dict[str, str]:
    return {
        "programme.yaml": f"""id: {programme_id}
title: {title}
version: 0.1.0
condition: Describe the condition this programme helps with
description: One or two sentences that tell a client what this programme is.
source_locale: {SOURCE_LOCALE}
unlock: in-order
modules:
  - getting-started
measures: []
migrations: []
""",
        "crisis.md": """---
title: Need help now?
---

If you feel unable to keep yourself safe, or you are thinking about ending your life, get help
now. You do not have to wait for your next session.
""",
        "modules/getting-started/module.md": """---
title: Getting started
summary: What this programme is and how to use it.
core: true
---

## What this module is for

Explain what the client should take from this module.

## What to look for

What in the client's answers tells you the module has worked.

## Common problems

If the client has not logged in for a week, send a short, warm message.

## Going back to earlier work

This is the first module.
""",
        "modules/getting-started/01-welcome.md": """---
title: Welcome
---

Welcome. This programme has short modules. Each one takes about half an hour a week.

## How it works

Read each page, try the exercises, and save your answers. Your therapist will read them and
send you a message each week.

::: case-example Sam gets started {#sam-starts}
Sam is 34 and works in a shop. He set aside twenty minutes on Sunday evenings for the programme.
:::

::: exercise rating
id: hope-now
title: How hopeful do you feel?
question: How hopeful do you feel that things can change?
min_label: Not at all
max_label: Very hopeful
:::
""",
        "guidance/welcome.md": """---
title: Welcome
when: welcome
---

Hello {{ client.first_name }},

I'm {{ therapist.name }}, and I'll be supporting you through the programme. Start with the first
module when you are ready.
""",
    }


def new_programme(project: Path, programme_id: str, *, title: str | None = None) -> Path:
    """Create ``programmes/<id>/`` with one module, one page and one guidance template, and the
    source locale's ``locale.yaml`` (crisis services to fill in) when the project has none."""
    if not is_valid_id(programme_id):
        raise ScaffoldError(
            f"'{programme_id}' is not a valid id: use lower-case letters, digits and hyphens"
        )
    folder = Project(project).programme(programme_id)
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    title = title or programme_id.replace("-", " ").capitalize()
    for relative, text in _files(programme_id, title).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "media").mkdir()
    # The source locale needs its crisis services before anything can be published: write a
    # locale file that fails the checks until a person fills it in (never invented numbers).
    locale_file = Project(project).locale(SOURCE_LOCALE) / LOCALE_FILE
    if not locale_file.exists():
        locale_file.parent.mkdir(parents=True, exist_ok=True)
        locale_file.write_text(locale_file_to_fill(SOURCE_LOCALE), encoding="utf-8")
    return folder
