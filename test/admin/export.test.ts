import { csvField, neutralise, toCsv, UTF8_BOM } from '../../src/http/admin/csv';
import { EXPORT_COLUMNS, exportResponseSchema, type ExportRow } from '../../src/http/admin/response-schemas';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { CHAT_PATH, createThroughApi, expectProblem, NOW, ORGANIZER, startAdmin, type AdminWorld } from './support';

const HOUR = 3600_000;
const EXPORT = `/api/chats/${CHAT_PATH}/export`;
const member = (id: string) => DEMO_MEMBERS.find((m) => m.id === id) ?? { id, name: id };

describe('CSV encoding', () => {
  it('should neutralise cells that a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'].map(neutralise)).toEqual(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\rx"]);
    expect(neutralise('外出开会 = 请假')).toBe('外出开会 = 请假');
  });

  it('should quote commas, quotes and line breaks, and start with a BOM and end lines with CRLF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说 "好"')).toBe('"说 ""好"""');
    expect(csvField('=A1,"x"')).toBe('"\'=A1,""x"""');
    expect(toCsv(['甲', '乙'], [{ 甲: '1', 乙: '两\n行' }])).toBe(`${UTF8_BOM}甲,乙\r\n1,"两\n行"\r\n`);
  });
});

describe('GET /api/chats/{chat}/export', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin();
  });

  afterEach(async () => {
    await w.stop();
  });

  /** #1 a meeting, #2 a report (one on time, one late, the rest missing), #3 cancelled, #4 in January. */
  async function seedPeriod(): Promise<void> {
    const { dutyService } = w.started.bot.services;
    const meeting = await createThroughApi(w, { title: '支部委员会', at: '2026-12-05T15:00:00+08:00' });
    const report = await createThroughApi(w, { kind: 'report', title: '述职报告', at: '2026-12-10T18:00:00+08:00', place: undefined });
    const cancelled = await createThroughApi(w, { title: '主题党日', at: '2026-12-20T09:00:00+08:00' });
    await createThroughApi(w, { title: '党课', at: '2027-01-08T15:00:00+08:00' });
    await w.call('POST', `/api/duties/${cancelled.id}/cancel`, { body: { by: ORGANIZER } });
    await dutyService.answer(meeting.id, member('u2'), 'attending', NOW + HOUR);
    await dutyService.answer(meeting.id, member('u3'), 'leave', NOW + HOUR, '=HYPERLINK("http://x","点我")');
    await dutyService.answer(report.id, member('u4'), 'submitted', NOW + 2 * HOUR);
    w.clock.t = Date.parse('2026-12-11T09:00:00+08:00');
    await dutyService.answer(report.id, member('u5'), 'submitted', w.clock.t);
  }

  const row = (rows: readonly ExportRow[], item: string, name: string): ExportRow | undefined => rows.find((r) => r.事项 === item && r.成员 === name);

  it('should give one row per duty and member of the period as JSON, leaving out cancelled duties', async () => {
    await seedPeriod();
    const reply = await w.call('GET', `${EXPORT}?from=2026-12-01&to=2026-12-31`);
    expect(reply.status).toBe(200);
    const body = exportResponseSchema.parse(reply.json);
    expect(body).toMatchObject({ chat: 'sandbox:branch-1', from: '2026-12-01T00:00:00+08:00', to: '2026-12-31T23:59:59+08:00', columns: [...EXPORT_COLUMNS] });
    expect(body.rows).toHaveLength(12);
    expect(new Set(body.rows.map((r) => r.事项))).toEqual(new Set(['#1 支部委员会', '#2 述职报告']));
    expect(row(body.rows, '#1 支部委员会', '张丽')).toEqual({
      支部: 'sandbox:branch-1',
      事项: '#1 支部委员会',
      类型: '会议',
      时间: '2026-12-05T15:00:00+08:00',
      成员: '张丽',
      状态: '请假',
      原因: '=HYPERLINK("http://x","点我")',
      确认时间: '2026-11-27T11:00:00+08:00',
      是否逾期: '',
    });
    expect(row(body.rows, '#1 支部委员会', '李明')).toMatchObject({ 状态: '参加', 原因: '', 是否逾期: '' });
    expect(row(body.rows, '#1 支部委员会', '赵磊')).toMatchObject({ 状态: '未回复', 确认时间: '' });
    expect(row(body.rows, '#2 述职报告', '刘洋')).toMatchObject({ 类型: '报告', 状态: '已提交', 是否逾期: '否' });
    expect(row(body.rows, '#2 述职报告', '陈静')).toMatchObject({ 状态: '已提交', 是否逾期: '是', 确认时间: '2026-12-11T09:00:00+08:00' });
    expect(row(body.rows, '#2 述职报告', '赵磊')).toMatchObject({ 状态: '未交', 是否逾期: '' });
  });

  it('should give CSV with a UTF-8 BOM, the Chinese header, CRLF lines and formulas neutralised', async () => {
    await seedPeriod();
    const res = await w.call('GET', `${EXPORT}?from=2026-12-01&to=2026-12-31&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=luoshi-sandbox_branch-1-2026-12-01-2026-12-31.csv');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('支部,事项,类型,时间,成员,状态,原因,确认时间,是否逾期');
    expect(lines).toHaveLength(1 + 12 + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines).toContain(
      'sandbox:branch-1,#1 支部委员会,会议,2026-12-05T15:00:00+08:00,张丽,请假,"\'=HYPERLINK(""http://x"",""点我"")",2026-11-27T11:00:00+08:00,',
    );
    expect(lines).toContain('sandbox:branch-1,#2 述职报告,报告,2026-12-10T18:00:00+08:00,陈静,已提交,,2026-12-11T09:00:00+08:00,是');
  });

  it('should give only the header for a period without duties, and refuse a bad format or period', async () => {
    const csv = await w.call('GET', `${EXPORT}?format=csv&from=2030-01-01`);
    expect(csv.text).toBe(`${UTF8_BOM}支部,事项,类型,时间,成员,状态,原因,确认时间,是否逾期\r\n`);
    expect(csv.headers.get('content-disposition')).toContain('luoshi-sandbox_branch-1-2030-01-01-all.csv');
    expect(exportResponseSchema.parse((await w.call('GET', EXPORT)).json).rows).toEqual([]);
    expectProblem(await w.call('GET', `${EXPORT}?format=xlsx`), 400);
    expectProblem(await w.call('GET', `${EXPORT}?from=2026-13-01`), 400);
    expectProblem(await w.call('GET', `${EXPORT}?from=2026-12-31&to=2026-12-01`), 400);
    expectProblem(await w.call('GET', `${EXPORT}?chat=sandbox%3Abranch-1`), 400);
  });
});
