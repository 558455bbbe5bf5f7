import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { RATING_CHOICES, type RatingChoice } from '../domain/rating';

/**
 * The seal of a member's current 述职评议 choice, carried by the buttons of their own copy of the rating card and
 * nowhere else. AES-256-GCM under a key derived (HKDF) from the server's secret, with the duty and the member as
 * additional data: a seal opens only for the member it was made for, on the duty it was made for, and a forged
 * or altered one fails the tag. A fresh random IV per seal makes two seals of one choice look unrelated, so a
 * seal seen by anyone else says nothing.
 *
 * The trade-off (README「述职评议」): the store keeps no member → choice mapping at all, so a change needs the old
 * choice from the clicker's card; a member who lost that card (another device, the shared card) cannot change
 * their rating, and the operator who holds both the secret and a member's card could read that one choice.
 * `version` is the member's change counter in the store (not their choice): a seal is good for one change only,
 * so replaying an old card's click cannot take a choice off a count twice.
 */
export interface SealedChoice {
  readonly choice: RatingChoice;
  readonly version: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class RatingSeal {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'luoshi rating seal v1', 32));
  }

  seal(dutyId: string, memberId: string, sealed: SealedChoice): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${dutyId}\n${memberId}`, 'utf8'));
    const body = Buffer.concat([cipher.update(`${RATING_CHOICES.indexOf(sealed.choice)}:${sealed.version}`, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed choice, or undefined when the seal is not one we made for this duty and member. */
  open(dutyId: string, memberId: string, seal: string): SealedChoice | undefined {
    const raw = Buffer.from(seal, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${dutyId}\n${memberId}`, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      const m = /^(\d):(\d{1,9})$/.exec(text);
      const choice = m ? RATING_CHOICES[Number(m[1])] : undefined;
      return m && choice ? { choice, version: Number(m[2]) } : undefined;
    } catch {
      return undefined;
    }
  }
}
