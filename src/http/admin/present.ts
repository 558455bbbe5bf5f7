import { tallyLine, type Tally } from '../../domain/tally';
import { chatKey, type Duty, type HistoryEntry } from '../../domain/types';
import { toZonedIso } from '../../time/zoned';
import type { DutyOut, HistoryEntryOut, TallyOut } from './response-schemas';

/** Store records as API JSON: epoch ms become ISO 8601 with the bot's offset; chats become `<platform>:<chatId>`. */
export function presentDuty(duty: Duty, timeZone: string): DutyOut {
  const iso = (ms: number): string => toZonedIso(ms, timeZone);
  return {
    id: duty.id,
    chat: chatKey(duty.chat),
    number: duty.number,
    kind: duty.kind,
    label: duty.label,
    title: duty.title,
    at: iso(duty.at),
    ...(duty.place ? { place: duty.place } : {}),
    ...(duty.link ? { link: duty.link } : {}),
    ...(duty.notes ? { notes: duty.notes } : {}),
    organizer: { id: duty.organizer.id, name: duty.organizer.name },
    audience: [...duty.audience],
    reminderOffsets: [...duty.reminderOffsets],
    state: duty.state,
    ...(duty.deliveryError ? { deliveryError: { ...duty.deliveryError, at: iso(duty.deliveryError.at) } } : {}),
    createdAt: iso(duty.createdAt),
    updatedAt: iso(duty.updatedAt),
  };
}

export function presentTally(duty: Duty, tally: Tally): TallyOut {
  const copy = (entries: Tally['pending']): TallyOut['pending'] => entries.map((e) => ({ ...e }));
  return {
    line: tallyLine(duty, tally),
    counts: {
      attending: tally.attending.length,
      leave: tally.leave.length,
      submitted: tally.submitted.length,
      pending: tally.pending.length,
    },
    attending: copy(tally.attending),
    leave: copy(tally.leave),
    submitted: copy(tally.submitted),
    pending: copy(tally.pending),
  };
}

export function presentHistoryEntry(entry: HistoryEntry, names: ReadonlyMap<string, string>, timeZone: string): HistoryEntryOut {
  const iso = (ms: number): string => toZonedIso(ms, timeZone);
  const name = names.get(entry.by);
  const base = { at: iso(entry.at), by: entry.by, ...(name ? { byName: name } : {}) };
  switch (entry.type) {
    case 'created':
    case 'cancelled':
    case 'done':
      return { type: entry.type, ...base };
    case 'answer':
      return { type: 'answer', ...base, status: entry.status, previous: entry.previous, ...(entry.reason ? { reason: entry.reason } : {}) };
    case 'rescheduled':
      return { type: 'rescheduled', ...base, from: iso(entry.from), to: iso(entry.to) };
    case 'reminders':
      return { type: 'reminders', ...base, offsets: [...entry.offsets] };
    case 'delivery-failed':
      return { type: 'delivery-failed', ...base, code: entry.code, detail: entry.detail };
    case 'minutes':
      return { type: 'minutes', ...base, text: entry.text, replaced: entry.replaced };
    case 'signin':
      return { type: 'signin', ...base, member: entry.member, how: entry.how, ...(entry.late ? { late: true } : {}) };
    case 'signin-correction':
      return { type: 'signin-correction', ...base, member: entry.member, action: entry.action, ...(entry.late ? { late: true } : {}), ...(entry.reason ? { reason: entry.reason } : {}) };
    case 'category':
      return { type: 'category', ...base, from: entry.from, to: entry.to };
  }
}
