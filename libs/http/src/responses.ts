import type { z, ZodType } from 'zod';
import type { SafeHtml } from './html';

const kind = Symbol('hellojohn.response-kind');

type KindName = 'html' | 'empty' | 'redirect';

/** A response that is not a JSON schema: an HTML page, an empty body or a redirect. */
export interface ResponseKind<K extends KindName> {
  readonly [kind]: K;
}

/**
 * Declares a `text/html` answer: the handler gives `SafeHtml` (see `html`), and the page is sent
 * with a strict Content-Security-Policy.
 *
 * @example
 * endpoint({ summary: 'Sign-in page', response: HtmlPage }, async function page() {
 *   return html`<!doctype html><title>Sign in</title>`;
 * });
 */
export const HtmlPage: ResponseKind<'html'> = Object.freeze({ [kind]: 'html' as const });

/**
 * Declares an answer without a body, such as `204`.
 *
 * @example
 * endpoint({ summary: 'Remove', responses: { 204: NoBody } }, async function remove({ reply }) {
 *   return reply(204);
 * });
 */
export const NoBody: ResponseKind<'empty'> = Object.freeze({ [kind]: 'empty' as const });

/**
 * Declares a redirect: no body, a `Location` header. Use it under a 3xx status in `responses`.
 *
 * @example
 * endpoint(
 *   { summary: 'Finish sign-in', responses: { 303: Redirect } },
 *   async function finish({ redirect }) { return redirect('/consent', 303); },
 * );
 */
export const Redirect: ResponseKind<'redirect'> = Object.freeze({ [kind]: 'redirect' as const });

/**
 * What one status of an endpoint answers: a zod schema for JSON, or `HtmlPage`, `NoBody`,
 * `Redirect`.
 *
 * @example
 * const ok: ResponseSpec = z.object({ id: z.string() });
 */
export type ResponseSpec =
  ZodType | ResponseKind<'html'> | ResponseKind<'empty'> | ResponseKind<'redirect'>;

/**
 * Every success status an endpoint may answer and what each carries.
 *
 * @example
 * const responses = { 201: User, 202: Accepted, 303: Redirect } satisfies ResponseMap;
 */
export type ResponseMap = Readonly<Record<number, ResponseSpec>>;

/** The kind of a response spec, `'json'` for a zod schema. */
export function kindOf(spec: ResponseSpec): KindName | 'json' {
  return (spec as { readonly [kind]?: KindName })[kind] ?? 'json';
}

/** True for a zod schema, i.e. a JSON answer. */
export function isSchema(spec: ResponseSpec): spec is ZodType {
  return kindOf(spec) === 'json';
}

/**
 * Redirect statuses (RFC 9110 §15.4). 303 after a form POST makes the browser GET the target;
 * 302 is what RFC 6749 §4.1.2 shows for authorization responses; 307/308 keep the method.
 *
 * @example
 * const afterPost: RedirectStatus = 303;
 */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/**
 * What a handler returns to pick its status; made only by `reply` and `redirect`, so a plain
 * `{ status, body }` cannot pass for one.
 *
 * @example
 * function accepted(reply: Responder<{ 202: typeof Accepted }>['reply']): Reply<202> {
 *   return reply(202, { status: 'accepted' });
 * }
 */
export class Reply<S extends number = number> {
  readonly #brand = true;

  /** @internal Use the `reply` and `redirect` a handler is given. */
  constructor(
    readonly status: S,
    readonly body: unknown,
    readonly location?: string,
  ) {}

  /** True for values made by `reply` or `redirect`; a look-alike `{status, body}` is not enough. */
  static is(value: unknown): value is Reply {
    return typeof value === 'object' && value !== null && #brand in value;
  }
}

type Status<Rs> = keyof Rs & number;
type BodyStatus<Rs> = {
  [S in Status<Rs>]: Rs[S] extends ResponseKind<'redirect'> ? never : S;
}[Status<Rs>];
type RedirectStatusOf<Rs> = {
  [S in Status<Rs>]: Rs[S] extends ResponseKind<'redirect'> ? S & RedirectStatus : never;
}[Status<Rs>];
type BodyArgs<R> =
  R extends ResponseKind<'empty'>
    ? []
    : R extends ResponseKind<'html'>
      ? [body: SafeHtml]
      : R extends ZodType
        ? [body: z.input<R>]
        : never;

/**
 * Every status a `responses` map declares: what a multi-status handler may answer.
 *
 * @example
 * type SignUpReply = ReplyOf<{ 201: typeof SignedUp; 202: typeof Accepted }>; // Reply<201 | 202>
 */
export type ReplyOf<Rs> = Reply<Status<Rs>>;

/**
 * Given to a handler whose spec has `responses`: each function accepts only the statuses the spec
 * declares, and `reply` only the body that status's schema takes.
 *
 * @example
 * type Finish = Responder<{ 200: typeof HtmlPage; 303: typeof Redirect }>;
 * async function finish({ reply, redirect }: Finish, done: boolean) {
 *   return done ? redirect('/home', 303) : reply(200, html`<p>Almost there</p>`);
 * }
 */
export interface Responder<Rs> {
  // Properties, not methods: handlers destructure them (`{ body, reply }`), and they use no `this`.
  /** Answers `status` with `body`, which is validated against that status's schema. */
  readonly reply: <S extends BodyStatus<Rs>>(status: S, ...body: BodyArgs<Rs[S]>) => Reply<S>;
  /** Answers a redirect to `location` (a URL or an absolute path). */
  readonly redirect: <S extends RedirectStatusOf<Rs>>(
    location: string | URL,
    status: S,
  ) => Reply<S>;
}

function reply(status: number, body?: unknown): Reply {
  return new Reply(status, body);
}

function redirect(location: string | URL, status: number): Reply {
  const target = String(location);
  // A Location header with no value, or one carrying CR/LF, is never what a handler meant.
  if (target.length === 0 || /[\r\n]/.test(target)) {
    throw new Error(`redirect target ${JSON.stringify(target)} is not a URL`);
  }
  return new Reply(status, undefined, target);
}

/** The one responder all endpoints share: the functions keep no state, so destructuring is safe. */
export const responder: Responder<ResponseMap> = { reply, redirect } as Responder<ResponseMap>;
