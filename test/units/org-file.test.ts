import { parseOrgFile } from '../../src/domain/org-file';
import { descendantsOf, inferLevel, treeProblem, type Unit } from '../../src/domain/units';

const GOOD = `# 组织架构
units:
  - name: 市直机关工委
  - name: 市财政局机关党委
    parent: 市直机关工委
  - name: 第一党支部
    parent: 市财政局机关党委
    chat: feishu:oc_1
  - name: 第一党小组
    parent: 第一党支部
`;

describe('the units tree (pure rules)', () => {
  it.each([
    ['第一党支部', '党支部'],
    ['办公室支部', '党支部'],
    ['市财政局机关党委', '机关党委'],
    ['市税务局党委', '机关党委'],
    ['机关第二党总支', '党总支'],
    ['市直机关工委', '工委'],
    ['第一党小组', '党小组'],
    ['青年小组', '党小组'],
    ['财务科', undefined],
  ])('should read the level of %s as %s', (name, level) => {
    expect(inferLevel(name)).toBe(level);
  });

  it('should find a cycle, a missing parent, a name twice and a parent not above its child', () => {
    const u = (name: string, level: Unit['level'], parent?: string): Unit => ({ name, level, ...(parent ? { parent } : {}) });
    expect(treeProblem([u('甲党委', '机关党委', '乙党委'), u('乙党委', '机关党委', '甲党委')])?.message).toContain('循环');
    expect(treeProblem([u('第一党支部', '党支部', '不存在党委')])).toEqual({ index: 0, message: '找不到「第一党支部」的上级「不存在党委」：请先登记上级单位，或检查名称。' });
    expect(treeProblem([u('工委', '工委'), u('第一党支部', '党支部', '工委'), u('第一党支部', '党支部', '工委')])?.index).toBe(2);
    expect(treeProblem([u('第一党支部', '党支部'), u('第二党支部', '党支部', '第一党支部')])?.message).toContain('上级的级别须高于下级');
    expect(treeProblem([u('工委', '工委'), u('第一党支部', '党支部', '工委')])).toBeUndefined();
    const tree = [u('工委', '工委'), u('党委', '机关党委', '工委'), u('一支部', '党支部', '党委'), u('一小组', '党小组', '一支部')];
    expect(descendantsOf(tree, '党委').map((x) => x.name)).toEqual(['一支部', '一小组']);
  });
});

describe('data/org.yaml', () => {
  it('should read a good file, levels from the names', () => {
    const read = parseOrgFile(GOOD);
    expect(read).toEqual({
      ok: true,
      units: [
        { name: '市直机关工委', level: '工委' },
        { name: '市财政局机关党委', level: '机关党委', parent: '市直机关工委' },
        { name: '第一党支部', level: '党支部', parent: '市财政局机关党委', chat: 'feishu:oc_1' },
        { name: '第一党小组', level: '党小组', parent: '第一党支部' },
      ],
    });
  });

  it.each([
    ['an unknown level', GOOD.replace('  - name: 第一党小组\n', '  - name: 第一党小组\n    level: 党组\n'), 10, '级别只能是'],
    ['a duplicated name', GOOD.replace('  - name: 第一党小组', '  - name: 第一党支部'), 9, '单位名称重复：「第一党支部」出现了两次'],
    ['a missing parent', GOOD.replace('parent: 市财政局机关党委', 'parent: 市税务局机关党委'), 6, '找不到「第一党支部」的上级「市税务局机关党委」'],
    ['a cycle', GOOD.replace('  - name: 市直机关工委\n', '  - name: 市直机关工委\n    level: 党小组\n    parent: 第一党小组\n'), 3, '单位关系出现循环'],
    ['a name without a level', `${GOOD}  - name: 财务科\n    parent: 第一党支部\n`, 11, '看不出「财务科」是什么级别'],
    ['an unknown field', GOOD.replace('    chat: feishu:oc_1', '    chat: feishu:oc_1\n    leader: 张三'), 6, '不认识的字段 leader'],
    ['a bad chat', GOOD.replace('feishu:oc_1', 'oc_1'), 8, '群 chat有误'],
    ['broken YAML', GOOD.replace('    parent: 市直机关工委', '   parent: [市直机关工委'), 5, 'YAML 格式有误'],
  ])('should refuse %s, naming the line', (_what, text, line, words) => {
    const read = parseOrgFile(text);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.line).toBe(line);
    expect(read.error).toContain(`第 ${line} 行：`);
    expect(read.error).toContain(words);
  });

  it('should refuse a file without units:', () => {
    expect(parseOrgFile('- name: 第一党支部\n')).toMatchObject({ ok: false, error: expect.stringContaining('units:') as unknown });
  });
});
