/**
 * The sentinel suite's bots find Redis through the local sentinels (jest.sentinel.config.js; ports and name as
 * test/helpers/redis-sentinel.sh's defaults): test/helpers/harness.ts reads these. REDIS_URL is set to the master the
 * sentinels name, so what a test reads or cleans through its own connection is what the bots wrote.
 */
process.env.REDIS_SENTINELS ||= '127.0.0.1:26390,127.0.0.1:26391,127.0.0.1:26392';
process.env.REDIS_SENTINEL_NAME ||= 'luoshi-suite';
process.env.REDIS_URL = process.env.REDIS_SENTINEL_MASTER_URL ?? 'redis://127.0.0.1:6390';
