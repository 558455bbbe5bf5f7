import { z } from 'zod';
import { unitSchema } from '../../domain/units';
import type { AdminDeps, Handler } from './handlers';
import { parseWith, requireJsonBody } from './request-schemas';

/** Who an admin API change is recorded as in the units' history. */
const ADMIN_ACTOR = 'admin-api';

export const unitsPutSchema = z.object({ units: z.array(unitSchema).max(5000) }).strict();
export const unitsImportSchema = z.object({ yaml: z.string().min(1).max(60_000).describe('data/org.yaml 的全文') }).strict();
export const unitsResponseSchema = z.object({
  units: z.array(unitSchema),
  history: z.array(z.object({ at: z.number(), by: z.string(), what: z.string() })).describe('最近 50 次修改，早的在前'),
  imported: z.number().int().optional(),
});

/**
 * The organisation's units through the admin API (issue 15):
 *   GET  /api/units          → { units, history }
 *   PUT  /api/units          { units: [{ name, level, parent?, chat? }] } → the whole tree replaced, or 422 naming the
 *                            problem (a name twice, a missing parent, a parent not above its child, a cycle): nothing stored
 *   POST /api/units/import   { yaml: "<data/org.yaml 的内容>" } → the org file imported, or 422 naming the line
 */
export function unitHandlers(deps: AdminDeps): Record<'list' | 'replace' | 'importFile', Handler> {
  const log = deps.log.child({ component: 'admin-api' });
  const present = async (res: Parameters<Handler>[1], extra: Record<string, unknown> = {}): Promise<void> => {
    res.json({ units: await deps.units.all(), history: (await deps.units.history()).slice(-50), ...extra });
  };
  return {
    async list(_req, res) {
      await present(res);
    },

    async replace(req, res) {
      const body = parseWith(unitsPutSchema, requireJsonBody(req.body), '请求体');
      await deps.units.replaceAll(body.units, ADMIN_ACTOR, deps.clock());
      log.info({ units: body.units.length }, 'units replaced through the admin api');
      await present(res);
    },

    async importFile(req, res) {
      const body = parseWith(unitsImportSchema, requireJsonBody(req.body), '请求体');
      const done = await deps.units.importOrgFile(body.yaml, ADMIN_ACTOR, deps.clock());
      log.info({ units: done.units }, 'org file imported through the admin api');
      await present(res, { imported: done.units });
    },
  };
}
