/**
 * The fuzz suites' bot: the sandbox without queue workers (replies stay in the card queue, where they are
 * counted), a fixed clock, and a logger whose records are kept, so a test can tell a command refused with a
 * user error from one that went through. Plus a quick snapshot of the domain records in Redis.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Bot } from '../../src/bot';
import type { Config } from '../../src/config';
import { chatKey, type ChatRef } from '../../src/domain/types';
import { removePrefix, testConfig, TestClock } from '../helpers/harness';

/** Friday 27 November 2026, 10:00 in Shanghai. */
export const FUZZ_NOW = Date.parse('2026-11-27T10:00:00+08:00');

export interface LogRecord {
  readonly level: number;
  readonly msg?: string;
  readonly eventId?: string;
  readonly code?: string;
  readonly err?: { readonly message?: string; readonly stack?: string };
}

export interface FuzzBot {
  readonly bot: Bot;
  readonly config: Config;
  readonly clock: TestClock;
  /** Every log record at info and above, oldest first. */
  readonly logs: LogRecord[];
  stop(): Promise<void>;
}

export async function startFuzzBot(): Promise<FuzzBot> {
  const config = testConfig();
  const logs: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const clock = new TestClock(FUZZ_NOW);
  const bot = new Bot({ config, log: pino({ level: 'info' }, sink), clock: clock.now, workers: false });
  await bot.start(0, '127.0.0.1');
  return {
    bot,
    config,
    clock,
    logs,
    stop: async () => {
      await bot.stop();
      await removePrefix(config.REDIS_KEY_PREFIX);
    },
  };
}

/** Domain records of a duty: the duty, its answers and its whole history. */
export interface DutyRecord {
  readonly duty: unknown;
  readonly answers: Readonly<Record<string, string>>;
  readonly history: readonly string[];
  readonly rev: string | null;
}

export interface Snapshot {
  /** Chat-level records: numbering, open and all duties, secretaries, settings and their audit, series. */
  readonly chat: Readonly<Record<string, unknown>>;
  readonly duties: Readonly<Record<string, DutyRecord>>;
  readonly series: Readonly<Record<string, unknown>>;
  readonly campaigns: Readonly<Record<string, string | null>>;
}

type Reply = [Error | null, unknown];
const results = (replies: Reply[] | null): unknown[] =>
  (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });

type Pipeline = ReturnType<FuzzBot['bot']['redis']['pipeline']>;

/**
 * Everything a chat command or a card click could change: the chat's keys, the global sets (open duties, active
 * series), and every duty, series and campaign of the chat. Queue jobs, the dedupe marks, the roster cache and the
 * sandbox's own messages are not domain state and are left out. `previous` (the last snapshot of the same chat)
 * lets the chat's known duties be read in the same round trip as its keys; a duty or series not known yet costs
 * a second one.
 */
