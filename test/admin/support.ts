/** Shared set-up for the admin API tests: a bot on the sandbox, and an express app around `adminRouter` only. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { z } from 'zod';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import type { ChatRef, Duty } from '../../src/domain/types';
import { adminRouter } from '../../src/http/admin';
import { problemSchema } from '../../src/http/admin/response-schemas';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

export const TOKEN = 'admin-token-for-tests-0123456789';
/** Friday 27 November 2026, 10:00 in Shanghai. */
export const NOW = Date.parse('2026-11-27T10:00:00+08:00');
export const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
export const CHAT_PATH = encodeURIComponent(`sandbox:${DEMO_CHAT.id}`);
export const ORGANIZER = { id: 'u1', name: '王建国' } as const;

export const meetingBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'meeting',
  title: '支部委员会',
  at: '2026-12-05T15:00:00+08:00',
  place: '三楼会议室',
  organizer: { ...ORGANIZER },
  ...overrides,
});

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  /** The body decoded as UTF-8, a byte order mark kept. */
  readonly text: string;
  readonly bytes: Buffer;
  /** The parsed body when it is JSON (or problem+json), else undefined. */
  readonly json: unknown;
}

export interface CallOptions {
  /** `null` sends no Authorization header; default is the good token. */
  readonly token?: string | null;
  readonly body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  readonly raw?: string;
  readonly contentType?: string;
}

export interface AdminWorld {
  readonly started: StartedBot;
  readonly clock: TestClock;
  readonly driver: SandboxDriver;
  readonly baseUrl: string;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  stop(): Promise<void>;
}

/** A bot with its own Redis prefix and a fixed clock, and the admin router alone on a free port. */
export async function startAdmin(options: { token?: string | null; env?: Record<string, string> } = {}): Promise<AdminWorld> {
  const clock = new TestClock(NOW);
  const token = options.token === undefined ? TOKEN : options.token;
  const started = await startBot({ clock: clock.now, env: { ...options.env, ...(token === null ? {} : { ADMIN_TOKEN: token }) } });
  const app = express().use(adminRouter(started.bot.services));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    started,
    clock,
    driver: new SandboxDriver(started),
    baseUrl,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      const auth = opts.token === undefined ? TOKEN : opts.token;
      if (auth !== null) headers.authorization = `Bearer ${auth}`;
      let body: string | undefined;
      if (opts.raw !== undefined || opts.body !== undefined) {
        body = opts.raw ?? JSON.stringify(opts.body);
        headers['content-type'] = opts.contentType ?? 'application/json';
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const bytes = Buffer.from(await res.arrayBuffer());
      const text = bytes.toString('utf8');
      const type = res.headers.get('content-type') ?? '';
      return { status: res.status, headers: res.headers, text, bytes, json: /json/.test(type) && text ? (JSON.parse(text) as unknown) : undefined };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await started.stop();
    },
  };
}

/** The body as a problem: checks the media type and the RFC 9457 members. */
export function expectProblem(reply: Reply, status: number): z.infer<typeof problemSchema> {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(reply.json);
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^tag:luoshi,2026:problem\//);
  expect(problem.detail.length).toBeGreaterThan(0);
  return problem;
}

/** Everything a request could have written: duties and their histories, reminder and card jobs, the roster cache. */
export async function storedState(w: AdminWorld, chat: ChatRef = CHAT): Promise<unknown> {
  const { duties } = w.started.bot.services;
  const all = await duties.listByPeriod(chat, -8.64e15, 8.64e15);
  const histories = await Promise.all(all.map(async (d) => [d.id, d.state, await duties.history(d.id)] as const));
  const jobs = (await w.started.bot.queues.reminders.getDelayed()).map((j) => j.id).sort();
  const cards = (await w.started.bot.queues.cards.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).map((j) => j.id).sort();
  const roster = await w.started.bot.services.chats.roster(chat);
  return { open: (await duties.listOpen(chat)).map((d) => d.id), histories, jobs, cards, roster };
}

/** Ids of the delayed `remind` jobs of a duty (nudges and escalations have other ids). */
export async function remindJobs(w: AdminWorld, dutyId: string): Promise<string[]> {
  return (await w.started.bot.queues.reminders.getDelayed()).map((j) => j.id ?? '').filter((id) => id.startsWith(`rem-${dutyId}-`));
}

/** Ids of every delayed job of a duty, whatever its kind. */
export async function dutyJobs(w: AdminWorld, dutyId: string): Promise<string[]> {
  return (await w.started.bot.queues.reminders.getDelayed()).map((j) => j.id ?? '').filter((id) => id.includes(dutyId));
}

/** Create a duty through the API and return it from the store. */
export async function createThroughApi(w: AdminWorld, overrides: Record<string, unknown> = {}): Promise<Duty> {
  const reply = await w.call('POST', `/api/chats/${CHAT_PATH}/duties`, { body: meetingBody(overrides) });
  if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${reply.text}`);
  const id = (reply.json as { id: string }).id;
  const duty = await w.started.bot.services.duties.get(id);
  if (!duty) throw new Error('the created duty is not stored');
  return duty;
}
