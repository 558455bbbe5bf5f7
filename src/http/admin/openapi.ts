import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE } from './problem';
import * as req from './request-schemas';
import * as out from './response-schemas';
import { unitsImportSchema, unitsPutSchema, unitsResponseSchema } from './units';

/**
 * The OpenAPI 3.1 document of the admin API (https://spec.openapis.org/oas/v3.1.0). Component schemas are
 * generated from the zod schemas the router checks and answers with (JSON Schema 2020-12, the dialect of 3.1);
 * paths are written out here, and a test compares them with the routes the router serves.
 */
type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: string): Json => ({ 'application/json': { schema: ref(schema) } });
const problem = (description: string, extra: Json = {}): Json => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
  ...extra,
});

function componentSchemas(): Json {
  const registry = z.registry<{ id: string }>();
  const named: [z.ZodType, string][] = [
    [req.memberInputSchema, 'MemberInput'],
    [req.createDutyBodySchema, 'CreateDutyRequest'],
    [req.cancelBodySchema, 'CancelDutyRequest'],
    [out.memberOutSchema, 'Member'],
    [out.dutyOutSchema, 'Duty'],
    [out.tallyOutSchema, 'Tally'],
    [out.dutyWithTallySchema, 'DutyWithTally'],
    [out.tallyResponseSchema, 'TallyResponse'],
    [out.dutyListSchema, 'DutyList'],
    [out.historyEntryOutSchema, 'HistoryEntry'],
    [out.historyResponseSchema, 'HistoryResponse'],
    [out.exportRowSchema, 'ExportRow'],
    [out.exportResponseSchema, 'ExportResponse'],
    [out.committeeChatSchema, 'CommitteeChat'],
    [out.committeeListSchema, 'CommitteeChatList'],
    [unitsPutSchema, 'UnitsRequest'],
    [unitsImportSchema, 'UnitsImportRequest'],
    [unitsResponseSchema, 'UnitsResponse'],
    [out.problemSchema, 'Problem'],
  ];
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  // `$id` with a fragment is not allowed in 2020-12, and `$schema` is implied by the document's dialect.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, $schema: _schema, ...rest }]) => [id, rest]));
}

/** Query parameters from a strict zod object, one per key, all optional. */
function queryParams(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _schema, description, ...rest } = z.toJSONSchema(field as z.ZodType, { io: 'input' });
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
}

const chatParam = { name: 'chat', in: 'path', required: true, description: req.chatParamSchema.description, schema: { type: 'string', maxLength: 256 } };
const idParam = { name: 'id', in: 'path', required: true, description: '事项 id', schema: { type: 'string' } };

const R = {
  bad: { $ref: '#/components/responses/InvalidRequest' },
  auth: { $ref: '#/components/responses/Unauthorized' },
  missing: { $ref: '#/components/responses/NotFound' },
  conflict: { $ref: '#/components/responses/Conflict' },
  tooLarge: { $ref: '#/components/responses/PayloadTooLarge' },
  mediaType: { $ref: '#/components/responses/UnsupportedMediaType' },
  refused: { $ref: '#/components/responses/Unprocessable' },
  fault: { $ref: '#/components/responses/ServerError' },
};
const readErrors = { '400': R.bad, '401': R.auth, '404': R.missing, '500': R.fault };
const writeErrors = { ...readErrors, '413': R.tooLarge, '415': R.mediaType };

