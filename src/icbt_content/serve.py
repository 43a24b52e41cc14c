"""`icbt serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The preview is built with :data:`PREVIEW_CSP`: the site's policy with ``connect-src 'self'``,
so the reload script may ask the server for the build version (the published site keeps
``connect-src 'none'``). A rebuild that fails, with content errors or any exception, keeps the
last good site on show and shows the problem in the terminal and at the top of the open page.
The server answers only requests addressed to the host and port it listens on (a page on
another site cannot reach it by DNS rebinding), lists no folders, and sends the hosting headers
(:mod:`icbt_content.pipeline.headers`). The temporary folder is removed when the preview stops,
by Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs

from icbt_content.adaptation.crisis import build_date
from icbt_content.pipeline import BuildReport, build_site
from icbt_content.pipeline.cache import MemoryCache
from icbt_content.pipeline.headers import headers_for
from icbt_content.pipeline.incremental import ProgrammeMemory
from icbt_content.pipeline.unit import UnitContext
from icbt_content.pipeline.writer import LiveSite
from icbt_content.project import Project, programme_folders
from icbt_content.render.environment import CSP
from icbt_content.render.offline.precache import is_worker


def with_directive(policy: str, name: str, value: str) -> str:
    """``policy`` with the directive ``name`` set to ``value`` (added when missing)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    changed = [f"{name} {value}" if d.split()[0] == name else d for d in directives]
    if changed == directives and not any(d.split()[0] == name for d in directives):
        changed.append(f"{name} {value}")
    return "; ".join(changed)


#: The pages' policy in the preview: the reload script may ask this server for the version.
PREVIEW_CSP = with_directive(CSP, "connect-src", "'self'")

RELOAD_SCRIPT = b"""(function () {
  var seen = null, generation = null;
  function show(problems) {
    var box = document.getElementById("icbt-preview-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "icbt-preview-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:99;margin:0;padding:1rem;" +
        "max-height:50vh;overflow:auto;white-space:pre-wrap;background:#fff3f3;color:#5c0000;" +
        "border-bottom:3px solid #b00020;font:14px/1.4 monospace";
      document.body.prepend(box);
    }
    box.textContent = "The last change could not be built; showing the last good build.\\n\\n" +
      problems.join("\\n");
  }
  function poll() {
    // The server answers when a rebuild after "generation" is done (or after a while).
    var wait = 0;
    var since = generation === null ? "" : "?since=" + generation;
    fetch("/__icbt_status" + since, {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (status) {
        if (seen !== null && status.version !== seen) { location.reload(); return; }
        seen = status.version;
        generation = status.generation;
        show(status.problems);
      })
      .catch(function () { wait = 500; }).finally(function () { setTimeout(poll, wait); });
  }
  poll();
})();
"""


#: How long a request for the status waits for a new build before it is answered anyway.
STATUS_WAIT = 20.0


class PreviewState:
    """What the server shows: the build version, and the problems of the last failed rebuild.
    A page asks for the status with the generation (rebuilds done) it has seen; the answer
    waits for the next rebuild, so the page reloads the moment one is done."""

    def __init__(self) -> None:
        self.version = 0
        """Good builds shown so far."""
        self.generation = 0
        """Rebuilds done so far, good or failed."""
        self.problems: list[str] = []
        self._changed = threading.Condition()

    def publish(self, *, built: bool, problems: list[str]) -> None:
        """A rebuild is done: a new version when ``built``; wake the waiting pages."""
        with self._changed:
            if built:
                self.version += 1
            self.generation += 1
            self.problems = problems
            self._changed.notify_all()

    def status(self, since: int | None = None, wait: float = STATUS_WAIT) -> dict[str, object]:
        """The status; with ``since``, once a rebuild after that generation is done (or after
        ``wait`` seconds)."""
        with self._changed:
            if since is not None:
                self._changed.wait_for(lambda: self.generation != since, timeout=wait)
            return {
                "version": self.version,
                "generation": self.generation,
                "problems": list(self.problems),
            }


def refresh(
    preview: Preview, state: PreviewState, changed: Iterable[Path] | None = None
) -> BuildReport | None:
    """Rebuild the preview after a change and tell the open pages (what ``icbt serve`` does
    when a file changes); the last good site stays on show when the rebuild fails."""
    report = None
    try:
        report = preview.build(changed)
        problems = [item.format() for item in report.diagnostics]
    except Exception as exc:  # keep serving the last good site whatever happens
        problems = [
            f"icbt: internal error while rebuilding: {type(exc).__name__}: {exc}",
            "This is a bug in icbt-content, not in your content. Please report it.",
        ]
    for line in problems:
        print(line, file=sys.stderr)
    if report is not None and report.ok:
        state.publish(built=True, problems=[])
        print(f"rebuilt {report.pages} pages in {report.seconds:.2f}s", file=sys.stderr)
    else:
        state.publish(built=False, problems=problems)
        print("build failed; still showing the last good build", file=sys.stderr)
    return report


