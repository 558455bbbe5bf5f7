import { consoleSuite, say } from '../helpers/console-page';
import { startBot, TestClock } from '../helpers/harness';

/*
 * The console shows times in the bot's time zone (BOT_TIMEZONE), which the page takes from the server's state:
 * not in the browser's own zone, and not in a zone the page assumes.
 */

jest.setTimeout(60000);

/** Saturday 2 March 2024, 03:04 UTC: Friday 1 March 22:04 in New York, 11:04 on the 2nd in Shanghai, 12:04 in Tokyo. */
const AT = Date.UTC(2024, 2, 2, 3, 4);

const { browser, bot: started } = consoleSuite(() => startBot({ clock: new TestClock(AT).now, workers: false, env: { BOT_TIMEZONE: 'America/New_York' } }));

test('the console state carries the configured time zone', async () => {
  const res = await fetch(`${started().baseUrl}/sandbox/api/state`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { timeZone?: string }).timeZone).toBe('America/New_York');
});

test('a message is timed in BOT_TIMEZONE, not in the browser zone', async () => {
  const { page } = await browser.open(started().baseUrl, { timezoneId: 'Asia/Tokyo' });
  await say(page, '大家好，时区测试');
  const message = page.locator('.msg[data-kind="text"]', { hasText: '大家好，时区测试' });
  await message.waitFor();
  expect(await message.locator('.msg-time').getAttribute('datetime')).toBe(new Date(AT).toISOString());
  // Not today in New York, so the date comes with the time: the 1st there (the 2nd in Tokyo and in Shanghai).
  expect(await message.locator('.msg-time').textContent()).toBe('3/1 22:04');
});
