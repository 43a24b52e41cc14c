"""The hosting page shows server configurations generated from the policies the build uses."""

from __future__ import annotations

import html
import re
from pathlib import Path

from docs_helpers import DOCS, hooks

from icbt_content.pipeline.headers import FILE_CSP, SERVERS, server_config
from icbt_content.render.environment import CSP


def test_the_generated_section_holds_each_servers_config() -> None:
    markdown = hooks().server_configs_markdown()
    for server in SERVERS:
        assert server_config(server).rstrip() in markdown
    assert CSP in markdown and FILE_CSP in markdown


def test_the_hosting_page_has_the_marker_and_no_copied_policy() -> None:
    page = (DOCS / "hosting.md").read_text(encoding="utf-8")
    assert hooks().SERVERS_MARKER in page
    assert CSP not in page and FILE_CSP not in page, "policies are generated, never copied"


def test_the_built_page_shows_the_policies(built_docs: Path) -> None:
    built = (built_docs / "hosting" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", built))  # code is highlighted token by token
    for server in ("nginx", "Apache", "Caddy"):
        assert f'id="{server.lower()}"' in built
    assert f'add_header Content-Security-Policy "{CSP}" always;' in text
    assert f'Header always set Content-Security-Policy "{FILE_CSP}"' in text
