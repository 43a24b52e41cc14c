"""Time how long the guidance-loop test servers take to start, and the FHIR server to restart.

    python3 benchmarks/fhir_servers_start.py [--restarts 5] [--cold]

A start lasts from launching the process until it prints "ready" (it then answers requests).
--cold first deletes the FHIR server's cache of trimmed R4 definitions, as on a fresh checkout.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fhirloop"))

from fhir_servers import SERVERS, install_server_packages, start_servers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    install_server_packages()
    if args.cold:
        shutil.rmtree(SERVERS / "node_modules" / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        servers = start_servers(Path(work))
        try:
            for _ in range(args.restarts):
                servers.fhir.kill()
                servers.fhir.start()
        finally:
            servers.fhir.stop()
            servers.auth.stop()
    first, *restarts = servers.fhir.start_seconds
    print(f"authorisation server start: {servers.auth.start_seconds[0]:.2f} s")
    print(f"FHIR server first start:    {first:.2f} s{' (cold cache)' if args.cold else ''}")
    if restarts:
        print(
            f"FHIR server restart:        median {statistics.median(restarts):.2f} s,"
            f" best {min(restarts):.2f} s, worst {max(restarts):.2f} s ({len(restarts)} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
