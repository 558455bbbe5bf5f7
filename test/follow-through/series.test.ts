import { Bot } from '../../src/bot';
import { loadConfig } from '../../src/config';
import { REDIS_CLUSTER_NODES, REDIS_URL, silentLogger, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const chat = { platform: 'sandbox' as const, chatId: 'branch-1' };
const ms = (iso: string): number => Date.parse(iso);

describe('recurring duties (系列) driven by BullMQ job schedulers', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  const clock = new TestClock(ms('2026-11-27T10:00:00+08:00'));

  beforeEach(async () => {
    clock.t = ms('2026-11-27T10:00:00+08:00');
    started = await startBot({ clock: () => clock.now() });
    driver = new SandboxDriver(started);
  });
  afterEach(async () => {
    await started.stop();
  });

  /** A second bot process on the same Redis and prefix (its stop leaves the keys alone). */
  async function secondProcess(): Promise<Bot> {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL, REDIS_CLUSTER_NODES, REDIS_KEY_PREFIX: started.config.REDIS_KEY_PREFIX, LOG_LEVEL: 'silent', PORT: '0' });
    const bot = new Bot({ config, log: silentLogger(), clock: () => clock.now() });
    await bot.start(0, '127.0.0.1');
    return bot;
  }

  it('should create a series, then each occurrence once it comes into view', async () => {
    const reply = await driver.command('u1', '会议 支部委员会 每月最后一个工作日 15:00 地点 三楼会议室');
    expect(reply).toContain('已建立 系列1「支部委员会」：每月最后一个工作日 15:00。');
    expect(reply).toContain('接下来：11月30日（周一）15:00、12月31日（周四）15:00、2027年1月29日（周五）15:00');
    expect(reply).toContain('2027年的节假日安排尚未公布');
    expect(await started.bot.services.duties.listOpen(chat)).toEqual([]);
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(1);

    // Two days before (first reminder 1 day before, announced a day earlier) it is created, with its card.
    clock.t = ms('2026-11-28T15:00:00+08:00');
    const [series] = await started.bot.services.seriesRepo.list(chat);
    const created = await started.bot.services.seriesService.materialize(series?.id ?? '', clock.now());
    expect(created.map((d) => [d.number, d.at, d.place])).toEqual([[1, ms('2026-11-30T15:00:00+08:00'), '三楼会议室']]);
    expect((await driver.card(1)).card.header.title).toBe('【会议】支部委员会');
    expect(await started.bot.services.seriesService.materialize(series?.id ?? '', clock.now())).toEqual([]);
  });

  it('should neither skip nor double an occurrence with two processes and a restart', async () => {
    await driver.command('u1', '学习 理论学习 每周一三五上午9点');
    const [series] = await started.bot.services.seriesRepo.list(chat);
    const id = series?.id ?? '';
    let other = await secondProcess();
    try {
      // A week goes by; every 3 hours both processes run the materialisation at the same moment, and halfway
      // through the second process restarts.
      const end = ms('2026-12-04T10:00:00+08:00');
      for (let step = 0; clock.t < end; step++) {
        clock.advance(3 * 3600_000);
        await Promise.all([started.bot, other, started.bot, other].map((b) => b.services.seriesService.materialize(id, clock.now())));
        if (step === 20) {
          await other.stop();
          other = await secondProcess();
          expect(await other.queues.series.getJobSchedulersCount()).toBe(1);
        }
      }
    } finally {
      await other.stop();
    }
    // Mon/Wed/Fri 09:00 from 11-30 up to two days past the end (the announcement lead): each once, none skipped.
    const expected = ['11-30', '12-02', '12-04', '12-07'].map((d) => ms(`2026-${d}T09:00:00+08:00`)).filter((t) => t - 2 * 86_400_000 <= clock.t);
    const all = await started.bot.services.duties.listByPeriod(chat, 0, Number.MAX_SAFE_INTEGER);
    expect(all.map((d) => d.at).sort((a, b) => a - b)).toEqual(expected);
    expect(all.map((d) => d.number).sort((a, b) => a - b)).toEqual(expected.map((_, i) => i + 1));
    const occ = await started.bot.services.seriesRepo.occurrences(id);
    expect([...occ.keys()].sort((a, b) => a - b)).toEqual(expected);
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(1);
  });

  it('should stop a series and its scheduler, keeping occurrences already created', async () => {
    await driver.command('u1', '会议 党小组会 每个工作日 15:00');
    expect((await started.bot.services.duties.listOpen(chat)).length).toBeGreaterThan(0);
    expect(await driver.command('u2', '停止 系列1')).toBe('抱歉，只有本群的党务管理员可以取消事项。');
    expect(await driver.command('u1', '停止 系列1')).toContain('已停止 系列1「党小组会」');
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(0);
    const before = (await started.bot.services.duties.listOpen(chat)).length;
    clock.advance(3 * 86_400_000);
    const [s] = await started.bot.services.seriesRepo.list(chat);
    expect(await started.bot.services.seriesService.materialize(s?.id ?? '', clock.now())).toEqual([]);
    expect((await started.bot.services.duties.listOpen(chat)).length).toBe(before);
    expect(await driver.command('u1', '系列')).toContain('系列1 【会议】党小组会 · 每个工作日 15:00 · 已停止');
  });

  it('should install 三会一课 from its template and let a secretary change one series', async () => {
    expect(await driver.command('u1', '模板')).toContain('三会一课');
    const reply = await driver.command('u1', '启用 三会一课');
    expect(reply.split('\n').slice(0, 5)).toEqual([
      '已启用「三会一课」：',
      '系列1 支部委员会：每月第一个工作日 15:00',
      '系列2 党小组会：每月第二个周三 15:00，遇节假日顺延',
      '系列3 支部党员大会：每季度第十个工作日 15:00',
      '系列4 党课：每季度最后一个工作日 15:00',
    ]);
    expect(await started.bot.queues.series.getJobSchedulersCount()).toBe(4);
    expect(await driver.command('u1', '启用 三会一课')).toContain('本群已启用「三会一课」');
    expect(await driver.command('u1', '改期 系列2 每月第三个周四下午3点')).toContain('系列2「党小组会」改为：每月第三个周四 15:00。');
    expect(await driver.command('u1', '启用 不存在的模板')).toContain('没有「不存在的模板」这个模板');
  });

  it('should answer 时间 with how a phrase is read', async () => {
    expect(await driver.command('u2', '时间 下周二上午9点')).toBe('「下周二上午9点」是 12月1日（周二）09:00');
    expect(await driver.command('u2', '时间 每月15号 遇节假日顺延')).toContain('接下来：12月15日（周二）09:00');
    expect(await driver.command('u2', '时间 火星时间')).toContain('没看懂');
  });
});
