/** 积分 as pure rules (src/domain/points.ts): which records earn what, and the monthly cap. */
import { dutyEntries, summarize, type DutyFacts } from '../../src/domain/points';
import { DEFAULT_RULES, parsePointsFile } from '../../src/domain/points-rules';
import { readPointsRequest, parsePointsPeriod } from '../../src/domain/points-period';
import type { Answer, Duty } from '../../src/domain/types';
import { understand } from '../../src/app/understand/understand';
import { defaultCalendar } from '../../src/store/holiday-files';

const TZ = 'Asia/Shanghai';
const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

const meeting: Duty = {
  id: 'd1',
  chat: { platform: 'sandbox', chatId: 'c' },
  number: 1,
  kind: 'meeting',
  label: '会议',
  title: '支部委员会',
  at: at('2026-11-03T15:00'),
  organizer: { id: 'u1', name: '王建国' },
  recorder: { id: 'u3', name: '张丽' },
  audience: ['u1', 'u2', 'u3'],
  reminderOffsets: [],
  state: 'scheduled',
  createdAt: 0,
  updatedAt: 0,
};
const report: Duty = { ...meeting, id: 'd2', number: 2, kind: 'report', label: '述职', title: '述职报告', at: at('2026-11-10T18:00') };
const after = at('2026-11-20T10:00');

const answer = (memberId: string, status: Answer['status'], extra: Partial<Answer> = {}): [string, Answer] => [memberId, { memberId, status, at: 0, ...extra }];
const facts = (duty: Duty, more: Partial<DutyFacts> = {}): DutyFacts => ({ duty, answers: new Map(), signins: new Map(), signinUsed: false, ...more });
const rules = (f: DutyFacts, members: string[], now = after): [string, string, number][] => dutyEntries(f, members, DEFAULT_RULES, now).map((e) => [e.memberId, e.label, e.points]);

describe('dutyEntries', () => {
  it('should count a meeting from its sign-ins once it has ended', () => {
    const f = facts(meeting, {
      signinUsed: true,
      signins: new Map([
        ['u1', { status: 'present', at: meeting.at, by: 'u1', how: 'text' }],
        ['u2', { status: 'present', at: meeting.at + 15 * 60_000, by: 'u2', how: 'button', late: true }],
      ]),
      answers: new Map([answer('u3', 'leave', { reason: '出差' })]),
    });
    expect(rules(f, ['u1', 'u2', 'u3'])).toEqual([
      ['u1', '签到', 2],
      ['u2', '迟到', 1],
      ['u3', '请假', 0],
    ]);
    // Before its end (start + 2 h): nothing yet.
    expect(rules(f, ['u1', 'u2', 'u3'], at('2026-11-03T16:59'))).toEqual([]);
  });

  it('should take a secretary’s 缺席 over a leave, and count no sign-in as absent', () => {
    const f = facts(meeting, {
      signinUsed: true,
      signins: new Map([['u1', { status: 'absent', at: meeting.at, by: 'u9', how: 'corrected', reason: '无故' }]]),
      answers: new Map([answer('u1', 'leave', { reason: '事假' }), answer('u2', 'attending')]),
    });
    expect(rules(f, ['u1', 'u2'])).toEqual([
      ['u1', '缺席（书记登记）', -2],
      ['u2', '缺席（未签到）', -2],
    ]);
  });

  it('should read the RSVP where sign-in was not used', () => {
    const f = facts(meeting, { answers: new Map([answer('u1', 'attending'), answer('u2', 'leave', { reason: '病假' })]) });
    expect(rules(f, ['u1', 'u2', 'u3'])).toEqual([
      ['u1', '报名参加（未使用签到）', 2],
      ['u2', '请假', 0],
      ['u3', '缺席（未报名）', -2],
    ]);
  });

  it('should give nothing for a cancelled duty or to someone outside its audience', () => {
    expect(rules(facts({ ...meeting, state: 'cancelled' }), ['u1'])).toEqual([]);
    expect(rules(facts(meeting), ['u9'])).toEqual([]);
    // An open audience counts those who answered or signed in.
    const open = { ...meeting, audience: [], audienceOpen: true };
    expect(rules(facts(open, { answers: new Map([answer('u9', 'attending')]) }), ['u8', 'u9'])).toEqual([['u9', '报名参加（未使用签到）', 2]]);
  });

  it('should give the recorder a point for minutes they filed by the due time, not later nor by someone else', () => {
    const due = at('2026-11-06T09:00');
    const minutes = (by: string, when: number) => ({ text: '纪要', by: { id: by, name: by }, at: when });
    const base = { answers: new Map([answer('u3', 'attending')]), minutesDueBy: due };
    expect(rules(facts(meeting, { ...base, minutes: minutes('u3', due) }), ['u3'])).toEqual([
      ['u3', '报名参加（未使用签到）', 2],
      ['u3', '纪要按时', 1],
    ]);
    expect(rules(facts(meeting, { ...base, minutes: minutes('u3', due + 1) }), ['u3'])).toEqual([['u3', '报名参加（未使用签到）', 2]]);
    expect(rules(facts(meeting, { ...base, minutes: minutes('u1', due - 1) }), ['u1', 'u3'])).toEqual([
      ['u1', '缺席（未报名）', -2],
      ['u3', '报名参加（未使用签到）', 2],
    ]);
  });

  it('should count a report submitted on time, late, or missing once its deadline has passed', () => {
    const f = facts(report, { answers: new Map([answer('u1', 'submitted'), answer('u2', 'submitted', { late: true })]) });
    expect(rules(f, ['u1', 'u2', 'u3'])).toEqual([
      ['u1', '报告按时', 3],
      ['u2', '报告逾期', 1],
      ['u3', '报告未交', -2],
    ]);
    // Before the deadline, not submitting is no loss yet; submitting already counts.
    expect(rules(f, ['u1', 'u3'], at('2026-11-10T17:00'))).toEqual([['u1', '报告按时', 3]]);
  });
});

