/** The record page (记录 #n) counts who came from the sign-ins when the meeting used them, and from the RSVP otherwise. */
import { ask, shanghai, startWorld, type World } from '../handlers/support';

const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';
/** The signed link on the test bot's own address (only the path and query are signed). */
const onBot = (w: World, link: string): URL => {
  const u = new URL(link);
  return new URL(`${u.pathname}${u.search}`, w.started.baseUrl);
};

describe('attendance on the record page', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(async () => {
    await w.started.stop();
  });

  it('should take 实到 from the sign-ins of a meeting that used them, not from who said 参加', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点');
    // 李明 said 参加 but did not come; 张丽 did not answer and signed in.
    await ask(w.driver, 'u2', '参加 #1');
    w.clock.t = shanghai('2026-11-27T14:50');
    expect((await ask(w.driver, 'u3', '签到＃１')).reply).toContain('已签到 #1');

    const html = await (await fetch(onBot(w, linkIn((await ask(w.driver, 'u1', '记录 #1')).reply)))).text();
    expect(html).toContain('出席以签到为准');
    expect(html).toMatch(/实到[^<]*<\/th>\s*<td[^>]*>[^<]*张丽/);
    expect(html).not.toMatch(/实到[^<]*<\/th>\s*<td[^>]*>[^<]*李明/);
  });

  it('should keep the RSVP figures for a meeting nobody signed in to', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天下午3点');
    await ask(w.driver, 'u2', '参加 #1');
    const html = await (await fetch(onBot(w, linkIn((await ask(w.driver, 'u1', '记录 #1')).reply)))).text();
    expect(html).toContain('出席以报名（参加/请假）为准');
    expect(html).toMatch(/实到[^<]*<\/th>\s*<td[^>]*>[^<]*李明/);
  });
});
