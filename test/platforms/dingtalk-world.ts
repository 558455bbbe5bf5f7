import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { InboundMessage, MessageRef } from '../../src/platforms/port';
import { FakeDingTalk, pushHttp, type DingSent } from '../fakes/dingtalk';
import { eventually } from '../helpers/harness';
import type { ConformanceWorld, SeenMessage } from './adapter-conformance';
import { platformOnFake } from './dingtalk-platform';

export const GROUP = 'cidConformanceScene001==';
export const MEMBERS = [
  { id: 'owner001', name: '王建国' },
  { id: 'member002', name: '李明' },
  { id: 'member003', name: '张丽' },
];

/** The bold-only line of a rendered markdown card or tally message: the tally. */
export const tallyOfMarkdown = (text: unknown): string | undefined =>
  typeof text === 'string' ? /^\*\*([^*]+)\*\*$/m.exec(text)?.[1] : undefined;

const param = (s: DingSent): Record<string, unknown> => (typeof s.msgParam === 'object' && s.msgParam !== null ? (s.msgParam as Record<string, unknown>) : {});
const atIds = (s: DingSent): string[] => {
  const body = s.body as { at?: { atUserIds?: string[] } };
  return body.at?.atUserIds ?? [];
};

/**
 * A DingTalk platform (Stream or HTTP mode, with or without a card template) against the fake, for the shared
 * conformance suite. A member has @-mentioned the bot in the group through the receiver, as in life, so the group
 * has a live session webhook: the route that lets texts @-mention people.
 */
export async function dingtalkWorld(mode: 'stream' | 'http', template: boolean): Promise<ConformanceWorld> {
  const fake = new FakeDingTalk();
  const baseUrl = await fake.start();
  fake.addGroup({ openConversationId: GROUP, title: '第一党支部', ownerUserId: MEMBERS[0]?.id ?? '', memberUserIds: MEMBERS.map((m) => m.id), scene: true });
  for (const m of MEMBERS) fake.addUser({ userId: m.id, name: m.name });
  const inbound: InboundMessage[] = [];
  const { platform, close } = await platformOnFake(fake, baseUrl, {
    mode,
    template,
    inbound: {
      message: async (m) => {
        inbound.push(m);
      },
      action: async () => ({ toast: { kind: 'info', text: 'ok' } }),
      file: async () => undefined,
    },
    memberPageSize: 2,
  });
  let server: Server | undefined;
  const hello = fake.robotMessage({ conversationId: GROUP, senderStaffId: 'member002', senderNick: '李明', text: '帮助' });
  if (mode === 'stream') {
    platform.start();
    await eventually(async () => fake.streamConnections() === 1, 5000, 'the stream connection');
    await fake.pushRobotMessage(hello);
  } else {
    const app = express().use(platform.router());
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server?.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/events`;
    await pushHttp(url, hello, { appSecret: fake.clientSecret });
  }
  await eventually(async () => inbound.length === 1, 3000, 'the greeting');

  const sentFor = (ref: MessageRef): DingSent | undefined =>
    fake.sentTo(GROUP).find((s) => s.processQueryKey === ref.messageId) ?? (ref.messageId.startsWith('session-') ? fake.sentTo(GROUP).filter((s) => s.kind === 'session').at(-1) : undefined);

  const inspect = async (ref: MessageRef): Promise<SeenMessage> => {
    const card = fake.cards.get(ref.messageId);
    if (card) {
      const notice = card.cardData.notice;
      if (notice) return { kind: 'text', text: notice, updates: card.updates.length, mentions: Object.keys(card.atUserIds ?? {}) };
      return { kind: 'card', ...(card.cardData.tally ? { tally: card.cardData.tally } : {}), updates: card.updates.length, mentions: [] };
    }
    const sent = sentFor(ref);
    if (!sent) throw new Error(`no message ${ref.messageId}`);
    if (sent.msgKey === 'sampleMarkdown') {
      const title = String(param(sent).title);
      const all = fake.sentTo(GROUP);
      const updates = all.slice(all.indexOf(sent) + 1).filter((s) => s.msgKey === 'sampleMarkdown' && param(s).title === `${title} 最新统计`);
      const last = updates.at(-1) ?? sent;
      const tally = tallyOfMarkdown(param(last).text);
      return { kind: 'card', ...(tally ? { tally } : {}), updates: updates.length, mentions: [] };
    }
    return { kind: 'text', text: String(param(sent).content ?? ''), updates: 0, mentions: atIds(sent) };
  };

  return {
    port: platform.client,
    chatId: GROUP,
    unknownChatId: 'cidNoSuchGroup000==',
    members: MEMBERS,
    messages: async () => fake.sentTo(GROUP).map((s, i) => ({ platform: 'dingtalk' as const, chatId: GROUP, messageId: s.processQueryKey ?? `sent-${i}` })),
    inspect,
    stop: async () => {
      await close();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await fake.stop();
    },
  };
}
