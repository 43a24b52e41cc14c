"""What ``icbt --help`` says about each command: the one place these words are written.

The table of commands (:mod:`.registry`) and each command module's ``register`` read them from
here. This module names no command module, so a command module reads it without importing the
table that names it (which would close an import circle).
"""

from __future__ import annotations

#: Command name -> its one-line help.
HELP: dict[str, str] = {
    "build": "build the static site",
    "check": "check content without writing anything",
    "serve": "preview on 127.0.0.1, rebuilding on change",
    "lock": "record exercise and field ids in ids.lock",
    "new": "start something new from a template",
    "export": "export programmes for other platforms (JSON bundle, FHIR)",
    "guidance": "therapist guidance message templates",
    "console": "run the therapist console against the FHIR server",
    "i18n": "translate programmes: catalogs, checks, coverage",
    "release": "record a signed-off version, or compare releases",
    "safety": "the clinical safety case",
}
