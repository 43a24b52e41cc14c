"""What every export needs: checked programmes in their locales, publishable measures, and
files written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from icbt_content.authoring.loader import LoadedProgramme
from icbt_content.diagnostics import ContentError, Diagnostics
from icbt_content.errors import IcbtError
from icbt_content.i18n.localise import LocalisedProgramme, localise
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Programme
from icbt_content.pipeline.check import check_project


class ExportError(IcbtError):
    """The export cannot be made as asked: an unknown programme or locale, or a wrong file."""


class AnswersError(ExportError):
    """Saved answers do not fit the programme's measures; carries one message per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def checked_programmes(
    project: Path, programmes: Iterable[str] | None = None
) -> list[LoadedProgramme]:
    """Load and check the project's programmes; raise ContentError if any has an error."""

    wanted = sorted(set(programmes)) if programmes else None
    loaded = check_project(project, wanted)
    found = {item.root.name for item in loaded}
    unknown = [programme_id for programme_id in wanted or [] if programme_id not in found]
    if unknown:
        raise ExportError(
            f"no programme called {', '.join(repr(u) for u in unknown)} under "
            f"{(project / 'programmes').as_posix()}"
        )
    if not loaded:
        raise ExportError(f"no programmes found under {(project / 'programmes').as_posix()}")
    errors = [d for item in loaded for d in item.diagnostics.errors]
    if errors or any(item.programme is None for item in loaded):
        raise ContentError(errors)
    return loaded


def localised_programmes(
    project: Path,
    *,
    programmes: Iterable[str] | None = None,
    locales: Iterable[str] | None = None,
) -> list[LocalisedProgramme]:
    """Return each checked programme in each locale it is published in (or only ``locales``)."""
    wanted = set(locales) if locales else None
    found = Diagnostics()
    result: list[LocalisedProgramme] = []
    for loaded in checked_programmes(project, programmes):
        published, problems = localise(project, loaded)
        found.extend(problems)
        result.extend(lp for lp in published if wanted is None or lp.locale.code in wanted)
    if found.errors:
        raise ContentError(found.errors)
    missing = sorted((wanted or set()) - {item.locale.code for item in result})
    if missing:
        raise ExportError(f"no programme is published in {', '.join(missing)}")
    return result


def source_programmes(project: Path, programmes: Iterable[str] | None = None) -> list[Programme]:
    """Return the checked programmes as written, in their source locale."""
    loaded = checked_programmes(project, programmes)
    return [item.programme for item in loaded if item.programme is not None]


def publishable_measure(measure: Measure) -> Measure:
    """Return ``measure`` without wording that needs permission and was not supplied.

    A measure with ``licence: permission-required`` keeps its wording only when the deploying
    service supplied all of it (``wording_supplied``). Otherwise every question, answer label,
    time frame and instruction is blanked, so no export can carry it; ids, values and scoring
    stay.
    """
    if not measure.needs_wording:
        return measure
    return measure.model_copy(
        update={
            "timeframe": "",
            "instructions": "",
            "items": tuple(item.model_copy(update={"text": ""}) for item in measure.items),
            "option_sets": tuple(
                option_set.model_copy(
                    update={
                        "options": tuple(
                            option.model_copy(update={"label": ""}) for option in option_set.options
                        )
                    }
                )
                for option_set in measure.option_sets
            ),
        }
    )


def json_text(data: Any, *, sort_keys: bool = True) -> str:
    """Serialise ``data`` the same way every time: UTF-8 text, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
