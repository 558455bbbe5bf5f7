/** The bot run as a separate process, the way `npm start` runs it (the README's first step). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start`'s command as package.json has it (the README's way to run the bot):
 * `node --max-semi-space-size=4 --import tsx src/main.ts`, one process. (`tsx src/main.ts` ran tsx's CLI, which
 * spawns a second node for the bot: a SIGKILL of the started pid left that child running and listening.)
 */
export function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [bin, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (bin === 'node') return args;
  if (bin === 'tsx') return [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), ...args];
  throw new Error(`npm start runs ${bin}: this test knows node and tsx`);
}

/** Start the bot as `npm start` does, with its own key prefix and a free port. */
export function startProcess(env: Record<string, string>): Running {
  const child = spawn(process.execPath, startArgs(), {
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

/**
 * A port for a child bot: below Linux's ephemeral range (32768–60999, /proc/sys/net/ipv4/ip_local_port_range), where
 * the outgoing connections of every test (Redis clients, fetches) and the servers listening on port 0 take theirs.
 */
export const randomPort = (): string => String(20000 + Math.floor(Math.random() * 12000));

/** SIGTERM, up to `graceMs` for a clean stop, then SIGKILL; resolves once the process is gone. */
export async function stopProcess(run: Running, graceMs = 10000): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([run.exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  run.child.kill('SIGKILL');
  await run.exited;
}
