#!/usr/bin/env bash
# Builds what changed since the last build: shared, then the server, then (with `h5`) the H5 mini-program.
# Used by `pnpm start` and the benches; CI and `pnpm test` build from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
B=scripts/build-if-changed.sh
COMMON=(tsconfig.base.json pnpm-lock.yaml)
bash $B shared/dist/.build-stamp "pnpm --filter @union/shared build" -- shared/src shared/package.json shared/tsconfig.json shared/tsconfig.build.json "${COMMON[@]}"
bash $B server/dist/.build-stamp "pnpm --filter @union/server build" -- server/src server/package.json server/tsconfig.json server/tsconfig.build.json shared/src "${COMMON[@]}"
if [ "${1:-}" = "h5" ]; then
  # The H5 bundle also depends on build-time variables (TARO_APP_*), so they are part of its fingerprint.
  BUILD_FINGERPRINT_EXTRA="$(env | grep '^TARO_APP_' | sort || true)" \
    bash $B miniapp/dist/h5/.build-stamp "pnpm --filter @union/miniapp build:h5" -- miniapp/src miniapp/config miniapp/types miniapp/babel.config.js miniapp/package.json miniapp/project.config.json miniapp/tsconfig.json shared/src "${COMMON[@]}"
fi
