/** Shared set-up for the Feishu files tests (issue 14): a Feishu bot against the fake, its files under a temporary DATA_DIR. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DutyRepo } from '../../src/store/duty-repo';
import { fileMessageEvent, pushToBot, type FakeResource, type PushResult } from '../fakes/feishu';
import { CHAT, ENCRYPT_KEY, feishuWorld, MEMBERS, VERIFICATION_TOKEN, type FeishuWorld } from './support';

export { keptFiles, pdf, PNG } from '../materials/support';

export interface FilesWorld extends FeishuWorld {
  readonly dataDir: string;
  /** The one-to-one chat of a member with the bot (its chat_id, `oc_…` like any chat). */
  p2p(openId: string): string;
  /** A member sends a file or image: the fake keeps its bytes, the bot gets the event. */
  send(sender: string, file: SentFile): Promise<PushResult & { messageId: string; key: string }>;
}

export interface SentFile {
  readonly kind?: 'file' | 'image' | 'media';
  readonly name?: string;
  readonly bytes: Uint8Array;
  readonly contentType?: string;
  /** Sent one-to-one (default) or in the group. */
  readonly p2p?: boolean;
  /** In the group, as a reply to this message. */
  readonly parentId?: string;
  readonly contentLength?: boolean;
  readonly messageId?: string;
  /** The file_key / image_key; default a new one. */
  readonly key?: string;
  /** When it was sent (ms); default now. */
  readonly createTime?: number;
}

export async function filesWorld(env: Record<string, string> = {}): Promise<FilesWorld> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'luoshi-feishu-files-'));
  const w = await feishuWorld({ env: { DATA_DIR: dataDir, FILE_RETRY_DELAYS_MS: '10,20', ...env } });
  const p2p = (openId: string): string => `oc_p2p${openId.slice(3)}`;
  for (const m of MEMBERS) w.fake.addChat({ chatId: p2p(m.open_id), name: '', ownerId: m.open_id, managers: [], members: [{ ...m }] });
  return {
    ...w,
    dataDir,
    p2p,
    send: async (sender, f) => {
      const direct = f.p2p ?? true;
      const chatId = direct ? p2p(sender) : CHAT;
      const messageId = f.messageId ?? `om_${DutyRepo.newId()}${DutyRepo.newId()}`;
      const kind = f.kind ?? 'file';
      const key = f.key ?? (kind === 'image' ? `img_v3_${DutyRepo.newId()}` : `file_v3_${DutyRepo.newId()}`);
      w.fake.recordUserMessage(messageId, chatId);
      const resource: FakeResource = {
        messageId,
        key,
        type: kind === 'image' ? 'image' : 'file',
        bytes: f.bytes,
        ...(f.contentType ? { contentType: f.contentType } : {}),
        ...(kind !== 'image' && f.name ? { fileName: f.name } : {}),
        ...(f.contentLength === false ? { contentLength: false } : {}),
      };
      w.fake.addResource(resource);
      const event = fileMessageEvent({
        chatId,
        senderOpenId: sender,
        kind,
        key,
        ...(f.name ? { fileName: f.name } : {}),
        chatType: direct ? 'p2p' : 'group',
        messageId,
        ...(f.parentId ? { parentId: f.parentId } : {}),
        ...(f.createTime === undefined ? {} : { createTime: f.createTime }),
        token: VERIFICATION_TOKEN,
      });
      return { ...(await pushToBot(w.url, event, { encryptKey: ENCRYPT_KEY })), messageId, key };
    },
    stop: async () => {
      await w.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The signed link in a reply, on the test bot's own address (PUBLIC_BASE_URL is unset: only the path is signed). */
export function linkOnBot(w: FeishuWorld, reply: string): URL {
  const u = new URL(/https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing');
  return new URL(`${u.pathname}${u.search}`, w.started.baseUrl);
}
