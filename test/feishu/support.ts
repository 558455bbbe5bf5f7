import { DutyRepo } from '../../src/store/duty-repo';
import { FakeFeishu, cardActionEvent, messageEvent, pushToBot, type FakeMessage, type PushResult } from '../fakes/feishu';
import { startBot, eventually, TestClock, type StartedBot } from '../helpers/harness';

export const ENCRYPT_KEY = 'luoshi-test-encrypt-key';
export const VERIFICATION_TOKEN = 'vt_luoshi_test_token_0001';
export const CHAT = 'oc_branch0000000000000000000001';
export const SECRETARY = 'ou_secretary0000000000000000001';
export const MEMBERS = [
  { open_id: SECRETARY, name: '王建国' },
  { open_id: 'ou_member00000000000000000000002', name: '李明' },
  { open_id: 'ou_member00000000000000000000003', name: '张丽' },
  { open_id: 'ou_member00000000000000000000004', name: '刘洋' },
  { open_id: 'ou_member00000000000000000000005', name: '陈静' },
  { open_id: 'ou_member00000000000000000000006', name: '赵磊' },
];
export const member = (i: number): string => MEMBERS[i]?.open_id ?? '';

export interface FeishuWorld {
  fake: FakeFeishu;
  started: StartedBot;
  clock: TestClock;
  url: string;
  /** Push a group message `@落实 <text>` from `sender`; resolves with the HTTP answer and the message id. */
  say(sender: string, text: string, extra?: { messageId?: string; chatId?: string; mentionBot?: boolean }): Promise<PushResult & { messageId: string }>;
  click(sender: string, messageId: string, value: unknown, form?: Record<string, string>, chatId?: string): Promise<PushResult>;
  /** Wait for the first message the bot sent in the chat that satisfies `pick`. */
  waitFor(pick: (m: FakeMessage) => boolean, what: string, timeoutMs?: number): Promise<FakeMessage>;
  stop(): Promise<void>;
}

export async function feishuWorld(options: { env?: Record<string, string>; fake?: ConstructorParameters<typeof FakeFeishu>[0]; clockAt?: number } = {}): Promise<FeishuWorld> {
  const fake = new FakeFeishu(options.fake);
  const baseUrl = await fake.start();
  fake.addChat({ chatId: CHAT, name: '第一党支部', ownerId: SECRETARY, managers: [], members: MEMBERS.map((m) => ({ ...m })) });
  const clock = new TestClock(options.clockAt ?? Date.now());
  const started = await startBot({
    clock: () => clock.now(),
    env: {
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_BASE_URL: `${baseUrl}/`,
      // Reminders in these tests come due in real time, whatever the hour: quiet hours have their own tests.
      DEFAULT_QUIET_HOURS: 'off',
      ...options.env,
    },
  });
  const url = `${started.baseUrl}/feishu/events`;
  return {
    fake,
    started,
    clock,
    url,
    say: async (sender, text, extra = {}) => {
      const messageId = extra.messageId ?? `om_${DutyRepo.newId()}${DutyRepo.newId()}`;
      fake.recordUserMessage(messageId, extra.chatId ?? CHAT);
      const event = messageEvent({
        chatId: extra.chatId ?? CHAT,
        senderOpenId: sender,
        text,
        mentionBot: extra.mentionBot ?? true,
        botName: '落实',
        messageId,
        token: VERIFICATION_TOKEN,
      });
      return { ...(await pushToBot(url, event, { encryptKey: ENCRYPT_KEY })), messageId };
    },
    click: (sender, messageId, value, form, chatId = CHAT) =>
      pushToBot(
        url,
        cardActionEvent({ chatId, messageId, operatorOpenId: sender, value, token: VERIFICATION_TOKEN, ...(form ? { formValue: form } : {}) }),
        { encryptKey: ENCRYPT_KEY },
      ),
    waitFor: (pick, what, timeoutMs = 8000) => eventually(async () => fake.messages.find(pick), timeoutMs, what),
    stop: async () => {
      await started.stop();
      await fake.stop();
    },
  };
}

interface FeishuCardJson {
  header?: { title?: { content?: string }; subtitle?: { content?: string } };
  body?: { elements?: Record<string, unknown>[] };
}

/** The tally line of a rendered Feishu card (the markdown element with id `tally`). */
export function cardTally(content: unknown): string | undefined {
  const card = content as FeishuCardJson;
  const el = card.body?.elements?.find((e) => e.element_id === 'tally');
  return typeof el?.content === 'string' ? el.content.replace(/\*\*/g, '') : undefined;
}

/** Every callback value on the card's buttons, in order. */
export function cardValues(content: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const rec = node as Record<string, unknown>;
      if (rec.tag === 'button' && Array.isArray(rec.behaviors)) {
        for (const b of rec.behaviors) if (b && typeof b === 'object' && (b as Record<string, unknown>).type === 'callback') out.push((b as Record<string, unknown>).value);
      }
      Object.values(rec).forEach(walk);
    }
  };
  walk(content);
  return out;
}

export const isCard = (m: FakeMessage): boolean => m.msgType === 'interactive';
export const textOf = (m: FakeMessage): string => (m.msgType === 'text' ? String((m.content as { text?: string }).text ?? '') : '');
