/**
 * Prints evaluateAll() as one JSON line. phrase-table.test.ts runs this under other TZs
 * (`node --require tsx/cjs test/time/eval-phrases.ts`) and compares with its own in-process answers.
 */
import { evaluateAll } from './phrase-table';

process.stdout.write(`${JSON.stringify(evaluateAll())}\n`);
