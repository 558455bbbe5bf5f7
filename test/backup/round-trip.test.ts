/**
 * Backup and restore (issue 16 item 4) through the CLI entry: a bot with duties, answers, sign-ins, minutes, a
 * series, a campaign and settings → `luoshi export` → `luoshi import` into another prefix → every record equal,
 * key by key → a bot started on the new prefix plans every pending reminder exactly once (the same job ids).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bullPrefix } from '../../src/queue/queues';
import { signinJobId } from '../../src/queue/signin-planner';
import { isExcluded } from '../../src/store/backup/backup-format';
import { ask, NOW, shanghai } from '../handlers/support';
import { runFirstReminder } from '../helpers/follow-ups';
import { eventually, removePrefix, startBot, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { keyDump, luoshi } from './support';

jest.setTimeout(120_000);

const ENV = { COMMITTEE_CHATS: 'sandbox:committee' };

/** The jobs a start plans from the records: reminders, sign-in windows, series schedulers. */
async function plannedJobs(started: StartedBot): Promise<{ reminders: string[]; signin: string[]; series: string[] }> {
  const { queues } = started.bot;
  const ids = async (q: typeof queues.reminders | typeof queues.signin): Promise<string[]> =>
    (await q.getJobs(['delayed', 'waiting', 'prioritized'])).map((j) => j.id ?? '').sort();
  return {
    reminders: await ids(queues.reminders),
    signin: await ids(queues.signin),
    series: (await queues.series.getJobSchedulers()).map((s) => s.key).sort(),
  };
}

