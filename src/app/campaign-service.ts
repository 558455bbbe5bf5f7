import type { Config } from '../config';
import { CAMPAIGN_REFUSAL } from '../domain/permissions';
import { newTimeRefusal } from '../domain/duty-refusals';
import { checkNewTime } from '../domain/duty-rules';
import { chatKey, type ChatRef, type Duty, type Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Outbox } from '../queue/outbox';
import { CampaignRepo, type Campaign, type CampaignPart } from '../store/campaign-repo';
import type { ChatRepo } from '../store/chat-repo';
import { isCommitteeChat, requireCampaigner } from './committees';
import type { DutyService } from './duty-service';
import type { RosterService } from './roster';
import type { UnitScopes } from './unit-scope';

/** A campaign reaches at most this many chats. */
export const MAX_CAMPAIGN_CHATS = 200;

/**
 * What 发起 … asks for: the fields of the duty each chat gets, who asks and from where, and the chats it goes to
 * (范围: 全部, or chat names).
 */
export type CampaignInput = Pick<Duty, 'kind' | 'label' | 'title' | 'at' | 'organizer'> & {
  readonly origin: ChatRef;
  readonly scope: string;
};

export interface StartedCampaign {
  readonly id: string;
  readonly parts: readonly CampaignPart[];
  /** 范围 全部 left out chats not yet known to be groups: what to tell the organizer ('' when none). */
  readonly note: string;
}

export interface CampaignServiceDeps {
  readonly config: Pick<Config, 'COMMITTEE_CHATS' | 'BOT_SUPERADMINS' | 'BOT_TIMEZONE'>;
  readonly chats: ChatRepo;
  readonly roster: RosterService;
  readonly dutyService: DutyService;
  readonly campaigns: CampaignRepo;
  readonly outbox: Outbox;
  /** The new campaign's id (CampaignRepo.newId; a test names its own). */
  readonly newId?: () => string;
  /** The units tree (issue 15): 范围 下级 / 全部下级 / unit names, and a unit's secretaries as campaigners. */
  readonly unitScopes?: UnitScopes;
}

/**
 * Campaigns (发起 述职 … 范围 …): one report duty in each chat of the scope, each with its own card, members,
 * reminders and nudges, and a summary card in the chat it was started from. Every duty and the campaign's record
 * are created in steps (src/store/campaign-repo.ts): the record pending, each chat's duty (guarded, so a retry makes
 * no second one), the record complete; a campaign left pending is finished at start-up (`finishPending`).
 * Only group chats are reached, never a one-to-one chat with the bot (issue #11 item 6).
 */
