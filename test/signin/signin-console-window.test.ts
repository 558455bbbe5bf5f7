/**
 * The sign-in window on the console (issue 14): every meeting's card gets its 签到 button when the window opens
 * (a job), and with 签到码 开 the organizer is shown the code, and nobody else is: not in another member's view of
 * the chat (GET /sandbox/api/state, /messages), nor in their event stream.
 */
import type { Duty } from '../../src/domain/types';
import type { SandboxMessage } from '../../src/store/sandbox-repo';
import { eventually } from '../helpers/harness';
import { plain } from '../helpers/sandbox-driver';
import { ask, CHAT, cardWhere, field, MINUTE, startWorld, type World } from '../handlers/support';
import { plannedDuty } from './planned-duty';

/** A meeting whose sign-in window opens 2 s from now (real time: the opening is a BullMQ delayed job). */
async function meetingOpeningSoon(w: World, fields: Partial<Duty> = {}): Promise<Duty> {
  return plannedDuty(w, (now) => ({
    chat: CHAT,
    kind: 'meeting',
    label: '会议',
    title: '支部委员会',
    at: now + 30 * MINUTE + 2000,
    organizer: { id: 'u1', name: '王建国' },
    audience: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'],
    reminderOffsets: [],
    ...fields,
  }));
}

/** What the console shows a member (`?member=`), as the page loads it. */
async function viewOf(w: World, member?: string): Promise<SandboxMessage[]> {
  const q = `chat=${encodeURIComponent(CHAT.chatId)}${member ? `&member=${member}` : ''}`;
  const state = (await (await fetch(`${w.started.baseUrl}/sandbox/api/state?${q}`)).json()) as { messages: SandboxMessage[] };
  const page = (await (await fetch(`${w.started.baseUrl}/sandbox/api/messages?${q}&limit=200`)).json()) as { messages: SandboxMessage[] };
  return [...state.messages, ...page.messages];
}

/** Everything an event stream opened as `member` receives until `stop` is called. */
function listen(w: World, member: string): { text: () => string; stop: () => void } {
  const abort = new AbortController();
  let received = '';
  void fetch(`${w.started.baseUrl}/sandbox/api/events?member=${member}`, { signal: abort.signal })
    .then(async (res) => {
      const reader = res.body?.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        received += decoder.decode(chunk.value, { stream: true });
      }
    })
    .catch(() => undefined);
  return { text: () => received, stop: () => abort.abort() };
}

describe('the 签到 window on the console', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });

  afterEach(async () => {
    await w.started.stop();
  });

  it('should put the 签到 button on a meeting without 签到码 when its window opens, before anyone signs in', async () => {
    await meetingOpeningSoon(w);
    const first = await w.driver.card(1);
    expect(first.card.buttons.map((b) => b.label)).toEqual(['参加', '请假']);
    expect(first.card.footer).not.toContain('签到');
    // The opening job refreshes the card: nobody has signed in yet.
    w.clock.t = Date.now() + 3000;
    const open = await cardWhere(w.driver, 1, (c) => c.buttons.some((b) => b.label === '签到'), 'the 签到 button at the opening');
    expect(open.card.buttons.map((b) => b.label)).toEqual(['参加', '请假', '签到']);
    expect(open.card.buttons.find((b) => b.label === '签到')?.reasonPrompt).toBeUndefined();
    expect(field(open.card, '签到')).toBe('已签到 0 / 应到 6');
    expect(open.card.footer).toContain('文字回复：参加 #1 / 请假 #1 原因 / 签到 #1');
    // The same card, refreshed in place (no second card).
    expect(open.id).toBe(first.id);
    w.clock.t = Date.now();
    expect((await w.driver.clickButton(open, 'u3', '签到')).body.toast).toEqual({ kind: 'success', text: '已签到' });
  });

  it('should show the organizer the 签到码 at the opening, and no other member', async () => {
    const u1 = listen(w, 'u1');
    const u2 = listen(w, 'u2');
    try {
      const duty = await meetingOpeningSoon(w, { signinCode: true });
      const shown = await eventually(
        async () => (await w.driver.messages()).find((m) => m.kind === 'text' && plain(m.text).includes('的签到码：')),
        8000,
        'the code shown to the organizer',
      );
      const code = /签到码：(\d{4})/.exec(plain(shown.text))?.[1] ?? 'none';
      expect(code).toBe(await w.started.bot.services.signin.codeOf(duty));
      expect(shown.to).toEqual({ id: 'u1', name: '王建国' });
      expect(plain(shown.text)).toBe(`#1「支部委员会」的签到码：${code}（只发给发起人，请在会上告知参会党员，回复「签到 #1 ${code}」签到）`);

      const hasCode = (messages: SandboxMessage[]) => messages.some((m) => plain(m.text).includes(`签到码：${code}`));
      expect(hasCode(await viewOf(w, 'u1'))).toBe(true);
      for (const other of ['u2', 'u3', 'u6', undefined]) expect(hasCode(await viewOf(w, other))).toBe(false);
      // The event streams: the organizer's carries it, another member's never does.
      await eventually(async () => u1.text().includes(`签到码：${code}`), 3000, 'the code on the organizer’s stream');
      expect(u2.text()).toContain('event: message');
      expect(u2.text()).not.toContain(`签到码：${code}`);

      // Members sign in with the code the organizer tells them.
      w.clock.t = Date.now();
      expect((await ask(w.driver, 'u2', `签到 #1 ${code}`)).reply).toBe('李明：已签到 #1「支部委员会」，目前已签到 1 人。');
    } finally {
      u1.stop();
      u2.stop();
    }
  });
});
