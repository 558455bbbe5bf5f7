import { spawnSync } from 'node:child_process';
import type { IRoute } from 'express-serve-static-core';
import { adminRouter } from '../../src/http/admin';
import { startAdmin, type AdminWorld } from './support';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Validate with @seriousme/openapi-schema-validator. The package is ESM only, which Jest's CommonJS runtime
 * cannot require on Node 20, so it runs in a child Node process that reads the document on stdin.
 */
function validateOpenApi(document: unknown): { valid: boolean; version?: string; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(document), cwd: process.cwd(), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`validator failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout) as { valid: boolean; version?: string; errors?: unknown };
}

/** `GET /api/duties/{id}` for every method of every route the router serves (405 catch-alls left out). */
function servedOperations(w: AdminWorld): string[] {
  const router = adminRouter(w.started.bot.services);
  const routes = router.stack.map((layer) => layer.route).filter((r): r is IRoute => r !== undefined);
  return routes.flatMap((route) =>
    route.stack
      .map((layer) => layer.method)
      .filter((m): m is string => typeof m === 'string' && METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  );
}

function documentedOperations(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('GET /api/openapi.json', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin();
  });

  afterEach(async () => {
    await w.stop();
  });

  async function fetchDocument(): Promise<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } } & Record<string, unknown>> {
    const reply = await w.call('GET', '/api/openapi.json', { token: null });
    expect(reply.status).toBe(200);
    return reply.json as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  }

  it('should be a valid OpenAPI 3.1 document', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(validateOpenApi(document)).toEqual({ valid: true, version: '3.1' });
  });

  it('should be caught by the validator when broken, so the check above means something', async () => {
    const document = await fetchDocument();
    const broken = { ...document, paths: { ...document.paths, '/api/duties/{id}': { get: { responses: 'none' } } } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('should name exactly the routes the router serves', async () => {
    const served = servedOperations(w);
    expect(served).toHaveLength(14);
    expect(documentedOperations(await fetchDocument()).sort()).toEqual(served.sort());
  });

  it('should describe the problem schema, the bearer scheme and the public document route', async () => {
    const document = await fetchDocument();
    expect(document.components.schemas.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail', 'instance'] });
    expect(document).toMatchObject({
      security: [{ adminToken: [] }],
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
      paths: { '/api/openapi.json': { get: { security: [] } } },
    });
    expect(document.components.schemas.CreateDutyRequest).toMatchObject({
      additionalProperties: false,
      required: ['kind', 'title', 'at', 'organizer'],
    });
  });
});
