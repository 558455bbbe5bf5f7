import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { metricsAuth } from './metrics-auth';

/**
 * What /readyz says: ready or not, and on a Redis Cluster the masters (`host:port`) that did not answer and the
 * hash slots no master serves (src/store/store-probe.ts).
 */
export interface Readiness {
  readonly ready: boolean;
  readonly failedMasters?: readonly { readonly node: string; readonly error: string }[];
  readonly uncoveredSlots?: number;
}

export interface HttpDeps {
  readonly routers: readonly Router[];
  readonly metrics: Metrics;
  /** Ready when Redis answers (every master, on a cluster) and the workers run. */
  readonly ready: () => Promise<Readiness>;
  /** Called before /metrics is served, to refresh gauges (cached: src/http/queue-gauges.ts). */
  readonly beforeMetrics?: () => Promise<void>;
  /** Bearer token /metrics asks for (METRICS_TOKEN); open when unset. */
  readonly metricsToken?: string;
  readonly log: Logger;
}

/** The express app: platform routers, health, readiness and metrics. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag hashing of every JSON answer (webhook answers are never cached): bench:callback.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // A cluster's unanswering masters are logged when they change (a probe polls every few seconds), and named in the body.
  let failedBefore = '';
  app.get('/readyz', async (_req, res) => {
    const { ready, failedMasters = [], uncoveredSlots = 0 } = await deps.ready().catch((): Readiness => ({ ready: false }));
    const nodes = failedMasters.map((m) => m.node);
    const failed = [nodes.length > 0 ? `masters not answering: ${nodes.join(', ')}` : '', uncoveredSlots > 0 ? `${uncoveredSlots} slots without a master` : ''].filter(Boolean).join('; ');
    if (failed !== failedBefore) {
      if (failed) deps.log.warn({ failedMasters, uncoveredSlots }, `readyz: Redis Cluster ${failed}`);
      else deps.log.info('readyz: every Redis Cluster master answers again');
      failedBefore = failed;
    }
    res.status(ready ? 200 : 503).json({ ready, ...(nodes.length > 0 ? { failedMasters: nodes } : {}), ...(uncoveredSlots > 0 ? { uncoveredSlots } : {}) });
  });
  app.get('/metrics', metricsAuth(deps.metricsToken), async (_req, res) => {
    await deps.beforeMetrics?.().catch((err: unknown) => deps.log.warn({ err }, 'metrics refresh failed'));
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  for (const router of deps.routers) app.use(router);
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) deps.log.error({ err }, 'http request failed');
    res.status(status).json({ error: status === 413 ? '请求太大' : status === 400 ? '请求格式不对' : '服务出错' });
  };
  app.use(onError);
  return app;
}
