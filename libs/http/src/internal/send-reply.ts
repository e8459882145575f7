import type { Response } from 'express';
import { ZodError } from 'zod';
import { SafeHtml } from '../html';
import { isSchema, kindOf, type Reply } from '../responses';
import { setHtmlHeaders } from './html-headers';
import type { Route } from './route-of';

/**
 * Sends a handler's answer as its spec declares it. Anything the spec does not allow is a bug in
 * the handler, thrown as a plain `Error` so the client sees only 500 `unexpected_failure`.
 */
export function sendReply(res: Response, summary: string, route: Route, reply: Reply): void {
  const { status } = reply;
  const spec = route.responses.get(status);
  if (spec === undefined) {
    throw new Error(`"${summary}" answered ${status}, which its spec does not declare`);
  }
  const kind = kindOf(spec);
  if ((kind === 'redirect') !== (reply.location !== undefined)) {
    throw new Error(`"${summary}" answered ${status} with the wrong kind of reply`);
  }
  if (isSchema(spec)) {
    const parsed = spec.safeParse(reply.body);
    if (!parsed.success) {
      throw new Error(`response ${status} of "${summary}" breaks its schema`, {
        cause: new ZodError(parsed.error.issues),
      });
    }
    res.status(status).json(parsed.data);
  } else if (kind === 'html') {
    if (!SafeHtml.is(reply.body)) {
      throw new Error(`"${summary}" must answer HTML built with html\`\`, not a string`);
    }
    setHtmlHeaders(res);
    res.status(status).send(reply.body.toString());
  } else if (reply.location !== undefined) {
    // RFC 9110 §10.2.2: Location is a URI reference; express percent-encodes what is not.
    res.status(status).location(reply.location).end();
  } else {
    res.status(status).end();
  }
}
