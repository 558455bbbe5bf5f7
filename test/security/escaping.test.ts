/**
 * Titles, places and leave reasons are user text: however they are written, they must not mention everyone nor
 * render a link. Feishu cards carry them only in plain_text nodes, Feishu text messages escape them, and the
 * sandbox carries mentions only as structured segments.
 */
import type { CardModel } from '../../src/domain/card-model';
import type { RichText } from '../../src/platforms/port';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { cardActionEvent, type FakeMessage } from '../fakes/feishu';
import { CHAT, MEMBERS, SECRETARY, VERIFICATION_TOKEN, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from '../feishu/support';
import { eventually, startBot, TestClock, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { groupMessage, sendRaw, settle, signedEvent, stringLeaves, walkJson } from './support';

const AT_ALL = '<at user_id="all"></at>';
const LINK = '[点我](http://evil.example)';
const TITLE = `${AT_ALL}@所有人${LINK}`;
const PLACE = `<at user_id="all">所有人</at>[地图](http://evil.example/map)`;
const REASON = `${AT_ALL}@所有人[请假条](http://evil.example/leave)`;
/** Markers that only the user text above contains. */
const MARKERS = ['evil.example', '<at user_id="all"', '@所有人', '所有人</at>'];
/** A markdown link, which Feishu text messages render as a link. */
const MARKDOWN_LINK = /\[[^\]\n]*\]\([^)\s]*\)/;

const hasMarker = (s: string): boolean => MARKERS.some((m) => s.includes(m));

/** Paths of the `content` of every plain_text node (and the card summary, which Feishu shows as plain text). */
function plainTextPaths(card: unknown): Set<string> {
  const paths = new Set<string>(['$.config.summary.content']);
  walkJson(card, (obj, path) => {
    if (obj.tag === 'plain_text') paths.add(`${path}.content`);
  });
  return paths;
}

describe('escaping on Feishu', () => {
  let w: FeishuWorld;
  /** Every card JSON the bot produced: posted, patched, and returned to a click. */
  const cards: unknown[] = [];
  let texts: FakeMessage[] = [];
  let nudge: FakeMessage | undefined;

  beforeAll(async () => {
    w = await feishuWorld();
    const create = groupMessage(w, SECRETARY, `会议 「${TITLE}」 明天下午3点 地点 「${PLACE}」`);
    await sendRaw(w.url, signedEvent(create.event));
    const card = await w.waitFor(isCard, 'the duty card');
    const [, leave] = cardValues(card.content);
    const res = await sendRaw(
      w.url,
      signedEvent(cardActionEvent({ chatId: CHAT, messageId: card.messageId, operatorOpenId: member(2), value: leave, formValue: { reason: REASON }, token: VERIFICATION_TOKEN })),
    );
    expect((res.json as { toast: { type: string } }).toast.type).toBe('success');
    cards.push((res.json as { card: { data: unknown } }).card.data);
    for (const command of ['催办 #1', '统计 #1', '列表', '历史 #1']) {
      const m = groupMessage(w, SECRETARY, command);
      await sendRaw(w.url, signedEvent(m.event));
      await w.waitFor((x) => x.parentId === m.messageId, `the answer to ${command}`);
    }
    await eventually(async () => w.fake.message(card.messageId)?.patches.length, 5000, 'the card patch');
    await settle(w.started, 200);
    for (const m of w.fake.messages.filter(isCard)) cards.push(m.content, ...m.patches);
    texts = w.fake.messages.filter((m) => m.msgType === 'text');
    nudge = texts.find((m) => textOf(m).includes('催办'));
  });
  afterAll(async () => {
    await w.stop();
  });

  it('should have stored the title, place and reason verbatim when they carry markup', async () => {
    const duty = await w.started.bot.services.duties.getByNumber({ platform: 'feishu', chatId: CHAT }, 1);
    expect(duty).toMatchObject({ title: TITLE, place: PLACE });
    expect((await w.started.bot.services.duties.answers(duty?.id ?? '')).get(member(2))).toMatchObject({ status: 'leave', reason: REASON });
    expect(cards.length).toBeGreaterThanOrEqual(3);
    expect(texts.length).toBeGreaterThanOrEqual(4);
  });

  it('should carry user text only in plain_text nodes of every Feishu card when it holds an @all tag, @所有人 or a markdown link', () => {
    for (const card of cards) {
      const allowed = plainTextPaths(card);
      const leaks = stringLeaves(card).filter((l) => hasMarker(l.value) && !allowed.has(l.path));
      expect(leaks).toEqual([]);
      expect(stringLeaves(card).some((l) => l.value.includes('evil.example'))).toBe(true);
    }
  });

  it('should keep every markdown element of the Feishu cards free of user text when it carries markup', () => {
    for (const card of cards) {
      const markdown: string[] = [];
      walkJson(card, (obj) => {
        if ((obj.tag === 'markdown' || obj.tag === 'lark_md') && typeof obj.content === 'string') markdown.push(obj.content);
      });
      expect(markdown.length).toBeGreaterThan(0);
      expect(markdown.filter((c) => hasMarker(c) || c.includes('点我') || c.includes('<at'))).toEqual([]);
    }
  });

  it('should open no URL from user text on the Feishu cards when the title, place and reason hold links', () => {
    for (const card of cards) {
      const urls: string[] = [];
      walkJson(card, (obj) => {
        for (const key of ['default_url', 'url', 'href', 'pc_url', 'ios_url', 'android_url']) if (typeof obj[key] === 'string') urls.push(obj[key]);
      });
      expect(urls.filter((u) => u.includes('evil'))).toEqual([]);
    }
  });

  it('should mention everyone in no Feishu text message when the title and reason carry an @all tag', () => {
    for (const m of texts) expect(textOf(m)).not.toContain('<at user_id="all"');
    expect(texts.filter((m) => textOf(m).includes('所有人')).length).toBeGreaterThan(0);
  });

  it('should mention only members of the chat, each by open_id, when the Feishu nudge names a title with an @all tag', () => {
    expect(nudge).toBeDefined();
    const ids = [...textOf(nudge ?? ({} as FakeMessage)).matchAll(/<at user_id="([^"]*)">/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !MEMBERS.some((x) => x.open_id === id))).toEqual([]);
    expect(ids).not.toContain(member(2));
  });

  it('should render no link in Feishu text messages when the title, place or reason is a markdown link', () => {
    // Feishu text messages turn `[text](url)` into a hyperlink (im-v1 message content, 「支持超链接」).
    const linked = texts.map(textOf).filter((t) => MARKDOWN_LINK.test(t));
    expect(linked).toEqual([]);
  });
});

