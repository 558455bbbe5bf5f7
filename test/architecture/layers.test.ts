import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layer rules of docs/architecture.md are lint rules (eslint.layers.mjs). Each probe below is an import a future
 * change might add; linting it as if it were a file of that layer must fail, and the same import from a layer that
 * may use it must pass.
 */
const ROOT = path.resolve(__dirname, '../..');

const probes: readonly { readonly file: string; readonly code: string; readonly refused: boolean }[] = [
  { file: 'src/domain/probe.ts', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", refused: true },
  { file: 'src/time/probe.ts', code: "import type { Redis } from 'ioredis';\nexport type R = Redis;\n", refused: true },
  { file: 'src/domain/probe.ts', code: "import type { DutyRepo } from '../store/duty-repo';\nexport type R = DutyRepo;\n", refused: true },
  { file: 'src/platforms/feishu/probe.ts', code: "import { ChatRepo } from '../../store/chat-repo';\nexport const c = ChatRepo;\n", refused: true },
  { file: 'src/platforms/dingtalk/probe.ts', code: "import type { ChatRepo } from '../../store/chat-repo';\nexport type C = ChatRepo;\n", refused: true },
  { file: 'src/platforms/sandbox/probe.ts', code: "import type { Dispatcher } from '../../app/dispatcher';\nexport type D = Dispatcher;\n", refused: true },
  { file: 'src/platforms/feishu/probe.ts', code: "import { buildHandlers } from '../../../handlers';\nexport const b = buildHandlers;\n", refused: true },
  { file: 'handlers/commands/probe.ts', code: "import type { DutyRepo } from '../../src/store/duty-repo';\nexport type R = DutyRepo;\n", refused: true },
  { file: 'handlers/commands/probe.ts', code: "import { Outbox } from '../../src/queue/outbox';\nexport const o = Outbox;\n", refused: true },
  { file: 'handlers/commands/probe.ts', code: "import type { PlatformPort } from '../../src/platforms/port';\nexport type P = PlatformPort;\n", refused: true },
  { file: 'src/app/probe.ts', code: "import { FeishuPlatform } from '../platforms/feishu';\nexport const f = FeishuPlatform;\n", refused: true },
  { file: 'src/store/probe.ts', code: "import { SANDBOX_FIRST_PAGE } from '../platforms/sandbox/history';\nexport const n = SANDBOX_FIRST_PAGE;\n", refused: true },
  // What each layer may import.
  { file: 'src/store/probe.ts', code: "import type { ConsoleHistory } from '../platforms/sandbox/history';\nexport type H = ConsoleHistory;\n", refused: false },
  { file: 'src/app/probe.ts', code: "import type { DutyRepo } from '../store/duty-repo';\nexport type R = DutyRepo;\n", refused: false },
  { file: 'handlers/commands/probe.ts', code: "import type { CommandHandler } from '../../src/app/handler';\nexport type H = CommandHandler;\n", refused: false },
  { file: 'src/domain/probe.ts', code: "import { z } from 'zod';\nexport const s = z.string();\n", refused: false },
];

/**
 * Lint each probe as if it were a file of its layer, with the project's own config. ESLint loads its flat config by a
 * dynamic import, which jest's module sandbox does not allow, so the ESLint API runs in a child Node process.
 */
function lintProbes(): boolean[] {
  const script = `
    import { ESLint } from 'eslint';
    import path from 'node:path';
    const probes = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const refused = [];
    for (const p of probes) {
      const [result] = await eslint.lintText(p.code, { filePath: path.join(process.cwd(), p.file) });
      refused.push(result.messages.some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports'));
    }
    process.stdout.write(JSON.stringify(refused));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(probes)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as boolean[];
}

describe('the layer rules (eslint.layers.mjs)', () => {
  let refused: boolean[] = [];
  beforeAll(() => {
    refused = lintProbes();
  }, 120_000);

  it.each(probes.map((p, i) => [p.refused ? 'refuses' : 'allows', p.file, p.code.split('\n')[0], i] as const))('%s in %s: %s', (_verdict, _file, _line, i) => {
    expect(refused[i]).toBe(probes[i]?.refused);
  });

  it('holds for the code as it is: npm run lint finds no layer error', () => {
    const out = execFileSync('npx', ['eslint', '--format', 'json', 'src', 'handlers'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const results = JSON.parse(out) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => `${path.relative(ROOT, r.filePath)}: ${m.message}`));
    expect(broken).toEqual([]);
  }, 120_000);
});
