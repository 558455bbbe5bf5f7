import { CHAT, MEMBERS, SECRETARY, cardTally, cardValues, feishuWorld, isCard, member, textOf, type FeishuWorld } from './support';
import { eventually } from '../helpers/harness';

/**
 * Card refreshes after answers: at most one queued per duty (the answers arriving while it waits are folded into it),
 * and an answer written while a refresh is already running gets a refresh of its own, so the last patch always
 * shows every answer (src/queue/outbox.ts, DutyRepo.answer's refresh flag).
 */
// The organizer (SECRETARY, in the audience) attends their own meeting unless they answer otherwise (issue 17), so
// every tally below counts them under 参加.
describe('Feishu card refreshes after clicks', () => {
  let w: FeishuWorld;
  beforeEach(async () => {
    w = await feishuWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  const refreshJobs = async (): Promise<number> => (await w.started.bot.queues.cards.getCompleted()).filter((j) => j.name === 'refresh').length;
  /** The card is on the fake a moment before the announce job records it for refreshes: wait for that too. */
  const postedCard = async () => {
    const card = await w.waitFor(isCard, 'the duty card');
    const { duties } = w.started.bot.services;
    await eventually(async () => {
      const duty = await duties.getByNumber({ platform: 'feishu', chatId: CHAT }, 1);
      return duty ? (await duties.cards(duty.id)).length === 1 : false;
    }, 5000, 'the card recorded for refreshes');
    return card;
  };
  const lastPatch = (messageId: string): string | undefined => {
    const patches = w.fake.message(messageId)?.patches ?? [];
    return patches.length > 0 ? cardTally(patches[patches.length - 1]) : undefined;
  };

  it('should fold a burst of clicks into one refresh whose patch shows them all', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await postedCard();
    const [attend] = cardValues(card.content);
    const clickers = MEMBERS.slice(1).map((_, i) => member(i + 1));
    const answers = await Promise.all(clickers.map((id) => w.click(id, card.messageId, attend)));
    for (const res of answers) expect((res.json as { toast: { type: string } }).toast.type).toBe('success');
    await eventually(async () => lastPatch(card.messageId) === '参加 6 · 请假 0 · 未回复 0', 5000, 'the patch with every answer');
    // Five answers, fewer refreshes: the first queued one takes every answer written before it starts (250 ms), and
    // one more follows for answers written while it runs; a third only if the clicks spread over two refreshes.
    await eventually(async () => (await refreshJobs()) >= 1, 3000, 'the completed refresh job');
    await new Promise((r) => setTimeout(r, 400));
    const jobs = await refreshJobs();
    expect(jobs).toBeLessThanOrEqual(3);
  });

  it('should refresh again for an answer written while a refresh is running', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    const card = await postedCard();
    // Nothing else may be on its way to the fake when the slow answer is armed: the command's text reply is sent.
    await w.waitFor((m) => textOf(m).includes('已发起 #1'), 'the text reply');
    const [attend] = cardValues(card.content);
    // The first refresh's patch takes a second: the second click lands while that refresh runs, after it has read
    // the duty, so only a refresh of its own can show it.
    w.fake.failNext('slow');
    await w.click(member(1), card.messageId, attend);
    // Running and past its read of the duty: its patch is at the fake, held there (a running job alone may not have
    // read it yet on a busy machine, and would then show both answers in one patch).
    await eventually(async () => w.fake.calls.some((c) => c.fault === 'slow'), 3000, 'the running refresh, its patch held by the fake');
    await w.click(member(2), card.messageId, attend);
    await eventually(async () => lastPatch(card.messageId) === '参加 3 · 请假 0 · 未回复 3', 8000, 'the patch with both answers');
    expect(w.fake.message(card.messageId)?.patches.map((p) => cardTally(p))).toEqual(['参加 2 · 请假 0 · 未回复 4', '参加 3 · 请假 0 · 未回复 3']);
    // The second job completes just after its patch reaches the fake.
    await eventually(async () => (await refreshJobs()) === 2, 3000, 'two completed refresh jobs');
    await new Promise((r) => setTimeout(r, 400));
    expect(await refreshJobs()).toBe(2);
  });
});
