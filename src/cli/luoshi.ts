/**
 * `luoshi when "<短语>" [--now <ISO 8601>] [--count N] [--deadline]`: what a schedule phrase means,
 * as ONE JSON line on stdout. `luoshi parse "<消息>" [--now <ISO 8601>]`: how the bot reads a whole message
 * (src/app/understand/read-message.ts), e.g. {"command":"create","kind":"meeting","title":"支部委员会",…}
 * or {"command":"cancel","numbers":[21,22]}, or {"error":…} with exit code 2.
 *
 *   {"kind":"once","at":"2026-11-28T15:00:00+08:00"}
 *   {"kind":"recurring","rule":"每月最后一个工作日 15:00","next":["2026-09-30T15:00:00+08:00",…]}
 *   plus "warning":"…" when the answer rests on a year whose holidays are not published yet.
 *
 * `luoshi export` / `luoshi import`: backup and restore of the records (src/cli/backup.ts).
 *
 * Exit codes: 0 answered; 2 the phrase or the flags are not understood ({"error":"…"}); 1 anything else
 * (e.g. a broken data/holidays file). Time zone: BOT_TIMEZONE, default Asia/Shanghai.
 */
import { parseArgs } from 'node:util';
import { defaultCalendar } from '../store/holiday-files';
import { guessWarning } from '../time/guess-warning';
import { guessedYearsOf, nextOccurrences } from '../time/occurrences';
import { parseSchedule } from '../time/parse-schedule';
import { toZonedIso } from '../time/zoned';
import { readMessage } from '../app/understand/read-message';
import { parseInstant } from './parse-instant';
import { EXPORT_USAGE, IMPORT_USAGE, isBackupCommand, runBackupCli } from './backup';

export interface CliResult {
  readonly code: 0 | 1 | 2;
  /** Exactly one JSON line, newline-terminated. */
  readonly stdout: string;
}

export const USAGE = 'luoshi when "<短语>" [--now <ISO 8601>] [--count N] [--deadline]';
export const PARSE_USAGE = 'luoshi parse "<消息>" [--now <ISO 8601>]';
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const DEFAULT_COUNT = 3;
const MAX_COUNT = 100;

const line = (code: CliResult['code'], value: Record<string, unknown>): CliResult => ({ code, stdout: `${JSON.stringify(value)}\n` });
const refuse = (error: string): CliResult => line(2, { error });

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, clock: () => number = Date.now): CliResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { now: { type: 'string' }, count: { type: 'string' }, deadline: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return refuse(`参数不对（${(error as Error).message}），用法：${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return line(0, { usage: USAGE });
  const [command, ...words] = positionals;
  if (command === undefined) return refuse(`没写命令，用法：${USAGE}`);
  if (command !== 'when' && command !== 'parse') return refuse(`不认识的命令「${command}」，用法：${USAGE}；或 ${PARSE_USAGE}；或 ${EXPORT_USAGE}；或 ${IMPORT_USAGE}`);
  const phrase = words.join(' ').trim();
  if (phrase === '') return refuse(`没写短语，用法：${USAGE}`);

  const timeZone = env.BOT_TIMEZONE?.trim() || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) return refuse(`BOT_TIMEZONE「${timeZone}」不是时区名，例如：Asia/Shanghai`);
  const now = values.now === undefined ? clock() : parseInstant(values.now, timeZone);
  if (now === undefined) return refuse(`--now「${values.now ?? ''}」不是 ISO 8601 时间，例如：2026-09-01T00:00:00+08:00`);
  const count = values.count === undefined ? DEFAULT_COUNT : Number(values.count);
  if (!/^\d+$/.test(values.count ?? '3') || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    return refuse(`--count 要写1到${MAX_COUNT}之间的整数，不是「${values.count ?? ''}」`);
  }

  try {
    if (command === 'parse') {
      const data = readMessage(phrase, { now, timeZone, calendar: defaultCalendar() });
      return line('error' in data ? 2 : 0, data);
    }
    return answer(phrase, { now, timeZone, count, deadline: values.deadline === true });
  } catch (error) {
    return line(1, { error: `内部错误：${(error as Error).message}` });
  }
}

function answer(phrase: string, options: { now: number; timeZone: string; count: number; deadline: boolean }): CliResult {
  const { now, timeZone, count, deadline } = options;
  const calendar = defaultCalendar();
  const result = parseSchedule(phrase, { now, timeZone, deadline, calendar });
  if (!result.ok) return refuse(result.error);
  if (result.kind === 'once') {
    return line(0, { kind: 'once', at: toZonedIso(result.at, timeZone), ...(result.warning === undefined ? {} : { warning: result.warning }) });
  }
  const next = nextOccurrences(result.rule, { after: now, count, timeZone, calendar });
  const warning = guessWarning(guessedYearsOf(result.rule, next, timeZone, calendar));
  return line(0, {
    kind: 'recurring',
    rule: result.description,
    next: next.map((o) => toZonedIso(o.at, timeZone)),
    ...(warning === undefined ? {} : { warning }),
  });
}

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const answer = (result: CliResult): void => {
    process.stdout.write(result.stdout);
    process.exitCode = result.code;
  };
  // `luoshi export` / `luoshi import` (src/cli/backup.ts) talk to Redis, so they answer asynchronously.
  if (isBackupCommand(argv[0])) void runBackupCli(argv).then(answer);
  else answer(runCli(argv));
}

if (require.main === module) main();
