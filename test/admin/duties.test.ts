import { DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { dutyListSchema, dutyOutSchema, dutyWithTallySchema, historyResponseSchema, tallyResponseSchema } from '../../src/http/admin/response-schemas';
import { eventually } from '../helpers/harness';
import { CHAT, CHAT_PATH, createThroughApi, dutyJobs, expectProblem, meetingBody, NOW, ORGANIZER, remindJobs, startAdmin, storedState, type AdminWorld } from './support';

const SIX_IDS = DEMO_MEMBERS.map((m) => m.id);
const HOUR = 3600_000;

describe('admin API: duties', () => {
  let w: AdminWorld;

  beforeEach(async () => {
    w = await startAdmin();
  });

  afterEach(async () => {
    await w.stop();
  });

  const member = (id: string) => DEMO_MEMBERS.find((m) => m.id === id) ?? { id, name: id };

  describe('POST /api/chats/{chat}/duties', () => {
    it('should create a meeting, post its card in the sandbox chat and plan its reminders', async () => {
      const reply = await w.call('POST', `/api/chats/${CHAT_PATH}/duties`, { body: meetingBody({ notes: '请带党员证' }) });
      expect(reply.status).toBe(201);
      const duty = dutyOutSchema.parse(reply.json);
      expect(reply.headers.get('location')).toBe(`/api/duties/${duty.id}`);
      expect(duty).toEqual({
        id: duty.id,
        chat: 'sandbox:branch-1',
        number: 1,
        kind: 'meeting',
        label: '会议',
        title: '支部委员会',
        at: '2026-12-05T15:00:00+08:00',
        place: '三楼会议室',
        notes: '请带党员证',
        organizer: ORGANIZER,
        audience: SIX_IDS,
        reminderOffsets: [1440, 60],
        state: 'scheduled',
        createdAt: '2026-11-27T10:00:00+08:00',
        updatedAt: '2026-11-27T10:00:00+08:00',
      });
      expect(await w.started.bot.services.duties.history(duty.id)).toEqual([{ type: 'created', at: NOW, by: 'u1' }]);
      expect(await remindJobs(w, duty.id)).toEqual([`rem-${duty.id}-1440-${Date.parse('2026-12-04T15:00:00+08:00')}`, `rem-${duty.id}-60-${Date.parse('2026-12-05T14:00:00+08:00')}`]);

      const card = await w.driver.card(1);
      expect(card.card.header).toEqual({ title: '【会议】支部委员会', subtitle: '#1', color: 'blue' });
      // The organizer (u1, in the audience) attends unless they answer otherwise (issue 17).
      expect(card.card.tally).toBe('参加 1 · 请假 0 · 未回复 5');
    });

    it('should take a report with its own reminder offsets, deduplicated, and a UTC time', async () => {
      const reply = await w.call('POST', `/api/chats/${CHAT_PATH}/duties`, {
        body: { kind: 'report', title: '2026年度述职报告', at: '2026-12-18T07:00:00Z', reminderOffsets: [60, 2880, 60], organizer: ORGANIZER },
      });
      expect(reply.status).toBe(201);
      const duty = dutyOutSchema.parse(reply.json);
      expect(duty).toMatchObject({ kind: 'report', label: '报告', at: '2026-12-18T15:00:00+08:00', reminderOffsets: [2880, 60] });
      expect(await remindJobs(w, duty.id)).toHaveLength(2);
      expect((await w.driver.card(1)).card.header.title).toBe('【报告】2026年度述职报告');
    });

    it('should plan no reminder for an empty reminderOffsets', async () => {
      const duty = await createThroughApi(w, { reminderOffsets: [] });
      expect(duty.reminderOffsets).toEqual([]);
      expect(await remindJobs(w, duty.id)).toEqual([]);
    });

    it('should refuse a time in the past with 422 and the Chinese message, storing nothing', async () => {
      const before = await storedState(w);
      const reply = await w.call('POST', `/api/chats/${CHAT_PATH}/duties`, { body: meetingBody({ at: '2026-11-27T09:00:00+08:00' }) });
      const problem = expectProblem(reply, 422);
      expect(problem).toMatchObject({ detail: '这个时间已经过去了（11月27日（周五）09:00），请换一个将来的时间。', code: 'BAD_TIME' });
      expect(await storedState(w)).toEqual(before);
      expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
    });

    it('should refuse a chat the bot cannot reach with 404 and a malformed chat with 400', async () => {
      const before = await storedState(w);
      expect(expectProblem(await w.call('POST', `/api/chats/${encodeURIComponent('sandbox:nope')}/duties`, { body: meetingBody() }), 404).detail).toBe(
        '找不到群 sandbox:nope，或机器人不在该群中。',
      );
      expect(expectProblem(await w.call('POST', '/api/chats/feishu%3Aoc_1/duties', { body: meetingBody() }), 404).detail).toContain('未启用平台 feishu');
      expectProblem(await w.call('POST', '/api/chats/qq%3A1/duties', { body: meetingBody() }), 400);
      expectProblem(await w.call('POST', '/api/chats/branch-1/duties', { body: meetingBody() }), 400);
      expect(await storedState(w)).toEqual(before);
    });
  });

  describe('GET /api/chats/{chat}/duties', () => {
    it('should list the duties of a period, oldest first, filtered by state', async () => {
      const late = await createThroughApi(w, { title: '党课', at: '2027-01-08T15:00:00+08:00' });
      const early = await createThroughApi(w, { title: '支部委员会', at: '2026-12-05T15:00:00+08:00' });
      const middle = await createThroughApi(w, { title: '主题党日', at: '2026-12-31T09:00:00+08:00' });
      await w.call('POST', `/api/duties/${middle.id}/cancel`, { body: { by: ORGANIZER } });

      const all = dutyListSchema.parse((await w.call('GET', `/api/chats/${CHAT_PATH}/duties`)).json);
      expect(all).toMatchObject({ chat: 'sandbox:branch-1', from: null, to: null });
      expect(all.duties.map((d) => d.id)).toEqual([early.id, middle.id, late.id]);

      const december = dutyListSchema.parse((await w.call('GET', `/api/chats/${CHAT_PATH}/duties?from=2026-12-01&to=2026-12-31`)).json);
      expect(december).toMatchObject({ from: '2026-12-01T00:00:00+08:00', to: '2026-12-31T23:59:59+08:00' });
      expect(december.duties.map((d) => d.title)).toEqual(['支部委员会', '主题党日']);

      const cancelled = dutyListSchema.parse((await w.call('GET', `/api/chats/${CHAT_PATH}/duties?state=cancelled`)).json);
      expect(cancelled.duties.map((d) => d.id)).toEqual([middle.id]);

      const byInstant = dutyListSchema.parse((await w.call('GET', `/api/chats/${CHAT_PATH}/duties?to=2026-12-05T15:00:00%2B08:00`)).json);
      expect(byInstant.duties.map((d) => d.id)).toEqual([early.id]);
    });

    it('should refuse a period whose from is after its to, and unknown or repeated query keys, with 400', async () => {
      expect(expectProblem(await w.call('GET', `/api/chats/${CHAT_PATH}/duties?from=2026-12-31&to=2026-12-01`), 400).detail).toContain('from 不能晚于 to');
      const unknown = expectProblem(await w.call('GET', `/api/chats/${CHAT_PATH}/duties?status=cancelled`), 400);
      expect(unknown.errors?.[0]?.message).toContain('status');
      expectProblem(await w.call('GET', `/api/chats/${CHAT_PATH}/duties?state=open`), 400);
      expectProblem(await w.call('GET', `/api/chats/${CHAT_PATH}/duties?from=2026-12-01&from=2026-12-02`), 400);
      expectProblem(await w.call('GET', `/api/chats/${CHAT_PATH}/duties?from=2026-12-01T00:00:00`), 400);
    });
  });

  describe('GET /api/duties/{id}, /tally and /history', () => {
    it('should read the duty with its tally, and the tally alone', async () => {
      const duty = await createThroughApi(w);
      const { dutyService } = w.started.bot.services;
      await dutyService.answer(duty.id, member('u2'), 'attending', NOW + HOUR);
      await dutyService.answer(duty.id, member('u3'), 'leave', NOW + 2 * HOUR, '外出开会');

      const read = dutyWithTallySchema.parse((await w.call('GET', `/api/duties/${duty.id}`)).json);
      expect(read.duty.id).toBe(duty.id);
      // u2 and the organizer u1 (implied, issue 17) attend.
      expect(read.tally).toMatchObject({ line: '参加 2 · 请假 1 · 未回复 3', counts: { attending: 2, leave: 1, submitted: 0, pending: 3 } });
      expect(read.tally.leave).toEqual([{ memberId: 'u3', name: '张丽', reason: '外出开会' }]);

      const tally = tallyResponseSchema.parse((await w.call('GET', `/api/duties/${duty.id}/tally`)).json);
      expect(tally).toEqual({ dutyId: duty.id, tally: read.tally });
    });

    it('should give the whole history with names and offset times', async () => {
      const duty = await createThroughApi(w);
      await w.started.bot.services.dutyService.answer(duty.id, member('u3'), 'leave', NOW + HOUR, '外出开会');
      await w.call('POST', `/api/duties/${duty.id}/cancel`, { body: { by: { id: 'u2', name: '李明' } } });
      const history = historyResponseSchema.parse((await w.call('GET', `/api/duties/${duty.id}/history`)).json);
      expect(history.entries).toEqual([
        { type: 'created', at: '2026-11-27T10:00:00+08:00', by: 'u1', byName: '王建国' },
        { type: 'answer', at: '2026-11-27T11:00:00+08:00', by: 'u3', byName: '张丽', status: 'leave', previous: 'pending', reason: '外出开会' },
        { type: 'cancelled', at: '2026-11-27T10:00:00+08:00', by: 'u2', byName: '李明' },
      ]);
    });

    it('should answer 404 for an unknown or malformed duty id on every duty route', async () => {
      for (const id of ['aaaaaaaaaaaa', 'x%3Aanswers', 'AAAAAAAAAAAA']) {
        for (const suffix of ['', '/tally', '/history']) {
          expect(expectProblem(await w.call('GET', `/api/duties/${id}${suffix}`), 404).detail).toBe('没有这个事项，请检查事项 id。');
        }
        expectProblem(await w.call('POST', `/api/duties/${id}/cancel`, { body: { by: ORGANIZER } }), 404);
      }
    });
  });

  describe('POST /api/duties/{id}/cancel', () => {
    it('should cancel through DutyService: state, history, reminders removed and the card greyed', async () => {
      const duty = await createThroughApi(w);
      expect(await remindJobs(w, duty.id)).toHaveLength(2);
      const reply = await w.call('POST', `/api/duties/${duty.id}/cancel`, { body: { by: ORGANIZER } });
      expect(reply.status).toBe(200);
      expect(dutyOutSchema.parse(reply.json)).toMatchObject({ id: duty.id, state: 'cancelled' });
      expect((await w.started.bot.services.duties.history(duty.id)).at(-1)).toEqual({ type: 'cancelled', at: NOW, by: 'u1' });
      expect(await w.started.bot.services.duties.listOpen(CHAT)).toEqual([]);
      expect(await dutyJobs(w, duty.id)).toEqual([]);
      await eventually(async () => (await w.driver.card(1)).card.header.subtitle === '#1 · 已取消', 5000, 'the cancelled card');
    });

    it('should refuse a second cancel with 409, and a cancel after the time with 409', async () => {
      const duty = await createThroughApi(w);
      await w.call('POST', `/api/duties/${duty.id}/cancel`, { body: { by: ORGANIZER } });
      const before = await storedState(w);
      expect(expectProblem(await w.call('POST', `/api/duties/${duty.id}/cancel`, { body: { by: ORGANIZER } }), 409)).toMatchObject({
        detail: '#1 已经取消过了。',
        code: 'CONFLICT',
      });
      expect(await storedState(w)).toEqual(before);

      const passed = await createThroughApi(w, { at: '2026-11-28T15:00:00+08:00' });
      w.clock.advance(2 * 24 * HOUR);
      expect(expectProblem(await w.call('POST', `/api/duties/${passed.id}/cancel`, { body: { by: ORGANIZER } }), 409).detail).toBe('#2 已结束，不能取消。');
      expect((await w.started.bot.services.duties.get(passed.id))?.state).toBe('scheduled');
    });
  });
});
