#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests
# (e2e/src/browser/, driven by playwright-core). Only the distribution's package is used: no
# browser build is ever downloaded (playwright-core bundles none, and nothing here runs
# `playwright install`). Installs it with apt-get when missing and running as root (CI,
# containers); otherwise fails with the command to run. Instant and silent when it is there.
# Run by the e2e project's Jest globalSetup (e2e/src/support/browser/global-setup.ts), so
# `npm test` needs nothing more; run it by hand to prepare a machine.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not a Debian system (no apt-get)." >&2
  echo "The browser tests (e2e/src/browser/) need Debian's 'chromium' package." >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing. The browser tests (e2e/src/browser/) need" >&2
  echo "Debian's Chromium; install it as root:" >&2
  echo "  apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package..." >&2
export DEBIAN_FRONTEND=noninteractive
# apt's output goes to stderr: Jest's globalSetup shows it, and stdout stays free for callers.
{ apt-get update && apt-get install -y chromium; } >&2

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null)" >&2
