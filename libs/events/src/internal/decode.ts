import type { EventEnvelope } from '../envelope';
import { parseEvent } from '../envelope';
import { errorMessage } from './defaults';

export type Decoded =
  { ok: true; event: EventEnvelope; raw: unknown } | { ok: false; raw: unknown; reason: string };

/** Turns a message body into an event, or says why it is poison (never throws). */
export function decodeBody(body: string): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    return { ok: false, raw: body, reason: `body is not JSON: ${errorMessage(err)}` };
  }
  try {
    return { ok: true, event: parseEvent(raw), raw };
  } catch (err) {
    return { ok: false, raw, reason: errorMessage(err) };
  }
}
