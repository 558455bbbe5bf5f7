import type { InboundMessage, TextSegment } from '../../src/platforms/port';
import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { eventually } from '../helpers/harness';
import { ask, CHAT, snapshot, shanghai, startWorld, type World } from './support';

describe('统计 / 催办 / 帮助 and messages that are not commands', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
    await ask(w.driver, 'u1', '会议 支部委员会 明天下午3点');
  });

  afterEach(async () => {
    await w.started.stop();
  });

  /** The raw segments of the bot's reply to command message `id`. */
  async function replySegments(id: string): Promise<readonly TextSegment[]> {
    const reply = await eventually(async () => (await w.driver.messages()).find((m) => m.replyTo === id && m.kind === 'text'), 5000, 'the reply');
    return reply.text ?? [];
  }

  const mentioned = (segments: readonly TextSegment[]): string[] => segments.flatMap((s) => ('mention' in s ? [`${s.mention.id}:${s.mention.name}`] : []));

  describe('统计', () => {
    it('should show the tally with the names in each state, reasons included', async () => {
      await ask(w.driver, 'u2', '参加 #1');
      await ask(w.driver, 'u3', '请假 #1 出差');
      expect((await ask(w.driver, 'u4', '统计 #1')).reply).toBe(
        // The organizer 王建国 attends unless they answer otherwise (issue 17).
        '#1「支部委员会」 11月28日（周六）15:00\n参加 2 · 请假 1 · 未回复 3\n参加：王建国、李明\n请假：张丽（出差）\n未回复：刘洋、陈静、赵磊',
      );
    });

    it('should show a report’s tally as 已提交 / 未提交', async () => {
      await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
      await ask(w.driver, 'u6', '已提交 #2');
      expect((await ask(w.driver, 'u2', '统计 #2')).reply).toBe(
        '#2「2026年度述职报告」 12月20日（周日）18:00\n已提交 1 · 未提交 5\n已提交：赵磊\n未提交：王建国、李明、张丽、刘洋、陈静',
      );
    });

    it('should mark a cancelled duty in its tally', async () => {
      await ask(w.driver, 'u1', '取消 #1');
      expect((await ask(w.driver, 'u2', '统计 #1')).reply).toBe(
        '#1「支部委员会」（已取消） 11月28日（周六）15:00\n参加 1 · 请假 0 · 未回复 5\n参加：王建国\n请假：无\n未回复：李明、张丽、刘洋、陈静、赵磊',
      );
    });

    it('should refuse 统计 without a number or with an unknown number', async () => {
      expect((await ask(w.driver, 'u2', '统计')).reply).toBe('请写上编号，例如：统计 #7');
      expect((await ask(w.driver, 'u2', '统计 #9')).reply).toBe('本群没有 #9 这个事项。发送「列表」查看编号。');
    });
  });

  describe('催办', () => {
    it('should mention only the members who have not answered', async () => {
      await ask(w.driver, 'u2', '参加 #1');
      await ask(w.driver, 'u3', '请假 #1 出差');
      const before = await snapshot(w.started, 1);
      const id = await w.driver.say('u1', '@落实 催办 #1');
      const segments = await replySegments(id);
      // Not the organizer 王建国, who attends unless they answer otherwise (issue 17).
      expect(mentioned(segments)).toEqual(['u4:刘洋', 'u5:陈静', 'u6:赵磊']);
      expect(segments.map((s) => ('text' in s ? s.text : `@${s.mention.name}`)).join('')).toBe(
        '⏰ 催办 @刘洋 @陈静 @赵磊 \n请尽快确认是否参加（回复「参加 #1」或「请假 #1 原因」）：#1「支部委员会」 11月28日（周六）15:00',
      );
      expect(await snapshot(w.started, 1)).toEqual(before);
    });

    it('should ask report members to submit', async () => {
      await ask(w.driver, 'u1', '述职 2026年度述职报告 截止 12月20日');
      for (const m of DEMO_MEMBERS.slice(0, 5)) await ask(w.driver, m.id, '已提交 #2');
      const id = await w.driver.say('u1', '@落实 催办 #2');
      const segments = await replySegments(id);
      expect(mentioned(segments)).toEqual(['u6:赵磊']);
      expect(segments.at(-1)).toEqual({ text: '\n请尽快提交（回复「已提交 #2」）：#2「2026年度述职报告」 12月20日（周日）18:00' });
    });

    it('should say so when everyone has answered', async () => {
      for (const m of DEMO_MEMBERS) await ask(w.driver, m.id, '参加 #1');
      expect((await ask(w.driver, 'u1', '催办 #1')).reply).toBe('#1 大家都已回复，无需催办。');
    });

    it('should refuse 催办 from a member who is not a secretary', async () => {
      expect((await ask(w.driver, 'u2', '催办 #1')).reply).toBe('抱歉，只有本群的党务管理员可以催办。');
    });

    it('should refuse 催办 without a number, for an unknown number, a cancelled or a past duty', async () => {
      expect((await ask(w.driver, 'u1', '催办')).reply).toBe('请写上编号，例如：催办 #7');
      expect((await ask(w.driver, 'u1', '催办 #9')).reply).toBe('本群没有 #9 这个事项。发送「列表」查看编号。');
      await ask(w.driver, 'u1', '会议 党课 明天上午9点');
      await ask(w.driver, 'u1', '取消 #2');
      expect((await ask(w.driver, 'u1', '催办 #2')).reply).toBe('#2 已取消，无需催办。');
      w.clock.t = shanghai('2026-11-28T15:00');
      expect((await ask(w.driver, 'u1', '催办 #1')).reply).toBe('#1 已结束，无需催办。');
    });
  });

  describe('帮助', () => {
    it('should show the five things people do most, each with one example, and point to the rest', async () => {
      const { reply } = await ask(w.driver, 'u2', '帮助');
      const lines = reply.split('\n');
      expect(lines[0]).toBe('我是落实，帮支部把会议、学习和报告落实到人。最常用的五件事：');
      const items = lines.filter((l) => /^\d\. /.test(l));
      expect(items).toHaveLength(5);
      for (const item of items) expect(item).toMatch(/^\d\. [^：]+：.*「[^」]+」/);
      expect(reply).toContain('明天下午3点在三楼会议室开支委会');
      expect(lines.at(-1)).toBe('更多命令：「帮助 全部」；某个命令的用法：「帮助 统计」。');
      expect(lines.length).toBeLessThanOrEqual(8);
      expect((await ask(w.driver, 'u2', 'help')).reply).toBe(reply);
      expect((await ask(w.driver, 'u2', '？')).reply).toBe(reply);
    });

    it('should list every command word, one line each formatted alike, for 帮助 全部', async () => {
      const { reply } = await ask(w.driver, 'u2', '帮助全部');
      const commands = w.started.bot.dispatcher.commandList;
      expect(reply.startsWith('全部命令（在群里 @落实 并发送）：\n')).toBe(true);
      expect(reply.endsWith('\n卡片上的按钮也可以直接点。')).toBe(true);
      for (const handler of commands) expect(reply).toContain(`• ${handler.help}`);
      const bullets = reply.split('\n').filter((l) => l.startsWith('•'));
      expect(bullets).toHaveLength(commands.length);
      for (const line of bullets) expect(line).toMatch(/^• [^：]+：\S/);
      const words = commands.flatMap((h) => h.words).filter((word) => /\p{Script=Han}/u.test(word));
      for (const word of ['会议', '学习', '述职', '报告', '材料', '列表', '取消', '改期', '提醒', '统计', '催办', '参加', '请假', '已提交', '帮助']) {
        expect(words).toContain(word);
      }
      for (const word of words) expect(reply).toContain(word);
      expect((await ask(w.driver, 'u2', '帮助：全部')).reply).toBe(reply);
    });

    it('should answer 帮助 <命令> with that command alone, and name an unknown one', async () => {
      const tally = w.started.bot.dispatcher.commandList.find((h) => h.words.includes('统计'));
      expect((await ask(w.driver, 'u2', '帮助 统计')).reply).toBe(`• ${tally?.help ?? ''}`);
      for (const typed of ['帮助，统计', '帮助统计', '帮助：统计', '统计怎么用？']) expect((await ask(w.driver, 'u2', typed)).reply).toBe(`• ${tally?.help ?? ''}`);
      expect((await ask(w.driver, 'u2', '帮助 跳舞')).reply).toBe('没有「跳舞」这个命令。发「帮助 全部」查看全部命令。');
    });
  });

  describe('messages that are not commands', () => {
    it('should answer an unknown command with a pointer to 帮助 and store nothing', async () => {
      const open = (await w.started.bot.services.duties.listOpen(CHAT)).length;
      expect((await ask(w.driver, 'u2', '你好')).reply).toBe('没看懂「你好」。发送「帮助」查看全部命令，例如：会议 支部委员会 明天下午3点 地点 三楼会议室');
      expect((await ask(w.driver, 'u1', '会议室在哪里')).reply).toBe('没看懂「会议室在哪里」。发送「帮助」查看全部命令，例如：会议 支部委员会 明天下午3点 地点 三楼会议室');
      expect((await ask(w.driver, 'u2', '一二三四五六七八九十一二三四五六七八九十多余')).reply).toBe(
        '没看懂「一二三四五六七八九十一二三四五六七八九十…」。发送「帮助」查看全部命令，例如：会议 支部委员会 明天下午3点 地点 三楼会议室',
      );
      expect((await ask(w.driver, 'u2', '')).reply).toBe('你好！发送「帮助」查看我能做什么。');
      expect(await w.started.bot.services.duties.listOpen(CHAT)).toHaveLength(open);
    });

    it('should not treat a message without @落实 as a command', async () => {
      const id = await w.driver.say('u1', '会议 党课 后天上午9点');
      expect((await ask(w.driver, 'u1', '列表')).reply).toMatch(/^本群未结束的事项（1）：\n#1 /);
      const messages = await w.driver.messages();
      expect(messages.filter((m) => m.replyTo === id)).toEqual([]);
      expect(messages.filter((m) => m.kind === 'card')).toHaveLength(1);
      expect(await w.started.bot.services.duties.getByNumber(CHAT, 2)).toBeUndefined();
    });

    it('should create one duty when the same message id is processed twice', async () => {
      const message = (messageId: string): InboundMessage => ({
        kind: 'message',
        chat: CHAT,
        messageId,
        sender: { id: 'u1', name: '王建国', platformRole: 'owner' },
        text: '会议 党课 后天上午9点',
        receivedAt: w.clock.now(),
      });
      const { dispatcher, services } = w.started.bot;
      expect(await dispatcher.processMessage(message('ext-1'))).toBe('handled');
      expect(await dispatcher.processMessage(message('ext-1'))).toBe('duplicate');
      const outcomes = await Promise.all([dispatcher.processMessage(message('ext-2')), dispatcher.processMessage(message('ext-2'))]);
      expect([...outcomes].sort()).toEqual(['duplicate', 'handled']);

      expect((await services.duties.listOpen(CHAT)).map((d) => d.number).sort()).toEqual([1, 2, 3]);
      const replies = await eventually(async () => {
        const found = (await w.driver.messages()).filter((m) => m.replyTo === 'ext-1');
        return found.length >= 2 ? found : undefined;
      }, 5000, 'the reply and the card for ext-1');
      expect(replies.map((m) => m.kind).sort()).toEqual(['card', 'text']);
    });
  });
});
