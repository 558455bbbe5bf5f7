import { Readable } from 'node:stream';
import { CHAT, cardValues, isCard, member, SECRETARY } from './support';
import { filesWorld, keptFiles, pdf, type FilesWorld } from './files-support';

const chat = { platform: 'feishu' as const, chatId: CHAT };

/*
 * A file message is queued (the inbound queue in Redis) before the webhook answers, and downloaded by the inbound
 * worker: a process that stops or dies before the download leaves the job to the next worker
 * (https://docs.bullmq.io/guide/workers/stalled-jobs), and the same job run again attaches the file once.
 */
describe('Feishu: a file message survives the process that took it', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should download a file taken while no worker ran once a worker runs again, and answer once', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    await w.started.bot.stopWorkers();
    const sent = await w.send(member(2), { name: '会议材料.pdf', bytes: pdf(5000), contentType: 'application/pdf' });
    expect(sent.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Acknowledged, not yet fetched: the work is in Redis, not in this process's memory.
    expect(w.fake.resourceCalls(sent.key)).toEqual([]);
    expect(w.fake.messagesIn(w.p2p(member(2)))).toEqual([]);

    w.started.bot.startWorkers();
    const card = await w.waitFor((m) => isCard(m) && m.parentId === sent.messageId, 'the choice card after the workers ran again');
    expect(JSON.stringify(card.content)).toContain('#1 支部委员会');
    const [choice] = cardValues(card.content);
    const click = await w.click(member(2), card.messageId, choice, undefined, w.p2p(member(2)));
    expect((click.json as { toast: { type: string } }).toast.type).toBe('success');
    expect(w.fake.resourceCalls(sent.key)).toHaveLength(1);
    expect(await keptFiles(w.dataDir)).toHaveLength(1);
  });

  it('should attach the file of one delivery once when its job runs again, and refuse another delivery of the message', async () => {
    await w.say(SECRETARY, '会议 支部委员会 明天下午3点');
    await w.waitFor(isCard, 'the duty card');
    const named = await w.say(member(2), '附件 #1');
    await w.waitFor((m) => m.parentId === named.messageId, 'the answer to 附件 #1');
    const { materials } = w.started.bot.services;
    const file = { chat: { platform: 'feishu' as const, chatId: w.p2p(member(2)) }, messageId: 'om_durable000000000000000001', sender: { id: member(2), name: '党员2' }, name: '会议材料.pdf', direct: true, receivedAt: Date.now() };
    const body = (): Promise<Readable> => Promise.resolve(Readable.from([pdf(2000)]));
    const first = await materials.file({ ...file, delivery: 'file-abc@1000' }, body);
    expect(first.kept).toBe(true);
    // The first run used up `附件 #1`; named again, so that the run again reaches the same duty and must not add twice.
    const renamed = await w.say(member(2), '附件 #1');
    await w.waitFor((m) => m.parentId === renamed.messageId, 'the answer to the second 附件 #1');
    const again = await materials.file({ ...file, delivery: 'file-abc@1000' }, body);
    expect(again.kept).toBe(true);
    const other = await materials.file({ ...file, delivery: 'file-abc@2000' }, body);
    expect(other).toEqual({ kept: false, text: '' });
    const duty = await w.started.bot.services.duties.getByNumber(chat, 1);
    expect(await materials.list(duty?.id ?? '')).toHaveLength(1);
  });
});
