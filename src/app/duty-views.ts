import type { CardModel } from '../domain/card-model';
import { buildDutyCard, type SigninCardState } from '../domain/duty-card';
import { signinOpen, type SigninRecord } from '../domain/signin';
import { computeTally, type Tally } from '../domain/tally';
import type { Answer, Duty } from '../domain/types';
import type { DutyRepo } from '../store/duty-repo';
import type { RosterService } from './roster';

/** The sign-in records of a duty (src/store/signin-repo.ts), as the card needs them. */
export interface SigninReader {
  records(dutyId: string): Promise<Map<string, SigninRecord>>;
}

/** Reads a duty's answers and names and builds its card and tally (no sends). */
export class DutyViews {
  constructor(
    private readonly duties: DutyRepo,
    private readonly roster: RosterService,
    private readonly timeZone: string,
    /** Sign-ins, read only while a duty's sign-in window is open (no read on other cards' clicks). */
    private readonly signins?: SigninReader,
  ) {}

  /** `answers`: the duty's answers when the caller has just read them (a click's transaction does). */
  async tally(duty: Duty, answers?: ReadonlyMap<string, Answer>): Promise<Tally> {
    const [all, names] = await Promise.all([answers ?? this.duties.answers(duty.id), this.roster.names(duty.chat)]);
    if (!names.has(duty.organizer.id)) names.set(duty.organizer.id, duty.organizer.name);
    return computeTally(duty, all, names);
  }

  async card(duty: Duty, now: number, options: { reminder?: boolean; answers?: ReadonlyMap<string, Answer> } = {}): Promise<CardModel> {
    const [tally, signin] = await Promise.all([this.tally(duty, options.answers), this.signinState(duty, now)]);
    return buildDutyCard({ duty, tally, now, timeZone: this.timeZone, ...(options.reminder ? { reminder: true } : {}), ...(signin ? { signin } : {}) });
  }

  /**
   * The card's 签到 part, on every meeting and study session from 30 minutes before the start until the end
   * (issue 14: "the card shows a 签到 button"); the sign-in jobs refresh the card when the window opens and closes.
   */
  private async signinState(duty: Duty, now: number): Promise<SigninCardState | undefined> {
    if (!this.signins || !signinOpen(duty, now)) return undefined;
    const records = await this.signins.records(duty.id);
    const present = [...records.values()].filter((r) => r.status === 'present').length;
    const expected = new Set([...duty.audience, ...[...records].filter(([, r]) => r.status === 'present').map(([id]) => id)]).size;
    return { present, expected, code: duty.signinCode === true };
  }
}
