/**
 * Fuzzing the command path: random text, a verb of the registry with random words after it, and well-formed
 * commands, from the secretary, from members and from someone outside the chat, each with its own message id,
 * through dispatcher.processMessage on the sandbox. For every input:
 * - processMessage resolves 'handled' (nothing throws past the handler) and no handler failed internally;
 * - the command got a reply: a text job in the outbox, or a card sent once;
 * - an input that is not a valid command (no verb, or refused with a user error) changes no stored record;
 * - a member who is not a secretary changes at most their own answers.
 * Times far out of range (9999999周后, 2150年…) have a property of their own, so that the main mix keeps
 * exercising everything else while that bug is open.
 */
import fc from 'fast-check';
import type { InboundMessage } from '../../src/platforms/port';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import type { ChatRef, Member } from '../../src/domain/types';
import { FUZZ_BUDGET, FUZZ_SEED } from './budget';
import { sameSnapshot, snapshot, startFuzzBot, withoutOwnAnswers, type FuzzBot, type LogRecord, type Snapshot } from './support';
import { cardReplyKey, replyKey } from '../../src/queue/inbound-queue';

jest.setTimeout(120_000);

/** The inputs move to a fresh chat every PER_CHAT inputs, so each chat's records stay few and snapshots quick. */
const CHATS = 10;
const PER_CHAT = Math.ceil(FUZZ_BUDGET.commands / CHATS);
const chatOf = (seq: number): ChatRef => ({ platform: 'sandbox', chatId: `fuzz-${Math.floor(seq / PER_CHAT) % CHATS}` });
const SECRETARY = DEMO_MEMBERS[0] as Member;
const OUTSIDER: Member = { id: 'u9', name: '路人' };
const SENDERS: readonly Member[] = [...DEMO_MEMBERS, OUTSIDER];

/** Words that follow verbs: numbers, times, rules, options, names, and some trouble. */
const ARGS = [
  '#1', '#2', '#3', '#99', '＃1', '1', '2', '#0', '#-1', '#1.5', '#9999999', '系列1', '系列 1', 'S1', '系列99', '明天下午3点', '后天上午9点', '下周二上午9点', '12月20日',
  '截止', '截止 12月20日', '昨天', '每月第一个工作日下午3点', '每周三下午3点', '每月15号 遇节假日顺延', '30天后', '999周后', '半小时后',
  '支部委员会', '「支部 委员会」', '"', '「', '』', '地点', '地点 三楼会议室', '地点：', '提醒', '提前1天', '提前2小时,提前1天', '提前0分钟', '提前999天', '链接',
  'https://example.cn/x', 'javascript:alert(1)', '备注', '外出培训', '三会一课', '主题党日', '免打扰', '21:00-08:00', '关', '开', '私信催办', '本季度', '本月', '本年',
  '10月1日至12月31日', '2026年', '全部', '范围', '范围 全部', '@李明', '@所有人', '<at user_id="all"></at>', '[点我](http://evil.example)', '王建国', '述职', '会议',
  '\n', ' ', '　', '0', '-', '/', '\u200b', '党'.repeat(61), 'x'.repeat(300),
];

/** Commands as a secretary or a member would type them. */
const WELL_FORMED = [
  '会议 支部委员会 明天下午3点', '会议 党小组会 后天上午9点 地点 三楼会议室 提醒 提前1天', '学习 理论学习 下周二上午9点 链接 https://example.cn/材料', '述职 年度述职 截止 12月20日',
  '参加 #1', '参加 #2', '请假 #1 外出培训', '请假 #2', '已提交 #3', '取消 #2', '催办 #1', '改期 #1 后天下午4点', '提醒 #1 提前1天,提前2小时', '统计 #1', '统计 本季度', '统计 本月',
  '列表', '历史 #1', '系列', '模板', '设置 免打扰 22:00-07:00', '设置 免打扰', '时间 明天下午3点', '帮助', '管理员', '停止 系列1', '发起 述职 年度述职 截止 12月20日 范围 全部',
];

