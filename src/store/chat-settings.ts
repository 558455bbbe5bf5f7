import type { z } from 'zod';
import { chatKey, type ChatRef } from '../domain/types';
import { ChatDirectory } from './chat-directory';
import { indexed, keepParsed, parseRecord } from './records';
import { execOrThrow } from './redis';
import { HGET_MANY } from './chat-scripts';
import { runScript } from './run-script';
import { pipelineByTag } from './slot-groups';
import { chatAuditSchema } from './schemas/chat-audit';

export interface ChatAudit {
  readonly at: number;
  readonly by: string;
  readonly what: string;
}

/**
 * The second layer of ChatRepo (src/store/chat-repo.ts, where the key layout is): a chat's settings (设置) and the
 * audit list of who changed its settings and roles.
 */
export abstract class ChatSettings extends ChatDirectory {
  async setting(chat: ChatRef, name: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(chat, 'settings'), name)) ?? undefined;
  }

  /** One setting of many chats in one pipeline, keyed by chatKey (absent where unset). */
  async settings(chats: readonly ChatRef[], name: string): Promise<Map<string, string>> {
    const distinct = [...new Map(chats.map((c) => [chatKey(c), c])).values()];
    const values = this.keys.spreads || distinct.length < 2
      ? (await pipelineByTag(this.redis, distinct, this.tagOf, 1, (pipeline, chat) => pipeline.hget(this.key(chat, 'settings'), name))).map((r) => r[0])
      : await runScript(this.redis, HGET_MANY, distinct.length, ...distinct.map((chat) => this.key(chat, 'settings')), name);
    if (!Array.isArray(values) || values.length !== distinct.length) throw new Error('Redis answered a settings read with the wrong shape');
    const out = new Map<string, string>();
    distinct.forEach((chat, i) => {
      const v: unknown = values[i];
      if (typeof v === 'string') out.set(chatKey(chat), v);
    });
    return out;
  }

  /**
   * A setting kept as a JSON record, parsed with `schema`; undefined when unset. One that does not parse throws
   * DamagedRecord naming the settings key and the setting (never a default in its place: every reader of the setting
   * must see the same value).
   */
  async settingRecord<T>(chat: ChatRef, name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw = await this.setting(chat, name);
    return raw === undefined ? undefined : parseRecord(schema, raw, this.key(chat, 'settings'), name);
  }

  /** `settingRecord` for many chats in one pipeline, keyed by chatKey (absent where unset); throws like it. */
  async settingRecords<T>(chats: readonly ChatRef[], name: string, schema: z.ZodType<T>): Promise<Map<string, T>> {
    const raw = await this.settings(chats, name);
    return new Map([...raw].map(([k, v]) => [k, parseRecord(schema, v, this.keys.chat(k, 'settings'), name)]));
  }

  async setSetting(chat: ChatRef, name: string, value: string, audit: ChatAudit): Promise<void> {
    const multi = this.redis.multi();
    multi.hset(this.key(chat, 'settings'), name, value);
    multi.rpush(this.key(chat, 'audit'), JSON.stringify(audit));
    await execOrThrow(multi);
  }

  async audit(chat: ChatRef): Promise<ChatAudit[]> {
    const key = this.key(chat, 'audit');
    return keepParsed(chatAuditSchema, key, indexed(await this.redis.lrange(key, '0', '-1')), this.report);
  }
}
