/**
 * The operator's points rules, `<DATA_DIR>/points.yaml` (format: data/points.example.yaml): read here at start and
 * validated with zod (src/domain/points-rules.ts), so the rules themselves stay pure. No file: the defaults of
 * schedules/points.ts. An invalid file stops the start with an error naming the file and the key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_RULES, parsePointsFile, type PointsRules } from '../domain/points-rules';

export const POINTS_FILE = 'points.yaml';

export function loadPointsRules(dataDir: string): PointsRules {
  const file = join(dataDir, POINTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_RULES;
    throw error;
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new Error(`invalid points rules ${file}: not valid YAML (${(error as Error).message})`, { cause: error });
  }
  return parsePointsFile(raw, file);
}
