import { decideAnswer } from '../../src/domain/answers';
import type { Answer, Duty } from '../../src/domain/types';
import { aMeeting } from '../helpers/duty-fixture';

const NOW = Date.parse('2026-11-27T10:00:00+08:00');
const meeting = aMeeting({ number: 3, at: NOW + 86_400_000, audience: ['u1', 'u2', 'u3'], createdAt: NOW - 1000 });
const report: Duty = { ...meeting, kind: 'report', label: '述职', reminderOffsets: [4320, 1440, 120] };

describe('decideAnswer', () => {
  it('should accept 参加 from a member of the audience before the time', () => {
    const d = decideAnswer(meeting, 'u2', 'attending', undefined, NOW);
    expect(d).toEqual({ ok: true, previous: 'pending', answer: { memberId: 'u2', status: 'attending', at: NOW } });
  });

  it('should let a member change the answer and report the previous one', () => {
    const current: Answer = { memberId: 'u2', status: 'attending', at: NOW - 10 };
    const d = decideAnswer(meeting, 'u2', 'leave', current, NOW, '  外出开会 ');
    expect(d).toEqual({ ok: true, previous: 'attending', answer: { memberId: 'u2', status: 'leave', reason: '外出开会', at: NOW } });
  });

  it('should refuse 请假 without a reason', () => {
    const d = decideAnswer(meeting, 'u2', 'leave', undefined, NOW, '   ');
    expect(d).toMatchObject({ ok: false, refusal: 'reason-required' });
  });

  it('should refuse a reason over 200 characters with the limit, and take one of exactly 200', () => {
    const d = decideAnswer(meeting, 'u2', 'leave', undefined, NOW, '病'.repeat(201));
    expect(d).toEqual({ ok: false, refusal: 'reason-too-long', message: '请假原因最多 200 字（这次写了 201 字），请精简后再发，回复没有更改。' });
    const ok = decideAnswer(meeting, 'u2', 'leave', undefined, NOW, '病'.repeat(200));
    expect(ok.ok && ok.answer.reason?.length).toBe(200);
  });

  it.each([
    ['cancelled', { ...meeting, state: 'cancelled' as const }, 'u2', 'cancelled'],
    ['done', { ...meeting, state: 'done' as const }, 'u2', 'done'],
    ['past its time', { ...meeting, at: NOW }, 'u2', 'passed'],
    ['answered by someone outside the audience', meeting, 'u9', 'not-in-audience'],
  ])('should refuse an answer when the duty is %s', (_label, duty, member, refusal) => {
    expect(decideAnswer(duty, member, 'attending', undefined, NOW)).toMatchObject({ ok: false, refusal });
  });

  it('should refuse 已提交 on a meeting and 参加 on a report with a hint', () => {
    expect(decideAnswer(meeting, 'u2', 'submitted', undefined, NOW)).toMatchObject({ ok: false, refusal: 'wrong-kind', message: expect.stringContaining('参加、请假') });
    expect(decideAnswer(report, 'u2', 'attending', undefined, NOW)).toMatchObject({ ok: false, refusal: 'wrong-kind', message: expect.stringContaining('已提交') });
  });

  it('should keep a report submitted after its deadline and mark it late', () => {
    const late = decideAnswer(report, 'u2', 'submitted', undefined, report.at + 60_000);
    expect(late).toEqual({ ok: true, previous: 'pending', answer: { memberId: 'u2', status: 'submitted', at: report.at + 60_000, late: true } });
    const again = decideAnswer(report, 'u2', 'submitted', { memberId: 'u2', status: 'submitted', at: report.at - 5 }, report.at + 60_000);
    expect(again).toMatchObject({ ok: false, refusal: 'unchanged' });
    expect(decideAnswer({ ...report, state: 'cancelled' }, 'u2', 'submitted', undefined, report.at + 1)).toMatchObject({ ok: false, refusal: 'cancelled' });
  });

  it('should let anyone answer a duty with an open audience, and say they join it', () => {
    const open: Duty = { ...meeting, audience: [], audienceOpen: true };
    expect(decideAnswer(open, 'u9', 'attending', undefined, NOW)).toEqual({ ok: true, previous: 'pending', joins: true, answer: { memberId: 'u9', status: 'attending', at: NOW } });
  });

  it('should call a repeated identical answer unchanged', () => {
    const current: Answer = { memberId: 'u2', status: 'attending', at: NOW - 10 };
    expect(decideAnswer(meeting, 'u2', 'attending', current, NOW)).toMatchObject({ ok: false, refusal: 'unchanged' });
  });
});
