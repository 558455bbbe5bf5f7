import { inferCategory } from '../domain/categories';
import { KINDS } from '../domain/duty-kinds';
import { pickOptions } from '../domain/duty-options';
import type { Member } from '../domain/types';
import type { NewDuty } from '../store/duty-repo';
import type { CreateDutyInput } from './duty-service';

/**
 * The member ids of a roster, worked out once per roster read (src/store/chat-roster.ts keeps a read for a moment), so
 * a chat's duties share one frozen audience array: DutyCodec finds its stored reference by the array, without writing
 * out its JSON again for every duty (src/store/duty-codec.ts `encode`).
 */
const idsOf = new WeakMap<readonly Member[], readonly string[]>();

function rosterIds(members: readonly Member[]): readonly string[] {
  let ids = idsOf.get(members);
  if (!ids) {
    ids = Object.freeze(members.map((m) => m.id));
    idsOf.set(members, ids);
  }
  return ids;
}

/** The record of a new duty; `members` is the chat's roster, empty when the platform cannot list it. */
export function newDuty(input: CreateDutyInput, members: readonly Member[]): NewDuty {
  const ids = rosterIds(members);
  const audienceOpen = members.length === 0;
  // The organizer typed the command in this chat, so counts even when the cached roster lags behind;
  // a campaign's organizer belongs to another chat and does not.
  const outside = !input.campaignId && !audienceOpen && !ids.includes(input.organizer.id);
  // Frozen and shared: nothing changes a duty's audience in place (every change makes a new duty record).
  const audience = (outside ? Object.freeze([...ids, input.organizer.id]) : ids) as string[];
  return {
    chat: input.chat,
    kind: input.kind,
    label: input.label,
    title: input.title.trim(),
    at: input.at,
    ...(input.place ? { place: input.place } : {}),
    ...(input.link ? { link: input.link } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.campaignId ? { campaignId: input.campaignId } : {}),
    ...(input.seriesId ? { seriesId: input.seriesId } : {}),
    ...pickOptions(input),
    // Every new duty has a category: given (类别), from its template item, or read from its title.
    category: input.category ?? inferCategory(input.kind, input.title, input.label),
    organizer: { id: input.organizer.id, name: input.organizer.name },
    audience,
    ...(audienceOpen ? { audienceOpen } : {}),
    reminderOffsets: [...(input.offsets ?? KINDS[input.kind].defaultOffsets)].sort((a, b) => b - a),
  };
}
