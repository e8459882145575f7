#!/usr/bin/env bash
# Makes sure Debian's PyJWT (package python3-jwt, with python3-cryptography for EdDSA/ES256) is
# importable by /usr/bin/python3, for the data plane's ecosystem-verifier tests
# (apps/data-plane/test/access-token-algorithms.test.ts run apps/data-plane/test/support/verify_jwt.py).
# Only the distribution's package is used, never pip. Installs it with apt-get when missing and
# running as root (CI, containers); otherwise fails with the command to run. Instant and silent
# when it is there. Run by .ci/run and by the test itself, so `npm test` needs nothing more.
set -euo pipefail

PYTHON=/usr/bin/python3
check() { "$PYTHON" -c 'import jwt, cryptography' >/dev/null 2>&1; }

if [ -x "$PYTHON" ] && check; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-python-jwt: PyJWT for $PYTHON is missing and this is not a Debian system (no apt-get)." >&2
  echo "The ecosystem-verifier tests need Debian's 'python3-jwt' package." >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-python-jwt: PyJWT for $PYTHON is missing. Install Debian's package as root:" >&2
  echo "  apt-get update && apt-get install -y python3-jwt python3-cryptography" >&2
  exit 1
fi

echo "ensure-python-jwt: installing Debian's python3-jwt..." >&2
export DEBIAN_FRONTEND=noninteractive
# apt's output goes to stderr, so stdout stays free for callers.
{ apt-get install -y python3-jwt python3-cryptography || { apt-get update && apt-get install -y python3-jwt python3-cryptography; }; } >&2

if ! check; then
  echo "ensure-python-jwt: apt-get finished but $PYTHON still cannot import jwt." >&2
  exit 1
fi
echo "ensure-python-jwt: installed PyJWT $("$PYTHON" -c 'import jwt; print(jwt.__version__)')" >&2
