/**
 * 通报 from the duty summaries (src/app/circular-figures.ts) gives exactly the figures the ledger and the 积分 ranking
 * give (test/circular/circular-reference.ts), on seeded random years: meetings, study sessions and reports, answers
 * on time and late, sign-ins by members and recorded by the secretary (present, absent, revoked), minutes on time or
 * not and by someone else, cancelled and rescheduled duties, open audiences, ratings, and `now` inside a meeting.
 * Each comparison runs cold (no summary stored) and warm (summaries stored), and again after changes to duties that
 * are over (a stored summary must never be used once its duty changed).
 */
import type { Services } from '../../src/app/services';
import type { PeriodUnit } from '../../src/domain/compliance';
import type { StatsPeriod } from '../../src/domain/stats-period';
import { namedPeriod } from '../../src/domain/stats-period';
import type { Category } from '../../src/domain/categories';
import type { ChatRef, Duty, DutyKind, Member } from '../../src/domain/types';
import { MinutesRepo } from '../../src/store/minutes-repo';
import { RatingRepo } from '../../src/store/rating-repo';
import { TxPool, type StoreConnection } from '../../src/store/redis';
import { SigninRepo } from '../../src/store/signin-repo';
import type { RatingChoice } from '../../src/domain/rating';
import { seededRandom } from '../fakes/shared/faults';
import { recordKeys, startBot, type StartedBot } from '../helpers/harness';
import { figuresOf, referenceRow } from './circular-reference';

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (wall: string): number => Date.parse(`${wall}:00+08:00`);

const KINDS: readonly { kind: DutyKind; categories: readonly Category[] }[] = [
  { kind: 'meeting', categories: ['支委会', '主题党日', '支部党员大会', '党小组会'] as Category[] },
  { kind: 'study', categories: ['党课'] as Category[] },
  { kind: 'report', categories: ['述职'] as Category[] },
];
const BRANCHES = ['b0', 'b1', 'b2', 'b3', 'b4'];
const ORG = `units:
  - name: 工委
    chat: sandbox:gw
  - name: 甲机关党委
    parent: 工委
    chat: sandbox:jg0
  - name: 乙机关党委
    parent: 工委
    chat: sandbox:jg1
${BRANCHES.map((b, i) => `  - name: 第${b}党支部\n    parent: ${i < 3 ? '甲' : '乙'}机关党委\n    chat: sandbox:${b}\n`).join('')}`;

