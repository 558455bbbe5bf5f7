import { impliedAnswer } from '../domain/answers';
import type { ChatRef, Duty, HistoryEntry } from '../domain/types';
import { chatKey } from '../domain/types';
import type { CreateGuard, NewDuty } from './duty-writes';
import type { DutyCodec, EncodedDuty } from './duty-codec';
import { CREATE_DUTIES } from './duty-scripts';
import { bucket, newRecordId } from './keys';
import type { StoreConnection } from './redis-cluster';
import { runScript, shaOf } from './run-script';
import { mapByTag, nodesOf } from './slot-groups';
import { execPipeline, type Keys } from './redis';

/** One chat's part of a creation: its new duties, in order, and the guard that makes it happen once, if any. */
export interface ChatCreation {
  readonly chat: ChatRef;
  readonly inputs: readonly NewDuty[];
  readonly guard?: CreateGuard;
}

/** What a creation script call came to: each chat's duties, in the order asked, or why nothing was written. */
export type CreationResult = { readonly ok: true; readonly duties: Duty[][] } | { readonly ok: false; readonly reason: 'guarded' | 'conflict' };

/**
 * Writes new duties with CREATE_DUTIES (src/store/duty-scripts.ts): numbers are given out from each chat's counter
 * read just before, and the script writes only if no counter moved since (else read again, up to `attempts` times).
 * The global open index is written by the script on one Redis, and right after it on a cluster (another slot;
 * idempotent, repaired at start by DutyRepo.repairOpenIndex).
 */
/** A chat's new duties, numbered on from its counter as read (`ids`: kept across a compare-and-set's attempts). */
function newDuties(part: ChatCreation, counter: number, now: number, ids?: readonly string[]): Duty[] {
  // Object.assign, not `{ ...input, id, … }`: the spread with fields after it measured 5 µs a duty, this 0.5 µs
  // (V8 12, a new duty of 10 fields; bench:schedule).
  return part.inputs.map((input, i): Duty => Object.assign({}, input, { id: ids?.[i] ?? newRecordId(chatKey(part.chat)), number: counter + i + 1, state: 'scheduled' as const, createdAt: now, updatedAt: now }));
}

/** How many chats' creation scripts a bulk creation (a campaign) runs at once on a cluster: all of a 200-chat campaign in one wave (bench:schedule on the cluster: 25 at a time made it 1.63× standalone, 200 at once 1.47×). */
const CREATE_PARALLEL = 200;

/** How many chats one creation script call writes on one Redis: a whole campaign (at most 200 chats). */
const BULK_CHATS = 200;

export class DutyCreator {
  constructor(
    private readonly redis: StoreConnection,
    private readonly keys: Keys,
    private readonly codec: DutyCodec,
    /** The duty a guard was set to, if any (DutyRepo.byGuard). */
    private readonly byGuard: (guard: CreateGuard) => Promise<Duty | undefined>,
  ) {}

  /**
   * Create many duties (in one chat or many) at once: every chat's numbers run on from its counter, and each chat's
   * duties are written all or none. On one Redis every chat's duties go in one script call (BULK_CHATS chats a
   * call); on a cluster one call per chat (each stays in its chat's slot), CREATE_PARALLEL at a time, pipelined per master. `guardOf`
   * guards each chat's (single) duty: a chat whose guard is set gets the duty it names instead of a new one.
   */
  async createMany(inputs: readonly NewDuty[], now: number, guardOf?: (chat: ChatRef) => CreateGuard): Promise<Duty[]> {
    const byChat = new Map<string, NewDuty[]>();
    for (const input of inputs) {
      const group = byChat.get(chatKey(input.chat));
      if (group) group.push(input);
      else byChat.set(chatKey(input.chat), [input]);
    }
    const parts = [...byChat.values()].map((group): ChatCreation => {
      const chat = (group[0] as NewDuty).chat;
      if (!guardOf) return { chat, inputs: group };
      if (group.length !== 1) throw new Error('a guarded bulk creation has one duty per chat');
      return { chat, inputs: group, guard: guardOf(chat) };
    });
    const made = new Map<string, Duty[]>();
    const one = async (part: ChatCreation): Promise<void> => {
      const duties = (await this.createChat(part, now)) ?? (part.guard ? [await this.byGuard(part.guard)] : []);
      if (duties.some((d) => d === undefined) || duties.length === 0) throw new Error(`the guarded duty of ${chatKey(part.chat)} is missing`);
      made.set(chatKey(part.chat), duties as Duty[]);
    };
    const chunk = this.keys.spreads ? CREATE_PARALLEL : BULK_CHATS;
    for (let i = 0; i < parts.length; i += chunk) {
      const some = parts.slice(i, i + chunk);
      if (this.keys.spreads) {
        // One pipeline per master of the chats' scripts; a chat whose script did not write goes on its own.
        const written = await this.writeEachOnNodes(some, now);
        await Promise.all(some.map((part, j) => (written[j] ? made.set(chatKey(part.chat), written[j]) : one(part))));
        continue;
      }
      const together = some.length === 1 ? undefined : await this.write(some, now, 3);
      if (together?.ok) some.forEach((part, j) => made.set(chatKey(part.chat), together.duties[j] ?? []));
      // One of the chats' guards is set (a retried campaign) or counters kept moving: chat by chat.
      else await Promise.all(some.map(one));
    }
    const taken = new Map<string, number>();
    return inputs.map((input) => {
      const key = chatKey(input.chat);
      const i = taken.get(key) ?? 0;
      taken.set(key, i + 1);
      const duty = made.get(key)?.[i];
      if (!duty) throw new Error('bulk creation returned fewer duties than asked');
      return duty;
    });
  }

