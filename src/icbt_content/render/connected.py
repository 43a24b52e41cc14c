"""The pages only a connected site has: signing in to the service, and the therapist's messages."""

from __future__ import annotations

from collections.abc import Iterator

from icbt_content.render.site import CONNECT, MESSAGES, ProgrammeRenderer, RenderedFile

#: Page folder -> its template (which names the page, in the reader's language). Registered
#: here so a new page is one entry.
CONNECTED_PAGES = {CONNECT: "connect.html", MESSAGES: "messages.html"}


def connected_pages(site: ProgrammeRenderer) -> Iterator[RenderedFile]:
    """``<locale>/connect/`` and ``<locale>/messages/`` of a connected site."""
    for folder, template in CONNECTED_PAGES.items():
        here = site.site_path(f"{site.code}/{folder}/")
        context = site.common(here, "")
        context.update(nav=site.nav(here, None, None))
        yield site._file(here, template, context)
