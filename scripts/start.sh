#!/usr/bin/env bash
# Builds and starts the whole system: API + the H5 mini-program at http://localhost:${PORT:-3000},
# on the embedded database (server/data/union.sqlite) with demo data unless DATABASE_URL says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
# Builds only what changed since the last start (a fresh clone builds everything).
bash scripts/build-changed.sh h5
cd server
exec node dist/main.js
