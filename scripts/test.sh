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
echo "== server tests on the embedded database (SQLite)"
TEST_DB=sqlite pnpm --filter @union/server test
echo "== server tests on MySQL/MariaDB"
TEST_DB=mysql pnpm --filter @union/server test
echo "== browser journey (H5 build in headless Chromium)"
pnpm --filter @union/miniapp build:h5
pnpm --filter @union/miniapp test:e2e
