import type { Config } from '../config';
import { isSuperadmin } from '../domain/permissions';
import type { ChatRef, Member } from '../domain/types';
import type { ChatRepo } from '../store/chat-repo';
import type { ChatAudit } from '../store/chat-settings';
import { configuredCommittee, isCommitteeChat } from './committees';
import type { RosterService } from './roster';

export interface ChatRolesDeps {
  readonly config: Pick<Config, 'COMMITTEE_CHATS' | 'BOT_SUPERADMINS'>;
  readonly chats: ChatRepo;
  readonly roster: RosterService;
}

/**
 * Who runs a chat, and what the chat is: its party secretaries (the platform's owner and admins, and those set with
 * 设置管理员) and whether it is a committee chat (工委群, src/app/committees.ts). Every change is audited.
 */
export class ChatRoles {
  constructor(private readonly deps: ChatRolesDeps) {}

  /** The members who run the chat's party affairs: the platform's owner and admins, and the recorded secretaries. */
  async secretaries(chat: ChatRef): Promise<Member[]> {
    const [members, recorded] = await Promise.all([this.deps.roster.members(chat), this.deps.chats.secretaries(chat)]);
    return members.filter((m) => m.platformRole === 'owner' || m.platformRole === 'admin' || recorded.has(m.id));
  }

  /** Make a member a secretary (true) or stop (false); false when nothing changed. */
  async setSecretary(chat: ChatRef, memberId: string, add: boolean, audit: ChatAudit): Promise<boolean> {
    return add ? this.deps.chats.addSecretary(chat, memberId, audit) : this.deps.chats.removeSecretary(chat, memberId, audit);
  }

  isSuperadmin(member: Pick<Member, 'id'>): boolean {
    return isSuperadmin(member, this.deps.config.BOT_SUPERADMINS);
  }

  async isCommittee(chat: ChatRef): Promise<boolean> {
    return isCommitteeChat(this.deps, chat);
  }

  /** Named in COMMITTEE_CHATS: only an operator can unmark it. */
  configuredCommittee(chat: ChatRef): boolean {
    return configuredCommittee(this.deps.config, chat);
  }

  /** Mark or unmark the chat as a committee chat; false when nothing changed. */
  async setCommittee(chat: ChatRef, on: boolean, audit: ChatAudit): Promise<boolean> {
    return this.deps.chats.setCommittee(chat, on, audit);
  }
}