describe('summarize', () => {
  const entry = (when: number, points: number) => ({ memberId: 'u1', dutyId: 'd', number: 1, title: 't', category: '支委会' as const, at: when, rule: 'signin' as const, label: '签到', points });

  it('should count each calendar month (Beijing time) for at most the cap, and a negative month as it is', () => {
    // 30 November 23:30 in Beijing is still November, though it is 15:30 UTC.
    const s = summarize([entry(at('2026-11-02T10:00'), 15), entry(at('2026-11-30T23:30'), 10), entry(at('2026-12-01T00:30'), -4)], { monthlyCap: 20 }, TZ);
    expect(s.months).toEqual([
      { title: '2026年11月', raw: 25, counted: 20 },
      { title: '2026年12月', raw: -4, counted: -4 },
    ]);
    expect([s.total, s.raw]).toEqual([16, 21]);
  });
});

describe('the rules file', () => {
  it('should keep the defaults for keys left out and refuse an unknown key or a bad value, naming it', () => {
    expect(parsePointsFile({ 签到: 3 }, 'points.yaml')).toEqual({ ...DEFAULT_RULES, signin: 3 });
    expect(parsePointsFile(null, 'points.yaml')).toEqual(DEFAULT_RULES);
    expect(() => parsePointsFile({ 签道: 3 }, 'points.yaml')).toThrow(/invalid points rules points\.yaml: 签道/);
    expect(() => parsePointsFile({ 每月上限: 0 }, 'points.yaml')).toThrow(/invalid points rules points\.yaml: 每月上限: /);
    expect(() => parsePointsFile({ 缺席: '-2' }, 'points.yaml')).toThrow(/缺席: /);
  });
});

describe('the words of 积分', () => {
  it('should read ranking and period words as typed', () => {
    expect(readPointsRequest('积分', '排行 本季度')).toEqual({ ranking: true, period: '本季度' });
    expect(readPointsRequest('积分', '排行榜：本年')).toEqual({ ranking: true, period: '本年' });
    expect(readPointsRequest('积分排行', '本月')).toEqual({ ranking: true, period: '本月' });
    expect(readPointsRequest('我的积分', '：本年。')).toEqual({ ranking: false, period: '本年' });
  });

  it('should default to this month and explain an unknown period', () => {
    const now = at('2026-11-20T10:00');
    const month = parsePointsPeriod('', now, TZ);
    expect(month.ok && month.period.title).toBe('2026年11月');
    const bad = parsePointsPeriod('下辈子', now, TZ);
    expect(bad.ok ? '' : bad.error).toBe('没看懂时间范围「下辈子」，要写成「开始至结束」。例如：积分、积分 本季度、积分 本年、积分 上月、积分 2026、积分 10月1日至12月31日；书记可发「积分 排行 本季度」');
  });
});

describe('积分 written freely', () => {
  const read = (text: string): string => {
    const u = understand(text, { now: at('2026-11-20T10:00'), timeZone: TZ, calendar: defaultCalendar() });
    return u.kind === 'unclear' ? 'unclear' : `${u.kind}: ${u.line}`;
  };

  it('should read glued and punctuated forms as the command, and a duty titled 积分… as a duty', () => {
    expect(read('积分：本年')).toBe('command: 积分 本年');
    expect(read('积分排行本季度')).toBe('command: 积分 排行 本季度');
    expect(read('我的积分本月')).toBe('command: 积分 本月');
    expect(read('查看积分排名')).toBe('command: 积分 排行');
    expect(read('积分，上月')).toBe('command: 积分 上月');
    expect(read('积分制管理专题学习 明天下午3点')).toBe('duty: 学习 「积分制管理专题学习」 明天下午3点');
  });
});
