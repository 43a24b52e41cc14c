"""The former home of the ``icbt`` command, kept so ``icbt_content.cli:main`` still works.

The command line lives in :mod:`icbt_content.commandline`; nothing in the library imports this.
"""

from __future__ import annotations

from icbt_content.commandline.runner import main, make_parser, run

__all__ = ["main", "make_parser", "run"]
