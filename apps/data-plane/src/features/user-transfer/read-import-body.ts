import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '@hellojohn/http';

/**
 * One item of an upload: its 1-based line (or array element) number and its JSON text, or no
 * text when it is longer than {@link MAX_LINE_BYTES} (reported, never parsed).
 */
export interface RawLine {
  line: number;
  text: string | undefined;
}

/** Longest item kept for parsing. */
export const MAX_LINE_BYTES = 64 * 1024;

/** A request body and its headers, as Express hands it over. */
export type ImportUpload = Readable & { headers: IncomingHttpHeaders };

function decoded(req: ImportUpload): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return req;
  if (encoding === 'gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  if (encoding === 'br') return req.pipe(createBrotliDecompress());
  throw new AppError('unsupported_media_type', 'Content-Encoding must be gzip, deflate or br.');
}

/** The body as bytes, inflated if it was compressed; more than `limit` bytes is a 413. */
async function* bytesOf(req: ImportUpload, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  try {
    for await (const chunk of decoded(req)) {
      const buffer = chunk as Buffer;
      seen += buffer.length;
      if (seen > limit) {
        throw new AppError(
          'payload_too_large',
          `An import is at most ${Math.floor(limit / (1024 * 1024))} MB; split the file.`,
        );
      }
      yield buffer;
    }
  } catch (error) {
    // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) mean the client's compressed body is broken.
    if (isZlibError(error)) {
      throw new AppError('validation_failed', 'The body does not match its Content-Encoding.', {
        errors: [{ path: 'body', message: 'is not valid data for its Content-Encoding' }],
      });
    }
    throw error;
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR_BROTLI'));
}

/** Collects one item's bytes, keeping none past the longest item parsed. */
class Item {
  private parts: Buffer[] = [];
  private size = 0;

  add(bytes: Buffer): void {
    this.size += bytes.length;
    if (this.size <= MAX_LINE_BYTES) this.parts.push(bytes);
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** The item's text (trimmed; '' when blank), or undefined when too long; then starts anew. */
  take(): string | undefined {
    const text =
      this.size > MAX_LINE_BYTES ? undefined : Buffer.concat(this.parts).toString('utf8').trim();
    this.parts = [];
    this.size = 0;
    return text;
  }
}

/** JSON Lines: one item per non-blank line (`\n` or `\r\n`). */
async function* jsonLines(bytes: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  const item = new Item();
  let line = 0;
  for await (const chunk of bytes) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      item.add(chunk.subarray(start, nl));
      start = nl + 1;
      line += 1;
      const text = item.take();
      if (text !== '') yield { line, text };
    }
    if (start < chunk.length) item.add(chunk.subarray(start));
  }
  if (!item.empty) {
    const text = item.take();
    if (text !== '') yield { line: line + 1, text };
  }
}

const isSpace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * A JSON array, one item per top-level element, without holding the whole document: strings,
 * escapes and nesting are followed byte by byte, and each element is handed over as its text
 * (then parsed on its own).
 */
async function* jsonArray(bytes: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  const malformed = (): AppError =>
    new AppError('malformed_json', 'The body must be one JSON array of user objects.');
  let state = 'before' as 'before' | 'inside' | 'after';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let index = 0;
  const item = new Item();
  for await (const chunk of bytes) {
    let from = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i] ?? 0;
      if (state === 'after') {
        if (!isSpace(byte)) throw malformed();
      } else if (state === 'before') {
        if (isSpace(byte)) continue;
        if (byte !== 0x5b) throw malformed();
        state = 'inside';
        from = i + 1;
      } else if (inString) {
        if (escaped) escaped = false;
        else if (byte === 0x5c) escaped = true;
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) {
        inString = true;
      } else if (byte === 0x7b || byte === 0x5b) {
        depth += 1;
      } else if (byte === 0x7d || (byte === 0x5d && depth > 0)) {
        depth -= 1;
        if (depth < 0) throw malformed();
      } else if (depth === 0 && (byte === 0x2c || byte === 0x5d)) {
        item.add(chunk.subarray(from, i));
        from = i + 1;
        const text = item.take();
        // `[]` is an empty array; `[,]` and `[{...},]` are not JSON.
        if (text === '' && (byte === 0x2c || index > 0)) throw malformed();
        if (text !== '') {
          index += 1;
          yield { line: index, text };
        }
        if (byte === 0x5d) state = 'after';
      }
    }
    if (state === 'inside' && from < chunk.length) item.add(chunk.subarray(from));
  }
  if (state !== 'after') throw malformed();
}

/**
 * The items of an import upload, streamed: JSON Lines (`application/x-ndjson`,
 * `application/jsonl`) or a JSON array (`application/json`). At most `limit` bytes (413).
 */
export function readImportBody(
  req: ImportUpload,
  kind: 'lines' | 'array',
  limit: number,
): AsyncGenerator<RawLine> {
  const bytes = bytesOf(req, limit);
  return kind === 'lines' ? jsonLines(bytes) : jsonArray(bytes);
}
