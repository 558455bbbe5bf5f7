/**
 * The units through the admin API and data/org.yaml at start (issue 15): the whole tree read and replaced, an import
 * naming the line of its first problem, all or nothing; chats made units in chat keep their binding across an import.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unitsResponseSchema } from '../../src/http/admin/units';
import { startBot } from '../helpers/harness';
import { SandboxDriver } from '../helpers/sandbox-driver';
import { expectProblem, startAdmin, type AdminWorld } from '../admin/support';

const TREE = [
  { name: '市直机关工委', level: '工委' },
  { name: '市财政局机关党委', level: '机关党委', parent: '市直机关工委' },
  { name: '第一党支部', level: '党支部', parent: '市财政局机关党委', chat: 'sandbox:branch-1' },
];

const YAML = `units:
  - name: 市直机关工委
  - name: 市财政局机关党委
    parent: 市直机关工委
  - name: 第一党支部
    parent: 市财政局机关党委
  - name: 第二党支部
    parent: 市财政局机关党委
`;

describe('admin API: units', () => {
  let w: AdminWorld;
  beforeEach(async () => {
    w = await startAdmin();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('should replace the whole tree, and refuse a tree with a problem storing nothing', async () => {
    expectProblem(await w.call('PUT', '/api/units', { token: null, body: { units: TREE } }), 401);
    const put = await w.call('PUT', '/api/units', { body: { units: TREE } });
    expect(put.status).toBe(200);
    expect(unitsResponseSchema.parse(put.json).units).toEqual(TREE);
    // The chat bound to 第一党支部 sees it with 组织.
    expect(await w.driver.command('u2', '组织')).toBe('组织关系（第一党支部）：\n市直机关工委（工委，未绑定群）\n└ 市财政局机关党委（机关党委，未绑定群）\n　└ 第一党支部（党支部） ← 本群\n（暂无下级单位）');
    const bad = [
      [{ name: '第三党支部', level: '党支部', parent: '市税务局党委' }, '找不到「第三党支部」的上级「市税务局党委」'],
      [{ name: '市财政局机关党委', level: '机关党委' }, '单位名称重复'],
      [{ name: '二支部', level: '党支部', parent: '第一党支部' }, '上级的级别须高于下级'],
    ] as const;
    for (const [unit, words] of bad) {
      expect(expectProblem(await w.call('PUT', '/api/units', { body: { units: [...TREE, unit] } }), 422).detail).toContain(words);
    }
    expectProblem(await w.call('PUT', '/api/units', { body: { units: [{ name: '某单位', level: '党组' }] } }), 400);
    const now = unitsResponseSchema.parse((await w.call('GET', '/api/units')).json);
    expect(now.units).toEqual(TREE);
    expect(now.history.map((h) => [h.by, h.what])).toEqual([['admin-api', '整体替换组织架构（3 个单位）']]);
  });

  it('should import the org file, keeping a chat bound in chat, and name the line of a problem', async () => {
    await w.call('PUT', '/api/units', { body: { units: TREE } });
    const imported = await w.call('POST', '/api/units/import', { body: { yaml: YAML } });
    expect(imported.status).toBe(200);
    const after = unitsResponseSchema.parse(imported.json);
    expect(after.imported).toBe(4);
    expect(after.units.find((u) => u.name === '第一党支部')?.chat).toBe('sandbox:branch-1');
    expect(after.units.find((u) => u.name === '第二党支部')).toEqual({ name: '第二党支部', level: '党支部', parent: '市财政局机关党委' });
    const problem = expectProblem(await w.call('POST', '/api/units/import', { body: { yaml: YAML.replace('parent: 市直机关工委', 'parent: 市直工委') } }), 422);
    expect(problem.detail).toBe('组织架构文件有误，未导入任何内容。第 3 行：找不到「市财政局机关党委」的上级「市直工委」：请先登记上级单位，或检查名称。');
    expect(unitsResponseSchema.parse((await w.call('GET', '/api/units')).json).units).toEqual(after.units);
  });
});

describe('data/org.yaml at start', () => {
  it('should import a good file once, and leave the tree as it was when the file is bad', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'luoshi-org-'));
    const file = path.join(dir, 'org.yaml');
    writeFileSync(file, YAML);
    const started = await startBot({ env: { ORG_FILE: file } });
    try {
      const units = started.bot.services.units;
      expect((await units.all()).map((u) => u.name)).toEqual(['市直机关工委', '市财政局机关党委', '第一党支部', '第二党支部']);
      // The same file again (a restart) changes nothing; a bad one is refused whole.
      await started.bot.importOrgFile();
      expect(await units.history()).toHaveLength(1);
      writeFileSync(file, `${YAML}  - name: 第二党支部\n    parent: 市直机关工委\n`);
      await started.bot.importOrgFile();
      expect((await units.all()).map((u) => u.name)).toEqual(['市直机关工委', '市财政局机关党委', '第一党支部', '第二党支部']);
      expect(await units.history()).toHaveLength(1);
      // The file binds no chat: the console's chat is no unit.
      expect(await new SandboxDriver(started).command('u1', '组织')).toContain('本群还不是单位');
    } finally {
      await started.stop();
    }
  });
});
