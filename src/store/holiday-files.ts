/**
 * The holiday override files, `data/holidays/<year>.json` (format: data/holidays/README.md): found, read and
 * validated here, so the working calendar in src/time stays pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkingCalendar } from '../time/calendar';
import { type HolidayOverride, HolidayOverrideError, type HolidayOverrideSource, parseHolidayOverride } from '../time/holiday-overrides';

const FILE_NAME = /^(\d{4})\.json$/;

/**
 * Reads every `<year>.json` in `dir` (other files are ignored; a missing directory gives none).
 * Throws HolidayOverrideError naming the file and the field when a file is unreadable or invalid.
 */
export function loadHolidayOverrides(dir: string): HolidayOverride[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => FILE_NAME.test(name))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new HolidayOverrideError(`invalid holiday override ${file}: not valid JSON (${(error as Error).message})`);
      }
      const override = parseHolidayOverride(raw, file);
      if (String(override.year) !== FILE_NAME.exec(name)?.[1]) {
        throw new HolidayOverrideError(`invalid holiday override ${file}: field "year" is ${override.year} but the file is named ${name}`);
      }
      return override;
    });
}

/** Names, sizes and times of the override files: changes when an operator adds or edits a year. */
export function overrideFingerprint(dir: string | undefined): string {
  if (!dir || !existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

/** The files of `dir` as a calendar's override source. */
export function holidayFiles(dir: string): HolidayOverrideSource {
  return { read: () => loadHolidayOverrides(dir), fingerprint: () => overrideFingerprint(dir) };
}

/** A calendar with the overrides in `dir` (none without a directory); throws HolidayOverrideError if one is invalid. */
export function calendarFromFiles(dir: string | undefined): WorkingCalendar {
  return new WorkingCalendar(dir === undefined ? {} : { source: holidayFiles(dir) });
}

/** data/holidays of the project: found from this file upwards, so it works from src/ and from dist/src/. */
export function defaultOverrideDir(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'data', 'holidays');
    if (dirname(dir) === dir) return undefined;
  }
}

let shared: WorkingCalendar | undefined;

/** One calendar for the process, built on first use with the project's data/holidays. */
export function defaultCalendar(): WorkingCalendar {
  shared ??= calendarFromFiles(defaultOverrideDir());
  return shared;
}
