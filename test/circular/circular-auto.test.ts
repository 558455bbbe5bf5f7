/**
 * 自动通报 (issue 15) through the inbound queue's scheduled job (the job the scheduler adds): on the 3rd working day
 * of a month each committee chat gets the circular of the month just ended, once across runs; never on another day
 * or a day off; 设置 自动通报 关 stops it for that chat.
 */
import { circularSizesDue } from '../../src/domain/circular';
import type { CardModel } from '../../src/domain/card-model';
import { circularSendAt } from '../../src/domain/circular-timing';
import { DEFAULT_QUIET_HOURS } from '../../src/domain/quiet-hours';
import { PlatformError } from '../../src/errors';
import type { MessageRef, PlatformPort, SendOptions } from '../../src/platforms/port';
import { eventually, recordKeys, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';
import { circularWorld, holdNovember } from './circular-world';

const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

describe('自动通报', () => {
  let started: StartedBot;
  const clock = new TestClock(at('2026-11-03T10:00'));
  let runs = 0;

  beforeEach(async () => {
    clock.t = at('2026-11-03T10:00');
    started = await circularWorld(clock);
  });
  afterEach(async () => {
    await started.stop();
  });

  /** One run of the scheduled check at `wall`, as the job scheduler would add it; resolves with its result. */
  async function checkAt(wall: string): Promise<unknown> {
    clock.t = at(wall);
    runs += 1;
    const job = await started.bot.queues.inbound.add('circular-check', { type: 'circular-check' }, { jobId: `test-circular-${runs}` });
    return eventually(async () => (await job.isCompleted()) && (await started.bot.queues.inbound.getJob(job.id ?? ''))?.returnvalue, 5000, 'the check to run');
  }

  /** The circular cards the bot posted in `chat`. */
  const circulars = async (chat: string): Promise<CardModel[]> =>
    (await new SandboxDriver(started, chat).messages()).flatMap((m) => (m.kind === 'card' && m.card?.header.title.startsWith('【通报】') ? [m.card] : []));
  const rows = (card: CardModel): string[] => card.groups.flatMap((g) => g.entries.map((e) => `${e.name}：${e.note ?? ''}`));
  /** The delayed circular jobs of the card queue (held until quiet hours end). */
  const held = async (): Promise<{ id: string; delay: number }[]> =>
    (await started.bot.queues.cards.getDelayed()).flatMap((j) => (j.data.type === 'circular' ? [{ id: j.id ?? '', delay: j.delay }] : []));

  it('should send last month’s circular on the 3rd working day, once, to the committee chats that did not turn it off', async () => {
    const schedulers = await started.bot.queues.inbound.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === 'circular-check').map((s) => s.pattern)).toEqual(['0 9 * * *']);
    await holdNovember(started, clock);
    // The 工委 turns it off (a member may not); the 机关党委 keeps the default.
    const gw = new SandboxDriver(started, 'gw');
    expect(await gw.command('gw-m', '设置 自动通报 关')).toBe('抱歉，只有本群的党务管理员可以修改设置。');
    expect(await gw.command('w1', '设置：自动通报 关')).toBe('已关闭自动通报：本群不再自动收到通报，仍可随时发送「通报 上月」。');
    // Tuesday 1 and Wednesday 2 December are the 1st and 2nd working days; Saturday 5th is a day off.
    expect(await checkAt('2026-12-01T09:00')).toBe('no circular due');
    expect(await checkAt('2026-12-02T09:00')).toBe('no circular due');
    // Thursday 3 December: the 3rd working day.
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 1');
    const sent = await eventually(async () => (await circulars('jg'))[0], 5000, 'the circular');
    expect(sent.header).toEqual({ title: '【通报】2026年11月', subtitle: '市财政局机关党委', color: 'orange' });
    expect(sent.fields[0]).toEqual({ label: '下级单位', value: '2 个，未达要求 1 个：第二党支部' });
    expect(sent.fields[1]?.href).toMatch(/^http\S+\/reports\/sandbox%3Ajg\/circular\?from=\d+&to=\d+&exp=\d+&sig=\S+$/);
    expect(rows(sent)).toEqual([
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
      expect.stringMatching(/^✅ 第一党支部：支委会 1\/1 · 主题党日 1\/1；出勤率 50%；报告 无；人均积分 -?[\d.]+$/),
    ]);
    expect(sent.footer.startsWith('自动通报；发送「设置 自动通报 关」可关闭')).toBe(true);
    // The link opens the page of November.
    const page = await fetch((sent.fields[1]?.href ?? '').replace(/^http:\/\/[^/]+/, started.baseUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('市财政局机关党委 · 2026年11月 通报');
    // Another run that day, another process's: nothing more; the days after: nothing.
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 0');
    expect(await checkAt('2026-12-04T09:00')).toBe('no circular due');
    expect(await checkAt('2026-12-05T09:00')).toBe('no circular due');
    // Give the outbox a moment: still one circular in the 机关党委's chat, none in the 工委's or a 支部's.
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('jg')).toHaveLength(1);
    expect(await circulars('gw')).toEqual([]);
    expect(await circulars('b1')).toEqual([]);
    // Turned on again: the 工委 shows it on.
    expect(await gw.command('w1', '设置 自动通报 开')).toContain('已开启自动通报');
    expect(await gw.command('w1', '设置 自动通报')).toBe('自动通报现在是「开」。设置：设置 自动通报 开，或 设置 自动通报 关');
  });

  it('should hold the circular of a chat in its quiet hours until they end that day, once, and send the others at once', async () => {
    await holdNovember(started, clock);
    // The 机关党委 is quiet from 08:00 to 10:30; the 工委 keeps the default (21:00–08:00).
    const jg = new SandboxDriver(started, 'jg');
    expect(await jg.command('j1', '设置 免打扰 08:00-10:30')).toContain('08:00-10:30');
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 2');
    await eventually(async () => (await circulars('gw'))[0], 5000, 'the 工委’s circular');
    // The 机关党委's waits in the card queue for an hour and a half: nothing in its chat yet.
    const waiting = await held();
    expect(waiting).toEqual([{ id: expect.stringMatching(/^circ-month-\d+-[0-9a-f]{12}$/), delay: 90 * 60_000 }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('jg')).toEqual([]);
    // Another process's run at 09:05: nothing more is queued.
    expect(await checkAt('2026-12-03T09:05')).toBe('circulars 0');
    expect(await held()).toHaveLength(1);
    // 10:30: the quiet hours end and the job comes due (promoted: BullMQ's delay runs on the real clock).
    clock.t = at('2026-12-03T10:30');
    for (const job of await started.bot.queues.cards.getDelayed()) if (job.data.type === 'circular') await job.promote();
    const sent = await eventually(async () => (await circulars('jg'))[0], 5000, 'the held circular');
    expect(sent.fields[0]?.value).toBe('2 个，未达要求 1 个：第二党支部');
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('jg')).toHaveLength(1);
    expect(await circulars('gw')).toHaveLength(1);
  });

  it('should not send a held circular whose chat turned 自动通报 off while it waited', async () => {
    const jg = new SandboxDriver(started, 'jg');
    await jg.command('j1', '设置 免打扰 08:00-10:30');
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 2');
    expect(await jg.command('j1', '设置 自动通报 关')).toContain('已关闭自动通报');
    clock.t = at('2026-12-03T10:30');
    const [job] = (await started.bot.queues.cards.getDelayed()).filter((j) => j.data.type === 'circular');
    await job?.promote();
    expect(await eventually(async () => (await job?.isCompleted()) && (await started.bot.queues.cards.getJob(job?.id ?? ''))?.returnvalue, 5000, 'the job')).toBe('turned-off');
    expect(await circulars('jg')).toEqual([]);
  });

  it('should send the circular as text when the platform refuses its card, still once', async () => {
    await holdNovember(started, clock);
    // The console's port, refusing every card for good (as Feishu's 230099 "card content invalid" would).
    const { platforms } = started.bot.services;
    const sandbox = platforms.get('sandbox');
    const refuse = (): Promise<MessageRef> => Promise.reject(new PlatformError(true, 'card refused', 230099));
    const refusing = Object.create(sandbox, { sendCard: { value: refuse } }) as PlatformPort;
    platforms.register(refusing);
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 2');
    const texts = async (): Promise<string[]> =>
      (await new SandboxDriver(started, 'jg').messages()).flatMap((m) => (m.kind === 'text' && plain(m.text).startsWith('📣 通报') ? [plain(m.text)] : []));
    const sent = await eventually(async () => (await texts())[0], 5000, 'the circular as text');
    expect(sent.split('\n').slice(0, 3)).toEqual([
      '📣 通报 2026年11月 · 市财政局机关党委',
      '共 2 个下级单位，1 个未达要求：第二党支部。',
      '⚠️ 第二党支部：支委会 0/1⚠️ · 主题党日 0/1⚠️；出勤率 —；报告 无；人均积分 0',
    ]);
    expect(sent).toMatch(/完整表格、图表和 Excel：http\S+（7 天内有效）\n（自动通报；发送「设置 自动通报 关」可关闭）$/);
    platforms.register(sandbox);
    expect(await checkAt('2026-12-03T09:30')).toBe('circulars 0');
    await new Promise((r) => setTimeout(r, 300));
    expect(await texts()).toHaveLength(1);
    expect(await circulars('jg')).toEqual([]);
  });

  it('should retry the card after a passing platform failure and post it once', async () => {
    const { platforms } = started.bot.services;
    const sandbox = platforms.get('sandbox');
    let failures = 0;
    const once = (chatId: string, card: CardModel, options?: SendOptions): Promise<MessageRef> =>
      failures++ === 0 ? Promise.reject(new PlatformError(false, 'gateway timeout', 504)) : sandbox.sendCard(chatId, card, options);
    platforms.register(Object.create(sandbox, { sendCard: { value: once } }) as PlatformPort);
    expect(await checkAt('2026-12-03T09:00')).toBe('circulars 2');
    // The first card tried fails; its job is retried (1 s later: src/queue/backoff.ts).
    await eventually(async () => (await circulars('jg'))[0] && (await circulars('gw'))[0], 8000, 'both circulars, one after a retry');
    platforms.register(sandbox);
    expect(failures).toBe(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('jg')).toHaveLength(1);
    expect(await circulars('gw')).toHaveLength(1);
  });

  it('should run the check again when a circular could not be queued, and send each circular once', async () => {
    await holdNovember(started, clock);
    clock.t = at('2026-12-03T09:00');
    // Redis refuses the first card job (lost mid-run): that circular's key is given back and the check job fails.
    const add = jest.spyOn(started.bot.queues.cards, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    const job = await started.bot.queues.inbound.add('circular-check', { type: 'circular-check' }, { jobId: 'test-circular-lost' });
    // BullMQ runs it again after its backoff (src/queue/backoff.ts): this time every circular is queued.
    const result = await eventually(async () => (await job.isCompleted()) && (await started.bot.queues.inbound.getJob(job.id ?? '')), 15000, 'the check to run again');
    expect(result && result.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(result && result.returnvalue).toMatch(/^circulars [12]$/);
    add.mockRestore();
    await eventually(async () => (await circulars('gw')).length === 1 && (await circulars('jg')).length === 1, 5000, 'a circular in each committee chat');
    await new Promise((r) => setTimeout(r, 300));
    expect(await circulars('gw')).toHaveLength(1);
    expect(await circulars('jg')).toHaveLength(1);
  });

  it('should store the summaries of the duties that ended at the daily check, due day or not, for the next 通报', async () => {
    await holdNovember(started, clock);
    const meetings = [1, 2].map(async (n) => (await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: 'b1' }, n))?.id ?? '');
    const summaryKeys = (await Promise.all(meetings)).map((id) => recordKeys(started.config).duty(id, 'summary'));
    expect(await started.bot.redis.exists(...summaryKeys)).toBe(0);
    // Tuesday 1 December: no circular due, but the check stores the summaries of November's two meetings.
    expect(await checkAt('2026-12-01T09:00')).toBe('no circular due');
    expect(await started.bot.redis.exists(...summaryKeys)).toBe(2);
  });

  it('should move a run in quiet hours to their end: the same day, or the next working day past midnight', () => {
    const weekday = (d: { year: number; month: number; day: number }): boolean => ![0, 6].includes(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay());
    const ctx = (start: number, end: number, enabled = true) => ({ quiet: { start: start * 60, end: end * 60, enabled }, timeZone: 'Asia/Shanghai', isWorkday: weekday });
    const thursday9 = at('2026-12-03T09:00');
    expect(circularSendAt(thursday9, { ...ctx(0, 0), quiet: DEFAULT_QUIET_HOURS })).toBe(thursday9);
    expect(circularSendAt(thursday9, ctx(8, 10.5))).toBe(at('2026-12-03T10:30'));
    expect(circularSendAt(thursday9, ctx(22, 9.5))).toBe(at('2026-12-03T09:30'));
    expect(circularSendAt(thursday9, ctx(8, 10.5, false))).toBe(thursday9);
    // 08:30–08:00 lasts past midnight: Friday 08:00; on a Friday, the Monday (never Saturday or Sunday).
    expect(circularSendAt(thursday9, ctx(8.5, 8))).toBe(at('2026-12-04T08:00'));
    expect(circularSendAt(at('2026-12-04T09:00'), ctx(8.5, 8))).toBe(at('2026-12-07T08:00'));
  });

  it('should add the quarter in January, April, July and October and the year in January, on working days only', () => {
    const weekday = (d: { year: number; month: number; day: number }): boolean => {
      const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
      return w !== 0 && w !== 6 && !(d.month === 1 && d.day === 1);
    };
    // January 2027: Friday 1st is a holiday, Monday 4th, Tuesday 5th, Wednesday 6th.
    expect(circularSizesDue({ year: 2027, month: 1, day: 5 }, weekday)).toEqual([]);
    expect(circularSizesDue({ year: 2027, month: 1, day: 6 }, weekday)).toEqual(['month', 'quarter', 'year']);
    expect(circularSizesDue({ year: 2027, month: 4, day: 5 }, weekday)).toEqual(['month', 'quarter']);
    expect(circularSizesDue({ year: 2027, month: 5, day: 5 }, weekday)).toEqual(['month']);
    expect(circularSizesDue({ year: 2027, month: 5, day: 8 }, weekday)).toEqual([]);
  });
});