  /**
   * One chat's duties. Undefined when its guard is already set: a retried command, occurrence or campaign; the
   * global index write of that first creation may be what failed then, so it is written again.
   */
  async createChat(part: ChatCreation, now: number): Promise<Duty[] | undefined> {
    const res = await this.write([part], now, 20);
    if (res.ok) return res.duties[0] ?? [];
    if (res.reason === 'conflict') throw new Error('Redis duty creation kept conflicting with other creations');
    const made = part.guard ? await this.byGuard(part.guard) : undefined;
    if (made?.state === 'scheduled') await this.redis.zadd(this.keys.k('duties', 'open'), String(made.at), made.id);
    return undefined;
  }

  private async write(chats: readonly ChatCreation[], now: number, attempts: number): Promise<CreationResult> {
    for (const c of chats) {
      if (c.guard && c.inputs.length !== 1) throw new Error('a creation guard marks a single duty');
      if (c.inputs.some((input) => chatKey(input.chat) !== chatKey(c.chat))) throw new Error('one chat per creation part');
    }
    if (this.keys.spreads && chats.length > 1) throw new Error('on a cluster a creation script writes one chat');
    const seqKeys = chats.map((c) => this.keys.chat(chatKey(c.chat), 'seq'));
    const ids = chats.map((c) => c.inputs.map(() => newRecordId(chatKey(c.chat))));
    for (let attempt = 0; attempt < attempts; attempt++) {
      const counters = (seqKeys.length === 1 ? [await this.redis.get(seqKeys[0] ?? '')] : await this.redis.mget(...seqKeys)).map((v) => Number(v ?? 0));
      const duties = chats.map((c, ci) =>
        newDuties(c, counters[ci] ?? 0, now, ids[ci]),
      );
      const call = this.callArgs(chats, seqKeys, counters, duties, now);
      const res = await runScript(this.redis, CREATE_DUTIES, ...call.args);
      if (res === -1) return { ok: false, reason: 'guarded' };
      // An audience record this process took to be there is not (Redis emptied or restored under it): send them all.
      if (res === -2) for (const key of call.assumed) this.codec.forget(key);
      if (res === 1) {
        for (const [key, audience] of call.written) this.codec.remember(key, audience);
        if (this.keys.spreads) await this.redis.zadd(this.keys.k('duties', 'open'), ...duties.flat().flatMap((d) => [String(d.at), d.id]));
        return { ok: true, duties };
      }
    }
    return { ok: false, reason: 'conflict' };
  }

