/**
 * /metrics under attack (issue #11 item 9): with METRICS_TOKEN set it answers only the bearer of the token, and a
 * flood of scrapes does not turn into a flood of queue scans (the counts are cached per interval).
 */
import { startBot, type StartedBot } from '../helpers/harness';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('/metrics token and cached queue counts', () => {
  let started: StartedBot;

  afterEach(async () => {
    jest.restoreAllMocks();
    await started.stop();
  });

  const scrape = (headers: Record<string, string> = {}): Promise<Response> => fetch(`${started.baseUrl}/metrics`, { headers });

  it('should refuse a scrape without the token or with a wrong one, and count nothing for it', async () => {
    started = await startBot({ env: { METRICS_TOKEN: TOKEN } });
    const counts = jest.spyOn(started.bot.queues.reminders, 'getJobCounts');
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="luoshi-metrics"/);
      const body = await res.text();
      expect(body).toMatch(/令牌/);
      expect(body).not.toContain('luoshi_');
    }
    expect(counts).not.toHaveBeenCalled();
    const ok = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^luoshi_queue_jobs\{queue="reminders",state="delayed"\} \d+$/m);
  });

  it('should count each queue once however many scrapes arrive within the interval', async () => {
    started = await startBot({ env: { METRICS_QUEUE_REFRESH_SECONDS: '60' } });
    const reminders = jest.spyOn(started.bot.queues.reminders, 'getJobCounts');
    const cards = jest.spyOn(started.bot.queues.cards, 'getJobCounts');
    // 40 at once, then 20 one after the other.
    const burst = await Promise.all(Array.from({ length: 40 }, () => scrape()));
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 200));
    for (let i = 0; i < 20; i++) expect((await scrape()).status).toBe(200);
    expect(reminders).toHaveBeenCalledTimes(1);
    expect(cards).toHaveBeenCalledTimes(1);
  });

  it('should count again once the interval has passed', async () => {
    started = await startBot({ env: { METRICS_QUEUE_REFRESH_SECONDS: '1' } });
    const reminders = jest.spyOn(started.bot.queues.reminders, 'getJobCounts');
    await Promise.all(Array.from({ length: 10 }, () => scrape()));
    expect(reminders).toHaveBeenCalledTimes(1);
    await new Promise((r) => setTimeout(r, 1100));
    await Promise.all(Array.from({ length: 10 }, () => scrape()));
    expect(reminders).toHaveBeenCalledTimes(2);
  });
});
