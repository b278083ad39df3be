#!/usr/bin/env bash
# Fault tests on whole server processes and the local MariaDB: graceful shutdown, kills, database restarts.
# They take minutes and stop the database on purpose, so they run apart from `pnpm test` (CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
pnpm --filter @union/shared build
pnpm --filter @union/server build
pnpm --filter @union/server exec jest -c jest.resilience.config.js --runInBand
