import { readFileSync } from 'node:fs';

/** The text of an operator's data file (data/org.yaml, data/compliance.yaml), or undefined when there is none. */
export function readOrgFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
