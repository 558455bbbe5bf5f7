import { cardsIn, GROUP, SECRETARY, user } from './support';
import { fetchLinkIn, filesWorld, keptFiles, pdf, PNG, type FilesWorld } from './files-support';

const DAY = 24 * 3600_000;

/** `图片-yyyyMMdd-HHmm` in Beijing time, as a picture sent at `at` is named. */
function pictureStamp(at: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `图片-${p.year}${p.month}${p.day}-${p.hour}${p.minute}`;
}

/*
 * Files and pictures sent to the robot one-to-one on DingTalk (issue 14), through the official dingtalk-stream SDK's
 * connection to the fake: DingTalk delivers them only there (groups send the robot text, richText and pictures).
 * The file is fetched with its downloadCode (POST /v1.0/robot/messageFiles/download → a link, streamed), then the
 * choice card goes to the sender's IM_ROBOT space, listing their open duties across their groups.
 */
describe('DingTalk: a file or picture sent one-to-one becomes a duty’s material (stream, card template)', () => {
  let w: FilesWorld;
  beforeEach(async () => {
    w = await filesWorld({ mode: 'stream' });
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should answer a PDF with the choice card, attach it on a tap, and count the report as 已提交', async () => {
    await w.sayIn(GROUP, SECRETARY, '述职 年度述职报告 截止 后天下午5点', true);
    const groupCard = await w.waitFor(() => cardsIn(w.fake)[0], 'the report card in the group');
    const code = w.register({ bytes: pdf(3000), contentType: 'application/pdf' });

    const sent = await w.sendFile(user(1), { msgtype: 'file', fileName: '述职报告（李明）.pdf', downloadCode: code });
    expect(sent.acked).toBe(true);
    const choice = await w.waitFor(() => w.cardsTo(user(1))[0], 'the choice card in the one-to-one chat');
    expect(choice.cardData).toMatchObject({ title: '📎 附到哪个事项？', btn1Label: '#1 年度述职报告（第一党支部）', btn2Show: 'false' });
    expect(choice.cardData.fields).toContain('述职报告（李明）.pdf（2.9 KB）');
    // The file came through a link the download API answered, with this robot's code.
    const download = w.fake.calls.find((c) => c.path === '/v1.0/robot/messageFiles/download');
    expect(download?.body).toEqual({ downloadCode: code, robotCode: w.fake.robotCode });

    const click = await w.click(user(1), choice.outTrackId, choice.cardData.btn1Value ?? '');
    expect(JSON.stringify(click.response)).toContain('已把「述职报告（李明）.pdf」（2.9 KB）附到 #1「年度述职报告」。记为已提交。');
    // The group's card counts it.
    await w.waitFor(() => groupCard.updates.find((u) => u.tally?.startsWith('已提交 1')), 'the group card counting the submission');
    const duty = (await w.started.bot.services.duties.listOpen({ platform: 'dingtalk', chatId: GROUP }))[0];
    expect((await w.started.bot.services.materials.list(duty?.id ?? '')).map((m) => [m.name, m.type, m.by.id])).toEqual([['述职报告（李明）.pdf', 'application/pdf', user(1)]]);
    expect(await keptFiles(w.dataDir)).toHaveLength(1);
  });

  it('should mark a file attached after the deadline as a late submission', async () => {
    await w.sayIn(GROUP, SECRETARY, '述职 年度述职报告 截止 后天下午5点', true);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the report card');
    w.clock.advance(5 * DAY);
    await w.sendFile(user(2), { msgtype: 'file', fileName: '报告.pdf', downloadCode: w.register({ bytes: pdf(100), contentType: 'application/pdf' }) });
    const choice = await w.waitFor(() => w.cardsTo(user(2))[0], 'the choice card');
    const click = await w.click(user(2), choice.outTrackId, choice.cardData.btn1Value ?? '');
    expect(JSON.stringify(click.response)).toContain('记为已提交（逾期提交）。');
  });

  it('should name a picture by its time and type, and show it on the meeting’s record page', async () => {
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the meeting card');
    const at = w.clock.now();
    await w.sendFile(user(3), { msgtype: 'picture', downloadCode: w.register({ bytes: PNG, contentType: 'image/png' }) });
    const choice = await w.waitFor(() => w.cardsTo(user(3))[0], 'the choice card');
    const name = `${pictureStamp(at)}.png`;
    expect(choice.cardData.subtitle).toBe(`文件：${name}`);
    const click = await w.click(user(3), choice.outTrackId, choice.cardData.btn1Value ?? '');
    expect(JSON.stringify(click.response)).toContain(`已把「${name}」（16 B）附到 #1「支部委员会」。`);

    await w.say(SECRETARY, '记录＃１', { isAdmin: true });
    const reply = await w.waitFor(() => w.sent().map((s) => JSON.stringify(s.msgParam)).find((t) => t.includes('的会议记录')), 'the record link');
    const html = await fetchLinkIn(w, JSON.parse(reply).content as string);
    expect(html).toContain(name);
  });

  it('should take the pictures of a rich text, each with its own answer, the caption read as no command', async () => {
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => cardsIn(w.fake)[0], 'the meeting card');
    await w.sayDirect(user(4), '附件＃１');
    await w.replyTo(user(4), '你接下来发给我的文件会附到 第一党支部 #1「支部委员会」').catch((err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(w.toUser(user(4)))}`);
    });
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
    await w.sendFile(user(4), {
      msgtype: 'richText',
      items: [{ text: '会议现场' }, { pictureCode: w.register({ bytes: jpeg, contentType: 'image/jpeg' }) }, { pictureCode: w.register({ bytes: PNG, contentType: 'image/png' }) }],
    });
    await w.replyTo(user(4), '.jpg」（10 B）附到 #1「支部委员会」。');
    // 附件 #1 named the next file only: the second picture is offered on a card.
    await w.waitFor(() => w.cardsTo(user(4))[0], 'the choice card for the second picture');
    expect(w.textsTo(user(4)).join('\n')).not.toContain('没看懂');
  });

  it('should list the duties past the template’s two buttons with their text, and take that text one-to-one', async () => {
    // One at a time: messages are handled concurrently, and the numbers follow the order they are created in.
    await w.sayIn(GROUP, SECRETARY, '会议 支部委员会 明天下午3点', true);
    await w.waitFor(() => cardsIn(w.fake).length === 1 || undefined, 'the first card');
    await w.sayIn(GROUP, SECRETARY, '学习 党课学习 后天上午9点', true);
    await w.waitFor(() => cardsIn(w.fake).length === 2 || undefined, 'the second card');
    await w.sayIn(GROUP, SECRETARY, '会议 组织生活会 大后天下午3点', true);
    await w.waitFor(() => cardsIn(w.fake).length === 3 || undefined, 'three cards in the group');
    await w.sendFile(user(1), { msgtype: 'file', fileName: '心得体会.pdf', downloadCode: w.register({ bytes: pdf(700), contentType: 'application/pdf' }) });
    const choice = await w.waitFor(() => w.cardsTo(user(1))[0], 'the choice card');
    expect([choice.cardData.btn1Label, choice.cardData.btn2Label]).toEqual(['#1 支部委员会（第一党支部）', '#2 党课学习（第一党支部）']);
    expect(choice.cardData.fields).toContain('**＃3 组织生活会（第一党支部）**：回复「附件 ＃3」');

    await w.sayDirect(user(1), '附件＃３');
    await w.replyTo(user(1), '已把「心得体会.pdf」（700 B）附到 #3「组织生活会」。');
    // The card's choice is spent: a late tap attaches nothing twice.
    const late = await w.click(user(1), choice.outTrackId, choice.cardData.btn1Value ?? '');
    expect(JSON.stringify(late.response)).toContain('这个文件已附上或已过期');
  });
});
