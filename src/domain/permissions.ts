import type { Member } from './types';

export interface RoleFacts {
  /** Secretaries recorded for the chat (设置管理员). */
  readonly secretaries: ReadonlySet<string>;
  /** Ids from BOT_SUPERADMINS. */
  readonly superadmins: readonly string[];
}

/** Who runs the chat's party affairs: the platform's owner/admins, recorded secretaries, and superadmins. */
export function isSecretary(member: Member, facts: RoleFacts): boolean {
  return (
    member.platformRole === 'owner' ||
    member.platformRole === 'admin' ||
    facts.secretaries.has(member.id) ||
    facts.superadmins.includes(member.id)
  );
}

export type ManageAction = 'create' | 'cancel' | 'reschedule' | 'nudge' | 'set-reminders' | 'secretaries' | 'settings';

export const REFUSAL: Readonly<Record<ManageAction, string>> = {
  create: '抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。',
  cancel: '抱歉，只有本群的党务管理员可以取消事项。',
  reschedule: '抱歉，只有本群的党务管理员可以改期。',
  nudge: '抱歉，只有本群的党务管理员可以催办。',
  'set-reminders': '抱歉，只有本群的党务管理员可以设置提醒。',
  secretaries: '抱歉，只有本群的党务管理员可以设置管理员。',
  settings: '抱歉，只有本群的党务管理员可以修改设置。',
};
