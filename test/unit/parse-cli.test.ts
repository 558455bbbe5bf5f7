import { runCli } from '../../src/cli/luoshi';

const NOW = ['--now', '2026-11-27T10:00:00+08:00'];
const parse = (message: string): { code: number; json: unknown } => {
  const { code, stdout } = runCli(['parse', message, ...NOW], {});
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trimEnd().includes('\n')).toBe(false);
  return { code, json: JSON.parse(stdout) as unknown };
};

describe('luoshi parse', () => {
  it('should print a free notice as one JSON line: what it reads and what it inferred', () => {
    expect(parse('明天下午3点在三楼会议室开支委会')).toEqual({
      code: 0,
      json: {
        command: 'create',
        kind: 'meeting',
        label: '会议',
        title: '支部委员会',
        at: '2026-11-28T15:00:00+08:00',
        place: '三楼会议室',
        category: '支委会',
        reminders: [1440, 60],
        inferred: ['kind', 'place', 'title'],
        guesses: ['标题按「支委会」理解为支部委员会', '类别：支委会'],
      },
    });
  });

  it('should print a strict command with nothing inferred, a rule as its description, and management commands', () => {
    expect(parse('会议 支部委员会 每月最后一个工作日 15:00 地点 三楼会议室').json).toMatchObject({ command: 'create', rule: '每月最后一个工作日 15:00', inferred: [] });
    expect(parse('取消 #21 #22').json).toEqual({ command: 'cancel', numbers: [21, 22] });
    expect(parse('把#7改到下周三下午3点').json).toEqual({ command: 'reschedule', number: 7, at: '2026-12-02T15:00:00+08:00' });
    expect(parse('改期 S3 每月第二个周三下午3点').json).toEqual({ command: 'reschedule', series: 3, rule: '每月第二个周三 15:00' });
    expect(parse('#7的统计').json).toEqual({ command: 'tally', number: 7 });
    expect(parse('催一下#7').json).toEqual({ command: 'nudge', number: 7 });
  });

  it('should answer exit code 2 with the reason when it cannot read the message', () => {
    expect(parse('你好')).toEqual({ code: 2, json: { error: '没看懂' } });
    expect(parse('明天下午开支委会')).toEqual({ code: 2, json: { error: '「明天下午」是几点？例如：明天下午3点' } });
    expect(parse('会议 支部委员会 13月5日')).toEqual({ code: 2, json: { error: '没有这一天：13月5日' } });
  });
});
