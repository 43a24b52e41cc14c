#!/usr/bin/env bash
# Install the test servers' npm packages, exactly as package-lock.json pins them, when
# node_modules is missing or was installed from another lockfile. Quiet when nothing to do.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "tests/servers: Node.js (20.19 or later) and npm are needed for the FHIR test servers" >&2
  exit 1
fi
stamp=node_modules/.icbt-lock-sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
# --ignore-scripts: none of these packages needs an install script, and none may run one.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
echo "$want" >"$stamp"
