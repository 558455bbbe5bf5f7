import { cardValueSchema } from '../../src/domain/card-model';
import { buildDutyCard } from '../../src/domain/duty-card';
import { computeTally, tallyLine } from '../../src/domain/tally';
import type { Answer, Duty } from '../../src/domain/types';
import { aMeeting } from '../helpers/duty-fixture';

const TZ = 'Asia/Shanghai';
const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const names = new Map([
  ['u1', '王建国'],
  ['u2', '李明'],
  ['u3', '张丽'],
  ['u4', '刘洋'],
]);
const duty = aMeeting({ at: Date.parse('2026-11-28T15:00:00+08:00'), place: '三楼会议室', audience: ['u1', 'u2', 'u3', 'u4'], createdAt: NOW });
const answers = new Map<string, Answer>([
  ['u2', { memberId: 'u2', status: 'attending', at: NOW }],
  ['u3', { memberId: 'u3', status: 'leave', reason: '外出培训', at: NOW }],
  ['u9', { memberId: 'u9', status: 'attending', at: NOW }],
]);

describe('tally and duty card', () => {
  it('should count only the audience and put the names under each state', () => {
    const tally = computeTally(duty, answers, names);
    expect(tallyLine(duty, tally)).toBe('参加 1 · 请假 1 · 未回复 2');
    expect(tally.leave).toEqual([{ memberId: 'u3', name: '张丽', reason: '外出培训' }]);
    expect(tally.pending.map((e) => e.name)).toEqual(['王建国', '刘洋']);
  });

  it('should write report tallies as 已提交 N · 未提交 N', () => {
    const report: Duty = { ...duty, kind: 'report', label: '述职' };
    const tally = computeTally(report, new Map([['u2', { memberId: 'u2', status: 'submitted', at: NOW }]]), names);
    expect(tallyLine(report, tally)).toBe('已提交 1 · 未提交 3');
    const card = buildDutyCard({ duty: report, tally, now: NOW, timeZone: TZ });
    expect(card.buttons.map((b) => [b.label, b.value.act])).toEqual([['已提交', 'submit']]);
    expect(card.fields[0]).toEqual({ label: '截止', value: '11月28日（周六）15:00' });
  });

  it('should show what, when with the weekday, where, the time left, the tally, names and typed buttons', () => {
    const card = buildDutyCard({ duty, tally: computeTally(duty, answers, names), now: NOW, timeZone: TZ });
    expect(card.header).toEqual({ title: '【会议】支部委员会', subtitle: '#7', color: 'blue' });
    expect(card.fields).toEqual([
      { label: '时间', value: '11月28日（周六）15:00' },
      { label: '地点', value: '三楼会议室' },
      { label: '剩余', value: '还有 1天5小时' },
      { label: '提醒', value: '提前1天、提前1小时' },
    ]);
    expect(card.tally).toBe('参加 1 · 请假 1 · 未回复 2');
    expect(card.groups[1]).toEqual({ label: '请假', entries: [{ name: '张丽', note: '外出培训' }] });
    expect(card.buttons.map((b) => b.value)).toEqual([
      { v: 1, duty: duty.id, act: 'attend' },
      { v: 1, duty: duty.id, act: 'leave' },
    ]);
    expect(card.buttons[1]?.reasonPrompt).toBeDefined();
    for (const b of card.buttons) expect(cardValueSchema.parse(b.value)).toEqual(b.value);
  });

  it('should grey the card and drop the buttons once cancelled or past', () => {
    const tally = computeTally(duty, answers, names);
    const cancelled = buildDutyCard({ duty: { ...duty, state: 'cancelled' }, tally, now: NOW, timeZone: TZ });
    expect(cancelled.banner).toBe('已取消');
    expect(cancelled.header.color).toBe('grey');
    expect(cancelled.buttons).toEqual([]);
    // Past its start and before its end (default 时长 2 hours): under way, answers closed, not yet 已结束.
    const underWay = buildDutyCard({ duty, tally, now: duty.at + 1, timeZone: TZ });
    expect(underWay.banner).toBe('进行中');
    expect(underWay.header.subtitle).toContain('进行中');
    expect(underWay.buttons).toEqual([]);
    const past = buildDutyCard({ duty, tally, now: duty.at + 2 * 3_600_000, timeZone: TZ });
    expect(past.banner).toBe('已结束');
    expect(past.header.color).toBe('grey');
    expect(past.buttons).toEqual([]);
  });

  it('should keep the 已提交 button on a report past its deadline and say it counts as late', () => {
    const report: Duty = { ...duty, kind: 'report', label: '述职' };
    const card = buildDutyCard({ duty: report, tally: computeTally(report, new Map(), names), now: report.at + 1, timeZone: TZ });
    expect(card.banner).toBe('已过截止时间，仍可提交（记为逾期）');
    expect(card.buttons.map((b) => b.label)).toEqual(['已提交']);
  });

  it('should carry a 提醒 banner on reminder cards', () => {
    const card = buildDutyCard({ duty, tally: computeTally(duty, answers, names), now: duty.at - 3_600_000, timeZone: TZ, reminder: true });
    expect(card.banner).toBe('⏰ 提醒：距开始还有 1小时');
  });

  it.each([
    [{ v: 1, duty: 'abcdef123456', act: 'delete' }],
    [{ v: 2, duty: 'abcdef123456', act: 'attend' }],
    [{ v: 1, duty: 'ABC', act: 'attend' }],
    [{ v: 1, duty: 'abcdef123456', act: 'attend', member: 'u2' }],
    ['attend abcdef123456'],
    [null],
  ])('should refuse the tampered card value %j', (value) => {
    expect(cardValueSchema.safeParse(value).success).toBe(false);
  });
});
