import { messageJobId } from '../../src/queue/inbound-queue';
import { eventually, startBot, type StartedBot } from '../helpers/harness';
import { plain, SandboxDriver } from '../helpers/sandbox-driver';

/**
 * The console takes a message the way Feishu's and DingTalk's webhooks do (issue 13 item 8): it answers 202 at once
 * and the inbound worker does the work, so the console exercises the same queue, dedupe and roster step.
 */
describe('a console message goes through the inbound queue', () => {
  let started: StartedBot;
  afterEach(async () => started.stop());

  it('is acknowledged while no worker runs, and answered once the workers start', async () => {
    started = await startBot({ workers: false });
    const console = new SandboxDriver(started);
    const id = await console.say('u1', '@落实 帮助');

    const job = await started.bot.queues.inbound.getJob(messageJobId({ platform: 'sandbox' }, id));
    expect(job?.name).toBe('message');
    expect(await job?.getState()).toBe('waiting');
    // Nothing answered it yet: the work is in the queue, not done inline.
    expect((await console.messages()).filter((m) => m.replyTo === id)).toEqual([]);

    started.bot.startWorkers();
    const reply = await eventually(async () => (await console.messages()).find((m) => m.replyTo === id && m.kind === 'text'), 5000, 'the reply');
    expect(plain(reply.text)).toContain('帮助');
    expect(await started.bot.queues.inbound.getJobState(messageJobId({ platform: 'sandbox' }, id))).toBe('completed');
  });

  it('a duty typed at the console is created once, by the worker', async () => {
    started = await startBot();
    const console = new SandboxDriver(started);
    const answer = await console.command('u1', '会议 周五下午三点 支部委员会');
    expect(answer).toContain('已发起');
    expect(await started.bot.services.duties.listOpen({ platform: 'sandbox', chatId: console.chatId })).toHaveLength(1);
  });
});
