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

export type ParsedBody = { ok: true; body: unknown } | { ok: false; body: string };

/** JSON bodies are parsed (an empty body is undefined); anything unparsable is kept as text. */
export function parseBody(raw: string): ParsedBody {
  if (raw === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, body: raw };
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

export function writeReply(res: ServerResponse, reply: Reply): unknown {
  const isText = reply.text !== undefined;
  const payload = reply.text ?? JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'x-tt-logid': `fake${Date.now()}`,
    ...reply.headers,
  });
  res.end(payload);
  return isText ? reply.text : reply.body;
}

interface RouteDef<H> {
  method: string;
  re: RegExp;
  names: string[];
  handler: H;
}

/** A minimal path router: `:name` segments become params. */
export class Router<H> {
  private readonly routes: RouteDef<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const names: string[] = [];
    const src = pattern.replace(/:([a-z_]+)/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    this.routes.push({ method, re: new RegExp(`^${src}$`), names, handler });
    return this;
  }

  match(method: string, path: string): { handler: H; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      const m = r.method === method ? r.re.exec(path) : null;
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    return undefined;
  }
}
