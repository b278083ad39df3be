#!/usr/bin/env bash
# Installs what the project needs on a machine with Node 20: pnpm 12.21.0 and the workspace's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi
# better-sqlite3 compiles from source here; node-gyp must use the local Node headers instead of downloading them.
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
pnpm install --frozen-lockfile
