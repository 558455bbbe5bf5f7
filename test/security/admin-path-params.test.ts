/**
 * A malformed path parameter (a broken percent-encoding the router cannot decode) is the caller's mistake: a 400
 * problem with a Chinese detail, for every parameter of every route, never a 500 (issue #11 item 9).
 */
import type { IRoute } from 'express-serve-static-core';
import { adminRouter } from '../../src/http/admin';
import { expectProblem, startAdmin, storedState, type AdminWorld } from '../admin/support';

/** Percent-encodings decodeURIComponent refuses: a truncated UTF-8 sequence, a lone %, a bad hex digit. */
const MALFORMED = ['%E0%A4%A', '%', '%ZZ', 'sandbox%3A%C3'];

describe('admin API: malformed path parameters', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin();
  });

  afterEach(async () => {
    await w.stop();
  });

  /** Every method and path with a `:param` that the router serves (read from the router itself). */
  function routesWithParams(): { method: string; path: string }[] {
    const routes = adminRouter(w.started.bot.services)
      .stack.map((layer) => layer.route)
      .filter((r): r is IRoute => r !== undefined && /:\w+/.test(String(r.path)));
    return routes.flatMap((route) =>
      route.stack
        .map((layer) => layer.method)
        .filter((m): m is string => typeof m === 'string' && m !== '_all' && m !== 'head')
        .map((method) => ({ method: method.toUpperCase(), path: String(route.path) })),
    );
  }

  it('should answer 400 problem+json in Chinese for each malformed parameter of each route, storing nothing', async () => {
    const routes = routesWithParams();
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const before = await storedState(w);
    for (const { method, path } of routes) {
      for (const bad of MALFORMED) {
        const url = path.replace(/:\w+/g, bad);
        const reply = await w.call(method, url, method === 'POST' ? { body: {} } : {});
        const problem = expectProblem(reply, 400);
        expect({ method, url, detail: problem.detail }).toEqual({ method, url, detail: expect.stringMatching(/^路径参数.*URL 编码/) });
      }
    }
    expect(await storedState(w)).toEqual(before);
  });
});
