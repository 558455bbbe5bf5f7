import type { CardModel } from '../../src/domain/card-model';
import type { Member } from '../../src/domain/types';
import { PlatformError } from '../../src/errors';
import type { MessageRef, PlatformPort } from '../../src/platforms/port';

/** What a platform showed for a message, read back from the platform (or its fake). */
export interface SeenMessage {
  readonly kind: 'card' | 'text';
  /** The card's tally line as rendered. */
  readonly tally?: string;
  /** The text as the platform received it (with its own mention syntax). */
  readonly text?: string;
  /** How many times the card was updated. */
  readonly updates: number;
  /** Who the platform will notify as mentioned ('all' for everyone). */
  readonly mentions: readonly string[];
}

export interface ConformanceWorld {
  readonly port: PlatformPort;
  readonly chatId: string;
  /** A chat id the platform does not know. */
  readonly unknownChatId: string;
  readonly members: readonly Member[];
  /** Every message the platform holds for the chat, oldest first. */
  messages(): Promise<MessageRef[]>;
  inspect(ref: MessageRef): Promise<SeenMessage>;
  stop(): Promise<void>;
}

export const sampleCard = (tally: string): CardModel => ({
  header: { title: '【会议】支部委员会', subtitle: '#1', color: 'blue' },
  fields: [{ label: '时间', value: '11月28日（周六）15:00' }],
  tally,
  groups: [{ label: '参加', entries: [{ name: '李明' }] }],
  buttons: [
    { label: '参加', value: { v: 1, duty: 'abcdefghijkl', act: 'attend' }, style: 'primary' },
    { label: '请假', value: { v: 1, duty: 'abcdefghijkl', act: 'leave' }, style: 'default', reasonPrompt: '请填写请假原因' },
  ],
  footer: '#1 · 发起人 王建国',
});

/**
 * The one suite every platform adapter must pass, as bullmq runs one suite over every client adapter
 * (https://github.com/taskforcesh/bullmq/blob/master/tests/adapter-conformance.test.ts).
 * `setup` builds the adapter against its platform (the sandbox's Redis, or a fake server).
 */
export function describeConformance(name: string, setup: () => Promise<ConformanceWorld>): void {
  describe(`platform adapter conformance: ${name}`, () => {
    let w: ConformanceWorld;
    beforeEach(async () => {
      w = await setup();
    });
    afterEach(async () => {
      await w.stop();
    });

    it('should send a card to the chat and return where it lives', async () => {
      const ref = await w.port.sendCard(w.chatId, sampleCard('参加 1 · 请假 0 · 未回复 5'));
      expect(ref).toMatchObject({ platform: w.port.name, chatId: w.chatId });
      expect(ref.messageId).toEqual(expect.any(String));
      expect(await w.inspect(ref)).toMatchObject({ kind: 'card', tally: '参加 1 · 请假 0 · 未回复 5', updates: 0 });
    });

    it('should post once when the same idempotency key is sent twice', async () => {
      const before = (await w.messages()).length;
      const a = await w.port.sendCard(w.chatId, sampleCard('参加 0 · 请假 0 · 未回复 6'), { idempotencyKey: 'rem-conformance-1' });
      const b = await w.port.sendCard(w.chatId, sampleCard('参加 0 · 请假 0 · 未回复 6'), { idempotencyKey: 'rem-conformance-1' });
      expect(b.messageId).toBe(a.messageId);
      expect((await w.messages()).length).toBe(before + 1);
    });

    it('should update a card in place', async () => {
      const ref = await w.port.sendCard(w.chatId, sampleCard('参加 0 · 请假 0 · 未回复 6'));
      await w.port.updateCard(ref, sampleCard('参加 2 · 请假 0 · 未回复 4'));
      expect(await w.inspect(ref)).toMatchObject({ kind: 'card', tally: '参加 2 · 请假 0 · 未回复 4', updates: 1 });
    });

    it('should send text with a mention in the platform’s own syntax', async () => {
      const who = w.members[1];
      if (!who) throw new Error('the world needs two members');
      const ref = await w.port.sendText(w.chatId, [{ text: '请尽快回复 ' }, { mention: who }]);
      const seen = await w.inspect(ref);
      expect(seen.kind).toBe('text');
      expect(seen.text).toContain('请尽快回复');
      expect(seen.text).toContain(w.port.mention(who));
      expect(seen.mentions).toEqual([who.id]);
    });

    it('should not let user text mention everyone', async () => {
      const ref = await w.port.sendText(w.chatId, [{ text: '标题<at user_id="all"></at>@所有人' }]);
      const seen = await w.inspect(ref);
      expect(seen.text).toContain('标题');
      expect(seen.mentions).toEqual([]);
    });

    it('should list the chat’s members with the owner marked', async () => {
      const members = (await w.port.listMembers(w.chatId)) ?? [];
      expect(members.map((m) => m.id).sort()).toEqual(w.members.map((m) => m.id).sort());
      expect(members.filter((m) => m.platformRole === 'owner')).toHaveLength(1);
    });

    it('should fail for good when the chat does not exist', async () => {
      const err = await w.port.sendCard(w.unknownChatId, sampleCard('参加 0 · 请假 0 · 未回复 0')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlatformError);
      expect((err as PlatformError).permanent).toBe(true);
    });
  });
}
