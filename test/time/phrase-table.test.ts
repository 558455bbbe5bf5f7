import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WorkingCalendar } from '../../src/time/calendar';
import { CASES, caseKey, evaluate, evaluateAll } from './phrase-table';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('phrase table', () => {
  const calendar = new WorkingCalendar();

  it('should hold at least 150 distinct cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map(caseKey)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [caseKey(c), c] as const))('should read %s as expected', (_key, c) => {
    const answer = evaluate(c, calendar);
    if (c.expected.startsWith('✗ ')) {
      expect(answer.startsWith('✗ ')).toBe(true);
      expect(answer).toContain(c.expected.slice(2));
    } else {
      expect(answer).toBe(c.expected);
    }
  });

  it('should give the same answers, warnings and calendar in child processes under other server time zones', async () => {
    const here = JSON.parse(JSON.stringify(evaluateAll())) as unknown;
    const zones = ['UTC', 'America/New_York', 'Pacific/Kiritimati'];
    const outputs = await Promise.all(
      zones.map((tz) =>
        run(process.execPath, ['--require', 'tsx/cjs', join('test', 'time', 'eval-phrases.ts')], {
          cwd: ROOT,
          env: { ...process.env, TZ: tz },
          timeout: 20_000,
        }),
      ),
    );
    outputs.forEach(({ stdout }, i) => {
      expect({ tz: zones[i], result: JSON.parse(stdout) as unknown }).toEqual({ tz: zones[i], result: here });
    });
  });

  it('should not touch local-time Date methods once the calendar years are loaded', () => {
    for (let year = 2025; year <= 2030; year++) calendar.isWorkday({ year, month: 6, day: 1 });
    const expected = CASES.map((c) => evaluate(c, calendar));
    const local = ['getHours', 'getMinutes', 'getDate', 'getDay', 'getMonth', 'getFullYear', 'getTimezoneOffset', 'setDate', 'setHours'] as const;
    const spies = local.map((name) =>
      jest.spyOn(Date.prototype, name).mockImplementation(() => {
        throw new Error(`Date.prototype.${name} used`);
      }),
    );
    try {
      expect(CASES.map((c) => evaluate(c, calendar))).toEqual(expected);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });
});
