"""Verifies one access token with PyJWT, the way a Python resource server would.

Reads {"token", "jwks_uri", "alg", "issuer", "audience"} as JSON on stdin and prints
{"ok": true, "sub": ...} or {"ok": false, "reason": ...} on stdout. Run with Debian's
/usr/bin/python3 and its python3-jwt package (PyJWT 2.6), unmodified.
"""

import json
import sys

import jwt


def main() -> int:
    request = json.load(sys.stdin)
    token = request["token"]
    try:
        # PyJWKClient fetches the JWKS with urllib and picks the key the token's kid names.
        signing_key = jwt.PyJWKClient(request["jwks_uri"]).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            signing_key.key,
            algorithms=[request["alg"]],
            audience=request["audience"],
            issuer=request["issuer"],
        )
    except jwt.PyJWTError as error:
        print(json.dumps({"ok": False, "reason": f"{type(error).__name__}: {error}"}))
        return 0
    print(json.dumps({"ok": True, "sub": claims["sub"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
