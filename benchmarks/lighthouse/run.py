"""Lighthouse scores of the sample site: accessibility, best practices and layout shift (CLS).

Builds the sample programmes, serves the site on 127.0.0.1, runs Lighthouse (npm, installed
beside this file: ``npm ci --prefix benchmarks/lighthouse``) on Debian's chromium with mobile
emulation for the home, module, exercise and questionnaire pages of every sample locale, and
writes the scores to ``benchmarks/results/lighthouse.json``. Exits 1 when a page scores below
100 for accessibility or best practices, or shifts by 0.1 or more (issue 13's targets).

    python3 benchmarks/lighthouse/run.py                  # every page, every locale
    python3 benchmarks/lighthouse/run.py --locales en-GB  # one locale
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
RESULTS = REPO / "benchmarks" / "results" / "lighthouse.json"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"

#: Page type -> its path in the SAD programme, below sad/<locale>/.
PAGES = {
    "home": "",
    "module": "your-model/",
    "exercise": "video-feedback/how-you-think-you-look/",
    "questionnaire": "check-in/",
}
LOCALES = ("en-GB", "zh-Hant-HK", "ar")
#: The date the sample site is built on (as in tests/conftest.py): the crisis lines' checks
#: are then never too old for the build, whatever day this runs.
BUILD_DATE = "1796169600"
CLS_LIMIT = 0.1


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def build(out: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE}
    command = ["icbt", "build", "--strict", "--out", str(out), "--project", str(REPO)]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def score(url: str) -> dict[str, Any]:
    """Lighthouse's accessibility and best-practices scores (0-100), CLS and failed audits."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--form-factor=mobile",
        "--only-categories=accessibility,best-practices,performance",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    done = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME},
    )
    report = json.loads(done.stdout)
    categories = report["categories"]
    failed = sorted(
        audit_id
        for category in ("accessibility", "best-practices")
        for ref in categories[category]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"])
        and report["audits"][audit_id]["score"] not in (None, 1)
    )
    return {
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best-practices": round(categories["best-practices"]["score"] * 100),
        "cls": round(report["audits"]["cumulative-layout-shift"]["numericValue"], 4),
        "failed": failed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locales", default=",".join(LOCALES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed: run npm ci --prefix {HERE}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        version = subprocess.run(
            [str(LIGHTHOUSE), "--version"], check=True, capture_output=True, text=True
        ).stdout.strip()
        pages = []
        try:
            for locale in args.locales.split(","):
                for kind, path in PAGES.items():
                    found = score(f"{base}sad/{locale}/{path}")
                    pages.append({"page": kind, "locale": locale, "path": path, **found})
                    print(
                        f"{kind:14} {locale:11} accessibility {found['accessibility']:3} "
                        f"best practices {found['best-practices']:3} CLS {found['cls']:.4f} "
                        f"{' '.join(found['failed'])}"
                    )
        finally:
            server.shutdown()
            server.server_close()
    results = {"lighthouse": version, "form_factor": "mobile", "pages": pages}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ok = all(
        p["accessibility"] == 100 and p["best-practices"] == 100 and p["cls"] < CLS_LIMIT
        for p in pages
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
