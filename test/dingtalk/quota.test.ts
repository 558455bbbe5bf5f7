import { sampleCard } from '../platforms/adapter-conformance';
import { GROUP, PLAIN, SECRETARY, dingWorld, pause, textOf, type DingWorld } from './support';

describe('DingTalk monthly API quota', () => {
  let w: DingWorld;
  afterEach(async () => {
    await w.stop();
  });

  it('should warn each active group once when the month passes 80% of DINGTALK_MONTHLY_API_QUOTA', async () => {
    w = await dingWorld({ env: { DINGTALK_MONTHLY_API_QUOTA: '10' } });
    // Two groups used the bot (answered through their session webhooks: no API call).
    await w.say(SECRETARY, '帮助', { isAdmin: true });
    await w.say(SECRETARY, '帮助', { chatId: PLAIN, isAdmin: true });
    await w.waitFor(() => (w.sent(PLAIN).some((s) => textOf(s).includes('帮助')) ? true : undefined), 'the help replies');
    const port = w.started.bot.services.platforms.get('dingtalk');
    const warnings = (chatId: string): number => w.sent(chatId).filter((s) => textOf(s).includes('80%')).length;
    const used = async (): Promise<number> => (await w.started.bot.dingtalk?.quota.used()) ?? -1;
    let i = 0;
    // Reading the groups' members for those commands counted too; go up to 7 of 10 calls.
    while ((await used()) < 7) await port.sendCard(GROUP, sampleCard(`参加 ${i} · 请假 0 · 未回复 3`), { idempotencyKey: `quota-${i++}` });
    await pause(500);
    expect(warnings(GROUP) + warnings(PLAIN)).toBe(0);
    for (let n = 0; n < 8; n++) await port.sendCard(GROUP, sampleCard(`参加 ${i} · 请假 0 · 未回复 3`), { idempotencyKey: `quota-${i++}` });
    await w.waitFor(() => (warnings(GROUP) === 1 && warnings(PLAIN) === 1 ? true : undefined), 'one warning in each group');
    const warning = w.sent(PLAIN).find((s) => textOf(s).includes('80%'));
    expect(warning && textOf(warning)).toContain('达到月度额度 10 次的 80%');
    await pause(800);
    expect([warnings(GROUP), warnings(PLAIN)]).toEqual([1, 1]);
    expect(await used()).toBe(15);
  });
});
