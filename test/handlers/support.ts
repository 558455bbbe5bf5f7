/** Shared set-up for the chat-command tests: a bot on the sandbox with a fixed clock, and store snapshots. */
import type { CardModel } from '../../src/domain/card-model';
import type { Answer, ChatRef, Duty, HistoryEntry, Member } from '../../src/domain/types';
import { DEMO_CHAT, DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import type { SandboxMessage } from '../../src/store/sandbox-repo';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

/** Friday 27 November 2026, 10:00 in Shanghai. */
export const NOW = Date.parse('2026-11-27T10:00:00+08:00');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const CHAT: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
export const SIX_NAMES = DEMO_MEMBERS.map((m) => m.name);
export const SIX_IDS = DEMO_MEMBERS.map((m) => m.id);
export const OUTSIDER: Member = { id: 'u7', name: '孙伟', platformRole: 'member' };

/** An instant written as Shanghai wall time, e.g. `2026-11-28T15:00`. */
export const shanghai = (wall: string): number => Date.parse(`${wall}:00+08:00`);

export type CardMessage = SandboxMessage & { card: CardModel };

export interface World {
  readonly started: StartedBot;
  readonly clock: TestClock;
  readonly driver: SandboxDriver;
}

export async function startWorld(env?: Record<string, string>): Promise<World> {
  const clock = new TestClock(NOW);
  const started = await startBot(env ? { clock: clock.now, env } : { clock: clock.now });
  return { started, clock, driver: new SandboxDriver(started) };
}

/** Say a command and wait for the bot's text reply; also gives the id of the command message. */
export async function ask(driver: SandboxDriver, senderId: string, command: string): Promise<{ id: string; reply: string }> {
  const id = await driver.say(senderId, `@落实 ${command}`);
  const reply = await eventually(
    async () => (await driver.messages()).find((m) => m.replyTo === id && m.kind === 'text'),
    5000,
    `a reply to「${command}」`,
  );
  return { id, reply: plain(reply.text) };
}

export async function dutyNo(started: StartedBot, number: number, chat: ChatRef = CHAT): Promise<Duty> {
  const duty = await started.bot.services.duties.getByNumber(chat, number);
  if (!duty) throw new Error(`no duty #${number}`);
  return duty;
}

export interface DutySnapshot {
  readonly duty: Duty | undefined;
  readonly answers: [string, Answer][];
  readonly history: HistoryEntry[];
  readonly jobs: string[];
  readonly open: string[];
}

/** Everything a command could change about duty #n: compare before and after a refused input. */
export async function snapshot(started: StartedBot, number: number, chat: ChatRef = CHAT): Promise<DutySnapshot> {
  const { duties } = started.bot.services;
  const duty = await duties.getByNumber(chat, number);
  const open = (await duties.listOpen(chat)).map((d) => d.id);
  if (!duty) return { duty, answers: [], history: [], jobs: await reminderJobIds(started), open };
  const answers = [...(await duties.answers(duty.id))].sort(([a], [b]) => a.localeCompare(b));
  return { duty, answers, history: await duties.history(duty.id), jobs: await reminderJobIds(started, duty.id), open };
}

/** Ids of the delayed reminder jobs (of one duty, when given), sorted. */
export async function reminderJobIds(started: StartedBot, dutyId?: string): Promise<string[]> {
  const jobs = await started.bot.queues.reminders.getDelayed();
  return jobs
    .map((j) => j.id ?? '')
    .filter((id) => dutyId === undefined || id.startsWith(`rem-${dutyId}-`))
    .sort();
}

export const jobId = (duty: Duty, offsetMinutes: number, at: number = duty.at): string =>
  `rem-${duty.id}-${offsetMinutes}-${at - offsetMinutes * MINUTE}`;

/** Wait until the latest card of #n satisfies `check` (cards are refreshed through the card queue). */
export async function cardWhere(driver: SandboxDriver, number: number, check: (card: CardModel) => boolean, what: string): Promise<CardMessage> {
  return eventually(async () => {
    const cards = await driver.cardsOf(number);
    const last = cards[cards.length - 1];
    return last && check(last.card) ? last : undefined;
  }, 5000, what);
}

export const groupNames = (card: CardModel, label: string): string[] =>
  (card.groups.find((g) => g.label === label)?.entries ?? []).map((e) => (e.note ? `${e.name}（${e.note}）` : e.name));

export const field = (card: CardModel, label: string): string | undefined => card.fields.find((f) => f.label === label)?.value;

/** Add 孙伟 (u7) to the demo chat after the fact and refresh the bot's roster. */
export async function addOutsider(started: StartedBot): Promise<void> {
  const sandbox = started.bot.sandbox;
  if (!sandbox) throw new Error('sandbox is off');
  await sandbox.repo.saveChat(DEMO_CHAT, [...DEMO_MEMBERS, OUTSIDER]);
  await started.bot.services.roster.members(CHAT, { fresh: true });
}
