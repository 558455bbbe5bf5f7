import { startBot, type StartedBot } from '../helpers/harness';
import { runFirstReminder } from '../helpers/follow-ups';
import { SandboxDriver } from '../helpers/sandbox-driver';

describe('/metrics', () => {
  let started: StartedBot;
  beforeEach(async () => {
    started = await startBot();
  });
  afterEach(async () => {
    await started.stop();
  });

  it('should expose reminders planned, jobs, platform calls, callbacks and queue depth in Prometheus format', async () => {
    const driver = new SandboxDriver(started);
    await driver.command('u1', '会议 支部委员会 3天后下午3点');
    const card = await driver.card(1);
    await driver.clickButton(card, 'u2', '参加');
    // The meeting's first reminder, run now: it adds the sign-in window and the minutes reminders (src/queue/follow-up-window.ts).
    const duty = await started.bot.services.duties.getByNumber({ platform: 'sandbox', chatId: driver.chatId }, 1);
    await runFirstReminder(started.bot, duty?.id ?? '');
    const res = await fetch(`${started.baseUrl}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^luoshi_reminders_planned_total [1-9]/m);
    expect(text).toMatch(/^luoshi_jobs_total\{queue="cards",outcome="sent"\} [1-9]/m);
    expect(text).toMatch(/^luoshi_platform_call_seconds_count\{platform="sandbox",op="sendCard",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^luoshi_callback_seconds_count\{platform="sandbox"\} 1$/m);
    expect(text).toMatch(/^luoshi_queue_jobs\{queue="reminders",state="delayed"\} [1-9]/m);
    // The meeting's sign-in window (opening and end) and its minutes reminders wait in their own queues (issue 14),
    // and the reminder's run is counted.
    expect(text).toMatch(/^luoshi_jobs_total\{queue="reminders",outcome="sent"\} 1$/m);
    expect(text).toMatch(/^luoshi_queue_jobs\{queue="signin",state="delayed"\} [1-9]/m);
    expect(text).toMatch(/^luoshi_queue_jobs\{queue="minutes",state="delayed"\} [1-9]/m);
  });
});