describe('通报 from the duty summaries', () => {
  let started: StartedBot;
  let s: Services;
  let redis: StoreConnection;
  let signins: SigninRepo;
  let minutes: MinutesRepo;
  let ratings: RatingRepo;
  let tx: TxPool;
  const duties: Duty[] = [];

  beforeAll(async () => {
    started = await startBot({ workers: false });
    s = started.bot.services;
    // The bot's own connection and record prefix: the same on one Redis and on the cluster suite (tagged keys).
    redis = started.bot.redis;
    const prefix = recordKeys(started.config);
    signins = new SigninRepo(redis, prefix);
    tx = new TxPool(redis);
    minutes = new MinutesRepo(redis, tx, prefix);
    ratings = new RatingRepo(redis, prefix);
    const sandbox = started.bot.sandbox;
    if (!sandbox) throw new Error('sandbox is off');
    await s.units.importOrgFile(ORG, 'test', at('2026-01-01T09:00'));
    const rnd = seededRandom(15);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    for (const b of [...BRANCHES, 'jg0']) {
      const members: Member[] = Array.from({ length: 4 + Math.floor(rnd() * 5) }, (_, j) => ({ id: `${b}-m${j}`, name: `党员${b}${j}`, platformRole: j === 0 ? 'owner' : 'member' }));
      await sandbox.repo.saveChat({ id: b, name: `${b}群` }, members);
      const chat: ChatRef = { platform: 'sandbox', chatId: b };
      const ids = members.map((m) => m.id);
      const inputs = Array.from({ length: 14 + Math.floor(rnd() * 8) }, () => {
        const k = pick(KINDS);
        const open = k.kind !== 'report' && rnd() < 0.15;
        // Someone who has left the chat stays in some audiences.
        const audience = open ? [] : [...ids.filter(() => rnd() < 0.85), ...(rnd() < 0.3 ? [`${b}-gone`] : [])];
        const organizer = { id: ids[0] ?? 'x', name: '书记' };
        return {
          chat,
          kind: k.kind,
          label: k.kind === 'report' ? '报告' : '会议',
          title: `${pick(k.categories)}${Math.floor(rnd() * 100)}`,
          category: pick(k.categories),
          at: at('2026-01-05T15:00') + Math.floor(rnd() * 350) * DAY + Math.floor(rnd() * 4) * HOUR,
          organizer,
          audience,
          reminderOffsets: [],
          ...(open ? { audienceOpen: true } : {}),
          ...(rnd() < 0.5 ? { durationMinutes: 30 + Math.floor(rnd() * 150) } : {}),
          ...(rnd() < 0.3 ? { signinCode: true } : {}),
          ...(rnd() < 0.3 ? { recorder: { id: pick(ids), name: '记录人' } } : {}),
        };
      });
      duties.push(...(await s.duties.createMany(inputs, at('2026-01-01T09:00'))));
      for (const duty of duties.filter((d) => d.chat.chatId === b)) await fill(duty, [...ids, `${b}-gone`, `${b}-guest`], rnd);
    }
  }, 120_000);

  afterAll(async () => {
    await tx.close();
    await started.stop();
  });

  /** Answers, sign-ins, minutes, a rating, a cancellation: whatever the repositories accept. */
  async function fill(duty: Duty, people: readonly string[], rnd: () => number): Promise<void> {
    const report = duty.kind === 'report';
    for (const m of people) {
      const r = rnd();
      if (r < 0.2) continue;
      const when = duty.at + (report && r > 0.8 ? DAY : -Math.floor(rnd() * 48) * HOUR - 1);
      await s.duties.answer(duty.id, m, report ? 'submitted' : r < 0.35 ? 'leave' : 'attending', when, '出差');
      if (!report && rnd() < 0.6 && (duty.audience.includes(m) || duty.audienceOpen === true || rnd() < 0.2)) {
        const late = rnd() < 0.2;
        await signins.write(duty.id, m, { status: 'present', at: duty.at + 60_000, by: m, how: 'text', ...(late ? { late } : {}) }, { type: 'signin', at: duty.at + 60_000, by: m, member: m, how: 'text' }, true);
      }
    }
    if (!report && rnd() < 0.3) await correct(duty, people, rnd);
    if (!report && rnd() < 0.7) {
      const by = rnd() < 0.8 ? (duty.recorder ?? duty.organizer) : { id: people[1] ?? 'x', name: '别人' };
      await minutes.write(duty.id, '纪要', by, duty.at + Math.floor(rnd() * 6) * DAY + 3 * HOUR, () => undefined);
    }
    if (report && rnd() < 0.4) {
      const rating = { dutyId: duty.id, chat: duty.chat, number: duty.number, title: duty.title, organizer: duty.organizer, openedAt: duty.at, closesAt: duty.at + 5 * DAY, audience: people.slice(0, 4) };
      await ratings.open(rating);
      const choices: RatingChoice[] = ['good', 'fair', 'average', 'poor'];
      for (const m of people.slice(0, 3)) await ratings.rate(duty.id, m, choices[Math.floor(rnd() * 4)] ?? 'good', undefined, duty.at + DAY);
    }
    if (rnd() < 0.08) await cancel(duty);
  }

  /** A secretary's record: present, absent with a reason, or a sign-in revoked. */
  async function correct(duty: Duty, people: readonly string[], rnd: () => number): Promise<void> {
    const m = people[Math.floor(rnd() * people.length)] ?? 'x';
    const by = duty.organizer.id;
    const r = rnd();
    if (r < 0.4) await signins.write(duty.id, m, { status: 'present', at: duty.at + HOUR, by, how: 'corrected' }, { type: 'signin-correction', at: duty.at + HOUR, by, member: m, action: 'present' }, false);
    else if (r < 0.8) await signins.write(duty.id, m, { status: 'absent', at: duty.at + HOUR, by, how: 'corrected', reason: '病假' }, { type: 'signin-correction', at: duty.at + HOUR, by, member: m, action: 'absent', reason: '病假' }, false);
    else await signins.revoke(duty.id, m, { type: 'signin-correction', at: duty.at + HOUR, by, member: m, action: 'revoke' });
  }

  async function cancel(duty: Duty): Promise<void> {
    await s.duties.update(duty.id, (d) => ({ duty: { ...d, state: 'cancelled' }, entry: { type: 'cancelled', at: d.at, by: d.organizer.id } }));
  }

  /** Every row of the 工委's circular equals the reference computation, cold or warm. */
  async function expectSame(size: PeriodUnit, now: number): Promise<void> {
    const period: StatsPeriod = namedPeriod(size, 0, now, TZ);
    const committee = await s.circular.committeeOf({ platform: 'sandbox', chatId: 'gw' });
    for (const pass of ['first', 'again']) {
      const rows = (await s.circular.circular(committee, size, period, now)).rows;
      expect(rows).toHaveLength(7);
      for (const row of rows) {
        const expected = await referenceRow(s, row.unit, row.chat, size, period, now);
        expect({ pass, unit: row.unit.name, ...figuresOf(row) }).toEqual({ pass, unit: row.unit.name, ...expected });
      }
    }
  }

  it('should give the ledger and ranking figures at any time of the year, cold and warm', async () => {
    const meeting = duties.find((d) => d.kind === 'meeting' && d.state === 'scheduled' && d.at > at('2026-06-01T00:00'));
    if (!meeting) throw new Error('no meeting');
    // Inside a meeting (started, not ended), then at other times, each before the summaries of later ones exist.
    for (const [size, now] of [
      ['year', meeting.at + 10 * 60_000],
      ['quarter', at('2026-04-20T12:00')],
      ['month', at('2026-09-15T16:00')],
      ['year', at('2026-12-31T22:00')],
      ['quarter', meeting.at + 10 * 60_000],
    ] as const) await expectSame(size, now);
    expect(await redis.exists(recordKeys(started.config).duty(duties[0]?.id ?? '', 'summary'))).toBe(1);
  }, 240_000);

  it('should never use a stored summary once its duty changed', async () => {
    const now = at('2026-12-31T22:00');
    await expectSame('year', now);
    const rnd = seededRandom(7);
    const over = duties.filter((d) => d.at < at('2026-12-01T00:00'));
    for (let i = 0; i < 25; i++) {
      const duty = over[Math.floor(rnd() * over.length)];
      if (!duty) continue;
      const m = duty.audience[0] ?? `${duty.chat.chatId}-m1`;
      const r = rnd();
      if (duty.kind === 'report' && r < 0.3) await s.duties.answer(duty.id, duty.audience.at(-1) ?? m, 'submitted', duty.at + 2 * DAY);
      else if (r < 0.5) await correct(duty, duty.audience, rnd);
      else if (r < 0.65) await minutes.write(duty.id, '改后的纪要', duty.recorder ?? duty.organizer, duty.at + DAY, () => undefined);
      else if (r < 0.8) await cancel(duty);
      else await s.duties.update(duty.id, (d) => ({ duty: { ...d, at: d.at + 20 * DAY }, entry: { type: 'rescheduled', at: d.at, by: d.organizer.id, from: d.at, to: d.at + 20 * DAY } }));
    }
    await expectSame('year', now);
  }, 240_000);
});
