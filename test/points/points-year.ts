import type { Bot } from '../../src/bot';
import type { ChatRef, DutyKind } from '../../src/domain/types';

/**
 * One year of 三会一课 in `chat`, as the commands would leave it, written straight to the store: `count` duties a week
 * apart from Monday 5 January 2026 15:00 (Beijing), every fifth a report (answered on time, late or not at all), every
 * fourth of five a study session, the rest meetings (RSVP answers, sign-ins, minutes the day after). Used by the
 * 积分 speed test (test/points/points-speed.test.ts) and its bench (bench/points.bench.ts).
 */
export async function writePointsYear(bot: Bot, prefix: string, chat: ChatRef, members: readonly string[], count: number): Promise<void> {
  const { duties } = bot.services;
  const redis = bot.redis;
  const yearStart = Date.parse('2026-01-05T15:00:00+08:00');
  for (let i = 0; i < count; i += 1) {
    const kind: DutyKind = i % 5 === 4 ? 'report' : i % 5 === 3 ? 'study' : 'meeting';
    const at = yearStart + i * 7 * 86_400_000;
    const duty = await duties.create(
      { chat, kind, label: kind === 'report' ? '述职' : '会议', title: `事项${i + 1}`, at, organizer: { id: 'm1', name: '书记' }, audience: members, reminderOffsets: [] },
      at - 86_400_000,
    );
    const answers: string[] = [];
    const signins: string[] = [];
    members.forEach((m, j) => {
      if (kind === 'report') {
        if (j % 6 !== 5) answers.push(m, JSON.stringify({ memberId: m, status: 'submitted', at: at - 3_600_000, ...(j % 7 === 0 ? { late: true } : {}) }));
        return;
      }
      answers.push(m, JSON.stringify(j % 10 === 9 ? { memberId: m, status: 'leave', reason: '出差', at: at - 3_600_000 } : { memberId: m, status: 'attending', at: at - 3_600_000 }));
      if (j % 10 !== 9 && j % 8 !== 7) signins.push(m, JSON.stringify({ status: 'present', at: at + 60_000, by: m, how: 'text', ...(j % 9 === 0 ? { late: true } : {}) }));
    });
    if (answers.length > 0) await redis.hset(`${prefix}:duty:${duty.id}:answers`, ...answers);
    if (signins.length > 0) await redis.hset(`${prefix}:duty:${duty.id}:signins`, ...signins);
    if (kind !== 'report') await redis.set(`${prefix}:duty:${duty.id}:minutes`, JSON.stringify({ text: '纪要', by: { id: 'm1', name: '书记' }, at: at + 86_400_000 }));
  }
}
