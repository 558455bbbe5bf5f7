import type { RequestHandler } from 'express';

/**
 * The console has no login: it trusts whoever can reach it, which is meant to be the person at this machine. A web
 * page elsewhere can still reach it through DNS rebinding (its own name re-pointed at 127.0.0.1: the browser then
 * treats the console as that page's own origin), so every console request must name this console in its `Host`
 * header (https://en.wikipedia.org/wiki/DNS_rebinding; the defence the webpack dev server and Vite use too).
 *
 * Only the raw `Host` header counts: `X-Forwarded-Host` is a header any same-origin page may set, and express's
 * `req.hostname` would take it from a loopback client under `trust proxy` (src/http/app.ts).
 */
export interface HostRules {
  /** HOST: a specific address or name the bot listens on (a wildcard such as 0.0.0.0 names nothing). */
  readonly listenHost: string;
  /** PUBLIC_BASE_URL: the console may be reached under it (behind a reverse proxy that keeps `Host`). */
  readonly publicBaseUrl?: string;
  /** SANDBOX_ALLOWED_HOSTS: `name` (with the port the request came in on) or `name:port`. */
  readonly extra: readonly string[];
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::', '[::]', ''];

/** `host` (and `host:port`) as the URL parser normalises them: lower case, IPv6 in brackets, default port dropped. */
function parseHost(raw: string): { hostname: string; port: string; host: string } | undefined {
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(raw)) return undefined;
  try {
    const url = new URL(`http://${raw}`);
    return { hostname: url.hostname, port: url.port, host: url.host };
  } catch {
    return undefined;
  }
}

/** Whether a request's `Host` names this console; `localPort` is the port the request arrived on. */
export function hostAllowed(rawHost: string | undefined, localPort: number | undefined, rules: HostRules): boolean {
  if (!rawHost) return false;
  const given = parseHost(rawHost);
  if (!given) return false;
  // A bare name must come with the port the request came in on (none written means 80).
  const onThisPort = given.port === String(localPort) || (given.port === '' && localPort === 80);
  const names = [...LOOPBACK];
  const listen = parseHost(rules.listenHost.includes(':') && !rules.listenHost.startsWith('[') ? `[${rules.listenHost}]` : rules.listenHost);
  if (listen && !WILDCARDS.includes(rules.listenHost)) names.push(listen.hostname);
  for (const entry of rules.extra) {
    const e = parseHost(entry);
    if (!e) continue;
    if (!/:\d+$/.test(entry)) names.push(e.hostname);
    else if (e.host === given.host) return true;
  }
  if (names.includes(given.hostname) && onThisPort) return true;
  if (rules.publicBaseUrl) {
    try {
      if (new URL(rules.publicBaseUrl).host === given.host) return true;
    } catch {
      return false;
    }
  }
  return false;
}

export const HOST_REFUSAL =
  '拒绝访问：请求中的主机名（Host）不是本控制台的地址，可能是其他网页借 DNS 重绑定访问本机。请用 http://localhost:<端口>/ 打开控制台；从其他地址访问时，请把该主机名加入 SANDBOX_ALLOWED_HOSTS。';

/** Refuses (403, nothing read or written) a request whose `Host` does not name this console. */
export function hostCheck(rules: HostRules, onRefused?: (host: string | undefined) => void): RequestHandler {
  return (req, res, next) => {
    if (hostAllowed(req.headers.host, req.socket.localPort, rules)) {
      next();
      return;
    }
    onRefused?.(req.headers.host);
    res.status(403).json({ error: HOST_REFUSAL });
  };
}
