import type { ServerResponse } from 'node:http';
import type { ErrorFormat } from '../endpoint-spec';

// Keyed by the response, not stored on it: nothing else can read or spoof the mark, and it goes
// away with the response.
const formats = new WeakMap<ServerResponse, ErrorFormat>();

/** Marks how errors on this response are to be answered; set once the route is known. */
export function setErrorFormat(res: ServerResponse, format: ErrorFormat): void {
  formats.set(res, format);
}

/** The format marked for this response; `problem` before any route matched. */
export function errorFormatOf(res: ServerResponse): ErrorFormat {
  return formats.get(res) ?? 'problem';
}