export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  /** Throws a polite Chinese refusal unless `member` may start a campaign from `chat` (src/app/committees.ts). */
  async requireCampaigner(chat: ChatRef, member: Member): Promise<void> {
    await requireCampaigner(this.deps, chat, member, (await this.deps.unitScopes?.isUnit(chat)) === true);
  }

  async start(input: CampaignInput, now: number): Promise<StartedCampaign> {
    const { targets, all, note } = await this.scoped(input.origin, input.scope, input.organizer);
    if (targets.length > MAX_CAMPAIGN_CHATS) throw new AppError(ErrorCode.BadInput, `范围太大（${targets.length} 个群，最多 ${MAX_CAMPAIGN_CHATS} 个）。`);
    const time = checkNewTime(input.at, now);
    if (!time.ok) throw new AppError(ErrorCode.BadTime, newTimeRefusal(time.reason, input.at, this.deps.config.BOT_TIMEZONE, now));
    const id = (this.deps.newId ?? CampaignRepo.newId)();
    const { origin, kind, label, title, at, organizer } = input;
    // Every chat's duty checked before the record is written: a refused campaign leaves nothing pending.
    for (const t of targets) this.deps.dutyService.check({ chat: t.chat, organizer, kind, label, title, at, campaignId: id }, now);
    const begun = await this.deps.campaigns.begin({
      id,
      origin,
      kind,
      label,
      title,
      at,
      createdBy: { id: organizer.id, name: organizer.name },
      createdAt: now,
      targets: targets.map((t) => ({ chat: t.chat, chatName: t.name })),
      organizer,
    });
    if (!begun) throw new Error(`the campaign id ${id} is taken: nothing was created`);
    const pending = await this.deps.campaigns.get(id);
    if (!pending) throw new Error(`the campaign ${id} vanished while it was created`);
    const done = await this.finish(pending, now);
    return { id, parts: done.parts, note: all ? note : '' };
  }

  /**
   * Create the duties of a pending campaign (each chat's at most once: DutyRepo.createMany's campaign guard), mark it
   * complete, then post its summary card.
   */
  async finish(campaign: Campaign, now: number): Promise<Campaign> {
    const targets = campaign.targets ?? [];
    const organizer = campaign.organizer ?? { id: campaign.createdBy.id, name: campaign.createdBy.name };
    const { kind, label, title, at, id } = campaign;
    const duties = await this.deps.dutyService.createMany(
      targets.map((t) => ({ chat: t.chat, organizer, kind, label, title, at, campaignId: id })),
      now,
      id,
    );
    const parts = targets.map((t, i): CampaignPart => {
      const duty = duties[i];
      if (!duty) throw new Error('bulk creation returned fewer duties than asked');
      return { chat: t.chat, chatName: t.chatName, dutyId: duty.id, number: duty.number };
    });
    const done = await this.deps.campaigns.complete(campaign, parts);
    await this.deps.outbox.campaign(id, 0);
    return done;
  }

  /** Finish every campaign a stopped process left pending (the start-up reconciliation); how many were finished. */
  async finishPending(now: number, onError: (campaignId: string, err: unknown) => void): Promise<number> {
    let finished = 0;
    for (const campaign of await this.deps.campaigns.pending()) {
      try {
        await this.finish(campaign, now);
        finished++;
      } catch (err) {
        onError(campaign.id, err);
      }
    }
    return finished;
  }

  /**
   * The chats of the scope: through the units tree when it names units (or 下级, 全部下级), else by chat names as
   * before, which only a superadmin or a committee chat (工委群) may use.
   */
  private async scoped(origin: ChatRef, scope: string, organizer: Member): Promise<{ targets: { chat: ChatRef; name: string }[]; all: boolean; note: string }> {
    const reachAll = this.deps.config.BOT_SUPERADMINS.includes(organizer.id) || (await isCommitteeChat(this.deps, origin));
    const viaUnits = await this.deps.unitScopes?.targets(origin, scope, reachAll);
    if (viaUnits) return { targets: viaUnits.filter((t) => chatKey(t.chat) !== chatKey(origin)), all: false, note: '' };
    // A unit's secretaries passed requireCampaigner for the units below theirs only; a chat that is no unit is as before.
    if (!reachAll && (await this.deps.unitScopes?.isUnit(origin)) === true) throw new AppError(ErrorCode.Forbidden, CAMPAIGN_REFUSAL.notCommittee);
    return this.targets(origin, scope);
  }

  /** The chats a scope names, with their names; refuses a scope naming chats the bot is not in, or none. */
  private async targets(origin: ChatRef, scope: string): Promise<{ targets: { chat: ChatRef; name: string }[]; all: boolean; note: string }> {
    const { chats, roster } = this.deps;
    // Group chats only: a chat counts once a message there said it is a group (a one-to-one chat never does).
    const others = (await chats.known(origin.platform)).filter((c) => c.chatId !== origin.chatId);
    const kinds = await chats.kinds(others);
    const known = others.filter((c) => kinds.get(chatKey(c)) === 'group');
    // Chats recorded before kinds were kept, or never written to since: not known to be groups, so left out.
    const unconfirmed = others.filter((c) => !kinds.has(chatKey(c))).length;
    const note = unconfirmed > 0 ? `另有 ${unconfirmed} 个群尚未确认是群聊，未包括：在该群 @我 发任一命令（如「列表」）后即可。` : '';
    const named = await Promise.all(known.map(async (chat) => ({ chat, name: await roster.chatName(chat) })));
    const all = /^(全部|所有|全体)$/.test(scope.trim());
    let targets = named;
    if (!all) {
      const wanted = scope.split(/[,，、\s]+/).filter(Boolean);
      const missing = wanted.filter((w) => !named.some((n) => n.name === w));
      if (missing.length > 0) throw new AppError(ErrorCode.BadInput, `我不在这些群里或没找到：${missing.join('、')}。请先把我拉进群，或检查群名。${note}`);
      targets = named.filter((n) => wanted.includes(n.name));
    }
    if (targets.length === 0) throw new AppError(ErrorCode.BadInput, `除本群外我还不在其他群里：请先把我拉进各支部的群。${note}`);
    return { targets, all, note };
  }
}
