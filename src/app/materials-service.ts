import type { Readable } from 'node:stream';
import type { CardModel } from '../domain/card-model';
import { choiceCard } from './material-choice-card';
import type { ChatRef, Duty, Member } from '../domain/types';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { FileInbound, FileOutcome, FileSource, InboundFile } from '../platforms/file-port';
import { replyKey } from '../queue/inbound-queue';
import type { Outbox } from '../queue/outbox';
import type { DutyRepo } from '../store/duty-repo';
import type { BlobStore } from '../store/files/blob-store';
import type { MaterialRepo } from '../store/files/material-repo';
import type { Material, PendingUpload } from '../store/files/material-types';
import { expectFileDirect } from './direct-attach';
import { blobFields, DOWNLOAD_RETRY_DELAYS_MS, storeDownload, uploadId } from './material-download';
import type { DutyService } from './duty-service';
import { formatSize, MATERIAL_TEXT } from './material-texts';
import { dutyRepliedTo, takesPart } from './materials-reply';
import type { CardReplies } from './stats-card-reply';

/** A duty's material as the record, minutes and ledger pages list it, with a way to stream its content. */
import type { MaterialsSource } from './ledger-service';

export interface MaterialEntry extends Material {
  open(): Promise<Readable>;
}

/** What a click on the choice card comes back with (a toast and the card closed). */
export interface AttachResult {
  readonly ok: boolean;
  readonly text: string;
  readonly card?: CardModel;
}

/** Choices on the card answering a file: at most this many duties. */
const MAX_CHOICES = 8;

/**
 * Files and images attached to duties as evidence (issue 14 "Minutes and materials"): a file sent to the bot is
 * streamed to the blob store (never whole in memory), then attached to the duty `附件 #7` named, or kept until its
 * sender taps a duty on the answering card. A file attached to a report by its member counts as 已提交.
 */
export class MaterialsService implements FileInbound {
  readonly maxBytes: number;

  constructor(
    private readonly deps: {
      readonly maxMb: number;
      readonly duties: DutyRepo;
      readonly dutyService: DutyService;
      readonly blobs: BlobStore;
      readonly materials: MaterialRepo;
      readonly outbox: Outbox;
      readonly cards: CardReplies;
      readonly clock: () => number;
      readonly log: Logger;
      /** A group's name, shown on the choice card answering a file sent one-to-one (duties come from several groups). */
      readonly chatName?: (chat: ChatRef) => Promise<string | undefined>;
      /** Waits between download tries (a platform's file link); the sender is told after the last. */
      readonly retryDelaysMs?: readonly number[];
    },
  ) {
    this.maxBytes = deps.maxMb * 1024 * 1024;
  }

  /** A duty's materials, oldest first. */
  async list(dutyId: string): Promise<MaterialEntry[]> {
    const found = await this.deps.materials.list(dutyId);
    return found.map((m) => ({ ...m, open: () => this.deps.blobs.open(m.sha256) }));
  }

  /** The duty's files as the record page and the ledger read them (src/app/ledger-service.ts `MaterialsSource`). */
  asSource(): MaterialsSource {
    return {
      list: async (duty) => (await this.deps.materials.list(duty.id)).map((m) => ({ id: m.id, name: m.name, size: m.size, type: m.type, at: m.at })),
      open: async (duty, id) => {
        const found = (await this.deps.materials.list(duty.id)).find((m) => m.id === id);
        return found ? { name: found.name, type: found.type, size: found.size, body: await this.deps.blobs.open(found.sha256) } : undefined;
      },
    };
  }

  /** Whether `memberId` attached a file to the duty (需附件: a report counts as submitted only with one). */
  async hasFileFrom(dutyId: string, memberId: string): Promise<boolean> {
    return (await this.deps.materials.list(dutyId)).some((m) => m.by.id === memberId);
  }

  /** The refusal of 已提交 without a file on a 需附件 duty, with how to send one; undefined when it may go on. */
  async refuseSubmitWithoutFile(dutyId: string, memberId: string): Promise<string | undefined> {
    const duty = await this.deps.duties.get(dutyId);
    if (duty?.needsFile !== true || duty.state !== 'scheduled') return undefined;
    return (await this.hasFileFrom(dutyId, memberId)) ? undefined : MATERIAL_TEXT.needsFile(duty);
  }

