#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium: the worklist UI's end-to-end test
# drives it headless through playwright-core (which ships no browser of its own).
# Idempotent: an installed Chromium is left alone.
#   bash infra/browser.sh
COMPONENT=browser
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1

CHROMIUM_BIN=/usr/bin/chromium

if [ -x "$CHROMIUM_BIN" ]; then
  log "chromium present ($("$CHROMIUM_BIN" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "chromium missing: installing Debian package chromium"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
else
  die "$CHROMIUM_BIN not found (install: sudo apt-get install -y chromium)"
fi
[ -x "$CHROMIUM_BIN" ] || die "chromium installed but $CHROMIUM_BIN is missing"
ok "installed $("$CHROMIUM_BIN" --version 2>/dev/null || echo chromium)"