  /**
   * On a cluster: each chat's creation script (one chat, one slot), sent in one pipeline per master with the chats'
   * counters read in one pipeline before (src/store/slot-groups.ts: a pipeline may span the slots of one node). The
   * duties of each chat whose script wrote; undefined for a chat whose did not (a counter moved, a guard set, an
   * audience record missing, the script not loaded, the slot moved): the caller writes those one by one.
   */
  private async writeEachOnNodes(parts: readonly ChatCreation[], now: number): Promise<(Duty[] | undefined)[]> {
    const out: (Duty[] | undefined)[] = parts.map(() => undefined);
    const tagOf = (part: ChatCreation): string => this.keys.tag(bucket(chatKey(part.chat)));
    const sha = shaOf(CREATE_DUTIES);
    await mapByTag(
      parts.map((part, at) => ({ part, at })),
      ({ part }) => nodesOf(this.redis, tagOf(part)),
      async (group) => {
        try {
          const seqKeys = group.map(({ part }) => this.keys.chat(chatKey(part.chat), 'seq'));
          const reads = this.redis.pipeline();
          for (const key of seqKeys) reads.get(key);
          const counters = (await execPipeline(reads)).map((v) => Number(v ?? 0));
          const calls = group.map(({ part }, g) => {
            const duties = [newDuties(part, counters[g] ?? 0, now)];
            return { duties, call: this.callArgs([part], [seqKeys[g] ?? ''], [counters[g] ?? 0], duties, now) };
          });
          const writes = this.redis.pipeline();
          for (const { call } of calls) writes.evalsha(sha, ...call.args);
          const replies = (await writes.exec()) ?? [];
          const open: string[] = [];
          calls.forEach(({ duties, call }, g) => {
            const [err, res] = replies[g] ?? [];
            if (res === -2) for (const key of call.assumed) this.codec.forget(key);
            if (err || res !== 1) return;
            for (const [key, audience] of call.written) this.codec.remember(key, audience);
            const at = group[g]?.at ?? -1;
            out[at] = duties[0];
            for (const d of duties[0] ?? []) open.push(String(d.at), d.id);
          });
          if (open.length > 0) await this.redis.zadd(this.keys.k('duties', 'open'), ...open);
        } catch (err) {
          // The node's pipeline failed as a whole (its slots moved, the connection dropped): some scripts may have
          // written. Guarded chats go one by one (each guard finds its duty); unguarded ones cannot tell, so the
          // creation fails, as one script's failure always made it fail.
          if (group.some(({ part }) => !part.guard)) throw err;
        }
        return group.map(() => undefined);
      },
    );
    return out;
  }

  /**
   * CREATE_DUTIES's numkeys, KEYS and ARGV, as its comment lays them out; with the audience records it sends
   * (`written`) and those it takes to be there (`assumed`, src/store/duty-codec.ts).
   */
  private callArgs(
    chats: readonly ChatCreation[],
    seqKeys: readonly string[],
    counters: readonly number[],
    duties: readonly Duty[][],
    now: number,
  ): { args: [number, ...string[]]; written: Map<string, readonly string[]>; assumed: Set<string> } {
    const keys: string[] = [];
    const written = new Map<string, readonly string[]>();
    const assumed = new Set<string>();
    // A campaign's duties share an organizer and `now`: their history entries are alike, and so are their implied
    // answers (impliedAnswer, src/domain/answers.ts, depends on nothing else once it gives one). Each JSON written once.
    const entries = new Map<string, string>();
    const implieds = new Map<string, string>();
    const once = (memo: Map<string, string>, key: string, value: () => object): string => {
      const known = memo.get(key);
      if (known !== undefined) return known;
      const json = JSON.stringify(value());
      memo.set(key, json);
      return json;
    };
    const args: string[] = [String(chats.length), String(duties.reduce((n, d) => n + d.length, 0)), this.keys.spreads ? '0' : '1'];
    chats.forEach((c, ci) => {
      const seq = seqKeys[ci] ?? '';
      const key = chatKey(c.chat);
      keys.push(seq, this.keys.chat(key, 'numbers'), this.keys.chat(key, 'open'), this.keys.chat(key, 'all'), c.guard?.key ?? seq);
      const counter = counters[ci] ?? 0;
      args.push(String(counter), String(counter + c.inputs.length), String(c.inputs.length), c.guard ? (c.guard.field ?? '') : '-');
    });
    for (const d of duties.flat()) {
      const record = this.keys.duty(d.id);
      const encoded = this.codec.encode(d);
      // `<record>:<part>` is keys.duty(id, part) (src/store/keys.ts), built from the record's key once.
      keys.push(record, `${record}:history`, `${record}:rev`, `${record}:answers`, encoded.audience?.key ?? record);
      const by = d.organizer.id;
      const implied = impliedAnswer(d, now);
      const entry = once(entries, by, (): HistoryEntry => ({ type: 'created', at: now, by }));
      args.push(d.id, String(d.number), String(d.at), encoded.json, entry, implied?.memberId ?? '', implied ? once(implieds, implied.memberId, () => implied) : '', this.audienceArg(encoded, d, written, assumed));
    }
    if (!this.keys.spreads) keys.push(this.keys.k('duties', 'open'));
    return { args: [keys.length, ...keys, ...args], written, assumed };
  }

  /** The audience argument of one duty: '-' inline, '=' sent with an earlier duty, '' known to be there, else its JSON. */
  private audienceArg(encoded: EncodedDuty, duty: Duty, written: Map<string, readonly string[]>, assumed: Set<string>): string {
    if (!encoded.audience) return '-';
    const { key, json } = encoded.audience;
    if (written.has(key)) return '=';
    if (assumed.has(key)) return '';
    if (this.codec.knows(key)) {
      assumed.add(key);
      return '';
    }
    written.set(key, duty.audience);
    return json;
  }
}
