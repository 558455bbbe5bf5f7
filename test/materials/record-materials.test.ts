import { ask } from '../handlers/support';
import { answerTo, PNG, startFileWorld, textOf, upload, type FileWorld } from './support';

const linkIn = (reply: string): string => /https?:\/\/\S+/.exec(reply)?.[0] ?? 'http://missing';
/** The signed link, on the test bot's own address (the link names PUBLIC_BASE_URL, unset here: only the path is signed). */
const onBot = (w: FileWorld, link: string): URL => {
  const u = new URL(link);
  return new URL(`${u.pathname}${u.search}`, w.started.baseUrl);
};

/** The files attached with 附件 are the materials of the meeting's record page (记录 #n) and count in the ledger (台账). */
describe('materials on the record page and in the ledger (issue 14)', () => {
  let w: FileWorld;
  beforeEach(async () => {
    w = await startFileWorld();
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should list an attached photo on the record page, download it through the signed link, and count it in the ledger', async () => {
    await ask(w.driver, 'u2', '附件＃１');
    const res = await upload(w, 'u2', '会议照片.png', PNG);
    expect(res.status).toBe(201);
    expect(textOf(await answerTo(w, res.body.message?.id ?? '', 'text'))).toContain('附到 #1「支部委员会」');

    const { reply } = await ask(w.driver, 'u1', '记录#1');
    const page = onBot(w, linkIn(reply));
    const html = await (await fetch(page)).text();
    expect(html).toContain('会议照片.png');
    const href = /href="(\.\/1\/files\/[^"]+)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const file = await fetch(new URL((href ?? '').replace(/&amp;/g, '&'), page));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(PNG))).toBe(true);

    const ledger = await (await fetch(onBot(w, linkIn((await ask(w.driver, 'u1', '台账 本年')).reply)))).text();
    expect(ledger).toContain('支部委员会');
    expect(ledger).toMatch(/<td[^>]*>1<\/td>/);
  });
});