describe('escaping on the sandbox', () => {
  let started: StartedBot;
  let driver: SandboxDriver;
  const replies: { command: string; text: RichText }[] = [];
  let card: CardModel | undefined;

  beforeAll(async () => {
    started = await startBot({ clock: new TestClock(Date.parse('2026-11-27T10:00:00+08:00')).now });
    driver = new SandboxDriver(started);
    const ask = async (sender: string, command: string): Promise<void> => {
      const id = await driver.say(sender, `@落实 ${command}`);
      const reply = await eventually(async () => (await driver.messages()).find((m) => m.replyTo === id && m.kind === 'text'), 5000, `a reply to ${command}`);
      replies.push({ command, text: reply.text ?? [] });
    };
    await ask('u1', `会议 「${TITLE}」 明天下午3点 地点 「${PLACE}」`);
    const posted = await driver.card(1);
    const leave = posted.card.buttons.find((b) => b.value.act === 'leave');
    const res = await driver.click(posted.id, 'u2', leave?.value, { reason: REASON });
    expect(res.body.toast.kind).toBe('success');
    card = res.body.card;
    for (const command of ['催办 #1', '统计 #1', '列表']) await ask('u1', command);
  });
  afterAll(async () => {
    await started.stop();
  });

  it('should answer with text segments only, no mention, when the title carries @所有人 and an @all tag', () => {
    const created = replies.find((r) => r.command.startsWith('会议'));
    expect(created?.text.length).toBeGreaterThan(0);
    expect(created?.text.every((s) => 'text' in s)).toBe(true);
    for (const r of replies.filter((x) => !x.command.startsWith('催办'))) expect(r.text.filter((s) => 'mention' in s)).toEqual([]);
  });

  it('should mention only chat members, as structured segments, when the sandbox nudge names such a title', () => {
    const nudge = replies.find((r) => r.command.startsWith('催办'));
    const mentions = (nudge?.text ?? []).flatMap((s) => ('mention' in s ? [s.mention] : []));
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.filter((m) => !DEMO_MEMBERS.some((d) => d.id === m.id && d.name === m.name))).toEqual([]);
    expect(mentions.map((m) => m.id)).not.toContain('u2');
    // The title in the nudge is text, never a mention segment.
    const titled = (nudge?.text ?? []).filter((s) => 'text' in s && s.text.includes(TITLE));
    expect(titled).toHaveLength(1);
  });

  it('should keep the title and reason as data in the card model when they carry markup', () => {
    expect(card?.header.title).toBe(`【会议】${TITLE}`);
    expect(card?.fields.find((f) => f.label === '地点')).toEqual({ label: '地点', value: PLACE });
    expect(card?.fields.every((f) => f.href === undefined || !f.href.includes('evil'))).toBe(true);
    const onLeave = card?.groups.flatMap((g) => g.entries).find((e) => e.note === REASON);
    expect(onLeave?.name).toBe('李明');
  });
});
