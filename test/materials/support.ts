/** Shared set-up for the materials tests (issue 14): a console bot whose files go to a temporary DATA_DIR. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Duty } from '../../src/domain/types';
import type { SandboxMessage } from '../../src/store/sandbox-repo';
import { eventually, recordKeys, startBot, TestClock } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { NOW, type World } from '../handlers/support';

export interface FileWorld extends World {
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startFileWorld(env: Record<string, string> = {}): Promise<FileWorld> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-files-'));
  const clock = new TestClock(NOW);
  const started = await startBot({ clock: clock.now, env: { DATA_DIR: dataDir, ...env } });
  return {
    started,
    clock,
    driver: new SandboxDriver(started),
    dataDir,
    stop: async () => {
      await started.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface UploadAnswer {
  readonly status: number;
  readonly body: { message?: SandboxMessage; kept?: boolean; text?: string; error?: string };
}

/** Upload `content` as file `name` from member `senderId`, as the console's 📎 button does. */
export async function upload(w: World, senderId: string, name: string, content: Uint8Array | string, contentType = 'application/octet-stream'): Promise<UploadAnswer> {
  const query = new URLSearchParams({ chat: w.driver.chatId, sender: senderId, name });
  const res = await fetch(`${w.started.baseUrl}/sandbox/api/files?${query.toString()}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof content === 'string' ? content : Buffer.from(content),
  });
  return { status: res.status, body: (await res.json()) as UploadAnswer['body'] };
}

/** The bot's answer (text or card) to message `id`. */
export async function answerTo(w: World, id: string, kind: 'text' | 'card'): Promise<SandboxMessage> {
  return eventually(async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === kind), 5000, `a ${kind} answering ${id}`);
}

export const textOf = (m: SandboxMessage): string => plain(m.text);

/** Files kept under DATA_DIR (the temporary ones aside). */
export async function keptFiles(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'files');
  const dirs = await readdir(root).catch(() => []);
  const out: string[] = [];
  for (const d of dirs) if (d !== 'tmp') out.push(...(await readdir(path.join(root, d))));
  const tmp = await readdir(path.join(root, 'tmp')).catch(() => []);
  return [...out, ...tmp.map((t) => `tmp/${t}`)];
}

/** Mark a duty 需附件 the way the option will (another part of issue 14 reads it from the command). */
export async function markNeedsFile(w: World, duty: Duty): Promise<void> {
  await w.started.bot.redis.set(recordKeys(w.started.config).duty(duty.id), JSON.stringify({ ...duty, needsFile: true }));
}

/** A minimal valid PDF start, padded to `size` bytes. */
export function pdf(size = 2048, fill = 0x20): Uint8Array {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set(Buffer.from('%PDF-1.7\n'), 0);
  return bytes;
}

export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
