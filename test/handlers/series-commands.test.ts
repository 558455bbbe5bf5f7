import { ask, startWorld, type World } from './support';

describe('系列 numbers and weekly rules as secretaries write them', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it('should read 每个礼拜一 and 每个星期三 as weekly rules', async () => {
    const weekly = (await ask(w.driver, 'u1', '会议 支部委员会 每个礼拜一上午九点')).reply;
    expect(weekly).toContain('已建立 系列1「支部委员会」：每周一 09:00。');
    // Issue 17: when the first card goes out. Meetings remind 1 day ahead; cards go a day before that.
    expect(weekly).toContain('每次提前2天发出通知卡片，下一次约在 11月28日（周六）09:00；');
    expect((await ask(w.driver, 'u1', '学习 理论学习 每个星期三下午3点')).reply).toContain('已建立 系列2「理论学习」：每周三 15:00。');
    expect((await ask(w.driver, 'u1', '学习 读书会 每礼拜五')).reply).toContain('已建立 系列3「读书会」：每周五 09:00。');
  });

  it('should take the same series numbers in 改期 as in 停止 (S3, s3, 系列3, 系列 3)', async () => {
    await ask(w.driver, 'u1', '会议 支部委员会 每周一上午9点');
    await ask(w.driver, 'u1', '会议 党小组会 每周二上午9点');
    await ask(w.driver, 'u1', '会议 支部党员大会 每周三上午9点');
    expect((await ask(w.driver, 'u1', '改期 S3 每月第二个周三下午3点')).reply).toContain('系列3「支部党员大会」改为：每月第二个周三 15:00。');
    expect((await ask(w.driver, 'u1', '改期 s2 每个礼拜四上午10点')).reply).toContain('系列2「党小组会」改为：每周四 10:00。');
    expect((await ask(w.driver, 'u1', '改期 系列 1 每周五')).reply).toContain('系列1「支部委员会」改为：每周五 09:00。');
    expect((await ask(w.driver, 'u1', '改期 系列#1 每周四')).reply).toContain('系列1「支部委员会」改为：每周四 09:00。');
    expect((await ask(w.driver, 'u1', '改期 S3')).reply).toBe('请写上新的规则，例如：改期 系列3 每月第二个周三下午3点');
    expect((await ask(w.driver, 'u1', '停止 S3')).reply).toContain('已停止 系列3「支部党员大会」');
    expect((await ask(w.driver, 'u1', '停止 系列 2')).reply).toContain('已停止 系列2「党小组会」');
    expect((await ask(w.driver, 'u1', '停止 s1')).reply).toContain('已停止 系列1「支部委员会」');
  });
});