  /**
   * `附件 #7`: the member's next file goes to duty #7 (30 minutes). Sent one-to-one (`direct`), #7 is looked for in
   * every group the member takes part in (`group`: words naming one) and takes the file waiting there: direct-attach.ts.
   */
  async expectFile(chat: ChatRef, member: Member, number: number, options: { readonly direct?: boolean; readonly group?: string } = {}): Promise<string> {
    if (options.direct === true) {
      const { duties, materials, chatName } = this.deps;
      const attach = (duty: Duty, upload: PendingUpload, m: Member): Promise<string> => this.attachTo(duty, upload, m, this.deps.clock());
      return expectFileDirect({ duties, materials, attach, takesPart, ...(chatName ? { chatName } : {}) }, chat, member, number, options.group ?? '');
    }
    const duty = await this.deps.dutyService.find(chat, number);
    if (duty.state !== 'scheduled') throw new AppError(ErrorCode.Conflict, MATERIAL_TEXT.closed(duty));
    await this.deps.materials.setNext(chat.platform, member.id, duty.id);
    return MATERIAL_TEXT.nextFile(duty);
  }

  /** A file sent to the bot: refused before reading when nothing can take it, else streamed, then attached or offered. */
  async file(file: InboundFile, body: Readable | FileSource, declaredSize?: number): Promise<FileOutcome> {
    // A platform may deliver the same message again (Feishu retries a push it thinks unanswered): taken once.
    if (!(await this.deps.materials.takeDelivery(file.chat.platform, file.messageId, file.delivery))) {
      this.deps.log.info({ messageId: file.messageId }, 'file message delivered again: ignored');
      return { kept: false, text: '' };
    }
    const { carded, ...outcome } = await this.receive(file, body, declaredSize);
    // The choice card is the answer when there is one; otherwise the text (none for a file not meant for the bot).
    if (!carded && outcome.text !== '') await this.deps.outbox.text(file.chat, [{ text: outcome.text }], replyKey(file.chat, file.messageId, 1), file.messageId);
    return outcome;
  }

  private async receive(file: InboundFile, body: Readable | FileSource, declaredSize?: number): Promise<FileOutcome & { carded?: boolean }> {
    const { chat, sender } = file;
    const name = file.name.trim();
    const direct = file.direct === true;
    // A reply to a duty's card in a group goes to that duty (src/app/materials-reply.ts).
    const replied = !direct && file.replyTo ? await dutyRepliedTo(this.deps.duties, chat, sender, file.replyTo) : undefined;
    const named = typeof replied === 'string' ? undefined : (replied ?? (await this.namedDuty(chat, sender)));
    // Any file posted in a group reaches the bot where it may read group messages: only one meant for a duty is
    // answered; the rest of the group's files are none of its business (no reply, nothing kept).
    if (file.unsolicited === true && replied === undefined && !named) return { kept: false, text: '' };
    if (typeof replied === 'string') return { kept: false, text: replied };
    if (name.length === 0 || name.length > 200) return { kept: false, text: MATERIAL_TEXT.badName };
    if (declaredSize !== undefined && declaredSize > this.maxBytes) return { kept: false, text: MATERIAL_TEXT.tooLarge(name, this.deps.maxMb, declaredSize) };
    const choices = named ? [] : await this.openDutiesOf(chat, sender, direct);
    if (!named && choices.length === 0) return { kept: false, text: MATERIAL_TEXT.noOpenDuty };
    const stored = await storeDownload({ blobs: this.deps.blobs, log: this.deps.log, delaysMs: this.deps.retryDelaysMs ?? DOWNLOAD_RETRY_DELAYS_MS }, name, body, this.maxBytes);
    if (stored === 'failed') return { kept: false, text: MATERIAL_TEXT.downloadFailed(name) };
    if ('refused' in stored) {
      const text = { 'too-large': MATERIAL_TEXT.tooLarge(name, this.deps.maxMb, declaredSize), 'bad-type': MATERIAL_TEXT.badType(name), empty: MATERIAL_TEXT.empty(name) };
      return { kept: false, text: text[stored.refused] };
    }
    const now = this.deps.clock();
    const upload: PendingUpload = {
      // A job run again after its process died (the same delivery) makes the same id: its material is added once.
      id: uploadId(file.delivery),
      chat,
      messageId: file.messageId,
      name,
      ...blobFields(stored),
      by: { id: sender.id, name: sender.name },
      at: now,
      ...(direct ? { direct: true } : {}),
    };
    this.deps.log.info({ sha256: stored.sha256, size: stored.size, duty: named?.id }, 'material received');
    if (named) {
      if (!replied) await this.deps.materials.clearNext(chat.platform, sender.id);
      return { kept: true, text: await this.attachTo(named, upload, sender, now) };
    }
    await this.deps.materials.savePending(upload);
    await this.deps.cards.send({ chat, messageId: file.messageId }, choiceCard(upload, choices, direct ? await this.groupNames(choices) : undefined));
    return { kept: true, carded: true, text: `收到「${name}」（${formatSize(stored.size)}）：请在下面的卡片上点选要附到的事项。` };
  }

