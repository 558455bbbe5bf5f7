import { loadConfig } from '../../src/config';
import { queueBullPrefix } from '../../src/queue/queues';
import { configPrefixes, keyPrefixes } from '../../src/store/key-prefixes';
import { redisMissingNotice } from '../../src/store/redis';
import { describeTarget, redisTarget } from '../../src/store/redis-target';
import { refusedLines } from '../helpers/config-lines';

/** Issue 16 item 1: REDIS_CLUSTER_NODES, checked by the one config schema, and the key prefixes a cluster gets. */
describe('config: Redis Cluster', () => {
  it('should read the nodes (blanks and spaces dropped, IPv6 in brackets) and the nodes\' password', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7001 , redis-b.example.cn:7002,,[::1]:7003 ', REDIS_PASSWORD: 'data-secret' });
    expect(redisTarget(c)).toEqual({
      cluster: [
        { host: '10.0.0.1', port: 7001 },
        { host: 'redis-b.example.cn', port: 7002 },
        { host: '::1', port: 7003 },
      ],
      password: 'data-secret',
    });
    expect(describeTarget(redisTarget(c))).toBe('cluster 10.0.0.1:7001,redis-b.example.cn:7002,[::1]:7003');
    expect(redisMissingNotice(describeTarget(redisTarget(c)))).toBe(
      '未连接到 Redis 集群（cluster 10.0.0.1:7001,redis-b.example.cn:7002,[::1]:7003）：节点没有答复，或集群状态不是 ok。请检查 REDIS_CLUSTER_NODES。落实会一直重试，连上后自动启动。',
    );
  });

  it('should keep REDIS_URL as the target when no nodes are set', () => {
    const c = loadConfig({ REDIS_URL: 'redis://10.0.0.9:6380', REDIS_CLUSTER_NODES: ' , ' });
    expect(c.REDIS_CLUSTER_NODES).toEqual([]);
    expect(redisTarget(c)).toBe('redis://10.0.0.9:6380');
  });

  it('should refuse a node that is not host:port, in Chinese, naming the value', () => {
    for (const bad of ['10.0.0.1', '10.0.0.1:0', '10.0.0.1:65536', '10.0.0.1：7001', 'redis://10.0.0.1:7001', '10.0.0.1:7001;10.0.0.2:7002']) {
      const lines = refusedLines({ REDIS_CLUSTER_NODES: bad });
      expect(lines).toEqual([`  REDIS_CLUSTER_NODES: 应为逗号分隔的 主机:端口，例如 10.0.0.1:7001,10.0.0.2:7002,10.0.0.3:7003 (got "${bad}")`]);
    }
  });

  it('should refuse a cluster and sentinels together', () => {
    expect(refusedLines({ REDIS_CLUSTER_NODES: '10.0.0.1:7001', REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([
      '  REDIS_CLUSTER_NODES / REDIS_SENTINELS: 只能设置其中一个（集群或哨兵）',
    ]);
  });
});

describe('key prefixes', () => {
  it('should keep REDIS_KEY_PREFIX as it is on one Redis (existing key names unchanged)', () => {
    const plain = configPrefixes(loadConfig({ REDIS_KEY_PREFIX: 'luoshi' }));
    expect(plain).toEqual({ records: 'luoshi', queues: 'luoshi' });
    expect(queueBullPrefix(plain.queues, 'reminders')).toBe('luoshi:bull');
    expect(configPrefixes(loadConfig({ REDIS_KEY_PREFIX: 'luoshi', REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'm' }))).toEqual({ records: 'luoshi', queues: 'luoshi' });
  });

  it('should tag the records and each queue apart on a cluster, and keep a prefix that has its own tag', () => {
    const tagged = configPrefixes(loadConfig({ REDIS_KEY_PREFIX: 'luoshi', REDIS_CLUSTER_NODES: '10.0.0.1:7001' }));
    expect(tagged.records).toBe('{luoshi}');
    expect(queueBullPrefix(tagged.queues, 'reminders')).toBe('{luoshi:reminders}:bull');
    expect(queueBullPrefix(tagged.queues, 'cards')).toBe('{luoshi:cards}:bull');
    expect(keyPrefixes('{luoshi}', true)).toEqual({ records: '{luoshi}', queues: '{luoshi}' });
    expect(keyPrefixes('a{b}c', true)).toEqual({ records: 'a{b}c', queues: 'a{b}c' });
    // An empty `{}` is no tag (the whole key is hashed): the prefix is wrapped.
    const empty = keyPrefixes('x{}', true);
    expect(empty.records).toBe('{x{}}');
    expect(queueBullPrefix(empty.queues, 'inbound')).toBe('{x{}:inbound}:bull');
  });
});
