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
# The two databases' runs go side by side: the MySQL run spends much of its time waiting on MariaDB (commits,
# the tests' own timers), which the SQLite run fills. Each writes its own output, printed whole afterwards.
echo "== server tests on the embedded database (SQLite) and on MySQL/MariaDB, side by side (the H5 build too)"
pnpm --filter @union/miniapp build:h5 >"$LOGS/build-h5.out" 2>&1 &
H5_PID=$!
TEST_DB=sqlite TEST_LOG_LEVEL=info TEST_LOG_FILE="$LOGS/server-sqlite.log" pnpm --filter @union/server test \
  >"$LOGS/jest-sqlite.out" 2>&1 &
SQLITE_PID=$!
TEST_DB=mysql TEST_LOG_LEVEL=info TEST_LOG_FILE="$LOGS/server-mysql.log" pnpm --filter @union/server test \
  >"$LOGS/jest-mysql.out" 2>&1 &
MYSQL_PID=$!
SQLITE_RC=0 && wait "$SQLITE_PID" || SQLITE_RC=$?
MYSQL_RC=0 && wait "$MYSQL_PID" || MYSQL_RC=$?
echo "== server tests on SQLite (exit $SQLITE_RC)" && cat "$LOGS/jest-sqlite.out"
echo "== server tests on MySQL/MariaDB (exit $MYSQL_RC)" && cat "$LOGS/jest-mysql.out"
if [ "$SQLITE_RC" -ne 0 ] || [ "$MYSQL_RC" -ne 0 ]; then exit 1; fi
echo "== the whole run's server logs hold no personal data"
LOG_SCAN_FILES="$LOGS/server-sqlite.log,$LOGS/server-mysql.log" pnpm --filter @union/server exec jest test/log-scan.spec.ts
echo "== H5 build"
H5_RC=0 && wait "$H5_PID" || H5_RC=$?
tail -n 15 "$LOGS/build-h5.out"
if [ "$H5_RC" -ne 0 ]; then cat "$LOGS/build-h5.out"; exit 1; fi
echo "== browser journeys and the accessibility tour (H5 build in headless Chromium)"
pnpm --filter @union/miniapp test:e2e