export async function snapshot(f: FuzzBot, chat: ChatRef, previous?: Snapshot): Promise<Snapshot> {
  const p = f.config.REDIS_KEY_PREFIX;
  const c = `${p}:chat:${chatKey(chat)}`;
  const chatKeys: [string, (pl: Pipeline) => void][] = [
    ['seq', (pl) => pl.get(`${c}:seq`)],
    ['numbers', (pl) => pl.hgetall(`${c}:numbers`)],
    ['open', (pl) => pl.zrange(`${c}:open`, '0', '-1', 'WITHSCORES')],
    ['all', (pl) => pl.zrange(`${c}:all`, '0', '-1', 'WITHSCORES')],
    ['globalOpen', (pl) => pl.zrange(`${p}:duties:open`, '0', '-1', 'WITHSCORES')],
    ['secretaries', (pl) => pl.smembers(`${c}:secretaries`)],
    ['settings', (pl) => pl.hgetall(`${c}:settings`)],
    ['audit', (pl) => pl.lrange(`${c}:audit`, 0, -1)],
    ['series', (pl) => pl.hgetall(`${c}:series`)],
    ['seriesSeq', (pl) => pl.get(`${c}:series-seq`)],
    ['seriesAll', (pl) => pl.smembers(`${p}:series:all`)],
  ];
  const readDuty = (pl: Pipeline, id: string): void => {
    pl.get(`${p}:duty:${id}`);
    pl.hgetall(`${p}:duty:${id}:answers`);
    pl.lrange(`${p}:duty:${id}:history`, 0, -1);
    pl.get(`${p}:duty:${id}:rev`);
  };
  const readSeries = (pl: Pipeline, id: string): void => {
    pl.get(`${p}:series:${id}`);
    pl.hgetall(`${p}:series:${id}:occ`);
  };
  const duties: Record<string, DutyRecord> = {};
  const series: Record<string, unknown> = {};
  const takeDuty = (id: string, v: unknown[], at: number): void => {
    const raw = v[at] as string | null;
    duties[id] = {
      duty: raw === null ? null : (JSON.parse(raw) as unknown),
      answers: v[at + 1] as Record<string, string>,
      history: v[at + 2] as string[],
      rev: v[at + 3] as string | null,
    };
  };
  const takeSeries = (id: string, v: unknown[], at: number): void => {
    series[id] = { series: v[at], occurrences: v[at + 1] };
  };

  const knownDuties = Object.keys(previous?.duties ?? {});
  const knownSeries = Object.keys(previous?.series ?? {});
  const first = f.bot.redis.pipeline();
  for (const [, add] of chatKeys) add(first);
  for (const id of knownDuties) readDuty(first, id);
  for (const id of knownSeries) readSeries(first, id);
  const values = results((await first.exec()) as Reply[] | null);
  const chatState: Record<string, unknown> = Object.fromEntries(chatKeys.map(([name], i) => [name, values[i]]));
  knownDuties.forEach((id, i) => takeDuty(id, values, chatKeys.length + i * 4));
  knownSeries.forEach((id, i) => takeSeries(id, values, chatKeys.length + knownDuties.length * 4 + i * 2));

  // Duties of this chat are read in full; the global sets are compared as a whole.
  const ids = new Set<string>(Object.values(chatState.numbers as Record<string, string>));
  for (const key of ['open', 'all'] as const) {
    const flat = chatState[key] as string[];
    for (let i = 0; i < flat.length; i += 2) ids.add(flat[i] ?? '');
  }
  const seriesIds = new Set<string>(Object.values(chatState.series as Record<string, string>));
  const newDuties = [...ids].filter((id) => !(id in duties));
  const newSeries = [...seriesIds].filter((id) => !(id in series));
  if (newDuties.length > 0 || newSeries.length > 0) {
    const second = f.bot.redis.pipeline();
    for (const id of newDuties) readDuty(second, id);
    for (const id of newSeries) readSeries(second, id);
    const more = results((await second.exec()) as Reply[] | null);
    newDuties.forEach((id, i) => takeDuty(id, more, i * 4));
    newSeries.forEach((id, i) => takeSeries(id, more, newDuties.length * 4 + i * 2));
  }
  // A duty the chat no longer names is still read (it was in `previous`): its loss shows in the chat's keys.
  const campaignIds = [
    ...new Set(
      Object.values(duties)
        .map((d) => (d.duty as { campaignId?: string } | null)?.campaignId)
        .filter((x): x is string => typeof x === 'string'),
    ),
  ].sort();
  const campaigns: Record<string, string | null> = {};
  if (campaignIds.length > 0) {
    const raws = await f.bot.redis.mget(...campaignIds.map((id) => `${p}:campaign:${id}`));
    campaignIds.forEach((id, i) => {
      campaigns[id] = raws[i] ?? null;
    });
  }
  return { chat: chatState, duties: sorted(duties), series: sorted(series), campaigns };
}

const sorted = <T>(rec: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(rec).sort(([a], [b]) => a.localeCompare(b)));

/** The snapshot without what member `memberId` may change by answering for themself: their answers and answer entries. */
export function withoutOwnAnswers(s: Snapshot, memberId: string): Snapshot {
  const duties: Record<string, DutyRecord> = {};
  for (const [id, d] of Object.entries(s.duties)) {
    const answers = Object.fromEntries(Object.entries(d.answers).filter(([m]) => m !== memberId));
    const history = d.history.filter((raw) => {
      const e = JSON.parse(raw) as { type?: string; by?: string };
      return !(e.type === 'answer' && e.by === memberId);
    });
    duties[id] = { duty: d.duty, answers, history, rev: null };
  }
  return { ...s, duties };
}

export const sameSnapshot = (a: Snapshot, b: Snapshot): boolean => JSON.stringify(a) === JSON.stringify(b);
