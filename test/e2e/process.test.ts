import { readdirSync, readFileSync } from 'node:fs';
import { randomPort, startProcess, stopProcess } from '../helpers/bot-process';
import { eventually, removePrefix, uniquePrefix, REDIS_URL } from '../helpers/harness';
import { readZip } from '../materials/zip-reader';

/** The pids whose parent is `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether a process runs (a zombie, exited but not yet reaped, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the bot process', () => {
  const prefix = uniquePrefix();
  afterAll(async () => {
    await removePrefix(prefix);
  });

  it('should open the console with the demo branch and stop cleanly on SIGTERM', async () => {
    const port = randomPort();
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: prefix });
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
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
  }, 70000);

  it('should download the XLSX report from a bot started as npm start starts it', async () => {
    const port = randomPort();
    const base = `http://127.0.0.1:${port}`;
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}x`, PUBLIC_BASE_URL: base });
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
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
      await stopProcess(run);
      await removePrefix(`${prefix}x`);
    }
  }, 80000);

  it('should download the ledger ZIP from a bot started as npm start starts it (archiver is an ES module there)', async () => {
    const port = randomPort();
    const base = `http://127.0.0.1:${port}`;
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}z`, PUBLIC_BASE_URL: base });
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
      const said = await fetch(`${base}/sandbox/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'branch-1', senderId: 'u1', text: '@落实 会议 支部委员会 明天下午3点' }),
      });
      expect(said.status).toBe(202);
      await fetch(`${base}/sandbox/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'branch-1', senderId: 'u1', text: '@落实 台账 本年' }),
      });
      const pageUrl = await eventually(async () => {
        const state = await (await fetch(`${base}/sandbox/api/state`)).text();
        return /(\/reports\/[^"\\\s]*\/ledger\?[^"\\\s]+)/.exec(state)?.[1];
      }, 15000, 'the ledger link');
      const page = await fetch(`${base}${pageUrl}`);
      expect(page.status).toBe(200);
      const href = /class="zip" href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
      expect(href).toBeDefined();
      const zip = await fetch(new URL(href ?? '', `${base}${pageUrl}`));
      expect(zip.status).toBe(200);
      expect(zip.headers.get('content-type')).toContain('zip');
      const files = await readZip(Buffer.from(await zip.arrayBuffer()));
      expect(files.map((f) => f.name).some((n) => n.endsWith('/index.html'))).toBe(true);
      expect(files.some((f) => f.name.endsWith('/记录.html'))).toBe(true);
    } finally {
      await stopProcess(run);
      await removePrefix(`${prefix}z`);
    }
  }, 80000);

  it('should stop in under 2 s with a console open, ending its event stream with a shutdown event', async () => {
    const port = randomPort();
    const base = `http://127.0.0.1:${port}`;
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}s` });
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
      const stream = await fetch(`${base}/sandbox/api/events`);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      const reader = stream.body?.getReader();
      if (!reader) throw new Error('no stream body');
      const decoder = new TextDecoder();
      let received = decoder.decode((await reader.read()).value);
      const started = Date.now();
      run.child.kill('SIGTERM');
      const rest = (async () => {
        for (;;) {
          const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (chunk.done) return;
          received += decoder.decode(chunk.value);
        }
      })();
      expect(await run.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(2000);
      await rest;
      expect(received).toContain('event: shutdown');
      expect(run.output()).toContain('"msg":"stopped"');
    } finally {
      run.child.kill('SIGKILL');
      await removePrefix(`${prefix}s`);
    }
  }, 70000);

  it('should leave no process behind, and nothing listening, when the started pid is killed with SIGKILL', async () => {
    const port = randomPort();
    const base = `http://127.0.0.1:${port}`;
    const run = startProcess({ PORT: port, REDIS_URL, REDIS_KEY_PREFIX: `${prefix}k` });
    let children: number[] = [];
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
      children = childrenOf(run.child.pid ?? 0);
      run.child.kill('SIGKILL');
      expect(await run.exited).toBeNull();
      // Whatever the bot process had started (tsx's esbuild service at most) goes with it.
      await eventually(async () => children.every((c) => !running(c)), 5000, `children ${children.join(', ')} to end`);
      const answer = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (res) => `answered ${res.status}`,
        (err: unknown) => String((err as { cause?: { code?: string } }).cause?.code ?? err),
      );
      expect(answer).toBe('ECONNREFUSED');
    } finally {
      for (const c of children.filter(running)) process.kill(c, 'SIGKILL');
      await removePrefix(`${prefix}k`);
    }
  }, 70000);

  it('should refuse to start with one clear line per bad variable', async () => {
    const run = startProcess({ PORT: 'abc', BOT_TIMEZONE: 'Nowhere/City', REDIS_KEY_PREFIX: prefix });
    expect(await run.exited).toBe(1);
    const lines = run.output().split('\n').filter((l) => /^\s+(PORT|BOT_TIMEZONE):/.test(l));
    expect(lines).toHaveLength(2);
  }, 30000);
});