function paths(): Json {
  return {
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: '本文档（公开，不需要令牌）',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1 文档', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/api/chats/{chat}/duties': {
      parameters: [chatParam],
      get: {
        operationId: 'listDuties',
        summary: '列出群在某时间段内的事项（默认不限时间、不限状态）',
        parameters: queryParams(req.listQuerySchema),
        responses: { '200': { description: '事项列表', content: jsonBody('DutyList') }, ...readErrors },
      },
      post: {
        operationId: 'createDuty',
        summary: '发起事项：在群里发出事项卡片并安排提醒',
        requestBody: { required: true, content: jsonBody('CreateDutyRequest') },
        responses: {
          '201': {
            description: '已发起的事项',
            headers: { Location: { description: '新事项的地址', schema: { type: 'string' } } },
            content: jsonBody('Duty'),
          },
          ...writeErrors,
          '422': R.refused,
          '503': { $ref: '#/components/responses/Unavailable' },
        },
      },
    },
    '/api/chats/{chat}/export': {
      parameters: [chatParam],
      get: {
        operationId: 'exportAnswers',
        summary: '导出某时间段内每个事项每位成员的回复（JSON 或带 BOM 的 UTF-8 CSV）',
        parameters: queryParams(req.exportQuerySchema),
        responses: {
          '200': {
            description: '导出结果；CSV 的列依次为 支部, 事项, 类型, 时间, 成员, 状态, 原因, 确认时间, 是否逾期',
            content: { ...jsonBody('ExportResponse'), 'text/csv': { schema: { type: 'string' } } },
          },
          ...readErrors,
        },
      },
    },
    '/api/committee-chats': {
      get: {
        operationId: 'listCommitteeChats',
        summary: '列出全部工委群（配置 COMMITTEE_CHATS 与「设为工委群」）',
        responses: { '200': { description: '工委群列表', content: jsonBody('CommitteeChatList') }, '401': R.auth, '500': R.fault },
      },
    },
    '/api/chats/{chat}/committee': {
      parameters: [chatParam],
      put: {
        operationId: 'markCommitteeChat',
        summary: '设为工委群：该群的党务管理员可以跨群发起（发起 … 范围 …）',
        responses: { '200': { description: '该群现在的状态', content: jsonBody('CommitteeChat') }, ...readErrors, '422': R.refused },
      },
      delete: {
        operationId: 'unmarkCommitteeChat',
        summary: '取消工委群（配置 COMMITTEE_CHATS 中的群只能改配置取消）',
        responses: { '200': { description: '该群现在的状态', content: jsonBody('CommitteeChat') }, ...readErrors, '409': R.conflict },
      },
    },
    '/api/units': {
      get: {
        operationId: 'listUnits',
        summary: '组织架构：全部单位（名称、级别、上级、绑定的群）和最近的修改记录',
        responses: { '200': { description: '单位列表', content: jsonBody('UnitsResponse') }, '401': R.auth, '500': R.fault },
      },
      put: {
        operationId: 'replaceUnits',
        summary: '整体替换组织架构：全部通过检查才保存（名称重复、上级不存在、上级级别不高于下级、循环 → 422，什么都不改）',
        requestBody: { required: true, content: jsonBody('UnitsRequest') },
        responses: { '200': { description: '替换后的单位', content: jsonBody('UnitsResponse') }, ...writeErrors, '409': R.conflict, '422': R.refused },
      },
    },
    '/api/units/import': {
      post: {
        operationId: 'importOrgFile',
        summary: '导入组织架构文件（data/org.yaml 的内容）：有误时 422 指出行号，什么都不改',
        requestBody: { required: true, content: jsonBody('UnitsImportRequest') },
        responses: { '200': { description: '导入后的单位', content: jsonBody('UnitsResponse') }, ...writeErrors, '409': R.conflict, '422': R.refused },
      },
    },
    '/api/duties/{id}': {
      parameters: [idParam],
      get: {
        operationId: 'getDuty',
        summary: '读取事项及其统计',
        responses: { '200': { description: '事项与统计', content: jsonBody('DutyWithTally') }, ...readErrors },
      },
    },
    '/api/duties/{id}/cancel': {
      parameters: [idParam],
      post: {
        operationId: 'cancelDuty',
        summary: '取消事项：撤销未发出的提醒并更新卡片',
        requestBody: { required: true, content: jsonBody('CancelDutyRequest') },
        responses: { '200': { description: '已取消的事项', content: jsonBody('Duty') }, ...writeErrors, '409': R.conflict },
      },
    },
    '/api/duties/{id}/tally': {
      parameters: [idParam],
      get: {
        operationId: 'getTally',
        summary: '事项统计：参加、请假、已提交、未回复',
        responses: { '200': { description: '统计', content: jsonBody('TallyResponse') }, ...readErrors },
      },
    },
    '/api/duties/{id}/history': {
      parameters: [idParam],
      get: {
        operationId: 'getHistory',
        summary: '事项的全部变更记录',
        responses: { '200': { description: '历史', content: jsonBody('HistoryResponse') }, ...readErrors },
      },
    },
  };
}

export function buildOpenApi(version: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: '落实 管理接口',
      version,
      description:
        '以 `Authorization: Bearer <ADMIN_TOKEN>` 调用；缺少或错误的令牌一律 401（带 WWW-Authenticate）。' +
        '未设置 ADMIN_TOKEN 时，/api 下每个地址都返回 404「管理接口未启用」。错误均为 application/problem+json（RFC 9457）。' +
        '请求体上限 64 KB，对象不接受未知字段；被拒绝的请求不写入任何数据。',
    },
    servers: [{ url: '/' }],
    security: [{ adminToken: [] }],
    paths: paths(),
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN 环境变量的值' } },
      schemas: componentSchemas(),
      responses: {
        InvalidRequest: problem('参数不合法（路径、查询或请求体未通过校验），或请求体不是合法的 JSON'),
        Unauthorized: problem('缺少或错误的令牌', { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } }),
        NotFound: problem('没有这个事项、这个群或这个接口'),
        Conflict: problem('与事项当前状态冲突，例如已取消或已结束'),
        PayloadTooLarge: problem('请求体超过 64 KB'),
        UnsupportedMediaType: problem('请求体不是 application/json'),
        Unprocessable: problem('领域规则拒绝，例如时间已过去、标题为空'),
        ServerError: problem('服务出错'),
        Unavailable: problem('存储或平台暂时不可用'),
      },
    },
  };
}
