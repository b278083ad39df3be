#!/usr/bin/env bash
# Runs one benchmark (server/bench/<name>.js) against freshly built code on the local MySQL/MariaDB.
# Benchmarks print figures; they assert nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"; shift
bash scripts/services.sh
bash scripts/build-changed.sh >/dev/null
exec node "server/bench/$name.js" "$@"
