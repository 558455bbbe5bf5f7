import type { Config } from '../config';
import { CAMPAIGN_REFUSAL, mayStartCampaign } from '../domain/permissions';
import { UNIT_REFUSAL } from '../domain/units';
import { chatKey, type ChatRef, type Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { ChatRepo } from '../store/chat-repo';

/**
 * Committee chats (工委群): the chats whose secretaries may start campaigns across chats. An operator names them
 * in COMMITTEE_CHATS, a superadmin marks one with 设为工委群, or the admin API marks it (stored by ChatRepo).
 */
export interface CommitteeDeps {
  readonly config: Pick<Config, 'COMMITTEE_CHATS' | 'BOT_SUPERADMINS'>;
  readonly chats: ChatRepo;
}

/** Named in COMMITTEE_CHATS: cannot be unmarked in chat or through the API. */
export const configuredCommittee = (config: CommitteeDeps['config'], chat: ChatRef): boolean => config.COMMITTEE_CHATS.includes(chatKey(chat));

export async function isCommitteeChat(deps: CommitteeDeps, chat: ChatRef): Promise<boolean> {
  return configuredCommittee(deps.config, chat) || (await deps.chats.isCommittee(chat));
}

/** Every committee chat, from the config and the store, as chatKeys with where each comes from. */
export async function committeeChats(deps: CommitteeDeps): Promise<{ chat: string; source: 'config' | 'store' }[]> {
  const stored = await deps.chats.committeeChats();
  const fromConfig = deps.config.COMMITTEE_CHATS.map((chat) => ({ chat, source: 'config' as const }));
  return [...fromConfig, ...stored.filter((k) => !deps.config.COMMITTEE_CHATS.includes(k)).map((chat) => ({ chat, source: 'store' as const }))];
}

/**
 * Throws a polite Chinese refusal unless `member` may start a campaign from `chat`. A chat that is a unit
 * (`isUnit`, src/app/unit-scope.ts) lets its secretaries reach the units below it; what they may reach is checked
 * with the scope (CampaignService).
 */
export async function requireCampaigner(deps: CommitteeDeps, chat: ChatRef, member: Member, isUnit = false): Promise<void> {
  const superadmins = deps.config.BOT_SUPERADMINS;
  if (superadmins.includes(member.id)) return;
  const committee = await isCommitteeChat(deps, chat);
  if (!committee && !isUnit) throw new AppError(ErrorCode.Forbidden, CAMPAIGN_REFUSAL.notCommittee);
  const secretaries = await deps.chats.secretaries(chat);
  if (!mayStartCampaign(member, { secretaries, superadmins, committee: true })) {
    throw new AppError(ErrorCode.Forbidden, committee ? CAMPAIGN_REFUSAL.notSecretary : UNIT_REFUSAL.notSecretary);
  }
}
