/**
 * What bench:callback needs besides its main file: the server process and the pre-built signed requests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { cardActionEvent, encryptForFeishu, feishuSignature } from '../../test/fakes/feishu';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, type ReadyMessage, type WindowMessage } from './callback-shared';
import type { PreparedRequest } from './load';

/**
 * Pre-built requests per target: an even number of rounds of the 50 members, so the 参加/请假 alternation survives
 * wrapping. Enough that a run never wraps: a wrapped request repeats an event id, which the bot answers on its
 * short path ("already handled"), so wrapping would flatter the figures (runs before 2026-11-27 did wrap: 400
 * rounds, most peak requests of the later repetitions were such replays). BENCH_CALLBACK_ROUNDS overrides.
 */
const ROUNDS = 2 * Math.ceil(Number(process.env.BENCH_CALLBACK_ROUNDS ?? 1600) / 2);
const ROOT = path.join(__dirname, '..', '..');

export interface ServerHandle {
  child: ChildProcess;
  ready: Promise<ReadyMessage>;
  next: <T>(type: string) => Promise<T>;
}

/** Fork the server process; `env` is added to this process's environment (BENCH_CALLBACK_WORKERS, …). */
export function startServer(env: Record<string, string> = {}): ServerHandle {
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(path.join(__dirname, 'callback-server.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...extra],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const waiting = new Map<string, (m: unknown) => void>();
  child.on('message', (m: { type: string }) => {
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.(m);
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not answer ${type}`)), 60000);
      waiting.set(type, (m) => {
        clearTimeout(timer);
        resolve(m as T);
      });
    });
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    next<ReadyMessage>('ready').then(resolve, reject);
  });
  return { child, ready, next };
}

export function buildRequests(ready: ReadyMessage): PreparedRequest[] {
  const out: PreparedRequest[] = [];
  const ts = String(Math.floor(Date.now() / 1000));
  for (let round = 0; round < ROUNDS; round++) {
    const leave = round % 2 === 1;
    for (const operator of ready.members) {
      const event = cardActionEvent({
        chatId: ready.chatId,
        messageId: ready.messageId,
        operatorOpenId: operator,
        value: { v: 1, duty: ready.dutyId, act: leave ? 'leave' : 'attend' },
        token: VERIFICATION_TOKEN,
        ...(leave ? { formValue: { reason: '外出培训' } } : {}),
      });
      const body = JSON.stringify({ encrypt: encryptForFeishu(event, ENCRYPT_KEY) });
      const nonce = randomBytes(8).toString('hex');
      out.push({
        body: Buffer.from(body),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-lark-request-timestamp': ts,
          'x-lark-request-nonce': nonce,
          'x-lark-signature': feishuSignature(ts, nonce, ENCRYPT_KEY, body),
        },
      });
    }
  }
  return out;
}

/** The bot must answer each click with a success toast (the answer changed). */
export const botAnswered = (body: string): boolean => body.includes('"type":"success"');
export const baselineAnswered = (body: string): boolean => body.includes('"toast"');


/** Run `fn` while the server measures its event-loop utilisation and CPU time. */
export async function measured<T>(server: ServerHandle, fn: () => Promise<T>): Promise<{ result: T; server: WindowMessage }> {
  server.child.send({ type: 'mark' });
  const result = await fn();
  const reply = server.next<WindowMessage>('window');
  server.child.send({ type: 'window' });
  return { result, server: await reply };
}
