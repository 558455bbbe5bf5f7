import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually, removePrefix, uniquePrefix, REDIS_URL } from '../helpers/harness';

const ROOT = path.join(__dirname, '..', '..');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Start the bot as `npm start` does (tsx src/main.ts), with its own key prefix and a free port. */
function startProcess(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('the bot process', () => {
  const prefix = uniquePrefix();
  afterAll(async () => {
    await removePrefix(prefix);
  });

  it('should open the console with the demo branch and stop cleanly on SIGTERM', async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: prefix });
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 20000, 'readyz');
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain('<html');
      const state = (await (await fetch(`http://127.0.0.1:${port}/sandbox/api/state`)).json()) as { chat: { name: string }; members: unknown[] };
      expect(state.chat.name).toBe('第一党支部');
      expect(state.members).toHaveLength(6);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('luoshi_queue_jobs');
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('"msg":"stopped"');
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 40000);

  it('should download the XLSX report from a bot started as npm start starts it', async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const base = `http://127.0.0.1:${port}`;
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}x`, PUBLIC_BASE_URL: base });
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 20000, 'readyz');
      const said = await fetch(`${base}/sandbox/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'branch-1', senderId: 'u1', text: '@落实 统计 本月' }),
      });
      expect(said.status).toBe(202);
      // The statistics card carries the signed link of the report page.
      const pageUrl = await eventually(async () => {
        const state = await (await fetch(`${base}/sandbox/api/state`)).text();
        return /(\/reports\/[^"\\\s]+)/.exec(state)?.[1];
      }, 10000, 'the report link');
      const page = await fetch(`${base}${pageUrl}`);
      expect(page.status).toBe(200);
      const href = /class="xlsx" href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
      expect(href).toContain('/report.xlsx?');
      const xlsx = await fetch(new URL(href ?? '', `${base}${pageUrl}`)); // relative to the page, as a browser resolves it
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const bytes = Buffer.from(await xlsx.arrayBuffer());
      expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip container, as every .xlsx is
      expect(bytes.length).toBeGreaterThan(1000);
    } finally {
      // SIGTERM: tsx passes it on to the bot (a SIGKILL would stop tsx alone and leave the bot running).
      run.child.kill('SIGTERM');
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 10000))]);
      run.child.kill('SIGKILL');
      await removePrefix(`${prefix}x`);
    }
  }, 60000);

  it('should refuse to start with one clear line per bad variable', async () => {
    const run = startProcess({ PORT: 'abc', BOT_TIMEZONE: 'Nowhere/City', REDIS_KEY_PREFIX: prefix });
    expect(await run.exited).toBe(1);
    const lines = run.output().split('\n').filter((l) => /^\s+(PORT|BOT_TIMEZONE):/.test(l));
    expect(lines).toHaveLength(2);
  }, 30000);
});
