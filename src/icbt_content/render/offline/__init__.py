"""Offline and after therapy: the service worker, the web app manifest, its icons and the
"Keep a copy" download of each programme in each locale (:class:`OfflineSite`)."""

from icbt_content.render.offline.files import OfflineSite, programme_offline_files
from icbt_content.render.offline.keepcopy import with_copies

__all__ = ["OfflineSite", "programme_offline_files", "with_copies"]
