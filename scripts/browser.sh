#!/usr/bin/env bash
# Headless Chromium (Debian's package) and a CJK font for the browser tests.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi -e wqy -e noto.*cjk; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y chromium fonts-wqy-zenhei >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium fonts-wqy-zenhei >/dev/null; }
  else
    echo "browser tests need /usr/bin/chromium and a CJK font: sudo apt-get install chromium fonts-wqy-zenhei" >&2
    exit 1
  fi
fi
