/**
 * A 述职评议's shared card is posted by a card-queue job added when the rating opens. Lost before it ran (the queue's
 * keys lost, or a restore between the opening and the posting), the next start posts it (src/app/replan-ratings.ts),
 * once, before the closing; a rating whose card was posted gets no second one. Runs on the cluster and sentinel
 * suites too (test/rating).
 */
import { ask, CHAT, dutyNo, shanghai } from '../handlers/support';
import { eventually, removePrefix, startBot, TestClock, uniquePrefix, type StartedBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { ratingCardOf } from './support';

jest.setTimeout(60_000);

const ENV = { DEFAULT_QUIET_HOURS: 'off' };

/** The rating cards (those with the four choices) the console chat holds for report #n. */
async function ratingCards(started: StartedBot, number: number): Promise<string[]> {
  const messages = await new SandboxDriver(started).messages();
  return messages.filter((m) => m.kind === 'card' && m.card?.header.subtitle.startsWith(`#${number}`) === true && m.card.buttons.some((b) => b.label === '较好')).map((m) => m.id);
}

describe('the shared card of a 述职评议 after its posting job was lost', () => {
  const prefix = uniquePrefix();
  const running: StartedBot[] = [];

  afterAll(async () => {
    for (const started of running.splice(0)) await started.stop();
    await removePrefix(prefix);
  });

  it('should be posted once at the next start while the rating runs, and not again at the start after', async () => {
    const clock = new TestClock(shanghai('2026-11-27T10:00'));
    const first = await startBot({ clock: clock.now, env: { ...ENV, REDIS_KEY_PREFIX: prefix } });
    running.push(first);
    const driver = new SandboxDriver(first);
    await ask(driver, 'u1', '述职 2026年度述职 截止 今天下午3点');
    clock.t = shanghai('2026-11-27T16:00');
    // The card queue held (nothing of it runs; the console's replies go through it too, so the rating is opened as
    // the 评议 command opens it: RatingService.open), then every job of that queue lost and the bot down.
    await first.bot.queues.cards.pause();
    const organizer = { id: 'u1', name: (await dutyNo(first, 1)).organizer.name };
    await first.bot.services.rating.open(CHAT, 1, organizer, clock.t, shanghai('2026-11-30T18:00'));
    const held = (await first.bot.queues.cards.getJobs(['waiting', 'delayed'])).map((j) => j.id ?? '');
    expect(held.some((id) => id.startsWith('rating-post-'))).toBe(true);
    expect(await ratingCards(first, 1)).toEqual([]);
    await first.bot.stopWorkers();
    await first.bot.queues.cards.obliterate({ force: true });
    await first.bot.stop();

    // Monday 12:00, the rating still open until 18:00: the start posts its card, once, and plans its closing.
    clock.t = shanghai('2026-11-30T12:00');
    const second = await startBot({ clock: clock.now, env: { ...ENV, REDIS_KEY_PREFIX: prefix } });
    running.push(second);
    await second.bot.reconciled;
    const card = await ratingCardOf(new SandboxDriver(second), 1);
    expect(card.card.buttons.map((b) => b.label)).toEqual(['好', '较好', '一般', '差']);
    await eventually(async () => (await second.bot.queues.cards.getJobState(`rating-post-${(await dutyNo(second, 1)).id}`)) === 'completed', 8000, 'the posting done');
    const pending = async (): Promise<string[]> => (await second.bot.queues.cards.getJobs(['delayed', 'waiting', 'prioritized'])).flatMap((j) => (j.name === 'rating' ? [j.id ?? ''] : []));
    expect((await pending()).map((id) => id.replace(/-[a-z2-7]{12}-/, '-D-'))).toEqual([`rating-close-D-${shanghai('2026-11-30T18:00')}`]);

    // The next start (another pass): no second card, no second posting.
    await second.bot.reconcile();
    expect((await pending()).length).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await ratingCards(second, 1)).toEqual([card.id]);
  });
});
