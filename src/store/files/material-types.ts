import type { ChatRef, Member } from '../../domain/types';

/** A file attached to a duty as its material (材料): what it is, who attached it and when. */
export interface Material {
  readonly id: string;
  readonly dutyId: string;
  /** The name the sender gave it. */
  readonly name: string;
  readonly size: number;
  /** MIME type (src/store/files/file-types.ts). */
  readonly type: string;
  /** Names the content in the blob store. */
  readonly sha256: string;
  readonly by: Pick<Member, 'id' | 'name'>;
  readonly at: number;
}

/** A file kept and waiting for its sender's choice of duty (the card's buttons name it by `id`). */
export interface PendingUpload extends Omit<Material, 'dutyId'> {
  readonly chat: ChatRef;
  /** The message that carried it: the bot's answers reply to it. */
  readonly messageId: string;
  /** Sent one-to-one: it may go to a duty of any group where its sender takes part. */
  readonly direct?: boolean;
}
