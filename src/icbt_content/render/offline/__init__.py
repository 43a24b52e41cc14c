"""Offline and after therapy: the service worker, the web app manifest, its icons and the
"Keep a copy" download of each programme in each locale (:func:`offline_files`)."""

from icbt_content.render.offline.files import offline_files, programme_offline_files

__all__ = ["offline_files", "programme_offline_files"]