/** Times a Date cannot hold, or past the working calendar (1901–2100). */
const FAR_OUT: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('9999999', '99999999', '99999999999', '1000000', '123456789'), fc.constantFrom('分钟后', '小时后', '个半小时后', '天后', '周后', '个月后'))
    .map(([n, unit]) => `${n}${unit}`),
  fc.tuple(fc.integer({ min: 2101, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}年${m}月${d}日下午3点`),
);

/** Commands that take a time, as a secretary types them. */
const TIMED: readonly ((time: string) => string)[] = [
  (t) => `会议 支部委员会 ${t}`,
  (t) => `学习 理论学习 ${t}`,
  (t) => `述职 年度述职 截止 ${t}`,
  (t) => `改期 #1 ${t}`,
  (t) => `时间 ${t}`,
  (t) => `发起 述职 年度述职 截止 ${t} 范围 全部`,
];

/** Inputs of the main mix and of the far-out property: FUZZ_BUDGET.commands in all. */
const RUNS = { mix: FUZZ_BUDGET.commands - 500, farOut: 500 } as const;

interface Input {
  readonly sender: Member;
  readonly text: string;
  readonly mentions: readonly Member[];
}

describe(`command fuzz through dispatcher.processMessage (seed ${FUZZ_SEED})`, () => {
  let f: FuzzBot;
  let verbs: string[] = [];

  beforeAll(async () => {
    f = await startFuzzBot();
    for (let i = 0; i < CHATS; i++) await f.bot.sandbox?.repo.saveChat({ id: `fuzz-${i}`, name: `第${i + 1}党支部` }, DEMO_MEMBERS);
    verbs = f.bot.dispatcher.commandList.flatMap((h) => h.words);
  });
  afterAll(async () => {
    await f.stop();
  });

  /** The dispatcher's own rule, restated: does the text start with a command word? */
  const isCommand = (text: string): boolean => {
    const t = text.trim();
    return verbs.some((w) => t === w || (t.startsWith(w) && /^[\s#＃\d]/.test(t.slice(w.length))));
  };

  const tally = { runs: 0, commands: 0, refused: 0, changed: 0, replies: 0, cards: 0 };
  let seq = 0;
  let chat: ChatRef | undefined;
  let before: Snapshot | undefined;
  let beforeJson = '';

  /** One input through the dispatcher, and every property checked on it. */
  async function check({ sender, text, mentions }: Input): Promise<void> {
    seq += 1;
    tally.runs += 1;
    const messageId = `fz${seq}`;
    if (!before || chatOf(seq).chatId !== chat?.chatId) {
      chat = chatOf(seq);
      before = await snapshot(f, chat);
      beforeJson = JSON.stringify(before);
    }
    const message: InboundMessage = {
      kind: 'message',
      chat,
      messageId,
      sender,
      text,
      ...(mentions.length > 0 ? { mentions: mentions.map((m) => ({ id: m.id, name: m.name })) } : {}),
      receivedAt: f.clock.now(),
    };
    const logFrom = f.logs.length;
    const outcome = await f.bot.dispatcher.processMessage(message);
    expect(outcome).toBe('handled');

    const mine = f.logs.slice(logFrom).filter((r: LogRecord) => r.eventId === messageId);
    const failed = mine.filter((r) => r.level >= 50);
    expect(failed.map((r) => `${r.msg ?? ''}: ${r.err?.message ?? ''}`)).toEqual([]);
    const refused = mine.some((r) => r.level === 30 && typeof r.code === 'string');

    // A reply: the first text job of this message, or the card sent once for it (statistics).
    const p = f.config.REDIS_KEY_PREFIX;
    const cardKey = cardReplyKey(chat, messageId);
    const [textJob, cardSent] = await Promise.all([
      f.bot.redis.exists(`${p}:bull:cards:text-${replyKey(chat, messageId, 1)}`),
      f.bot.redis.exists(`${p}:sent:${cardKey}`),
    ]);
    expect(textJob + cardSent).toBeGreaterThan(0);
    tally.replies += textJob;
    tally.cards += cardSent;

    const after = await snapshot(f, chat, before);
    const afterJson = JSON.stringify(after);
    const changed = afterJson !== beforeJson;
    const valid = isCommand(text) && !refused && failed.length === 0;
    if (isCommand(text)) tally.commands += 1;
    if (refused) tally.refused += 1;
    if (changed) tally.changed += 1;
    // Deep comparisons only when something changed: they name the difference when they fail.
    if (changed && !valid) expect(after).toEqual(before);
    // 设置管理员 @某人 from the secretary makes more secretaries along the way.
    const secretary = sender.platformRole === 'owner' || (before.chat.secretaries as string[]).includes(sender.id);
    if (changed && !secretary && !sameSnapshot(withoutOwnAnswers(after, sender.id), withoutOwnAnswers(before, sender.id))) {
      expect(withoutOwnAnswers(after, sender.id)).toEqual(withoutOwnAnswers(before, sender.id));
    }
    beforeJson = afterJson;
    before = after;
  }

  it(`should answer every input without throwing and change state only for valid commands when ${RUNS.mix} random inputs arrive (seed ${FUZZ_SEED})`, async () => {
    const input: fc.Arbitrary<Input> = fc.record({
      sender: fc.oneof({ arbitrary: fc.constant(SECRETARY), weight: 2 }, { arbitrary: fc.constantFrom(...SENDERS), weight: 3 }),
      text: fc.oneof(
        { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
        { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
        {
          arbitrary: fc
            .tuple(fc.constantFrom(...verbs), fc.constantFrom('', ' ', '#', '  '), fc.array(fc.oneof(fc.constantFrom(...ARGS), fc.string({ maxLength: 6 })), { maxLength: 5 }))
            .map(([verb, glue, args]) => `${verb}${glue}${args.join(' ')}`),
          weight: 4,
        },
        { arbitrary: fc.constantFrom(...WELL_FORMED), weight: 2 },
      ),
      mentions: fc.subarray([...DEMO_MEMBERS], { maxLength: 2 }),
    });
    const start = { ...tally };
    await fc.assert(
      fc.asyncProperty(input, (i) => check(i)),
      { seed: FUZZ_SEED, numRuns: RUNS.mix },
    );
    const runs = tally.runs - start.runs;
    console.log(
      `command fuzz, seed ${FUZZ_SEED}: ${runs} inputs, ${tally.commands - start.commands} started with a verb, ${tally.refused - start.refused} refused, ${tally.changed - start.changed} changed state, ${tally.replies - start.replies} text replies, ${tally.cards - start.cards} cards`,
    );
    expect(runs).toBe(RUNS.mix);
    // The mix reaches every branch: plain text, refusals, and commands that go through and change state.
    expect(tally.commands - start.commands).toBeGreaterThan(runs / 2);
    expect(tally.refused - start.refused).toBeGreaterThan(runs / 10);
    expect(tally.changed - start.changed).toBeGreaterThan(runs / 100);
  });

  it(`should answer in Chinese, store nothing and fail no handler when ${RUNS.farOut} commands carry times far out of range (seed ${FUZZ_SEED})`, async () => {
    const input: fc.Arbitrary<Input> = fc.record({
      sender: fc.constant(SECRETARY),
      text: fc.tuple(fc.constantFrom(...TIMED), FAR_OUT).map(([command, time]) => command(time)),
      mentions: fc.constant([]),
    });
    const before = tally.runs;
    await fc.assert(
      fc.asyncProperty(input, (i) => check(i)),
      { seed: FUZZ_SEED + 1, numRuns: RUNS.farOut },
    );
    expect(tally.runs - before).toBe(RUNS.farOut);
  });

  it(`should give the command path its ${FUZZ_BUDGET.commands} inputs when both properties are counted`, () => {
    expect(RUNS.mix + RUNS.farOut).toBe(FUZZ_BUDGET.commands);
  });
});
