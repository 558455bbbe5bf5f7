import type { Redis } from 'ioredis';
import type { StoreConnection } from '../../src/store/redis';
import type { CardModel } from '../../src/domain/card-model';
import { eventually, keyPatterns, scanTargets } from '../helpers/harness';
import type { SandboxDriver } from '../helpers/sandbox-driver';
import type { CardMessage } from '../handlers/support';

/** The shared 述职评议 card of duty #n posted in the console chat. */
export async function ratingCardOf(driver: SandboxDriver, number: number, check: (card: CardModel) => boolean = () => true): Promise<CardMessage> {
  return eventually(async () => {
    const cards = (await driver.messages()).filter(
      (m): m is CardMessage => m.kind === 'card' && m.card?.header.title.startsWith('述职评议') === true && m.card.header.subtitle.startsWith(`#${number} `),
    );
    const last = cards[cards.length - 1];
    return last && check(last.card) ? last : undefined;
  }, 5000, `the rating card of #${number}`);
}

/** Every string Redis holds under `prefix`: keys, string values, hash fields and values, list, set and zset members. */
export async function everyStoredString(conn: StoreConnection, prefix: string): Promise<{ key: string; entry: string }[]> {
  const out: { key: string; entry: string }[] = [];
  for (const node of scanTargets(conn)) for (const pattern of keyPatterns(prefix)) await collect(node, pattern, out);
  return out;
}

/** On a cluster the keys are found, and read, on each master. */
async function collect(redis: Redis, pattern: string, out: { key: string; entry: string }[]): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', '1000');
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const push = (entry: string): void => {
        out.push({ key, entry });
      };
      push(key);
      if (type === 'string') push((await redis.get(key)) ?? '');
      else if (type === 'hash') for (const [f, v] of Object.entries(await redis.hgetall(key))) push(`${f}=${v}`);
      else if (type === 'list') for (const v of await redis.lrange(key, 0, -1)) push(v);
      else if (type === 'set') for (const v of await redis.smembers(key)) push(v);
      else if (type === 'zset') for (const v of await redis.zrange(key, '0', '-1')) push(v);
      else if (type === 'stream') push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
}

/** Whether a stored string names member `id` (a JSON string, a hash field or value, a key segment). */
export const namesMember = (entry: string, id: string): boolean =>
  entry.includes(`"${id}"`) || entry.startsWith(`${id}=`) || entry.endsWith(`=${id}`) || entry.split(':').includes(id);

/** Whether a stored string names a rating choice (its id or its label). */
export const namesChoice = (entry: string): boolean => /\b(good|fair|average|poor)\b|较好|一般|差|"好"/.test(entry);

/** The stored strings that would tie one of `members` to a choice: none may exist. */
export const memberChoiceLinks = (entries: readonly { key: string; entry: string }[], members: readonly string[]): { key: string; entry: string }[] =>
  entries.filter((e) => members.some((id) => namesMember(e.entry, id)) && namesChoice(e.entry));