describe('luoshi export / luoshi import', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-backup-'));
  const target = uniquePrefix();
  let source: StartedBot | undefined;
  let restored: StartedBot | undefined;

  afterAll(async () => {
    await restored?.stop();
    if (source) await removePrefix(source.config.REDIS_KEY_PREFIX);
    await removePrefix(target);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should round-trip every record into another prefix, and a bot there plans every pending reminder once', async () => {
    const clock = new TestClock(NOW);
    source = await startBot({ clock: clock.now, env: ENV });
    const started = source;
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await sandbox.repo.saveChat({ id: 'committee', name: '机关工委' }, [{ id: 'w1', name: '周书记', platformRole: 'owner' }]);
    await started.bot.services.chats.touch({ platform: 'sandbox', chatId: 'committee' }, '机关工委', undefined, 'group');
    const branch = new SandboxDriver(started);

    // Typed as a secretary types: no spaces, full-width ＃ and digits.
    expect((await ask(branch, 'u1', '设置 免打扰 22:00-07:00')).reply).toContain('已设置免打扰：22:00-07:00');
    expect((await ask(branch, 'u1', '会议 支部委员会 今天下午3点 地点 三楼会议室')).reply).toContain('#1');
    expect((await ask(branch, 'u2', '参加＃１')).reply).toContain('参加');
    expect((await ask(branch, 'u3', '请假 #1 外出培训')).reply).toContain('请假');
    expect((await ask(branch, 'u1', '学习 理论学习 12月4日上午9点')).reply).toContain('#2');
    expect((await ask(branch, 'u1', '会议 党小组会 每月最后一个工作日 15:00 地点 三楼会议室')).reply).toContain('系列1');
    clock.t = shanghai('2026-11-27T14:40');
    expect((await ask(branch, 'u2', '签到＃１')).reply).toBe('李明：已签到 #1「支部委员会」，目前已签到 1 人。');
    clock.t = shanghai('2026-11-27T16:30');
    expect((await ask(branch, 'u1', '纪要 #1 会议决定：下周开展主题党日。')).reply).toContain('纪要');
    const committee = new SandboxDriver(started, 'committee');
    expect((await ask(committee, 'w1', '发起 述职 2026年度述职报告 截止 12月20日 范围 全部')).reply).toContain('已在');

    const planned = await plannedJobs(started);
    expect(planned.reminders.length).toBeGreaterThan(0);
    expect(planned.series.length).toBe(1);
    // The bot is stopped (its queued work done) so the source holds still for the key-by-key comparison.
    await started.bot.stop();
    const prefix = started.config.REDIS_KEY_PREFIX;
    const before = await keyDump(prefix);
    for (const kind of ['duty', 'chat', 'series', 'campaign', 'sandbox', 'chats', 'duties']) {
      expect([...before.keys()].some((k) => k.split(':')[0] === kind)).toBe(true);
    }
    for (const part of ['answers', 'signins', 'minutes', 'history', 'settings']) {
      expect({ part, present: [...before.keys()].some((k) => k.endsWith(`:${part}`)) }).toEqual({ part, present: true });
    }

    const file = path.join(dir, 'backup.jsonl');
    const exported = await luoshi(['export', '--out', file, '--prefix', prefix]);
    expect(exported.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { format: string; version: number; prefix: string; counts: { keys: number } };
    expect(header).toMatchObject({ format: 'luoshi-backup', version: 1, prefix });
    expect(header.counts.keys).toBe(lines.length - 1);
    expect(exported.json).toMatchObject({ exported: lines.length - 1, prefix });
    const keys = lines.slice(1).map((l) => (JSON.parse(l) as { k: string }).k);
    // Every key under the prefix but BullMQ's and the listed transient ones.
    const expected = [...before.keys()].filter((k) => !isExcluded(k)).sort();
    expect([...keys].sort()).toEqual(expected);
    expect(keys.some((k) => `${prefix}:${k}`.startsWith(`${bullPrefix(prefix)}:`))).toBe(false);
    expect([...before.keys()].some((k) => k.startsWith('bull:'))).toBe(true);

    const imported = await luoshi(['import', file, '--prefix', target]);
    expect(imported.code).toBe(0);
    expect(imported.json).toMatchObject({ imported: expected.length, expired: 0, prefix: target });
    const after = await keyDump(target);
    expect([...after.keys()].sort()).toEqual(expected);
    for (const k of expected) {
      expect({ k, ...after.get(k) }).toEqual({ k, ...before.get(k) });
    }

    // A second import into the now non-empty prefix is refused and changes nothing; --force replaces it.
    const again = await luoshi(['import', file, '--prefix', target]);
    expect(again.code).toBe(2);
    expect(again.json.error).toBe(`前缀「${target}」下已有 ${expected.length} 个键，什么都没导入。要整个替换它，先停掉用这个前缀的机器人，再加 --force`);
    expect(await keyDump(target)).toEqual(after);

    // A bot started on the restored prefix plans the same reminders, sign-in jobs and series schedulers, once each.
    restored = await startBot({ clock: clock.now, env: { ...ENV, REDIS_KEY_PREFIX: target } });
    await restored.bot.reconciled;
    // #1's time (15:00) has passed on the clock and its escalation never ran (BullMQ waits in real time): the
    // restored bot plans it at once and runs it, which closes #1 and adds its sign-in window's end (17:00), since
    // a meeting's follow-ups are added by its reminder-queue jobs (src/queue/follow-up-window.ts).
    const first = await restored.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: branch.chatId }, 1);
    await eventually(async () => (await restored?.bot.services.duties.get(first?.id ?? ''))?.state === 'done', 8000, '#1 closed by its escalation');
    const replanned = await plannedJobs(restored);
    // The source's jobs due before the clock's now are past (its test clock moved on; BullMQ waits in real time):
    // they would have been sent by now, and the planner plans only what is still ahead. Job ids end with the due time.
    const ahead = (ids: string[]): string[] => ids.filter((id) => Number(id.split('-').at(-1)) > clock.t);
    const endOfFirst = signinJobId(first?.id ?? '', 'end', shanghai('2026-11-27T17:00'));
    const pending = { reminders: ahead(planned.reminders), signin: [...ahead(planned.signin), endOfFirst].sort(), series: planned.series };
    expect(pending.reminders.length).toBeGreaterThanOrEqual(5);
    expect(replanned).toEqual(pending);
    expect(new Set(replanned.reminders).size).toBe(replanned.reminders.length);
    // Planning again (another start) adds nothing: every reminder is planned exactly once.
    await restored.bot.reconcile();
    expect(await plannedJobs(restored)).toEqual(pending);
    // #2's first reminder, when it runs, adds its sign-in window (08:30 and 11:00 on 4 December), once.
    const second = await restored.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: branch.chatId }, 2);
    await runFirstReminder(restored.bot, second?.id ?? '');
    const window = [signinJobId(second?.id ?? '', 'open', shanghai('2026-12-04T08:30')), signinJobId(second?.id ?? '', 'end', shanghai('2026-12-04T11:00'))];
    expect((await plannedJobs(restored)).signin).toEqual([...pending.signin, ...window].sort());
    await restored.bot.reconcile();
    expect((await plannedJobs(restored)).signin).toEqual([...pending.signin, ...window].sort());
    const restoredDriver = new SandboxDriver(restored);
    expect((await ask(restoredDriver, 'u1', '设置 免打扰')).reply).toContain('22:00-07:00');
  });
});
