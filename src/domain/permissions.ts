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

export type ManageAction = 'create' | 'cancel' | 'reschedule' | 'nudge' | 'set-reminders' | 'secretaries' | 'settings' | 'category' | 'points-ranking' | 'circular';

export const REFUSAL: Readonly<Record<ManageAction, string>> = {
  create: '抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。',
  cancel: '抱歉，只有本群的党务管理员可以取消事项。',
  reschedule: '抱歉，只有本群的党务管理员可以改期。',
  nudge: '抱歉，只有本群的党务管理员可以催办。',
  'set-reminders': '抱歉，只有本群的党务管理员可以设置提醒。',
  secretaries: '抱歉，只有本群的党务管理员可以设置管理员。',
  settings: '抱歉，只有本群的党务管理员可以修改设置。',
  category: '抱歉，只有本群的党务管理员或事项的发起人可以修改类别。',
  'points-ranking': '抱歉，只有本群的党务管理员可以查看积分排行。发送「积分」可查看你自己的积分。',
  circular: '抱歉，只有本单位所在群的党务管理员可以发通报。',
};

/**
 * Who may start a campaign (发起 … 范围 …), which writes a duty into other chats: a superadmin anywhere, or a
 * secretary of a committee chat (工委群). The owner of an ordinary group may not: anyone can make a group and add
 * the bot to it (issue #11 item 6).
 */
export function mayStartCampaign(member: Member, facts: RoleFacts & { readonly committee: boolean }): boolean {
  return facts.superadmins.includes(member.id) || (facts.committee && isSecretary(member, facts));
}

/** Only superadmins mark or unmark a committee chat (设为工委群 / 取消工委群). */
export const isSuperadmin = (member: Pick<Member, 'id'>, superadmins: readonly string[]): boolean => superadmins.includes(member.id);

export const CAMPAIGN_REFUSAL = {
  notCommittee: '抱歉，跨群发起只能在工委群由党务管理员进行（或由超级管理员进行）。本群不是工委群；如需设为工委群，请超级管理员在本群发送「设为工委群」。',
  notSecretary: '抱歉，只有本工委群的党务管理员或超级管理员可以跨群发起事项。',
  committee: '抱歉，只有超级管理员可以设置或取消工委群。',
} as const;
