"""The ``icbt`` command line: a lazy table of commands, shared options, diagnostic formats.

Only this package prints and picks exit statuses, with each command module's ``register``
(see :mod:`.registry`). Its modules: :mod:`.runner` (main), :mod:`.registry` (the commands),
:mod:`.support` (what commands share), :mod:`.formats` (``--format``), :mod:`.exits` and
:mod:`.project` (build, check, serve, lock, new).
"""

from __future__ import annotations

from icbt_content.commandline.runner import main, make_parser, run

__all__ = ["main", "make_parser", "run"]
