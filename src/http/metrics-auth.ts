import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * `Authorization: Bearer <METRICS_TOKEN>` on /metrics (RFC 6750, https://www.rfc-editor.org/rfc/rfc6750#section-3;
 * Prometheus sends it with `authorization: { credentials: … }` in the scrape config,
 * https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config). Compared as SHA-256
 * digests with timingSafeEqual, as the admin API does (src/http/admin/auth.ts). No token configured: open.
 */
export function metricsAuth(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const given = /^Bearer[ \t]+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    if (given && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', given ? 'Bearer realm="luoshi-metrics", error="invalid_token"' : 'Bearer realm="luoshi-metrics"')
      .type('text/plain; charset=utf-8')
      .send(given ? '指标令牌不正确。\n' : '缺少指标令牌：请在请求头中写 Authorization: Bearer <METRICS_TOKEN>。\n');
  };
}
