#!/usr/bin/env bash
# Usage: build-if-changed.sh <stamp-file> <command> -- <input paths...>
# Runs <command> (through bash) only when the contents of the input files differ from the last successful build,
# whose fingerprint (SHA-256 over every input file's path and contents, and $BUILD_FINGERPRINT_EXTRA) is kept in
# <stamp-file> inside the output.
# A second `pnpm start` on an unchanged checkout therefore skips the builds; any edit, or a missing output, rebuilds.
set -euo pipefail
stamp="$1"; cmd="$2"; shift 2
[ "$1" = "--" ] && shift
fingerprint=$(find "$@" -type f -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/.swc/*' -print0 2>/dev/null \
  | sort -z | xargs -0 sha256sum | { cat; echo "${BUILD_FINGERPRINT_EXTRA:-}"; } | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  echo "up to date: $(dirname "$stamp") (skipping: $cmd)"
  exit 0
fi
rm -f "$stamp"
bash -c "$cmd"
mkdir -p "$(dirname "$stamp")"
echo "$fingerprint" > "$stamp"