  /** A tap on the choice card: upload `uploadId` goes to duty `dutyId`, once, only by its sender. */
  async attachChosen(chat: ChatRef, actor: Member, uploadId: string, dutyId: string): Promise<AttachResult> {
    const pending = await this.deps.materials.peekPending(uploadId);
    if (!pending || pending.chat.platform !== chat.platform || pending.chat.chatId !== chat.chatId) return { ok: false, text: MATERIAL_TEXT.gone };
    if (pending.by.id !== actor.id) return { ok: false, text: MATERIAL_TEXT.notYours };
    const duty = await this.deps.duties.get(dutyId);
    // A file sent one-to-one may go to a duty of any group on the platform where its sender takes part.
    const reachable = pending.direct === true ? duty?.chat.platform === chat.platform && takesPart(duty, actor.id) : duty?.chat.chatId === chat.chatId && duty.chat.platform === chat.platform;
    if (!duty || !reachable) return { ok: false, text: '这个事项不存在或不属于本群。' };
    if (duty.state !== 'scheduled') return { ok: false, text: MATERIAL_TEXT.closed(duty) };
    const taken = await this.deps.materials.takePending(uploadId);
    if (!taken) return { ok: false, text: MATERIAL_TEXT.gone };
    const text = await this.attachTo(duty, taken, actor, this.deps.clock());
    return { ok: true, text, card: { ...choiceCard(taken, []), banner: `已附到 #${duty.number}「${duty.title}」`, footer: '' } };
  }

  private async attachTo(duty: Duty, upload: PendingUpload, member: Member, now: number): Promise<string> {
    const { chat: _chat, messageId: _messageId, ...fields } = upload;
    await this.deps.materials.add({ ...fields, id: upload.id, dutyId: duty.id, at: now });
    const member_ = duty.audience.includes(member.id) || duty.audienceOpen === true;
    if (duty.kind !== 'report' || !member_) return MATERIAL_TEXT.attached(upload.name, upload.size, duty);
    const write = await this.deps.dutyService.answer(duty.id, member, 'submitted', now);
    const late = write?.ok === true ? write.answer.late === true : now > duty.at;
    return MATERIAL_TEXT.attached(upload.name, upload.size, duty, { late });
  }

  /**
   * The duty `附件 #n` named for this member's next file, while it is still open: named in a group, it takes the
   * next file the member sends there or one-to-one (DingTalk delivers files only one-to-one,
   * /work/shared/reference/files-and-p2p.md §3).
   */
  private async namedDuty(chat: ChatRef, sender: Member): Promise<Duty | undefined> {
    const id = await this.deps.materials.next(chat.platform, sender.id);
    const duty = id ? await this.deps.duties.get(id) : undefined;
    return duty?.state === 'scheduled' && duty.chat.platform === chat.platform ? duty : undefined;
  }

  /**
   * The sender's open duties: in this group, or, for a file sent one-to-one, in every group of the platform where the
   * sender takes part (one pass over the open duties, a page at a time). Reports first, then the soonest.
   */
  private async openDutiesOf(chat: ChatRef, sender: Member, direct: boolean): Promise<Duty[]> {
    const mine: Duty[] = [];
    const keep = (d: Duty): boolean => d.state === 'scheduled' && takesPart(d, sender.id);
    if (direct) {
      for await (const page of this.deps.duties.openPages(200)) mine.push(...page.filter((d) => d.chat.platform === chat.platform && keep(d)));
    } else {
      mine.push(...(await this.deps.duties.listOpen(chat)).filter(keep));
    }
    const rank = (d: Duty): number => (d.kind === 'report' ? 0 : 1);
    const unique = [...new Map(mine.map((d) => [d.id, d])).values()];
    return unique.sort((a, b) => rank(a) - rank(b) || a.at - b.at).slice(0, MAX_CHOICES);
  }

  /** The groups' names by chat id, for the choice card of a file sent one-to-one. */
  private async groupNames(duties: readonly Duty[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const d of duties) {
      if (names.has(d.chat.chatId)) continue;
      const name = await this.deps.chatName?.(d.chat);
      if (name) names.set(d.chat.chatId, name);
    }
    return names;
  }
}
