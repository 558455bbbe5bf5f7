/**
 * A quarter of a branch's duties (Q4 2026 in 第一党支部), created and answered through the duty service while a
 * test clock walks across the quarter, with the report pages served by an express app of their own.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Duty, DutyKind, Member } from '../../src/domain/types';
import { createReports } from '../../src/http/reports';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { addOutsider, CHAT, OUTSIDER, shanghai } from '../handlers/support';
import { startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

export interface QuarterWorld {
  readonly started: StartedBot;
  readonly clock: TestClock;
  readonly driver: SandboxDriver;
  /** Where the report router listens: PUBLIC_BASE_URL of the bot. */
  readonly reportsUrl: string;
  stop(): Promise<void>;
}

const member = (id: string): Member => {
  const m = [...DEMO_MEMBERS, OUTSIDER].find((x) => x.id === id);
  if (!m) throw new Error(`no member ${id}`);
  return m;
};

/** The clock when 统计 本季度 is asked: after every duty of the quarter but #9. */
export const ASKED_AT = shanghai('2026-12-31T20:00');

export async function startQuarterWorld(): Promise<QuarterWorld> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const reportsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = new TestClock(shanghai('2026-09-20T10:00'));
  const started = await startBot({ clock: clock.now, env: { PUBLIC_BASE_URL: reportsUrl } });
  app.use(createReports(started.bot.services, started.bot.reportLinks));
  return {
    started,
    clock,
    driver: new SandboxDriver(started),
    reportsUrl,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await started.stop();
    },
  };
}

export async function playQuarter(w: QuarterWorld): Promise<void> {
  const { dutyService } = w.started.bot.services;
  const at = (wall: string): void => {
    w.clock.t = shanghai(wall);
  };
  const create = (kind: DutyKind, label: string, title: string, wall: string): Promise<Duty> =>
    dutyService.create({ chat: CHAT, organizer: member('u1'), kind, label, title, at: shanghai(wall) }, w.clock.t);
  const answer = async (duty: Duty, id: string, status: 'attending' | 'leave' | 'submitted', reason?: string): Promise<void> => {
    const write = await dutyService.answer(duty.id, member(id), status, w.clock.t, reason);
    if (!write?.ok) throw new Error(`answer of ${id} to #${duty.number} refused: ${write && !write.ok ? write.message : 'missing'}`);
  };

  at('2026-09-20T10:00');
  const d1 = await create('meeting', '会议', '支部委员会', '2026-10-15T15:00');
  const d2 = await create('study', '学习', '理论学习中心组', '2026-10-28T09:00');
  const d3 = await create('meeting', '会议', '主题党日', '2026-11-10T14:00');
  const d4 = await create('report', '述职', '2026年度述职报告', '2026-11-30T18:00');
  const d5 = await create('meeting', '会议', '九月支委会', '2026-09-28T15:00');
  await create('meeting', '会议', '一月支委会', '2027-01-06T15:00');

  at('2026-09-25T09:00');
  await answer(d5, 'u1', 'attending');
  at('2026-10-10T09:00');
  for (const id of ['u1', 'u2', 'u4', 'u5']) await answer(d1, id, 'attending');
  await answer(d1, 'u3', 'leave', '外出培训');
  at('2026-10-26T16:30');
  for (const id of ['u1', 'u3', 'u4', 'u6']) await answer(d2, id, 'attending');
  await answer(d2, 'u2', 'leave', '出差');
  at('2026-11-03T10:00');
  await answer(d3, 'u2', 'attending');
  at('2026-11-05T10:00');
  await dutyService.cancel(CHAT, d3.number, member('u1'), w.clock.t);
  at('2026-11-20T10:00');
  await answer(d4, 'u1', 'submitted');
  at('2026-11-29T15:00');
  await answer(d4, 'u2', 'submitted');
  await answer(d4, 'u5', 'submitted');

  at('2026-12-01T09:00');
  await addOutsider(w.started);
  const d7 = await create('meeting', '会议', '支部党员大会', '2026-12-16T15:00');
  const d8 = await create('report', '报告', '党建工作总结', '2026-12-25T18:00');
  const d9 = await create('study', '学习', '党课：<b>初心</b> & 使命', '2026-12-31T21:00');
  at('2026-12-02T11:00');
  await answer(d4, 'u3', 'submitted'); // after the deadline: late
  at('2026-12-10T09:30');
  for (const id of ['u1', 'u2', 'u3', 'u6', 'u7']) await answer(d7, id, 'attending');
  await answer(d7, 'u4', 'leave', '=SUM(1,2) 住院');
  at('2026-12-20T14:00');
  await answer(d8, 'u1', 'submitted');
  await answer(d8, 'u2', 'submitted');
  at('2026-12-26T10:00');
  await answer(d8, 'u7', 'submitted'); // late
  at('2026-12-28T10:00');
  await answer(d9, 'u1', 'attending');
  w.clock.t = ASKED_AT;
}
