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

/** `json`: true when the body was empty or parsed as JSON (form bodies are parsed too, with json: false). */
export interface ParsedBody {
  body: unknown;
  json: boolean;
}

export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw === '') return { body: undefined, json: true };
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), json: false };
  }
  try {
    return { body: JSON.parse(raw) as unknown, json: true };
  } catch {
    return { body: raw, json: false };
  }
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

/** Writes the reply and returns what was sent (the JSON value or the text). */
export function writeReply(res: ServerResponse, reply: Reply): unknown {
  const isText = reply.text !== undefined;
  const payload = reply.text ?? JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? (isText ? 'text/html; charset=utf-8' : 'application/json;charset=utf-8'),
    server: 'DingTalk/1.0.0',
    ...reply.headers,
  });
  res.end(payload);
  return isText ? reply.text : reply.body;
}
