"""The exit statuses of ``icbt``, the same for every command."""

from __future__ import annotations

#: Done, nothing to report (or only warnings without --strict).
EXIT_OK = 0
#: The content, the catalogs or the records have problems (warnings too under --strict).
EXIT_CONTENT = 1
#: The command was used wrongly: an unknown option, a missing folder, a port that cannot be used.
EXIT_USAGE = 2
#: Stopped with Ctrl+C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: The reader of standard output went away (``icbt ... | head``): 128 + SIGPIPE, as shells
#: report it.
EXIT_BROKEN_PIPE = 141
