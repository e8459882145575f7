import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { closeServer, listen } from '@hellojohn/http';
import express, { type ErrorRequestHandler } from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { passportJwtSecret } from 'jwks-rsa';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';

/**
 * Resource-server libraries of the ecosystem, each used unmodified and configured the way its
 * documentation shows, to check that HelloJohn's tokens verify (or are refused) outside HelloJohn.
 */
export type Verifier = 'jose' | 'express-oauth2-jwt-bearer' | 'passport-jwt' | 'pyjwt';

export const VERIFIERS: readonly Verifier[] = [
  'jose',
  'express-oauth2-jwt-bearer',
  'passport-jwt',
  'pyjwt',
];

export type VerifierAlg = 'EdDSA' | 'RS256' | 'ES256';

export interface VerifyWithOptions {
  issuer: string;
  audience: string;
  jwksUri: string;
  alg: VerifierAlg;
  /** express-oauth2-jwt-bearer only: its RFC 9068 mode (`strict: true`). Default false. */
  strict?: boolean;
}

export type VerifyOutcome = { ok: true; sub: string } | { ok: false; reason: string };

/** Debian's interpreter, whose `python3-jwt` package is PyJWT 2.6; NOT the pyenv one on PATH. */
const PYTHON = '/usr/bin/python3';
const PYJWT_SCRIPT = join(__dirname, 'verify_jwt.py');
const ENSURE_PYJWT = join(__dirname, '../../../../scripts/ensure-python-jwt.sh');

/**
 * Whether `verifier` can check `alg` at all. passport-jwt verifies with `jsonwebtoken` 9, which
 * knows no EdDSA (its key-type table has no `ed25519`): EdDSA tokens need another library.
 */
export function supports(verifier: Verifier, alg: VerifierAlg): boolean {
  return !(verifier === 'passport-jwt' && alg === 'EdDSA');
}

/**
 * Makes sure Debian's PyJWT is importable (scripts/ensure-python-jwt.sh installs it as root),
 * else throws with the command to run: a test must fail, never skip, when it is missing.
 */
export function ensurePyJwt(): void {
  try {
    execFileSync('bash', [ENSURE_PYJWT], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `PyJWT for ${PYTHON} is missing and could not be installed: run "apt-get install -y python3-jwt" as root.\n${stderr}`,
    );
  }
}

/** Verifies `token` with one library; `{ ok: false, reason }` for any refusal. */
export async function verifyWith(
  verifier: Verifier,
  token: string,
  o: VerifyWithOptions,
): Promise<VerifyOutcome> {
  if (!supports(verifier, o.alg)) return { ok: false, reason: 'unsupported' };
  switch (verifier) {
    case 'jose':
      return withJose(token, o);
    case 'express-oauth2-jwt-bearer':
      return withExpressOauth2JwtBearer(token, o);
    case 'passport-jwt':
      return withPassportJwt(token, o);
    case 'pyjwt':
      return withPyJwt(token, o);
  }
}

function subOf(payload: unknown): VerifyOutcome {
  const sub = (payload as { sub?: unknown } | undefined)?.sub;
  return typeof sub === 'string' ? { ok: true, sub } : { ok: false, reason: 'no sub claim' };
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

async function withJose(token: string, o: VerifyWithOptions): Promise<VerifyOutcome> {
  try {
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(o.jwksUri)), {
      issuer: o.issuer,
      audience: o.audience,
      algorithms: [o.alg],
    });
    return subOf(payload);
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
}

