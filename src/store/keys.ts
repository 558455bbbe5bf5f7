import { createHash, randomBytes } from 'node:crypto';

/*
 * Key names of the records (src/store/key-prefixes.ts says where they go).
 *
 * On one Redis (standalone, Sentinel) every builder gives `<prefix>:<part>:…`, the names the records always had.
 * On a Redis Cluster a script or MULTI may only touch keys of one hash slot
 * (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags), and the records are spread
 * over the masters by chat: each chat has a bucket, 4 base-32 characters of the SHA-1 of its key (32^4 buckets over
 * the 16,384 slots; chats may share one), and every key of the chat, of its duties and of its series is tagged
 * `{<prefix>:<bucket>}`. A duty's or series' id starts with its chat's bucket (`DutyRepo.newId(chat)`), so its keys
 * are named from the id alone. A family of keys scripts touch together (units, the console's sandbox) has a tag of
 * its own (`{<prefix>:units}`); everything else (indexes across chats, campaigns, settings, dedupe marks) stays under
 * the global tag `{<prefix>}`.
 */

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Buckets already computed: every key of a chat names its bucket, and hashing it each time was 3% of a bulk creation's CPU (bench:schedule). */
const buckets = new Map<string, string>();
const BUCKETS_KEPT = 100_000;

/** 4 base-32 characters (`[a-z2-7]`) from the SHA-1 of a chat's key (`<platform>:<chatId>`). */
export function bucket(chatKey: string): string {
  const known = buckets.get(chatKey);
  if (known !== undefined) return known;
  const digest = createHash('sha1').update(chatKey).digest();
  // 20 bits: 5 per character.
  const bits = (digest.readUInt32BE(0) >>> 12) & 0xfffff;
  const b = [15, 10, 5, 0].map((shift) => BASE32[(bits >>> shift) & 31]).join('');
  if (buckets.size >= BUCKETS_KEPT) buckets.clear();
  buckets.set(chatKey, b);
  return b;
}

/** Random bytes fetched 4 KB at a time: one `randomBytes` call per id was 2% of a bulk creation's CPU (bench:schedule). */
let randomPool = Buffer.alloc(0);
let randomUsed = 0;

/** `n` random base-32 characters (lowercase letters and digits 2–7: safe in job ids and card values). */
export function randomBase32(n: number): string {
  if (randomUsed + n > randomPool.length) {
    randomPool = randomBytes(Math.max(4096, n));
    randomUsed = 0;
  }
  let out = '';
  for (let i = 0; i < n; i++) out += BASE32[(randomPool[randomUsed + i] ?? 0) % 32];
  randomUsed += n;
  return out;
}

/** `head:part:part…`: the key builders below run for every key of every command, so no intermediate arrays. */
function joined(head: string, parts: readonly (string | number)[]): string {
  let key = head;
  for (const part of parts) key += `:${part}`;
  return key;
}

/** A new duty's or series' id: its chat's bucket, then 8 random characters (12 in all, `[a-z2-7]{12}`). */
export const newRecordId = (chatKey: string): string => bucket(chatKey) + randomBase32(8);

/** Ids whose bucket is not their first 4 characters (made before ids carried it), from `<prefix>:legacy-bucket`. */
export type LegacyBuckets = ReadonlyMap<string, string>;

interface Spread {
  /** The prefix inside the tags: `luoshi` gives `{luoshi:<bucket>}`. */
  readonly base: string;
  legacy: LegacyBuckets;
}

/** Key builder under one prefix (e.g. `luoshi`). Tests use a unique prefix each. */
export class Keys {
  private readonly spread: Spread | undefined;

  /** `spread`: on a cluster, the untagged prefix whose buckets tag the per-chat keys (`prefix` is then `{base}`). */
  constructor(
    readonly prefix: string,
    spread?: { readonly base: string; readonly legacy?: LegacyBuckets },
  ) {
    this.spread = spread ? { base: spread.base, legacy: spread.legacy ?? new Map() } : undefined;
  }

  /** The builder a repository uses: the one given, or a one-Redis builder over a plain prefix (tests, tools). */
  static of(prefix: string | Keys): Keys {
    return typeof prefix === 'string' ? new Keys(prefix) : prefix;
  }

  /** True when per-chat keys carry their bucket's tag (a cluster). */
  get spreads(): boolean {
    return this.spread !== undefined;
  }

