import type { CardModel } from '../domain/card-model';
import { buildDutyCard } from '../domain/duty-card';
import { computeTally, type Tally } from '../domain/tally';
import type { Answer, Duty } from '../domain/types';
import type { DutyRepo } from '../store/duty-repo';
import type { RosterService } from './roster';

/** Reads a duty's answers and names and builds its card and tally (no sends). */
export class DutyViews {
  constructor(
    private readonly duties: DutyRepo,
    private readonly roster: RosterService,
    private readonly timeZone: string,
  ) {}

  /** `answers`: the duty's answers when the caller has just read them (a click's transaction does). */
  async tally(duty: Duty, answers?: ReadonlyMap<string, Answer>): Promise<Tally> {
    const [all, names] = await Promise.all([answers ?? this.duties.answers(duty.id), this.roster.names(duty.chat)]);
    if (!names.has(duty.organizer.id)) names.set(duty.organizer.id, duty.organizer.name);
    return computeTally(duty, all, names);
  }

  async card(duty: Duty, now: number, options: { reminder?: boolean; answers?: ReadonlyMap<string, Answer> } = {}): Promise<CardModel> {
    const tally = await this.tally(duty, options.answers);
    return buildDutyCard({ duty, tally, now, timeZone: this.timeZone, ...(options.reminder ? { reminder: true } : {}) });
  }
}
