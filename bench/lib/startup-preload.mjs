/*
 * Bench-local experiments for bench:startup, preloaded (`node --import`) into the built bot: they show the effect of
 * the fixes proposed in bench/README.md without changing src/.
 *
 * BENCH_LAZY=1: `exceljs`, `@larksuiteoapi/node-sdk` and `dingtalk-stream` are loaded on first use instead of at
 *   start-up (what a dynamic `import()` in src/http/reports/xlsx.ts and in the platform wiring of src/bot.ts would
 *   do). Each is replaced by a proxy that loads the real module the first time one of its exports is read.
 * BENCH_RECONCILE=1: Bot.reconcile reads the open duties a page of 200 at a time (ZRANGE of P:duties:open, then
 *   MGET) instead of all at once, reads each chat's plan context once, checks with one pipeline of EXISTS per page
 *   which of the plan's job ids are missing, and plans only the duties with a missing job (16 at a time).
 * BENCH_BOT_MODULE: path of the built src/bot.js (for BENCH_RECONCILE).
 */
import Module, { createRequire } from 'node:module';
import process from 'node:process';

if (process.env.BENCH_LAZY === '1') {
  const LAZY = new Set(['exceljs', '@larksuiteoapi/node-sdk', 'dingtalk-stream']);
  const load = Module._load;
  Module._load = function lazyLoad(request, parent, ...rest) {
    if (!LAZY.has(request)) return load.call(this, request, parent, ...rest);
    let mod;
    const real = () => {
      if (mod === undefined) {
        mod = load.call(Module, request, parent, false);
        if (process.env.BENCH_LAZY_DEBUG) process.stderr.write(`lazy: ${request} loaded\n`);
      }
      return mod;
    };
    return new Proxy(
      {},
      {
        get: (_t, key) => (key === '__esModule' ? true : real()[key]),
        has: (_t, key) => key in real(),
        ownKeys: () => Reflect.ownKeys(real()),
        getOwnPropertyDescriptor: (_t, key) => {
          const d = Object.getOwnPropertyDescriptor(real(), key);
          if (d) d.configurable = true;
          return d;
        },
      },
    );
  };
}

if (process.env.BENCH_RECONCILE === '1' && process.env.BENCH_BOT_MODULE) {
  const load = createRequire(import.meta.url);
  const { Bot } = load(process.env.BENCH_BOT_MODULE);
  const { pointsToPlan } = load(process.env.BENCH_BOT_MODULE.replace(/bot\.js$/, 'domain/reminder-plan.js'));
  const PAGE = 200;
  Bot.prototype.reconcile = async function reconcile() {
    const now = this.services.clock();
    const prefix = this.options.config.REDIS_KEY_PREFIX;
    const contexts = new Map();
    let planned = 0;
    for (let start = 0; ; start += PAGE) {
      // DutyRepo's key layout: P:duties:open (zset of open duty ids), P:duty:<id> (JSON); BullMQ's: P:bull:reminders:<jobId>.
      const ids = await this.redis.zrange(`${prefix}:duties:open`, start, start + PAGE - 1);
      if (ids.length === 0) break;
      const duties = (await this.redis.mget(...ids.map((id) => `${prefix}:duty:${id}`))).filter((r) => r !== null).map((r) => JSON.parse(r));
      // One plan context per chat for the whole pass (the chat's quiet hours), read concurrently.
      await Promise.all(
        duties.map(async (d) => {
          const key = `${d.chat.platform}:${d.chat.chatId}`;
          if (!contexts.has(key)) contexts.set(key, this.services.planContexts.for(d.chat));
          d.ctx = await contexts.get(key);
        }),
      );
      // Which of the jobs the plan would add are missing? One pipeline of EXISTS for the page.
      const wanted = duties.map((d) => pointsToPlan(d, now, d.ctx).map((p) => p.jobId));
      const pipe = this.redis.pipeline();
      for (const ids of wanted) for (const id of ids) pipe.exists(`${prefix}:bull:reminders:${id}`);
      const res = (await pipe.exec()) ?? [];
      let i = 0;
      const missing = duties.filter((_d, k) => {
        let gone = false;
        for (let j = 0; j < wanted[k].length; j++) if (Number(res[i++]?.[1] ?? 0) === 0) gone = true;
        return gone;
      });
      let next = 0;
      const lane = async () => {
        while (next < missing.length) {
          const duty = missing[next++];
          delete duty.ctx;
          const n = await this.services.planner.plan(duty, now);
          planned += n;
        }
      };
      await Promise.all(Array.from({ length: 16 }, lane));
      if (ids.length < PAGE) break;
    }
    this.options.log.info({ planned }, 'reminders reconciled');
    return planned;
  };
}
