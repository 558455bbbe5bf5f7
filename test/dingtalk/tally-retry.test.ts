import type { QueueSet } from '../../src/queue/queues';
import type { DingSent } from '../fakes/dingtalk';
import { eventually } from '../helpers/harness';
import { tallyOfMarkdown } from '../platforms/dingtalk-world';
import { SECRETARY, USERS, dingWorld, pause, textOf, user, type DingWorld } from './support';

const INTERVAL_S = 2;
const SEND = '/v1.0/robot/groupMessages/send';
const markdown = (s: DingSent): { title: string; text: string } => s.msgParam as { title: string; text: string };
const isTally = (s: DingSent): boolean => s.kind === 'group' && s.msgKey === 'sampleMarkdown' && markdown(s).title === '【会议】支部委员会 最新统计';

/**
 * Without a card template the last answers of an interval are posted by a delayed job of the tally queue. Its jobs
 * name the platform backoff (src/queue/backoff.ts): the worker that takes them must know that strategy, or BullMQ
 * cannot schedule the retry of a failed post ("Unknown backoff strategy") and the job stays active.
 */
// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('DingTalk tally posts (no card template)', () => {
  let w: DingWorld;
  let tallyQueue: QueueSet['tally'];
  beforeEach(async () => {
    w = await dingWorld({ mode: 'stream', template: false, env: { DINGTALK_TALLY_INTERVAL_SECONDS: String(INTERVAL_S) } });
    // The bot's own handle on the queue (standalone or cluster, whatever its connection is).
    tallyQueue = w.started.bot.queues.tally;
  });
  afterEach(async () => {
    await w.stop();
  });

  const replyTo = (who: string, words: string): Promise<DingSent> =>
    w.waitFor(() => w.sent().find((s) => s.kind === 'session' && textOf(s).includes(words) && textOf(s).includes(USERS.find((u) => u.userId === who)?.name ?? '?')), `the reply to ${who}`);

  it.each(['5xx', 'throttle'] as const)('should retry a deferred tally whose post fails once (%s) and post it exactly once', async (fault) => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点', { isAdmin: true });
    await w.waitFor(() => w.sent().find((s) => s.msgKey === 'sampleMarkdown'), 'the markdown card');
    await w.say(user(1), '参加 #1');
    await replyTo(user(1), '已确认参加 #1');
    await w.waitFor(() => w.sent().find(isTally), 'the first tally');

    // An answer inside the interval: its tally waits in the tally queue for the interval's end, and that post fails.
    await w.say(user(2), '请假 #1 外出培训');
    await replyTo(user(2), '已请假 #1（外出培训）');
    const deferred = await eventually(async () => (await tallyQueue.getJobs(['delayed', 'waiting']))[0], 8000, 'the deferred tally job');
    w.fake.failOn(SEND, fault);

    const second = await w.waitFor(() => w.sent().filter(isTally)[1], 'the retried tally', INTERVAL_S * 1000 + 8000);
    expect(tallyOfMarkdown(markdown(second).text)).toBe(`参加 2 · 请假 1 · 未回复 ${USERS.length - 3}`);
    expect(w.fake.stats().faultsInjected).toBe(1);
    await eventually(async () => (await tallyQueue.getJobState(deferred.id ?? '')) === 'completed', 8000, 'the tally job completed');
    expect(await tallyQueue.getJobCounts('active', 'failed', 'delayed', 'waiting')).toEqual({ active: 0, failed: 0, delayed: 0, waiting: 0 });
    await pause(INTERVAL_S * 1000 + 500);
    expect(w.sent().filter(isTally)).toHaveLength(2);
  }, 40000);
});