  /** Ids made before ids carried their bucket (an import into a cluster): set once, at start. */
  useLegacyBuckets(legacy: LegacyBuckets): void {
    if (this.spread) this.spread.legacy = legacy;
  }

  /** A global key: indexes across chats, campaigns, settings, dedupe marks, … */
  k(...parts: (string | number)[]): string {
    return joined(this.prefix, parts);
  }

  /** The bucket a duty or series id belongs to. */
  bucketOfId(id: string): string {
    return this.spread?.legacy.get(id) ?? id.slice(0, 4);
  }

  /** The hash tag of bucket `b` ('' on one Redis): keys with the same tag share a slot. */
  tag(b: string): string {
    return this.spread ? `{${this.spread.base}:${b}}` : '';
  }

  /** Any key in the slot of bucket `b` (on one Redis: `<prefix>:<parts>`). */
  inBucket(b: string, ...parts: (string | number)[]): string {
    return joined(this.spread ? this.tag(b) : this.prefix, parts);
  }

  /** A key in a chat's slot: `inChat(C, 'cmd', C, M)`. */
  inChat(chatKey: string, ...parts: (string | number)[]): string {
    return this.inBucket(bucket(chatKey), ...parts);
  }

  /** `<prefix>:chat:<C>:<parts>`, in the chat's slot. */
  chat(chatKey: string, ...parts: (string | number)[]): string {
    return joined(`${this.spread ? this.tag(bucket(chatKey)) : this.prefix}:chat:${chatKey}`, parts);
  }

  /** A key in the slot of a duty or series (its chat's): `inRecord(D, 'nudge', D, M)`. */
  inRecord(id: string, ...parts: (string | number)[]): string {
    return this.inBucket(this.bucketOfId(id), ...parts);
  }

  /** `<prefix>:duty:<D>:<parts>`, in its chat's slot. */
  duty(id: string, ...parts: (string | number)[]): string {
    return joined(`${this.spread ? this.tag(this.bucketOfId(id)) : this.prefix}:duty:${id}`, parts);
  }

  /** `<prefix>:series:<S>:<parts>`, in its chat's slot. */
  series(id: string, ...parts: (string | number)[]): string {
    return this.inRecord(id, 'series', id, ...parts);
  }

  /** A family of keys scripts touch together, under a tag of its own on a cluster: `family('units', 'units', 'version')`. */
  family(name: string, ...parts: (string | number)[]): string {
    return this.inBucket(name, ...parts);
  }

  /**
   * The full name of a key given relative to the prefix (`duty:<D>:answers`, as a backup stores it): the same name the
   * repositories build, read from the key's own parts (src/store/backup/record-space.ts restores with it).
   */
  place(relative: string): string {
    const parts = relative.split(':');
    const [first = '', second = '', third = ''] = parts;
    // The global keys among these families: `series:all` (every active series), `rating:seal-key`.
    const global = (first === 'series' && second === 'all') || (first === 'rating' && second === 'seal-key');
    if (first === 'chat' || first === 'cmd') return this.inChat(`${second}:${third}`, ...parts);
    if (['duty', 'series', 'rating', 'nudge'].includes(first) && !global) return this.inRecord(second, ...parts);
    if (second === 'admins' && parts.length === 3) return this.inChat(`${first}:${third}`, ...parts);
    if (first === 'units' || first === 'sandbox' || first === 'pace') return this.family(first, ...parts);
    return this.k(...parts);
  }

  /** A key of this prefix given relative to it, or undefined for a key of another prefix. */
  relative(key: string): string | undefined {
    if (!this.spread) return key.startsWith(`${this.prefix}:`) ? key.slice(this.prefix.length + 1) : undefined;
    const tag = /^\{([^}]*)\}:/.exec(key);
    const inside = tag?.[1];
    if (tag === null || inside === undefined) return undefined;
    return inside === this.spread.base || inside.startsWith(`${this.spread.base}:`) ? key.slice(tag[0].length) : undefined;
  }

  /** SCAN MATCH patterns of every key of this prefix (glob characters in the prefix escaped). */
  patterns(): string[] {
    const glob = (text: string): string => text.replace(/[*?[\]\\{}]/g, (c) => `\\${c}`);
    return this.spread ? [`${glob(`{${this.spread.base}}`)}:*`, `${glob(`{${this.spread.base}:`)}*\\}:*`] : [`${glob(this.prefix)}:*`];
  }
}