/** Serves `app` on a throwaway loopback port, sends the token as a bearer, and reads the answer. */
async function throughExpress(app: express.Express, token: string): Promise<VerifyOutcome> {
  const { server, port } = await listen(app, 0, '127.0.0.1');
  try {
    const res = await fetch(`http://127.0.0.1:${port}/protected`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { sub?: string; reason?: string };
    if (res.status === 200) return subOf(body);
    return { ok: false, reason: `${res.status} ${body.reason ?? ''}`.trim() };
  } finally {
    await closeServer(server);
  }
}

const reportError: ErrorRequestHandler = function reportError(error, _req, res, next) {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = (error as { status?: number }).status ?? 500;
  res.status(status).json({ reason: messageOf(error) });
};

/**
 * Auth0's middleware as its README shows it: `issuerBaseURL` (discovery finds `jwks_uri` and
 * takes `id_token_signing_alg_values_supported` as the allowed algorithms), the `audience`,
 * `tokenSigningAlg`. By default it does not look at `typ`; `strict: true`, its RFC 9068 mode,
 * wants `typ` `at+jwt` and string `iat`/`sub`/`jti`/`client_id` claims.
 */
function withExpressOauth2JwtBearer(token: string, o: VerifyWithOptions): Promise<VerifyOutcome> {
  const app = express();
  app.use(
    auth({
      issuerBaseURL: o.issuer,
      audience: o.audience,
      tokenSigningAlg: o.alg,
      strict: o.strict ?? false,
    }),
  );
  app.get('/protected', function protectedRoute(req, res) {
    res.json({ sub: req.auth?.payload.sub });
  });
  app.use(reportError);
  return throughExpress(app, token);
}

/** passport-jwt with jwks-rsa's `passportJwtSecret`, as both READMEs show it. */
function withPassportJwt(token: string, o: VerifyWithOptions): Promise<VerifyOutcome> {
  // jsonwebtoken's own `Algorithm` type has no EdDSA either.
  const alg = o.alg;
  if (alg === 'EdDSA') return Promise.resolve({ ok: false, reason: 'unsupported' });
  const authenticator = new passport.Passport();
  authenticator.use(
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKeyProvider: passportJwtSecret({ jwksUri: o.jwksUri, cache: true }),
        algorithms: [alg],
        issuer: o.issuer,
        audience: o.audience,
      },
      function accept(payload: unknown, done: (error: unknown, user?: unknown) => void) {
        done(null, payload);
      },
    ),
  );
  const app = express();
  app.use(authenticator.initialize());
  app.get('/protected', function protectedRoute(req, res, next) {
    authenticator.authenticate(
      'jwt',
      { session: false },
      function outcome(error: unknown, user: unknown, info: unknown) {
        if (error) {
          next(error);
          return;
        }
        if (!user) {
          res.status(401).json({ reason: info === undefined ? 'refused' : messageOf(info) });
          return;
        }
        res.json({ sub: (user as { sub?: unknown }).sub });
      },
    )(req, res, next);
  });
  app.use(reportError);
  return throughExpress(app, token);
}

function withPyJwt(token: string, o: VerifyWithOptions): Promise<VerifyOutcome> {
  const input = JSON.stringify({
    token,
    jwks_uri: o.jwksUri,
    alg: o.alg,
    issuer: o.issuer,
    audience: o.audience,
  });
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [PYJWT_SCRIPT],
      // A bare environment: no proxy variables for urllib to route 127.0.0.1 through, no
      // PYTHONPATH or PYTHONHOME of another interpreter.
      { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${PYTHON} ${PYJWT_SCRIPT} failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as VerifyOutcome);
        } catch {
          reject(new Error(`verify_jwt.py printed no JSON: ${stdout}\n${stderr}`));
        }
      },
    );
    child.stdin?.end(input);
  });
}

/** Each verifier's outcome for one token, in the order given. */
export type Outcomes = Array<[Verifier, VerifyOutcome]>;

/** Verifies `token` with every one of `verifiers`, one after the other. */
export async function verifyWithEach(
  verifiers: readonly Verifier[],
  token: string,
  options: VerifyWithOptions,
): Promise<Outcomes> {
  const results: Outcomes = [];
  for (const verifier of verifiers) {
    results.push([verifier, await verifyWith(verifier, token, options)]);
  }
  return results;
}

/** Every verifier accepted the token, for `sub`. */
export function expectAllAccept(results: Outcomes, sub: string): void {
  expect(results.length).toBeGreaterThanOrEqual(3);
  for (const [verifier, outcome] of results) {
    expect({ verifier, outcome }).toEqual({ verifier, outcome: { ok: true, sub } });
  }
}

/** Every verifier refused, each for the reason the case is about (`because`, in its words). */
export function expectAllRefuse(results: Outcomes, because: RegExp): void {
  expect(results.length).toBeGreaterThanOrEqual(3);
  for (const [verifier, outcome] of results) {
    expect({ verifier, ok: outcome.ok }).toEqual({ verifier, ok: false });
    if (!outcome.ok) {
      expect({ verifier, reason: outcome.reason }).toEqual({
        verifier,
        reason: expect.stringMatching(because),
      });
    }
  }
}
