import type { Member } from '../../domain/types';
import type { ChatRef } from '../../domain/types';
import type { ConsoleHistory, SandboxChat } from './history';

/** The chat records the demo writes (ChatRepo): that a chat is a group the bot is in, and which chats are 工委群. */
export interface SandboxRecords {
  kinds(chats: readonly ChatRef[]): Promise<ReadonlyMap<string, 'group' | 'direct'>>;
  touch(chat: ChatRef, name: string | undefined, sender: undefined, kind: 'group'): Promise<void>;
  setCommittee(chat: ChatRef, on: boolean, audit: { readonly at: number; readonly by: string; readonly what: string }): Promise<unknown>;
}

/** The demo branch the console opens with: 第一党支部, six members, 王建国 its secretary. */
export const DEMO_CHAT = { id: 'branch-1', name: '第一党支部' } as const;

export const DEMO_MEMBERS: readonly Member[] = [
  { id: 'u1', name: '王建国', platformRole: 'owner' },
  { id: 'u2', name: '李明', platformRole: 'member' },
  { id: 'u3', name: '张丽', platformRole: 'member' },
  { id: 'u4', name: '刘洋', platformRole: 'member' },
  { id: 'u5', name: '陈静', platformRole: 'member' },
  { id: 'u6', name: '赵磊', platformRole: 'member' },
];

/** The second demo branch: 第二党支部, five members, 孙海燕 its secretary. */
export const DEMO_BRANCH_2 = { id: 'branch-2', name: '第二党支部' } as const;

export const DEMO_BRANCH_2_MEMBERS: readonly Member[] = [
  { id: 'u21', name: '孙海燕', platformRole: 'owner' },
  { id: 'u22', name: '周伟', platformRole: 'member' },
  { id: 'u23', name: '吴芳', platformRole: 'member' },
  { id: 'u24', name: '郑涛', platformRole: 'member' },
  { id: 'u25', name: '冯丽', platformRole: 'member' },
];

/**
 * The working committee's chat (工委群): 马卫东 (the committee's secretary, who may start campaigns over the branches
 * with 发起 … 范围 全部), a committee member, and the two branch secretaries, who are ordinary members here.
 */
export const DEMO_COMMITTEE = { id: 'committee', name: '市直机关工委' } as const;

export const DEMO_COMMITTEE_MEMBERS: readonly Member[] = [
  { id: 'u1', name: '王建国', platformRole: 'member' },
  { id: 'u21', name: '孙海燕', platformRole: 'member' },
  { id: 'u31', name: '马卫东', platformRole: 'owner' },
  { id: 'u32', name: '黄晓梅', platformRole: 'member' },
];

interface DemoChat {
  readonly chat: SandboxChat;
  readonly members: readonly Member[];
  readonly committee?: boolean;
}

/** SANDBOX_DEMO: `full`, the committee chat and two branches; `branch`, 第一党支部 alone. */
export type SandboxDemo = 'full' | 'branch';

const DEMOS: Record<SandboxDemo, readonly DemoChat[]> = {
  branch: [{ chat: DEMO_CHAT, members: DEMO_MEMBERS }],
  full: [
    { chat: DEMO_CHAT, members: DEMO_MEMBERS },
    { chat: DEMO_BRANCH_2, members: DEMO_BRANCH_2_MEMBERS },
    { chat: DEMO_COMMITTEE, members: DEMO_COMMITTEE_MEMBERS, committee: true },
  ],
};

export interface SeedDeps {
  readonly repo: ConsoleHistory;
  readonly chats: SandboxRecords;
  readonly demo: SandboxDemo;
  readonly now: number;
}

/**
 * Create the demo chats that do not exist yet; returns the names of those created. A chat that exists is left as it
 * is (its members, messages and whether it is a 工委群), so a restart, or a deployment that had 第一党支部 alone,
 * keeps its data and only gains the chats it lacks.
 *
 * With the full demo every chat is also recorded as a group the bot is in (as a first message there would), so that
 * 发起 … 范围 全部 from the committee chat reaches both branches at once, and a new committee chat is marked 工委群
 * (ChatRepo's `committee-chats`, as 设为工委群 does) so that its secretary may start campaigns. These marks come
 * before the chat itself, which is created last and only if still absent: a start cut short between them simply
 * does them again.
 */
export async function seedSandbox(deps: SeedDeps): Promise<string[]> {
  const created: string[] = [];
  const full = deps.demo === 'full';
  for (const demo of DEMOS[deps.demo]) {
    const ref = { platform: 'sandbox' as const, chatId: demo.chat.id };
    const existing = await deps.repo.chat(demo.chat.id);
    if (full && !(existing && (await deps.chats.kinds([ref])).size > 0)) await deps.chats.touch(ref, (existing ?? demo.chat).name, undefined, 'group');
    if (existing) continue;
    if (full && demo.committee) await deps.chats.setCommittee(ref, true, { at: deps.now, by: 'sandbox-demo', what: '设为工委群' });
    if (await deps.repo.createChat(demo.chat, demo.members)) created.push(demo.chat.name);
  }
  return created;
}
