#!/usr/bin/env bash
# Builds and starts the whole system: API + the H5 mini-program at http://localhost:${PORT:-3000},
# on the embedded database (server/data/union.sqlite) with demo data unless DATABASE_URL says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm --filter @union/shared build
pnpm --filter @union/server build
pnpm --filter @union/miniapp build:h5
cd server
exec node dist/main.js
