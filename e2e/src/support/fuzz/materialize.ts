import { gzipSync } from 'node:zlib';
import {
  DEEP_MARKER,
  deepJson,
  deepValue,
  hasNulOrLoneSurrogate,
  parsesAsJson,
} from './arbitraries';
import {
  encodeSegment,
  GARBAGE_AUTHORIZATION,
  headerSafe,
  isAdminOperation,
  PLACEHOLDER,
  TENANT_MALFORMED,
  type FuzzCase,
  type ParamCase,
  type TenantMode,
} from './cases';
import type { RawRequest } from './http';
import type { Operation } from './openapi-model';
import type { Rejection, SchemaValidator } from './oracle';
import type { Account, FuzzWorld, TenantRef } from './world';

/*
 * Materialising a generated case against the fixtures: symbols become tokens, ids and cursors,
 * placeholders in bodies become fixture values, and every way the request breaks the contract
 * becomes a `Rejection` the oracle holds a 2xx against.
 */

/** The trailing base64url character's unused bits flipped: same bytes, another spelling. */
export function nonCanonicalBase64url(value: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const unusedBits = { 2: 4, 3: 2 }[value.length % 4] ?? 0;
  if (unusedBits === 0) return `${value}=`;
  const last = alphabet.indexOf(value[value.length - 1] ?? '');
  if (last < 0) return `${value}=`;
  return value.slice(0, -1) + alphabet.charAt(last ^ 1);
}

function nonCanonicalToken(token: string): string {
  const parts = token.split('.');
  if (parts.length === 3) {
    return `${parts[0]}.${parts[1]}.${nonCanonicalBase64url(parts[2] ?? '')}`;
  }
  const prefix = /^[a-z]+_/.exec(token)?.[0] ?? '';
  return prefix + nonCanonicalBase64url(token.slice(prefix.length));
}

function flipMiddle(value: string): string {
  const at = Math.floor(value.length / 2);
  const c = value[at] === 'A' ? 'B' : 'A';
  return value.slice(0, at) + c + value.slice(at + 1);
}