def allowed_hosts(host: str, port: int) -> set[str]:
    """Host header values this preview answers: the address it listens on, by name or number."""
    names = {host}
    if host in ("127.0.0.1", "localhost"):
        names = {"127.0.0.1", "localhost"}
    elif host == "::1":
        names = {"[::1]", "localhost"}
    found = {f"{name}:{port}" for name in names}
    if port == 80:
        found |= names
    return found


def _handler(site: Path, state: PreviewState, hosts: set[str]) -> type[SimpleHTTPRequestHandler]:
    class PreviewHandler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_HEAD(self) -> None:
            if self._host_allowed():
                super().do_HEAD()

        def do_GET(self) -> None:
            if not self._host_allowed():
                return None
            path, _, query = self.path.partition("?")
            if path == "/__icbt_status":
                since = parse_qs(query).get("since", [""])[0]
                status = state.status(int(since) if since.isdigit() else None)
                return self._send(json.dumps(status).encode(), "application/json")
            if path == "/__icbt_version":
                return self._send(str(state.version).encode(), "text/plain")
            if path == "/__icbt_reload.js":
                return self._send(RELOAD_SCRIPT, "text/javascript")
            if is_worker(path):
                # The preview shows each build as it is made: no offline copy to go stale.
                return self._send(b"no service worker in the preview", "text/plain", 404)
            if not site.is_dir():
                text = "The first build failed:\n\n" + "\n".join(state.problems)
                return self._send(text.encode(), "text/plain; charset=utf-8", 503)
            target = Path(self.translate_path(self.path))
            if target.is_dir() and (target / "index.html").is_file():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path.endswith(("/", ".html")):
                # Preview only: the reload script, allowed by the preview CSP's connect-src.
                html = target.read_bytes().replace(
                    b"</body>", b'<script src="/__icbt_reload.js"></script></body>', 1
                )
                return self._send(html, "text/html; charset=utf-8")
            return super().do_GET()

        def end_headers(self) -> None:
            for name, value in headers_for(self.path.split("?", 1)[0], PREVIEW_CSP):
                self.send_header(name, value)
            super().end_headers()

        def list_directory(self, path: str | object) -> None:
            self.send_error(404, "Not found")
            return None

        def _host_allowed(self) -> bool:
            if self.headers.get("Host", "").lower() in hosts:
                return True
            self.send_error(400, "Unknown host")
            return False

        def _send(self, body: bytes, content_type: str, code: int = 200) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """Turn SIGTERM (and SIGHUP) into KeyboardInterrupt, so clean-up runs as for Ctrl+C."""

    def interrupt(number: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Preview:
    """The preview's builds: the first builds every programme (one per core); each rebuild
    takes the programmes an edit did not touch from memory, rebuilds the others in this
    process page by page (:mod:`icbt_content.pipeline.incremental`: only the pages that
    changed are parsed, and rendered when nothing else shows what changed), and writes only
    the files that changed into the site being served."""

    def __init__(self, project: Path, site: Path, *, strict: bool = False) -> None:
        self.project = project
        self.site = site
        self.strict = strict
        self.cache = _BuildsCache()
        self.stage = LiveSite()
        self.builds = 0
        self.memories: dict[str, ProgrammeMemory] = {}
        """Each programme folder's memory, once an edit rebuilt it."""
        self.written_at = 0.0
        """When the last build finished writing the site (:func:`time.perf_counter`)."""
        self.rebuilt: list[str] = []
        """The programme folders the last build rebuilt (the others came from memory)."""
        self._context: UnitContext | None = None
        self._templates: object = None
        self._lock = threading.Lock()

    def build(self, changed: Iterable[Path] | None = None) -> BuildReport:
        """Build the preview site again; only what changed is rebuilt and rewritten.

        ``changed``: the files changed since the last build, as the watcher saw them (None:
        unknown). When they are all in programme folders, the other programmes' inputs are
        not read again to see whether they changed."""
        with self._lock:
            return self._build(changed)

    def warm(self) -> None:
        """Prepare each programme's memory, so that even the first edit of a programme renders
        only the pages it changed (``icbt serve`` does it beside serving, after the first
        build; a build waits for the programme being prepared)."""
        for folder in programme_folders(self.project):
            with self._lock:
                if folder.name not in self.memories:
                    memory = self._memory(folder)
                    memory.rebuild(self.context())

    def _build(self, changed: Iterable[Path] | None) -> BuildReport:
        self.cache.next_build(self._folders_of(changed))
        self.rebuilt = self.rebuild_changed() if self.builds > 0 else []
        jobs = None if self.builds == 0 else 1
        self.builds += 1
        report = build_site(
            self.project,
            self.site,
            strict=self.strict,
            csp=PREVIEW_CSP,
            jobs=jobs,
            cache=self.cache,
            stage=self.stage,
        )
        self.written_at = time.perf_counter()
        return report

    def rebuild_changed(self) -> list[str]:
        """Rebuild, page by page, each programme whose inputs changed since it was last built,
        into the memory cache the build takes them from; return their folders' names."""
        context = self.context()
        self.cache.prepare(self.project)
        rebuilt = []
        for folder in programme_folders(self.project):
            key = self.cache.key(context, folder)
            if self.cache.has(key):
                continue
            self.cache.store(key, self._memory(folder).rebuild(context))
            rebuilt.append(folder.name)
        return rebuilt

    def _memory(self, folder: Path) -> ProgrammeMemory:
        """The memory of a programme folder's rebuilds (made at its first)."""
        memory = self.memories.get(folder.name)
        if memory is None or memory.folder != folder:
            memory = self.memories[folder.name] = ProgrammeMemory(folder, self.cache.digests)
        return memory

    def _folders_of(self, changed: Iterable[Path] | None) -> set[str] | None:
        """The programme folders holding the ``changed`` files; None when one is elsewhere."""
        if changed is None:
            return None
        programmes = Path(os.path.abspath(Project(self.project).programmes))
        folders = set()
        for path in changed:
            try:
                parts = Path(os.path.abspath(path)).relative_to(programmes).parts
            except ValueError:
                return None
            if len(parts) < 2:  # the programmes folder itself, or a file beside the programmes
                return None
            folders.add(parts[0])
        return folders

    def context(self) -> UnitContext:
        """The context of the programmes' rebuilds, kept while the project's templates are
        unchanged (so the templates are compiled once)."""
        templates = self.cache.digests.of_folder(Project(self.project).templates)
        if self._context is None or templates != self._templates:
            self._context = UnitContext(self.project, strict=self.strict, csp=PREVIEW_CSP)
            self._templates = templates
        return self._context


def _warm(preview: Preview) -> None:
    """Prepare the preview's memory; a failure only leaves the first edits slower."""
    with suppress(Exception):
        preview.warm()


class _BuildsCache(MemoryCache):
    """The preview's memory cache: each programme's key is computed once per build, though
    both the preview and the build ask for it."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[tuple[Path, bool, str], str] = {}
        self._prepared = False
        self._date = build_date()

    def next_build(self, changed: set[str] | None = None) -> None:
        """Forget the keys of the programme folders named in ``changed`` (None: of all): their
        files may have changed since. Every key is forgotten when the build date changed."""
        today = build_date()
        if changed is None or today != self._date:
            self._keys = {}
        else:
            self._keys = {k: v for k, v in self._keys.items() if k[0].name not in changed}
        self._date = today
        self._prepared = False

    def prepare(self, project: Path) -> None:
        if not self._prepared:
            super().prepare(project)
            self._prepared = True

    def key(self, context: UnitContext, folder: Path) -> str:
        known = (folder, context.strict, context.csp)
        if known not in self._keys:
            self._keys[known] = super().key(context, folder)
        return self._keys[known]


def serve(project: Path, *, host: str = "127.0.0.1", port: int = 8000, strict: bool = False) -> int:
    """Serve a live preview until interrupted; remove its temporary folder on the way out."""
    from watchfiles import watch

    folder = Path(tempfile.mkdtemp(prefix="icbt-preview-"))
    site = folder / "site"
    state = PreviewState()
    preview = Preview(project, site, strict=strict)

    server = None
    try:
        with _stopped_by_sigterm():
            refresh(preview, state)
            hosts: set[str] = set()  # filled once the port is known (it may be 0: any free one)
            server = ThreadingHTTPServer((host, port), partial(_handler(site, state, hosts)))
            hosts |= allowed_hosts(host, int(server.server_address[1]))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            threading.Thread(target=_warm, args=(preview,), daemon=True).start()
            print(
                f"serving on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)",
                file=sys.stderr,
            )
            watched = [project / name for name in ("programmes", "locales", "templates")]
            # Changes are taken once the files have been quiet for 20 ms (an editor's save).
            for changes in watch(*[p for p in watched if p.exists()], step=20):
                refresh(preview, state, [Path(path) for _, path in changes])
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0
