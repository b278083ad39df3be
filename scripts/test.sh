#!/usr/bin/env bash
# Every test: shared unit tests, server API tests over HTTP on SQLite and on MySQL/MariaDB,
# then the browser journey against the H5 build in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
bash scripts/browser.sh
pnpm --filter @union/shared build
pnpm -r typecheck
pnpm --filter @union/shared test
pnpm --filter @union/server build
LOGS="$PWD/artifacts/logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
echo "== server tests on the embedded database (SQLite)"
TEST_DB=sqlite TEST_LOG_LEVEL=info TEST_LOG_FILE="$LOGS/server-sqlite.log" pnpm --filter @union/server test
echo "== server tests on MySQL/MariaDB"
TEST_DB=mysql TEST_LOG_LEVEL=info TEST_LOG_FILE="$LOGS/server-mysql.log" pnpm --filter @union/server test
echo "== the whole run's server logs hold no personal data"
LOG_SCAN_FILES="$LOGS/server-sqlite.log,$LOGS/server-mysql.log" pnpm --filter @union/server exec jest test/log-scan.spec.ts
echo "== browser journey (H5 build in headless Chromium)"
pnpm --filter @union/miniapp build:h5
pnpm --filter @union/miniapp test:e2e
