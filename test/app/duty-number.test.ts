import { openDutyCommand, readDutyNumber, readDutyNumbers, withDutyNumber } from '../../src/app/duty-number';
import type { CommandContext } from '../../src/app/handler';
import type { Duty } from '../../src/domain/types';
import { AppError, ErrorCode } from '../../src/errors';

/** A command context whose secretary check and duty lookup only record that they ran. */
function context(args: string) {
  const calls: string[] = [];
  const ctx = {
    args,
    message: { chat: { platform: 'sandbox', chatId: 'branch-1' } },
    requireSecretary: async (action: string) => void calls.push(`secretary ${action}`),
    services: {
      duties: {
        find: async (_chat: unknown, number: number) => {
          calls.push(`find ${number}`);
          return { id: 'd1', number } as Duty;
        },
      },
    },
  } as unknown as CommandContext;
  return { ctx, calls };
}

const MISSING = '请写上编号，例如：催办 #7';

describe('readDutyNumber', () => {
  it('should read #7, ＃7 and 7 as duty 7 with the words after it', () => {
    expect(readDutyNumber('#7 后天 上午9点')).toEqual({ number: 7, first: '#7', rest: ['后天', '上午9点'] });
    expect(readDutyNumber('＃7')).toEqual({ number: 7, first: '＃7', rest: [] });
    expect(readDutyNumber('7')).toEqual({ number: 7, first: '7', rest: [] });
  });

  it('should leave the number out when the first word is not one', () => {
    expect(readDutyNumber('本季度')).toEqual({ first: '本季度', rest: [] });
    expect(readDutyNumber('')).toEqual({ rest: [] });
  });
});

describe('readDutyNumbers', () => {
  it('should read every word as a number, none when there are no words', () => {
    expect(readDutyNumbers('#21 #22 23')).toEqual([21, 22, 23]);
    expect(readDutyNumbers('')).toEqual([]);
  });

  it('should give undefined when one word is not a number', () => {
    expect(readDutyNumbers('#21 和 #22')).toBeUndefined();
  });
});

describe('withDutyNumber', () => {
  it('should answer the missing number before the secretary check', async () => {
    const { ctx, calls } = context('');
    await expect(withDutyNumber(ctx, { missing: MISSING, requires: 'nudge' })).rejects.toEqual(new AppError(ErrorCode.BadCommand, MISSING));
    expect(calls).toEqual([]);
  });

  it('should answer the missing words after the number when they are needed', async () => {
    const { ctx, calls } = context('#7');
    await expect(openDutyCommand(ctx, { missing: MISSING, more: true, requires: 'reschedule' })).rejects.toThrow(MISSING);
    expect(calls).toEqual([]);
  });

  it('should check the secretary, then look the duty up in the chat', async () => {
    const { ctx, calls } = context('#7 外出 开会');
    const { duty, rest } = await withDutyNumber(ctx, { missing: MISSING, requires: 'nudge' });
    expect(duty.number).toBe(7);
    expect(rest).toEqual(['外出', '开会']);
    expect(calls).toEqual(['secretary nudge', 'find 7']);
  });

  it('should give the number without a lookup when only the number is asked', async () => {
    const { ctx, calls } = context('＃12 提前1天');
    expect(await openDutyCommand(ctx, { missing: MISSING, more: true })).toEqual({ number: 12, rest: ['提前1天'] });
    expect(calls).toEqual([]);
  });
});
