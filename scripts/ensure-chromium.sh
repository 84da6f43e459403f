#!/usr/bin/env bash
# The browser suite (apps/console/e2e) drives Debian's Chromium through playwright-core. Installs the package
# when it is missing (apt-get, as root or through sudo); CHROMIUM_PATH names another Chromium instead.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "setup: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); else
  echo "setup: Chromium is missing and apt-get needs root: run \`apt-get install chromium\` as root" >&2
  exit 1
fi
echo "setup: installing Debian's chromium for the browser tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; then
  "${as_root[@]}" apt-get update -qq >/dev/null
  "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
fi
"$browser" --version
