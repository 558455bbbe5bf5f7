import { ask, CHAT, dutyNo, field, groupNames, HOUR, jobId, NOW, reminderJobIds, shanghai, SIX_IDS, SIX_NAMES, startWorld, type World } from './support';

describe('会议 / 学习 / 述职 / 报告 / 材料: creating a duty', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  /** A refused creation stores no duty, posts no card and plans no reminder. */
  async function expectNothingCreated(): Promise<void> {
    const { duties } = w.started.bot.services;
    expect(await duties.listOpen(CHAT)).toHaveLength(0);
    expect(await duties.getByNumber(CHAT, 1)).toBeUndefined();
    expect((await w.driver.messages()).filter((m) => m.kind === 'card')).toHaveLength(0);
    expect(await reminderJobIds(w.started)).toEqual([]);
  }

  it('should create a meeting with 地点, 提醒, 链接 and 备注 and post its card in reply to the command', async () => {
    const { id, reply } = await ask(
      w.driver,
      'u1',
      '会议 支部委员会 12月5日下午3点 地点 三楼会议室 提醒 提前2天,提前3小时 链接 https://example.cn/材料 备注 请带党员证',
    );
    expect(reply).toBe('已发起 #1「支部委员会」，时间 12月5日（周六）15:00；将在提前2天、提前3小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');

    const at = shanghai('2026-12-05T15:00');
    const duty = await dutyNo(w.started, 1);
    expect(duty).toMatchObject({
      number: 1,
      kind: 'meeting',
      label: '会议',
      title: '支部委员会',
      at,
      place: '三楼会议室',
      link: 'https://example.cn/材料',
      notes: '请带党员证',
      organizer: { id: 'u1', name: '王建国' },
      audience: SIX_IDS,
      reminderOffsets: [2 * 24 * 60, 3 * 60],
      state: 'scheduled',
      createdAt: NOW,
    });
    expect(await w.started.bot.services.duties.history(duty.id)).toEqual([{ type: 'created', at: NOW, by: 'u1' }]);
    expect(await reminderJobIds(w.started, duty.id)).toEqual([jobId(duty, 2880), jobId(duty, 180)].sort());

    const message = await w.driver.card(1);
    expect(message.replyTo).toBe(id);
    expect(message.card.header).toEqual({ title: '【会议】支部委员会', subtitle: '#1', color: 'blue' });
    expect(message.card.fields).toEqual([
      { label: '时间', value: '12月5日（周六）15:00' },
      { label: '地点', value: '三楼会议室' },
      { label: '链接', value: 'https://example.cn/材料', href: 'https://example.cn/材料' },
      { label: '备注', value: '请带党员证' },
      { label: '类别', value: '支委会' },
      { label: '剩余', value: '还有 8天5小时' },
      { label: '提醒', value: '提前2天、提前3小时' },
    ]);
    // The organizer attends their own meeting unless they answer otherwise (issue 17).
    expect(message.card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    expect(groupNames(message.card, '参加')).toEqual(['王建国']);
    expect(groupNames(message.card, '未回复')).toEqual(SIX_NAMES.filter((name) => name !== '王建国'));
    expect(message.card.buttons.map((b) => b.label)).toEqual(['参加', '请假']);
    expect(message.card.footer).toBe('#1 · 发起人 王建国 · 文字回复：参加 #1 / 请假 #1 原因');
  });

  it('should create a meeting with the default reminders 提前1天 and 提前1小时', async () => {
    const { reply } = await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
    expect(reply).toBe('已发起 #1「支部委员会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：支委会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    const duty = await dutyNo(w.started, 1);
    expect(duty.at).toBe(shanghai('2026-11-28T15:00'));
    expect(await reminderJobIds(w.started, duty.id)).toEqual([jobId(duty, 1440), jobId(duty, 60)].sort());
    expect(field((await w.driver.card(1)).card, '剩余')).toBe('还有 1天5小时');
  });

  it('should create a study session with its link', async () => {
    const { reply } = await ask(w.driver, 'u1', '学习 理论学习中心组 12月1日上午9点 链接 https://example.cn/学习');
    expect(reply).toBe('已发起 #1「理论学习中心组」，时间 12月1日（周二）09:00；将在提前1天、提前1小时提醒。\n类别：中心组学习（按标题判断）；如需更改，发送「类别 #1 党课」。');
    const card = (await w.driver.card(1)).card;
    expect(card.header).toEqual({ title: '【学习】理论学习中心组', subtitle: '#1', color: 'green' });
    expect(field(card, '链接')).toBe('https://example.cn/学习');
    expect((await dutyNo(w.started, 1)).kind).toBe('study');
  });

  it('should create a 述职 with 截止 at 18:00 of that day and the report card', async () => {
    const { reply } = await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
    expect(reply).toBe('已发起 #1「2026年度述职报告」，截止 12月20日（周日）18:00；将在提前3天、提前1天、提前2小时提醒。\n类别：述职（按标题判断）；如需更改，发送「类别 #1 党课」。');
    const duty = await dutyNo(w.started, 1);
    expect(duty).toMatchObject({ kind: 'report', label: '述职', at: shanghai('2026-12-20T18:00'), reminderOffsets: [4320, 1440, 120] });
    const card = (await w.driver.card(1)).card;
    expect(card.header).toEqual({ title: '【述职】2026年度述职报告', subtitle: '#1', color: 'orange' });
    expect(card.fields[0]).toEqual({ label: '截止', value: '12月20日（周日）18:00' });
    expect(card.tally).toBe('已提交 0 · 未提交 6');
    expect(card.groups.map((g) => g.label)).toEqual(['已提交', '未提交']);
    expect(groupNames(card, '未提交')).toEqual(SIX_NAMES);
    expect(card.buttons.map((b) => b.label)).toEqual(['已提交']);
    expect(card.footer).toBe('#1 · 发起人 王建国 · 文字回复：已提交 #1');
  });

  it('should create 报告 with 截止 glued to the date and 材料 with a time of day', async () => {
    expect((await ask(w.driver, 'u1', '报告 三季度思想汇报 截止12月4日')).reply).toBe(
      '已发起 #1「三季度思想汇报」，截止 12月4日（周五）18:00；将在提前3天、提前1天、提前2小时提醒。\n类别：其他报告（按标题判断）；如需更改，发送「类别 #1 党课」。',
    );
    expect((await ask(w.driver, 'u1', '材料 党费收缴材料 截止 12月4日 上午10点')).reply).toBe(
      '已发起 #2「党费收缴材料」，截止 12月4日（周五）10:00；将在提前3天、提前1天、提前2小时提醒。\n类别：其他报告（按标题判断）；如需更改，发送「类别 #2 党课」。',
    );
    expect(await dutyNo(w.started, 1)).toMatchObject({ kind: 'report', label: '报告', at: shanghai('2026-12-04T18:00') });
    expect(await dutyNo(w.started, 2)).toMatchObject({ kind: 'report', label: '材料', at: shanghai('2026-12-04T10:00') });
    expect((await w.driver.card(2)).card.tally).toBe('已提交 0 · 未提交 6');
  });

  it('should let a member recorded as secretary create a duty', async () => {
    await w.started.bot.services.chats.addSecretary(CHAT, 'u2');
    expect((await ask(w.driver, 'u2', '会议 组织生活会 明天下午3点')).reply).toBe('已发起 #1「组织生活会」，时间 11月28日（周六）15:00；将在提前1天、提前1小时提醒。\n类别：组织生活会（按标题判断）；如需更改，发送「类别 #1 党课」。');
    expect((await dutyNo(w.started, 1)).organizer).toEqual({ id: 'u2', name: '李明' });
  });

  it.each([
    ['会议', '请写上标题和时间，例如：会议 支部委员会 明天下午3点 地点 三楼会议室'],
    ['会议 地点 三楼会议室', '请写上标题和时间，例如：会议 支部委员会 明天下午3点 地点 三楼会议室'],
    ['会议 支部委员会', '请写上时间，例如：会议 支部委员会 明天下午3点 地点 三楼会议室'],
    ['学习 理论学习', '请写上时间，例如：学习 理论学习中心组 下周二上午9点 链接 https://example.cn/材料'],
    ['述职 2026年度述职报告 截止', '请写上截止时间，例如：述职 2026年度述职报告 截止 12月20日'],
  ])('should refuse「%s」without a title or a time', async (command, expected) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe(expected);
    await expectNothingCreated();
  });

  it('should refuse a time it cannot read', async () => {
    expect((await ask(w.driver, 'u1', '会议 支部委员会 改天再说')).reply).toBe('没看懂时间「改天再说」，例如：明天下午3点、12月5日14:30、下周二上午9点');
    expect((await ask(w.driver, 'u1', '会议 支部委员会 13月5日')).reply).toBe('没有这一天：13月5日');
    await expectNothingCreated();
  });

  it('should refuse a time in the past', async () => {
    expect((await ask(w.driver, 'u1', '会议 支部委员会 今天上午8点')).reply).toBe('这个时间已经过去了（11月27日（周五）08:00），请换一个将来的时间。');
    await expectNothingCreated();
  });

  it('should refuse politely when a member who is not a secretary creates a duty', async () => {
    expect((await ask(w.driver, 'u2', '会议 支部委员会 明天下午3点')).reply).toBe('抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。');
    expect((await ask(w.driver, 'u3', '述职 2026年度述职报告 截止 12月20日')).reply).toBe('抱歉，只有本群的党务管理员（支部书记、党务干部）可以发起事项。');
    await expectNothingCreated();
  });

  it('should refuse a keyword written twice', async () => {
    expect((await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点 地点 三楼 地点 四楼')).reply).toBe(
      '「地点」写了两次，请只写一次。例如：会议 支部委员会 明天下午3点 地点 三楼会议室',
    );
    await expectNothingCreated();
  });

  it.each([
    ['会议 支部委员会 明天下午3点 提醒 明天', '没看懂提醒时间「明天」，例如：提醒 提前1天,提前2小时'],
    ['会议 支部委员会 明天下午3点 提醒 提前61天', '提醒时间「61天」超出范围：要在1分钟到60天之间，例如：提醒 提前1天,提前2小时'],
    ['会议 支部委员会 明天下午3点 提醒', '没写提醒时间，例如：提醒 提前1天,提前2小时'],
  ])('should refuse bad 提醒 text in「%s」', async (command, expected) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe(expected);
    await expectNothingCreated();
  });

  it.each([
    ['an empty 地点', '会议 支部委员会 明天下午3点 地点', '「地点」后面要写内容。例如：会议 支部委员会 明天下午3点 地点 三楼会议室'],
    ['a 链接 without http', '会议 支部委员会 明天下午3点 链接 example.cn', '链接要以 http:// 或 https:// 开头。'],
    ['a title of 61 characters', `会议 ${'很'.repeat(61)} 明天下午3点`, '标题太长了（最多 60 个字）。'],
  ])('should refuse %s', async (_label, command, expected) => {
    expect((await ask(w.driver, 'u1', command)).reply).toBe(expected);
    await expectNothingCreated();
  });

  it('should give the next number after a refusal and keep numbers per chat', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 今天上午8点');
    expect((await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点')).reply).toMatch(/^已发起 #1「/);
    expect((await ask(w.driver, 'u1', '学习 党章学习 明天上午9点')).reply).toMatch(/^已发起 #2「党章学习」/);
    expect((await w.started.bot.services.duties.listOpen(CHAT)).map((d) => d.number)).toEqual([2, 1]);
    expect((await dutyNo(w.started, 2)).at).toBe(NOW + 23 * HOUR);
  });
});
