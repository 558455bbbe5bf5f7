import { loadConfig } from '../../src/config';
import { DutyRepo } from '../../src/store/duty-repo';
import { configRecordKeys, recordKeys } from '../../src/store/key-prefixes';
import { bucket } from '../../src/store/keys';

/*
 * The records' key names (src/store/keys.ts): on one Redis exactly the names the records always had; on a cluster a
 * chat's keys and its duties' and series' keys carry the chat's bucket tag, and `place` (a backup's import) names
 * every key as the repositories do.
 */
describe('record keys', () => {
  const chat = 'feishu:oc_4f2a';
  const id = DutyRepo.newId({ platform: 'feishu', chatId: 'oc_4f2a' });

  it('should give a chat a bucket of 4 base-32 characters, and new ids that start with it', () => {
    expect(bucket(chat)).toMatch(/^[a-z2-7]{4}$/);
    expect(bucket(chat)).toBe(bucket(chat));
    expect(id).toMatch(/^[a-z2-7]{12}$/);
    expect(id.slice(0, 4)).toBe(bucket(chat));
    expect(new Set(Array.from({ length: 50 }, (_, i) => bucket(`sandbox:chat-${i}`))).size).toBeGreaterThan(40);
  });

  it('should keep every name as it was on one Redis and on Sentinel', () => {
    for (const keys of [configRecordKeys(loadConfig({ REDIS_KEY_PREFIX: 'luoshi' })), configRecordKeys(loadConfig({ REDIS_KEY_PREFIX: 'luoshi', REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'm' }))]) {
      expect(keys.spreads).toBe(false);
      expect(keys.chat(chat, 'open')).toBe(`luoshi:chat:${chat}:open`);
      expect(keys.duty(id, 'answers')).toBe(`luoshi:duty:${id}:answers`);
      expect(keys.series(id, 'occ')).toBe(`luoshi:series:${id}:occ`);
      expect(keys.inChat(chat, 'cmd', chat, 'm1')).toBe(`luoshi:cmd:${chat}:m1`);
      expect(keys.inRecord(id, 'nudge', id, 'u1')).toBe(`luoshi:nudge:${id}:u1`);
      expect(keys.family('units', 'units', 'version')).toBe('luoshi:units:version');
      expect(keys.k('duties', 'open')).toBe('luoshi:duties:open');
      for (const rel of [`chat:${chat}:open`, `duty:${id}`, 'series:all', 'units:history', 'sandbox:events', 'campaign:x', 'feishu:admins:oc_4f2a']) {
        expect(keys.place(rel)).toBe(`luoshi:${rel}`);
        expect(keys.relative(`luoshi:${rel}`)).toBe(rel);
      }
    }
  });

  it('should tag a chat and its duties with the chat bucket on a cluster, and the rest globally', () => {
    const keys = configRecordKeys(loadConfig({ REDIS_KEY_PREFIX: 'luoshi', REDIS_CLUSTER_NODES: '10.0.0.1:7001' }));
    const tag = `{luoshi:${bucket(chat)}}`;
    expect(keys.spreads).toBe(true);
    expect(keys.chat(chat, 'open')).toBe(`${tag}:chat:${chat}:open`);
    expect(keys.duty(id, 'answers')).toBe(`${tag}:duty:${id}:answers`);
    expect(keys.series(id)).toBe(`${tag}:series:${id}`);
    expect(keys.inChat(chat, 'feishu', 'admins', 'oc_4f2a')).toBe(`${tag}:feishu:admins:oc_4f2a`);
    expect(keys.k('duties', 'open')).toBe('{luoshi}:duties:open');
    expect(keys.family('units', 'units')).toBe('{luoshi:units}:units');
    // `place` names each key as the builders do; `relative` takes the tag off again.
    const built = [
      keys.chat(chat, 'all'),
      keys.inChat(chat, 'cmd', chat, 'm1'),
      keys.duty(id),
      keys.duty(id, 'v', 'u1'),
      keys.series(id, 'occ'),
      keys.inRecord(id, 'rating', id, 'counts'),
      keys.chat(chat, 'ratings'),
      keys.k('ratings', 'indexed'),
      keys.inRecord(id, 'nudge', id, 'u1'),
      keys.inChat(chat, 'feishu', 'admins', 'oc_4f2a'),
      keys.k('series', 'all'),
      keys.k('rating', 'seal-key'),
      keys.k('campaign', 'k1'),
      keys.k('chats'),
      keys.family('units', 'units', 'version'),
      keys.family('sandbox', 'sandbox', 'msg', '7'),
      keys.family('pace', 'pace', 'feishu'),
    ];
    for (const key of built) expect(keys.place(keys.relative(key) ?? '?')).toBe(key);
    expect(keys.relative('{other}:chats')).toBeUndefined();
    expect(keys.relative('{luoshi:reminders}:bull:reminders:1')).toBe('bull:reminders:1');
  });

  it('should place an id made before ids carried their bucket by the legacy buckets', () => {
    const keys = recordKeys('luoshi', true);
    const old = 'zzzzzzzzzzzz';
    expect(keys.duty(old)).toBe('{luoshi:zzzz}:duty:zzzzzzzzzzzz');
    keys.useLegacyBuckets(new Map([[old, bucket(chat)]]));
    expect(keys.duty(old, 'answers')).toBe(`{luoshi:${bucket(chat)}}:duty:${old}:answers`);
    expect(keys.place(`duty:${old}:answers`)).toBe(`{luoshi:${bucket(chat)}}:duty:${old}:answers`);
  });
});
