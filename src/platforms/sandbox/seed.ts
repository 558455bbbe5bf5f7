import type { Member } from '../../domain/types';
import type { SandboxRepo } from '../../store/sandbox-repo';

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

/** Create the demo branch unless it exists already (a restart keeps its messages). */
export async function seedSandbox(repo: SandboxRepo): Promise<boolean> {
  if (await repo.chat(DEMO_CHAT.id)) return false;
  await repo.saveChat(DEMO_CHAT, DEMO_MEMBERS);
  return true;
}
