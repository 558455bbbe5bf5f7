import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { callbackAnswer, renderCardData, renderNoticeData } from '../../src/platforms/dingtalk/card';
import { sampleCard } from '../platforms/adapter-conformance';

/*
 * docs/dingtalk/luoshi-duty-card.json is the card template to import into the DingTalk card platform (卡片平台 →
 * 更多 → 导入). Its shape is that of the exports in open-dingtalk/dingtalk-card-examples (e.g.
 * examples/审批模板/审批模板.json, examples/交互组件的使用与本地更新/交互组件的使用与本地更新.json): a JSON object
 * {editorData, widgetInfo, type, mode}, where editorData is the editor's schema as a JSON string and widgetInfo the
 * rendered layout (XML). The variables it declares must be exactly those the bot fills (src/platforms/dingtalk/card.ts).
 */
const EXPORT = join(__dirname, '../../docs/dingtalk/luoshi-duty-card.json');

const variable = z.object({ id: z.string(), name: z.string(), type: z.string(), private: z.boolean(), description: z.string(), editorVarType: z.string() });
interface Node {
  componentName: string;
  id: string;
  props: Record<string, unknown>;
  children?: Node[];
}
const node: z.ZodType<Node> = z.lazy(() => z.object({ componentName: z.string(), id: z.string(), props: z.record(z.string(), z.unknown()), children: z.array(node).optional() }));
/** The keys every export of the examples repository has (editorData of 审批模板, 交互组件…, helloworld …). */
const editorData = z.object({
  schemaVersion: z.string(),
  schema: z.object({
    version: z.string(),
    componentsMap: z.array(z.object({ package: z.string(), version: z.string(), exportName: z.string(), main: z.string(), componentName: z.string() })),
    componentsTree: z.array(node).length(1),
    i18n: z.record(z.string(), z.unknown()),
  }),
  mockData: z.object({
    cardData: z.record(z.string(), z.unknown()),
    cardPrivateData: z.record(z.string(), z.unknown()),
    localData: z.record(z.string(), z.unknown()),
    richTextData: z.record(z.string(), z.unknown()),
  }),
  editVersion: z.number(),
  customWidgetInfo: z.string(),
  useCustomWidgetInfo: z.boolean(),
  variableList: z.array(variable),
  formList: z.array(z.unknown()),
  expList: z.array(z.unknown()),
  localList: z.array(variable),
  hsfList: z.array(z.unknown()),
  lwpList: z.array(z.unknown()),
  extension: z.object({ extendType: z.string(), fileTypeList: z.array(z.object({ fileName: z.string(), fileSource: z.string(), fileType: z.string() })) }),
});
const exported = z.object({ editorData: z.string(), widgetInfo: z.string(), type: z.literal('im'), mode: z.literal('card') }).strict();

const file = exported.parse(JSON.parse(readFileSync(EXPORT, 'utf8')));
const editor = editorData.parse(JSON.parse(file.editorData));
const root = editor.schema.componentsTree[0] as Node;
const all = (n: Node): Node[] => [n, ...(n.children ?? []).flatMap(all)];
const nodes = all(root);
const declared = (privateData: boolean): string[] => editor.variableList.filter((v) => v.private === privateData).map((v) => v.name).sort();
const local = editor.localList.map((v) => v.name).sort();

/** Every variable the layout reads: `${x}` in texts, `variable` fields (bindings, conditions, callback params). */
function referenced(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) if (m[1]) out.add(m[1]);
  if (Array.isArray(value)) for (const v of value) referenced(v, out);
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'variable' && typeof v === 'string' && v !== '') out.add(v);
      else referenced(v, out);
    }
  }
  return out;
}

describe('the shipped DingTalk card template (docs/dingtalk/luoshi-duty-card.json)', () => {
  it('should have the structure of the card platform exports', () => {
    expect(root.componentName).toBe('Card');
    const mapped = new Set(editor.schema.componentsMap.map((c) => c.componentName));
    for (const n of nodes) expect(mapped).toContain(n.componentName);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    // widgetInfo is the rendered layout of the same tree: one element per component, keyed by its id.
    expect(file.widgetInfo.startsWith('<LinearLayout')).toBe(true);
    for (const n of nodes) expect(file.widgetInfo).toContain(`userId="${n.id}"`);
    for (const f of editor.extension.fileTypeList) expect(() => JSON.parse(f.fileSource) as unknown).not.toThrow();
  });

  it('should declare exactly the public and private variables the bot fills', () => {
    const card = Object.keys(renderCardData(sampleCard('参加 0 · 请假 0 · 未回复 3')));
    const notice = Object.keys(renderNoticeData('提醒', '@张三 请尽快回复'));
    const answer = callbackAnswer({ card: sampleCard('参加 0 · 请假 0 · 未回复 3'), toast: { kind: 'success', text: '已确认参加 #7' } }) as {
      cardData: { cardParamMap: Record<string, string> };
      userPrivateData: { cardParamMap: Record<string, string> };
    };
    const publicFilled = [...new Set([...card, ...notice, ...Object.keys(answer.cardData.cardParamMap)])].sort();
    expect(declared(false)).toEqual(publicFilled);
    expect(declared(true)).toEqual(Object.keys(answer.userPrivateData.cardParamMap).sort());
    // The editor's preview data covers every public variable.
    expect(Object.keys(editor.mockData.cardData).sort()).toEqual(publicFilled);
  });

  it('should read only declared variables, and use every variable it declares for layout or callbacks', () => {
    const known = new Set([...declared(false), ...declared(true), ...local]);
    const used = referenced(root.props);
    for (const n of nodes) referenced(n.props, used);
    for (const name of used) expect(known).toContain(name);
    const rendered = [file.widgetInfo, ...editor.extension.fileTypeList.map((f) => f.fileSource)].join('\n');
    for (const m of rendered.matchAll(/data\.(?:cardData|cardPrivateData|localData)\.([A-Za-z0-9_]+)/g)) {
      const name = m[1] ?? '';
      // `<id>_request_status` keys are the platform's own (a request in flight), not template variables.
      if (!name.endsWith('_request_status')) expect(known).toContain(name);
    }
    // Kept for the layout to come (a themed header, button colours): filled by the bot, not read by this layout.
    const reserved = new Set(['lastMessage', 'color', 'btn1Style', 'btn2Style', 'btn1Reason', 'btn1Prompt', 'myStatusKind']);
    for (const name of known) if (!reserved.has(name)) expect(used).toContain(name);
  });

  it('should send back each button value untouched, with the reason input, as the bot decodes them', () => {
    const buttons = nodes.filter((n) => n.componentName === 'SingleButton');
    expect(buttons).toHaveLength(2);
    for (const [i, b] of buttons.entries()) {
      expect(b.props.actionType).toBe('request');
      const params = z.array(z.object({ name: z.string(), type: z.string(), variable: z.string() }).passthrough()).parse(b.props.params);
      expect(params.map(({ name, type, variable: v }) => ({ name, type, variable: v }))).toEqual([
        { name: 'value', type: 'variable', variable: `btn${i + 1}Value` },
        { name: 'reason', type: 'variable', variable: 'reason' },
      ]);
      expect(file.widgetInfo).toContain(`&#039;value&#039;, @data{data.cardData.btn${i + 1}Value}, &#039;reason&#039;, @data{data.localData.reason}`);
    }
    const input = nodes.find((n) => n.componentName === 'Input');
    expect(input?.props.localVarAction).toMatchObject({ variable: 'reason' });
  });
});
