import express, { type RequestHandler, type Router } from 'express';
import { bearerAuth } from './auth';
import { committeeHandlers } from './committee';
import { adminHandlers, type AdminDeps, type Handler } from './handlers';
import { buildOpenApi } from './openapi';
import { unitHandlers } from './units';
import { fail, problemHandler, ProblemError } from './problem';

export type { AdminDeps } from './handlers';

export const ADMIN_API_VERSION = '1.0.0';
export const BODY_LIMIT = '64kb';

/**
 * The admin API under `/api` (issue #5 item 7). Mount it on the app before the other routers:
 *   routers.push(adminRouter(this.services))
 *
 * - Without ADMIN_TOKEN the API is off: every `/api` path answers 404 problem「管理接口未启用」.
 * - `GET /api/openapi.json` is public (it holds no data); everything else needs `Authorization: Bearer <ADMIN_TOKEN>`,
 *   checked before the body is read. Missing and wrong tokens both get 401 with `WWW-Authenticate`.
 * - Bodies are JSON up to 64 kB; every error is `application/problem+json` (RFC 9457).
 * Only paths under `/api` are touched, so the platform webhooks keep their raw bodies.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  const token = deps.config.ADMIN_TOKEN;
  if (!token) {
    router.use('/api', fail('api-disabled', '管理接口未启用：请设置 ADMIN_TOKEN（至少 16 个字符）后重启。'));
    router.use('/api', problemHandler(deps.log));
    return router;
  }

  const h = adminHandlers(deps);
  const committee = committeeHandlers(deps);
  const units = unitHandlers(deps);
  const document = buildOpenApi(ADMIN_API_VERSION);
  const route = (path: string, methods: Partial<Record<'get' | 'post' | 'put' | 'delete', Handler>>): void => {
    const r = router.route(path);
    if (methods.get) r.get(methods.get);
    if (methods.post) r.post(methods.post);
    if (methods.put) r.put(methods.put);
    if (methods.delete) r.delete(methods.delete);
    const allowed = [
      ...(methods.get ? ['GET', 'HEAD'] : []),
      ...(methods.post ? ['POST'] : []),
      ...(methods.put ? ['PUT'] : []),
      ...(methods.delete ? ['DELETE'] : []),
    ];
    r.all(methodNotAllowed(allowed));
  };

  route('/api/openapi.json', {
    get: async (_req, res) => {
      res.json(document);
    },
  });
  router.use('/api', bearerAuth(token), express.json({ limit: BODY_LIMIT }));
  route('/api/chats/:chat/duties', { get: h.list, post: h.create });
  route('/api/chats/:chat/export', { get: h.exportAnswers });
  route('/api/committee-chats', { get: committee.list });
  route('/api/chats/:chat/committee', { put: committee.mark, delete: committee.unmark });
  route('/api/units', { get: units.list, put: units.replace });
  route('/api/units/import', { post: units.importFile });
  route('/api/duties/:id', { get: h.read });
  route('/api/duties/:id/cancel', { post: h.cancel });
  route('/api/duties/:id/tally', { get: h.tally });
  route('/api/duties/:id/history', { get: h.history });
  router.use('/api', fail('not-found', '没有这个接口，请查看 /api/openapi.json。'));
  router.use('/api', problemHandler(deps.log));
  return router;
}

function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return () => {
    throw new ProblemError('method-not-allowed', `此地址只接受 ${allowed.join('、')} 请求。`, { headers: { Allow: allowed.join(', ') } });
  };
}