function tamperedToken(token: string, other: string, pick: number): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  switch (pick % 4) {
    case 0:
      return `${header}.${payload}.${flipMiddle(signature)}`;
    case 1:
      return `${header}.${payload}.`;
    case 2:
      return `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
    default:
      return `${header}.${other.split('.')[1] ?? ''}.${signature}`;
  }
}

function forgeCursor(real: string | null, how: string): string {
  if (real === null) return Buffer.from('{"t":0,"i":"x"}').toString('base64url');
  switch (how) {
    case 'flip':
      return flipMiddle(real);
    case 'non-canonical':
      return nonCanonicalBase64url(real);
    case 'truncate':
      return real.slice(0, -4);
    case 'append':
      return `${real}AA`;
    case 'base64':
      return real.replace(/-/g, '+').replace(/_/g, '/');
    default:
      return `${real}=`;
  }
}

/** A request ready to send, why it should be refused (if it should), and how to print it. */
export interface Materialized {
  baseUrl: string;
  raw: RawRequest;
  rejections: Rejection[];
  describe: () => string;
}

export interface MaterializeContext {
  world: FuzzWorld;
  /** Query-parameter validation coerces strings, as the server's parsers do. */
  queryValidator: SchemaValidator;
  bodyValidator: SchemaValidator;
}

/** Who a request acts as and on: a fresh user for data-plane writes, else the long-lived ones. */
async function subjectOf(operation: Operation, world: FuzzWorld): Promise<Account> {
  if (operation.plane === 'control-plane') return world.viewer;
  if (operation.method === 'GET') return world.userA;
  return world.freshUser(world.tenantA);
}

async function knownParam(
  operation: Operation,
  name: string,
  asSlug: boolean,
  subject: Account,
  world: FuzzWorld,
): Promise<string> {
  const ref = (tenant: TenantRef) => (asSlug ? tenant.slug : tenant.id);
  if (operation.plane === 'control-plane') {
    const last = operation.path.endsWith(`{${name}}`);
    const destroys = operation.method === 'DELETE' && last;
    switch (name) {
      case 'tenant':
        return ref(destroys ? await world.freshTenant() : world.scratch);
      case 'client_id':
        return destroys ? world.freshClient(world.scratch) : world.clients.scratch;
      case 'id':
        if (operation.path.startsWith('/v1/admins')) return world.freshAdmin();
        break;
    }
  } else if (name === 'id') {
    if (operation.path.startsWith('/v1/sessions')) return subject.sid ?? subject.id;
    return subject.id;
  } else if (name === 'tenant') {
    return ref(world.tenantA);
  }
  return '00000000-0000-4000-8000-000000000000';
}

function foreignParam(operation: Operation, name: string, world: FuzzWorld): string | undefined {
  if (operation.plane === 'control-plane') {
    return name === 'client_id' ? world.clients.foreign : undefined;
  }
  if (name !== 'id') return undefined;
  return operation.path.startsWith('/v1/sessions') ? world.userB.sid : world.userB.id;
}

function authHeader(
  operation: Operation,
  auth: FuzzCase['auth'],
  subject: Account,
  world: FuzzWorld,
): { header?: string; valid: boolean } {
  const admin = isAdminOperation(operation);
  const right = admin ? world.owner : subject.access;
  const wrongKind = admin ? world.userA.access : world.owner;
  switch (auth.variant) {
    case 'none':
      return { valid: false };
    case 'garbage':
      return {
        header: GARBAGE_AUTHORIZATION[auth.pick % GARBAGE_AUTHORIZATION.length]!,
        valid: false,
      };
    case 'valid':
      return { header: `Bearer ${right}`, valid: true };
    case 'viewer':
      return { header: `Bearer ${world.viewer.access}`, valid: admin };
    case 'other-tenant':
      return { header: `Bearer ${world.userB.access}`, valid: false };
    case 'wrong-kind':
      return {
        header: `Bearer ${auth.pick % 3 === 0 && subject.refresh ? subject.refresh : wrongKind}`,
        valid: false,
      };
    case 'tampered':
      return {
        header: `Bearer ${tamperedToken(right, world.userB.access, auth.pick)}`,
        valid: false,
      };
    case 'non-canonical':
      return { header: `Bearer ${nonCanonicalToken(right)}`, valid: false };
  }
}

function substitute(value: unknown, resolve: (name: string) => string): unknown {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    return match ? resolve(match[1]!) : value;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, resolve));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: substitute(item, resolve),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function replaceDeep(value: unknown, deep: unknown): unknown {
  if (value === DEEP_MARKER) return deep;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, deep));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, deep)]));
  }
  return value;
}

const safeDecode = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

function truncate(text: string, max = 400): string {
  return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;
}

/** Resolves a case's symbols against the fixtures and labels what the server must refuse. */
export async function materialize(
  operation: Operation,
  mode: TenantMode,
  fuzzCase: FuzzCase,
  context: MaterializeContext,
): Promise<Materialized> {
  const { world } = context;
  const rejections: Rejection[] = [];
  const reject = (kind: Rejection['kind'], label: string, onlyIfIssuesTokens = false) => {
    rejections.push({ kind, label, ...(onlyIfIssuesTokens ? { onlyIfIssuesTokens } : {}) });
  };
  const subject = await subjectOf(operation, world);
  const headers: Record<string, string | string[]> = {};

  // Credentials.
  const auth = authHeader(operation, fuzzCase.auth, subject, world);
  if (auth.header !== undefined) headers.authorization = auth.header;
  if (operation.bearer && !auth.valid) reject('auth-bypass', `a ${fuzzCase.auth.variant} bearer`);
  // `/v1/auth/...` on the control plane is the caller's own account (sign-out, TOTP): a viewer
  // manages their own factors like any admin.
  const ownAccount = operation.plane === 'control-plane' && operation.path.startsWith('/v1/auth/');
  if (
    operation.bearer &&
    fuzzCase.auth.variant === 'viewer' &&
    operation.method !== 'GET' &&
    !ownAccount
  ) {
    reject('auth-bypass', 'a viewer token on a write');
  }

  // Path parameters.
  let path = operation.path;
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const param: ParamCase = Object.hasOwn(fuzzCase.params, parameter.name)
      ? fuzzCase.params[parameter.name]!
      : { kind: 'known', asSlug: false };
    let raw: string;
    if (param.kind === 'known') {
      raw = encodeSegment(
        await knownParam(operation, parameter.name, param.asSlug, subject, world),
      );
    } else if (param.kind === 'foreign') {
      const foreign = foreignParam(operation, parameter.name, world);
      raw = encodeSegment(
        foreign ?? (await knownParam(operation, parameter.name, false, subject, world)),
      );
      if (foreign !== undefined) reject('cross-tenant', `another tenant's ${parameter.name}`);
    } else {
      raw = param.raw;
      const decoded = safeDecode(raw);
      if (decoded === undefined)
        reject('accepted-invalid-input', `an undecodable ${parameter.name}`);
      else {
        const errors = context.bodyValidator.errors(
          parameter.schema,
          operation.components,
          decoded,
        );
        if (errors.length > 0)
          reject('accepted-invalid-input', `path ${parameter.name} ${errors[0] ?? ''}`);
        if (hasNulOrLoneSurrogate(decoded))
          reject('accepted-invalid-input', 'a NUL or lone surrogate');
      }
    }
    path = path.replace(`{${parameter.name}}`, raw);
  }

  // Tenant (data plane).
  if (mode !== 'none') {
    const { variant, pick } = fuzzCase.tenant;
    const a = world.tenantA;
    const malformed = TENANT_MALFORMED[pick % TENANT_MALFORMED.length]!;
    const unknown = `no-such-tenant-${pick % 1000}`;
    let segment: string = pick % 2 === 0 ? a.slug : a.id;
    let header: string | string[] | undefined = pick % 2 === 0 ? a.slug : a.id;
    switch (variant) {
      case 'slug':
        segment = header = a.slug;
        break;
      case 'id':
        segment = header = a.id;
        break;
      case 'unknown':
        segment = header = unknown;
        break;
      case 'mismatch':
        header = world.tenantB.slug;
        break;
      case 'missing':
        segment = '';
        header = undefined;
        break;
      case 'duplicate':
        header = [a.slug, world.tenantB.slug];
        break;
      case 'malformed':
        // An empty segment would be no route at all, not this operation.
        segment = encodeSegment(malformed || ' ').replace('%25', '%');
        header = headerSafe(malformed);
        break;
    }
    if (!['slug', 'id', 'both'].includes(variant)) reject('cross-tenant', `tenant ${variant}`);
    if (mode === 'prefix') {
      path = `/t/${segment}${path}`;
      if (variant === 'both' || variant === 'mismatch' || variant === 'duplicate') {
        if (header !== undefined) headers['x-tenant-id'] = header;
      }
    } else if (header !== undefined) {
      headers['x-tenant-id'] = header;
    }
  }

  // Query.
  const pairs: [string, string][] = [];
  for (const [key, value] of fuzzCase.query) {
    const match = PLACEHOLDER.exec(value);
    if (match?.[1]?.startsWith('cursor')) {
      const token = isAdminOperation(operation) ? world.owner : subject.access;
      let listPath = operation.path;
      for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
        const known = await knownParam(operation, parameter.name, false, subject, world);
        listPath = listPath.replace(`{${parameter.name}}`, encodeSegment(known));
      }
      const real = await world.cursorOf(operation.key, operation.plane, listPath, token);
      const how = match[1].split(':')[1];
      if (how === undefined) {
        if (real !== null) pairs.push([key, encodeURIComponent(real)]);
      } else {
        pairs.push([key, encodeURIComponent(forgeCursor(real, how))]);
        reject('accepted-invalid-input', `a forged cursor (${how})`);
      }
    } else {
      pairs.push([key, value]);
    }
  }
  if (pairs.length > 0) {
    path += `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
    const queryParams = operation.parameters.filter((p) => p.in === 'query');
    const parsed: Record<string, string | string[]> = {};
    let undecodable = false;
    for (const [k, v] of pairs) {
      const key = safeDecode(k);
      const value = safeDecode(v);
      if (key === undefined || value === undefined) {
        undecodable = true;
        continue;
      }
      const previous = parsed[key];
      parsed[key] = previous === undefined ? value : [...[previous].flat(), value];
      if (hasNulOrLoneSurrogate(value)) reject('accepted-invalid-input', 'a NUL or lone surrogate');
    }
    if (!undecodable) {
      const unknownKeys = Object.keys(parsed).filter((k) => !queryParams.some((p) => p.name === k));
      if (unknownKeys.length > 0) {
        reject(
          'accepted-invalid-input',
          `unknown query parameter ${JSON.stringify(unknownKeys[0])}`,
        );
      }
      const schema = {
        type: 'object',
        properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
        required: queryParams.filter((p) => p.required).map((p) => p.name),
      };
      const known = Object.fromEntries(
        Object.entries(parsed).filter(([k]) => !unknownKeys.includes(k)),
      );
      const errors = context.queryValidator.errors(schema, operation.components, known);
      if (errors.length > 0) reject('accepted-invalid-input', `query ${errors[0] ?? ''}`);
    }
  }

  // Body.
  const bodySchema = operation.body?.content['application/json'];
  let body: Buffer | undefined;
  let bodyValue: { ok: true; value: unknown } | { ok: false } | undefined;
  const resolvePlaceholder = (name: string): string => {
    switch (name) {
      case 'subject.email':
        return subject.email;
      case 'subject.password':
        return subject.password;
      case 'subject.refresh':
        return subject.refresh ?? 'hjrt_none';
      case 'subject.refresh:non-canonical':
        reject('auth-bypass', 'a non-canonical refresh token', true);
        return nonCanonicalToken(subject.refresh ?? 'hjrt_none');
      case 'other.refresh':
        reject('cross-tenant', "another tenant's refresh token", true);
        return world.userB.refresh ?? 'hjrt_none';
      case 'subject.access':
        reject('auth-bypass', 'an access token as refresh token', true);
        return subject.access;
      default:
        return name;
    }
  };
  const bodyCase = fuzzCase.body;
  if (bodyCase.kind === 'json') {
    const value = substitute(bodyCase.value, resolvePlaceholder);
    if (value !== undefined) {
      let text = JSON.stringify(value);
      if (bodyCase.deep) {
        text = text.replace(
          JSON.stringify(DEEP_MARKER),
          deepJson(bodyCase.deep.depth, bodyCase.deep.array),
        );
        const deep = deepValue(bodyCase.deep.depth, bodyCase.deep.array);
        bodyValue = deep === undefined ? undefined : { ok: true, value: replaceDeep(value, deep) };
      } else {
        bodyValue = { ok: true, value };
      }
      body = Buffer.from(text, 'utf8');
    } else {
      bodyValue = { ok: false };
    }
  } else if (bodyCase.kind === 'raw') {
    body = bodyCase.bytes;
    // Text mutations of a generated body still hold its placeholders (UTF-16 ones stay as they are).
    if (body.includes('{{hj:')) {
      body = Buffer.from(
        body
          .toString('utf8')
          .replace(/\{\{hj:([a-z.:-]+)\}\}/g, (_all, name: string) =>
            JSON.stringify(resolvePlaceholder(name)).slice(1, -1),
          ),
      );
    }
    bodyValue = parsesAsJson(body)
      ? { ok: true, value: JSON.parse(body.toString('utf8')) as unknown }
      : { ok: false };
    // Whether a parser should accept a BOM or UTF-16 is not the fuzzer's call.
    if (bodyCase.label.includes('bom') || bodyCase.label.includes('utf16')) bodyValue = undefined;
  }
  // An empty body is no body (Content-Length: 0), whatever its Content-Type says.
  if (body?.length === 0) bodyValue = undefined;
  if (bodySchema !== undefined) {
    if (body === undefined || body.length === 0) {
      if (operation.body?.required) reject('accepted-invalid-input', 'no body');
    } else if (bodyValue?.ok === false) {
      reject('accepted-invalid-input', 'a body that is not a JSON object');
    } else if (bodyValue?.ok) {
      const errors = context.bodyValidator.errors(
        bodySchema,
        operation.components,
        bodyValue.value,
      );
      if (errors.length > 0) reject('accepted-invalid-input', `body ${errors[0] ?? ''}`);
      if (hasNulOrLoneSurrogate(bodyValue.value))
        reject('accepted-invalid-input', 'a NUL or lone surrogate');
    }
  }
  if (body !== undefined) {
    if (fuzzCase.contentType !== null) headers['content-type'] = fuzzCase.contentType;
    const mediaType = fuzzCase.contentType?.split(';')[0]?.trim().toLowerCase();
    const charset = /charset=([^;]*)/i
      .exec(fuzzCase.contentType ?? '')?.[1]
      ?.trim()
      .toLowerCase();
    if (bodySchema !== undefined && !mediaType?.endsWith('+json')) {
      if (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8')) {
        reject('accepted-invalid-input', `content-type ${JSON.stringify(fuzzCase.contentType)}`);
      }
    }
    if (fuzzCase.contentEncoding) {
      const { value, compress } = fuzzCase.contentEncoding;
      headers['content-encoding'] = value;
      if (compress && value === 'gzip') body = gzipSync(body);
      else if (value !== 'identity' && bodySchema !== undefined) {
        reject('accepted-invalid-input', `content-encoding ${value} on a plain body`);
      }
    }
  }
  if (fuzzCase.forwardedFor !== null) headers['x-forwarded-for'] = fuzzCase.forwardedFor;
  if (fuzzCase.accept !== null) headers.accept = fuzzCase.accept;

  const baseUrl = operation.plane === 'control-plane' ? world.cpUrl : world.dpUrl;
  const raw: RawRequest = { method: operation.method, path, headers, ...(body ? { body } : {}) };
  return {
    baseUrl,
    raw,
    rejections,
    describe: () =>
      [
        `${raw.method} ${truncate(path, 300)}   [focus: ${fuzzCase.focus}${bodyCase.kind !== 'none' && bodyCase.label ? `; ${bodyCase.label}` : ''}]`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${truncate(String(v), 120)}`),
        ...(body ? [`body: ${truncate(body.toString('utf8'))}`] : []),
      ].join('\n'),
  };
}
