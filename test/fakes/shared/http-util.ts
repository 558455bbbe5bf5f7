import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './types';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `json`: true when the body was empty or parsed as JSON; anything else is kept (as text, or as form fields). */
export interface ParsedBody {
  body: unknown;
  json: boolean;
}

/** JSON bodies are parsed (an empty body is undefined); anything unparsable is kept as text. */
export function parseJsonBody(raw: string): ParsedBody {
  if (raw === '') return { body: undefined, json: true };
  try {
    return { body: JSON.parse(raw) as unknown, json: true };
  } catch {
    return { body: raw, json: false };
  }
}

/** As parseJsonBody, but a form-encoded body becomes its fields (with json: false). */
export function parseFormOrJsonBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw !== '' && (contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), json: false };
  }
  return parseJsonBody(raw);
}

export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

/** How a platform's gateway dresses its answers: content types and extra headers. */
export interface ReplyStyle {
  jsonType: string;
  textType: string;
  headers: () => Record<string, string>;
}

/** Writes the reply and returns what was sent (the JSON value or the text; for bytes, their count). */
export function writeReply(res: ServerResponse, reply: Reply, style: ReplyStyle): unknown {
  const isText = reply.text !== undefined;
  const payload = reply.bytes !== undefined ? Buffer.from(reply.bytes) : (reply.text ?? JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? (isText ? style.textType : style.jsonType),
    ...style.headers(),
    ...reply.headers,
  });
  res.end(payload);
  if (reply.bytes !== undefined) return { bytes: reply.bytes.length };
  return isText ? reply.text : reply.body;
}
