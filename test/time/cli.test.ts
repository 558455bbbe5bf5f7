import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/luoshi';
import { parseInstant } from '../../src/cli/parse-instant';

const ROOT = join(__dirname, '..', '..');
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const WARNING = '2027年的节假日安排尚未公布，按周一至周五推算（已计入法定节日，未计调休）';

interface Spawned {
  readonly code: number;
  readonly stdout: string;
}

/** Runs a command in the project root under a server TZ that is not Beijing's. */
function spawn(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: ROOT, env: { ...process.env, TZ: 'America/New_York', ...env }, timeout: 30_000 }, (error, stdout) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout });
    });
  });
}

const luoshi = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Spawned> => spawn(process.execPath, [join('bin', 'luoshi.js'), ...args], env);

describe('luoshi when (spawned)', () => {
  const example = ['when', '每月最后一个工作日 15:00', '--now', '2026-09-01T00:00:00+08:00'];
  const exampleLine = '{"kind":"recurring","rule":"每月最后一个工作日 15:00","next":["2026-09-30T15:00:00+08:00","2026-10-30T15:00:00+08:00","2026-11-30T15:00:00+08:00"]}\n';

  it('should print the next three occurrences as one JSON line through npx luoshi', async () => {
    const result = await spawn(NPX, ['--offline', '--no', 'luoshi', ...example]);
    expect(result).toEqual({ code: 0, stdout: exampleLine });
  });

  it('should print the same through node bin/luoshi.js, and honour --count', async () => {
    const [plain, five] = await Promise.all([luoshi(example), luoshi([...example, '--count', '5'])]);
    expect(plain).toEqual({ code: 0, stdout: exampleLine });
    expect(five.code).toBe(0);
    expect(JSON.parse(five.stdout)).toEqual({
      kind: 'recurring',
      rule: '每月最后一个工作日 15:00',
      next: ['2026-09-30T15:00:00+08:00', '2026-10-30T15:00:00+08:00', '2026-11-30T15:00:00+08:00', '2026-12-31T15:00:00+08:00', '2027-01-29T15:00:00+08:00'],
      warning: WARNING,
    });
  });

  it('should exit 2 with a Chinese error for a phrase it cannot read and for a bad flag', async () => {
    const [phrase, flag] = await Promise.all([luoshi(['when', '随便什么时候']), luoshi(['when', '明天', '--count', 'x'])]);
    expect(phrase.code).toBe(2);
    expect(JSON.parse(phrase.stdout)).toEqual({ error: '没看懂时间「随便什么时候」，例如：明天下午3点、12月5日14:30、下周二上午9点' });
    expect(flag.code).toBe(2);
    expect(JSON.parse(flag.stdout)).toEqual({ error: '--count 要写1到100之间的整数，不是「x」' });
  });

  it('should read the time zone from BOT_TIMEZONE', async () => {
    const result = await luoshi(['when', '明天下午3点', '--now', '2026-11-27T10:00:00+08:00'], { BOT_TIMEZONE: 'America/New_York' });
    expect(result).toEqual({ code: 0, stdout: '{"kind":"once","at":"2026-11-27T15:00:00-05:00"}\n' });
  });
});

describe('runCli', () => {
  const env = { BOT_TIMEZONE: 'Asia/Shanghai' };
  const clock = (): number => Date.parse('2026-11-27T10:00:00+08:00');
  const run = (...argv: string[]): { code: number; json: unknown } => {
    const result = runCli(argv, env, clock);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().includes('\n')).toBe(false);
    return { code: result.code, json: JSON.parse(result.stdout) };
  };

  it('should answer a one-off phrase, with --now defaulting to the clock', () => {
    expect(run('when', '明天下午3点')).toEqual({ code: 0, json: { kind: 'once', at: '2026-11-28T15:00:00+08:00' } });
    expect(run('when', '月底', '--deadline')).toEqual({ code: 0, json: { kind: 'once', at: '2026-11-30T18:00:00+08:00' } });
    expect(run('when', '下个工作日', '--now', '2026-12-31T20:00:00+08:00')).toEqual({ code: 0, json: { kind: 'once', at: '2027-01-04T09:00:00+08:00', warning: WARNING } });
  });

  it('should join words given without quotes', () => {
    expect(run('when', '明天', '下午3点')).toEqual({ code: 0, json: { kind: 'once', at: '2026-11-28T15:00:00+08:00' } });
  });

  it('should read --now without an offset in the bot time zone', () => {
    expect(run('when', '每天', '--now', '2026-11-27T08:00', '--count', '1')).toEqual({ code: 0, json: { kind: 'recurring', rule: '每天 09:00', next: ['2026-11-27T09:00:00+08:00'] } });
  });

  it.each([
    [[], '没写命令'],
    [['remind', '明天'], '不认识的命令「remind」'],
    [['when'], '没写短语'],
    [['when', '明天', '--bogus'], '参数不对'],
    [['when', '明天', '--now', 'yesterday'], '--now「yesterday」不是 ISO 8601 时间'],
    [['when', '明天', '--now', '2026-02-30T00:00:00+08:00'], '不是 ISO 8601 时间'],
    [['when', '每天', '--count', '0'], '--count 要写1到100之间的整数'],
    [['when', '每天', '--count', '101'], '--count 要写1到100之间的整数'],
    [['when', '每天', '--count', '2.5'], '--count 要写1到100之间的整数'],
    [['when', '每月32号'], '没有32号'],
  ])('should refuse %j with exit code 2 and %s', (argv, message) => {
    const { code, json } = run(...argv);
    expect(code).toBe(2);
    expect(json).toEqual({ error: expect.stringContaining(message) });
  });

  it('should refuse a BOT_TIMEZONE that is not a time zone', () => {
    expect(runCli(['when', '明天'], { BOT_TIMEZONE: 'Beijing' }, clock)).toEqual({ code: 2, stdout: '{"error":"BOT_TIMEZONE「Beijing」不是时区名，例如：Asia/Shanghai"}\n' });
  });

  it('should print usage for --help', () => {
    expect(run('--help')).toEqual({ code: 0, json: { usage: 'luoshi when "<短语>" [--now <ISO 8601>] [--count N] [--deadline]' } });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-09-01T00:00:00+08:00', '2026-08-31T16:00:00.000Z'],
    ['2026-09-01T00:00:00Z', '2026-09-01T00:00:00.000Z'],
    ['2026-09-01T00:00:00.250-0500', '2026-09-01T05:00:00.250Z'],
    ['2026-09-01 08:30', '2026-09-01T00:30:00.000Z'],
    ['2026-09-01', '2026-08-31T16:00:00.000Z'],
  ])('should read %s', (text, iso) => {
    expect(new Date(parseInstant(text, 'Asia/Shanghai') ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each(['2026-09-01T24:00', '2026-13-01', '2026-09-01+08:00', '2026-09-01T00:00+25:00', 'tomorrow', '1700000000'])('should refuse %s', (text) => {
    expect(parseInstant(text, 'Asia/Shanghai')).toBeUndefined();
  });
});
