/** Duties and answers built by hand for the pure statistics tests. */
import type { DutyWithAnswers } from '../../src/domain/stats';
import type { Answer, Duty, DutyKind } from '../../src/domain/types';

export const TZ = 'Asia/Shanghai';
export const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

let seq = 0;

export function duty(kind: DutyKind, number: number, wall: string, audience: string[], extra: Partial<Duty> = {}): Duty {
  seq += 1;
  return {
    id: `d${seq}abcdef`,
    chat: { platform: 'sandbox', chatId: 'branch-1' },
    number,
    kind,
    label: kind === 'meeting' ? '会议' : kind === 'study' ? '学习' : '述职',
    title: `事项${number}`,
    at: at(wall),
    organizer: { id: 'u1', name: '王建国' },
    audience,
    reminderOffsets: [],
    state: 'scheduled',
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}

export type Given = Record<string, ['attending'] | ['leave', string] | ['submitted'] | ['late']>;

/** withAnswers(duty, { u1: ['attending'], u2: ['leave', '出差'], u3: ['late'] }): late = submitted an hour after. */
export function withAnswers(d: Duty, given: Given, answeredAt = d.at - 3600_000): DutyWithAnswers {
  const answers = new Map<string, Answer>();
  for (const [memberId, [status, reason]] of Object.entries(given)) {
    if (status === 'late') answers.set(memberId, { memberId, status: 'submitted', at: d.at + 3600_000, late: true });
    else if (status === 'leave') answers.set(memberId, { memberId, status, reason, at: answeredAt });
    else answers.set(memberId, { memberId, status, at: answeredAt });
  }
  return { duty: d, answers };
}
