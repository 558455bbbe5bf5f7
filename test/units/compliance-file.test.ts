/** data/compliance.yaml (issue 15): an operator's requirements replace the built-in ones, without code. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRequirementsFile } from '../../src/domain/compliance-file';
import { DEMO_CHAT } from '../../src/platforms/sandbox/seed';
import { startBot, TestClock } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';

const FILE = `requirements:
  - category: 支委会
    period: month
    min: 2
    levels: [党支部]
    source: 本市实施细则第五条
`;

describe('data/compliance.yaml', () => {
  it.each([
    ['an unknown category', FILE.replace('支委会', '支委大会'), '第 2 行', '类别须是'],
    ['a bad period', FILE.replace('month', 'week'), '第 3 行', 'period'],
    ['a bad level', FILE.replace('[党支部]', '[党组]'), '第 5 行', 'levels'],
    ['no source', FILE.replace('    source: 本市实施细则第五条\n', ''), '第 2 行', 'source'],
  ])('should refuse %s, naming the line', (_what, text, line, words) => {
    const read = parseRequirementsFile(text);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toContain(line);
    expect(read.error).toContain(words);
  });

  it('should replace the built-in requirements in 督查 and 督查 依据', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-req-'));
    const file = path.join(dir, 'compliance.yaml');
    writeFileSync(file, FILE);
    const clock = new TestClock(Date.parse('2026-11-27T10:00:00+08:00'));
    const started = await startBot({ clock: () => clock.now(), env: { COMPLIANCE_FILE: file } });
    try {
      const org = `units:\n  - name: 市直机关工委\n  - name: 第一党支部\n    parent: 市直机关工委\n    chat: sandbox:${DEMO_CHAT.id}\n`;
      await started.bot.services.units.importOrgFile(org, 'test', clock.now());
      const driver = new SandboxDriver(started);
      expect(await driver.command('u2', '督查 本月')).toContain('⚠️ 支委会（每月2次）：应 2 · 已开 0 · 计划 0 · 缺 2');
      expect(await driver.command('u2', '督查 本月')).not.toContain('主题党日');
      expect(await driver.command('u2', '督查 依据')).toBe('督查的要求：\n• 支委会：每月至少2次（党支部）——本市实施细则第五条');
    } finally {
      await started.stop();
    }
  });
});
