/** Set-up for the DingTalk files tests (issue 14): a DingTalk bot whose files go to a temporary DATA_DIR. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pushHttp, robotFileMessage, type DingCard, type DingSent, type FakeFile, type RobotFileContent } from '../fakes/dingtalk';
import { keptFiles } from '../materials/support';
import { dingWorld, GROUP, nameOf, PLAIN, textOf, type DingWorld } from './support';

export { keptFiles };
export { pdf, PNG } from '../materials/support';

/** The one-to-one conversation of a user with the robot (its conversationId, as DingTalk names it per pair). */
export const directOf = (userId: string): string => `cidDirect${userId}==`;

export interface FilesWorld extends DingWorld {
  readonly dataDir: string;
  /** `@落实 <text>` in a group, whose messages carry its title (第一党支部, 第二党支部). */
  sayIn(chatId: string, sender: string, text: string, isAdmin?: boolean): Promise<void>;
  /** `@落实 <text>` sent one-to-one by `userId`. */
  sayDirect(userId: string, text: string): Promise<void>;
  /** A file, picture or rich text sent by `userId` (one-to-one unless `chatId` names a group); acked. */
  sendFile(userId: string, file: RobotFileContent, chatId?: string): Promise<{ acked: boolean; msgId: string }>;
  /** Register `file` with the fake DingTalk: the downloadCode its message carries. */
  register(file: FakeFile): string;
  /** What the bot sent to `userId` one-to-one: session replies in their chat, batchSend messages. */
  toUser(userId: string): DingSent[];
  /** Texts sent to the user, in order. */
  textsTo(userId: string): string[];
  /** Cards delivered to the user's IM_ROBOT space. */
  cardsTo(userId: string): DingCard[];
  /** Wait for a text to the user containing `words`. */
  replyTo(userId: string, words: string, timeoutMs?: number): Promise<string>;
}

export async function filesWorld(o: { mode?: 'stream' | 'http'; template?: boolean; env?: Record<string, string> } = {}): Promise<FilesWorld> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-dt-files-'));
  const w = await dingWorld({ ...o, env: { DATA_DIR: dataDir, ...o.env } });
  const push = async (payload: Record<string, unknown>): Promise<boolean> => {
    if (w.mode === 'stream') return (await w.fake.pushRobotMessage(payload)).acked;
    return (await pushHttp(`${w.started.baseUrl}/dingtalk/events`, payload, { appSecret: w.fake.clientSecret })).status === 200;
  };
  const toUser = (userId: string): DingSent[] =>
    w.fake.sent.filter((s) => s.openConversationId === directOf(userId) || (s.kind === 'oto' && (s.userIds ?? []).includes(userId)));
  const textsTo = (userId: string): string[] => toUser(userId).map(textOf);
  return {
    ...w,
    dataDir,
    sayIn: async (chatId, sender, text, isAdmin = false) => {
      const title = chatId === GROUP ? '第一党支部' : chatId === PLAIN ? '第二党支部' : '测试群';
      expect(await push(w.fake.robotMessage({ conversationId: chatId, conversationTitle: title, senderStaffId: sender, senderNick: nameOf(sender), text, isAdmin }))).toBe(true);
    },
    sayDirect: async (userId, text) => {
      const payload = w.fake.robotMessage({ conversationId: directOf(userId), conversationType: '1', senderStaffId: userId, senderNick: nameOf(userId), text });
      expect(await push(payload)).toBe(true);
    },
    sendFile: async (userId, file, chatId) => {
      const group = chatId !== undefined;
      const conversationId = chatId ?? directOf(userId);
      const sessionWebhook = w.fake.sessionWebhookFor(conversationId);
      const payload = robotFileMessage(
        {
          conversationId,
          conversationType: group ? '2' : '1',
          senderStaffId: userId,
          senderNick: nameOf(userId),
          robotCode: w.fake.robotCode,
          sessionWebhook,
          sessionWebhookExpiredTime: w.fake.sessionWebhookExpiredTime(sessionWebhook) ?? Date.now() + 3600_000,
          ...(group ? { conversationTitle: '第一党支部' } : {}),
        },
        file,
      );
      return { acked: await push(payload), msgId: String(payload.msgId) };
    },
    register: (file) => w.fake.files.register(file),
    toUser,
    textsTo,
    cardsTo: (userId) => [...w.fake.cards.values()].filter((c) => c.openSpaceId === `dtv1.card//IM_ROBOT.${userId}`),
    replyTo: (userId, words, timeoutMs = 8000) => w.waitFor(() => textsTo(userId).find((t) => t.includes(words)), `a reply to ${userId} with ${words}`, timeoutMs),
    stop: async () => {
      await w.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A signed link in a reply, fetched on the test bot's own address (PUBLIC_BASE_URL is unset: the path is signed). */
export async function fetchLinkIn(w: FilesWorld, reply: string): Promise<string> {
  const u = new URL(/https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing');
  return (await fetch(new URL(`${u.pathname}${u.search}`, w.started.baseUrl))).text();
}
