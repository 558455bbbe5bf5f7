import type { Duty } from '../../src/domain/types';

/**
 * A scheduled 支部委员会: #7 of the sandbox chat branch-1, organised by 王建国 (u1), reminded a day and an hour
 * before. The test gives what it depends on: the time, the audience and when the duty was made (also its last
 * change, unless given); anything else may be overridden.
 */
export function aMeeting(d: Pick<Duty, 'at' | 'audience' | 'createdAt'> & Partial<Duty>): Duty {
  return {
    id: 'abcdef123456',
    chat: { platform: 'sandbox', chatId: 'branch-1' },
    number: 7,
    kind: 'meeting',
    label: '会议',
    title: '支部委员会',
    organizer: { id: 'u1', name: '王建国' },
    reminderOffsets: [1440, 60],
    state: 'scheduled',
    updatedAt: d.createdAt,
    ...d,
  };
}
