import { z } from 'zod';
import { parseWarnDays } from './domain/compliance-warning';
import { parseQuietHours } from './domain/quiet-hours';
import { commaList, isTimeZone, optionalSecret } from './config/fields';
import { redisTargetEnv, redisTargetProblems } from './config/redis-target';

export { parseHostPort } from './config/redis-target';

/**
 * One schema over the environment, checked once at start.
 * Secrets have no defaults; every key is listed in `.env.example`.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ...redisTargetEnv,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, { message: 'letters, digits, _ - { } only' })
    .default('luoshi'),
  BOT_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, { message: 'is not an IANA time zone (e.g. Asia/Shanghai)' }),
  BOT_NAME: z.string().min(1).default('落实'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: one readable line per entry; `json`: pino's JSON lines; `auto`: pretty in a terminal outside production. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  ADMIN_TOKEN: optionalSecret.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  BOT_SUPERADMINS: commaList(),
  /**
   * Committee chats (工委群) whose secretaries may start campaigns (发起 … 范围 …) across chats, as
   * `<platform>:<chatId>` separated by commas; more can be marked with 设为工委群 or the admin API.
   */
  COMMITTEE_CHATS: commaList()
    .refine((keys) => keys.every((k) => /^(sandbox|feishu|dingtalk):\S+$/.test(k)), {
      message: 'must be <platform>:<chatId> separated by commas, e.g. feishu:oc_xxx (platform sandbox, feishu or dingtalk)',
    }),
  SANDBOX_ENABLED: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('auto: the sandbox console runs when no Feishu or DingTalk credentials are set'),
  REMINDER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  HOLIDAY_OVERRIDE_DIR: optionalSecret,
  DEFAULT_QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .refine((v) => parseQuietHours(v) !== undefined, { message: 'must look like 21:00-08:00, or 关 / off' }),
  /** Base of the links the bot hands out (statistics reports); default `http://localhost:${PORT}`. */
  PUBLIC_BASE_URL: z
    .url()
    .transform((v) => v.replace(/\/+$/, ''))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Key of the report links' HMAC; unset: a random key is made once and kept in Redis for every process. */
  REPORT_SIGNING_KEY: optionalSecret.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  REPORT_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Secret of the 述职评议 seals (src/app/rating-seal.ts); unset: a random one is made once and kept in Redis. */
  RATING_SEAL_KEY: optionalSecret.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  /** Bearer token /metrics asks for (Prometheus `authorization`); unset: /metrics is open. */
  METRICS_TOKEN: optionalSecret.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  /** /metrics counts the queues' jobs at most once in this many seconds, however often it is scraped. */
  METRICS_QUEUE_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /**
   * Host names the sandbox console answers besides localhost, 127.0.0.1, [::1], HOST and PUBLIC_BASE_URL's host
   * (comma-separated; `name` with the port the bot listens on, or `name:port`). Other Host headers are refused.
   */
  SANDBOX_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s.length > 0),
    ),
  /** Event streams (open console pages) the sandbox serves at once; one more is answered 503. */
  SANDBOX_MAX_STREAMS: z.coerce.number().int().min(1).max(10000).default(50),
  /** Messages the console keeps per chat; 0 (the default) keeps every one (src/store/sandbox-repo.ts). */
  SANDBOX_HISTORY_LIMIT: z.coerce.number().int().min(0).default(0),
  /**
   * The demo chats the console creates when absent (src/platforms/sandbox/seed.ts): `full`, the committee chat
   * 市直机关工委 (a 工委群) and the branches 第一党支部 and 第二党支部; `branch`, 第一党支部 alone.
   */
  SANDBOX_DEMO: z.enum(['full', 'branch']).default('full'),

  /** Where attached files are kept (src/store/files): `<DATA_DIR>/files/<sha256 first 2>/<sha256>`, unless FILES_S3_BUCKET is set. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * The organisation file (issue 15, README「组织架构文件」): imported at start when present and changed since the
   * last import; default `<DATA_DIR>/org.yaml`. An invalid file is logged with its line and nothing is changed.
   */
  ORG_FILE: z.string().optional(),
  /** 督查's requirements in place of schedules/compliance.ts (README「Compliance」); default `<DATA_DIR>/compliance.yaml` when present. */
  COMPLIANCE_FILE: z.string().optional(),
  /** Early warnings of 督查: working days before the end of a month, quarter or year, comma-separated. */
  COMPLIANCE_WARN_DAYS: z
    .string()
    .default('5,2')
    .refine((v) => parseWarnDays(v) !== undefined, { message: 'must be working days between 1 and 60 separated by commas, e.g. 5,2' }),
  /** The largest file that may be attached to a duty (材料, 附件), in MB. */
  FILE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(20),
  /**
   * Waits (ms, comma-separated) before each new try of a file download from a platform (Feishu's message resources,
   * DingTalk's download links); the sender is told after the last. Default 1000,4000,16000.
   */
  FILE_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d{1,6}(,\d{1,6}){0,9}$/, 'FILE_RETRY_DELAYS_MS: up to 10 waits in ms, e.g. 1000,4000,16000')
    .default('1000,4000,16000')
    .transform((v) => v.split(',').map(Number)),

  /**
   * Attached files on S3-compatible storage (src/store/files/s3-blob-store.ts) in place of `<DATA_DIR>/files` when the
   * bucket is set; credentials from the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, …).
   */
  FILES_S3_BUCKET: optionalSecret,
  /** The store's URL (MinIO, Ceph, OSS, COS…); unset for AWS S3 itself. */
  FILES_S3_ENDPOINT: z
    .url()
    .refine((v) => /^https?:\/\//.test(v), { message: 'must start with http:// or https://' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  FILES_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  /** `true`: requests as `<endpoint>/<bucket>/<key>` (MinIO and most self-hosted stores), not `<bucket>.<endpoint>/<key>`. */
  FILES_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),

  FEISHU_APP_ID: optionalSecret,
  FEISHU_APP_SECRET: optionalSecret,
  FEISHU_ENCRYPT_KEY: optionalSecret,
  FEISHU_VERIFICATION_TOKEN: optionalSecret,
  FEISHU_BASE_URL: z
    .url()
    .default('https://open.feishu.cn')
    .transform((v) => v.replace(/\/+$/, '')),
  FEISHU_MODE: z.enum(['webhook', 'ws']).default('webhook'),

  DINGTALK_CLIENT_ID: optionalSecret,
  DINGTALK_CLIENT_SECRET: optionalSecret,
  DINGTALK_ROBOT_CODE: optionalSecret,
  DINGTALK_CARD_TEMPLATE_ID: optionalSecret,
  DINGTALK_MODE: z.enum(['stream', 'http']).default('stream'),
  DINGTALK_API_BASE: z
    .url()
    .default('https://api.dingtalk.com')
    .transform((v) => v.replace(/\/+$/, '')),
  DINGTALK_OAPI_BASE: z
    .url()
    .default('https://oapi.dingtalk.com')
    .transform((v) => v.replace(/\/+$/, '')),
  /** API calls a month the org's edition allows (standard edition: 5 000); secretaries are warned once at 80%. */
  DINGTALK_MONTHLY_API_QUOTA: z.coerce.number().int().min(1).default(5000),
  /** Without a card template, the tally message follows changes at most once per duty in this many seconds. */
  DINGTALK_TALLY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

export type Config = Readonly<z.infer<typeof configSchema>> & {
  readonly sandbox: boolean;
};

export class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(`配置有误 (invalid configuration):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment. Throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const shown = value === undefined ? '' : ` (got "${redact(key, value)}")`;
      return `  ${key}: ${issue.message}${shown}`;
    });
    throw new ConfigError(lines);
  }
  const c = result.data;
  const lines = redisTargetProblems(c);
  if (Boolean(c.FEISHU_APP_ID) !== Boolean(c.FEISHU_APP_SECRET)) {
    lines.push('  FEISHU_APP_ID / FEISHU_APP_SECRET: set both or neither');
  }
  if (Boolean(c.DINGTALK_CLIENT_ID) !== Boolean(c.DINGTALK_CLIENT_SECRET)) {
    lines.push('  DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET: set both or neither');
  }
  if (c.FEISHU_APP_ID && c.FEISHU_MODE === 'webhook' && !c.FEISHU_ENCRYPT_KEY && !c.FEISHU_VERIFICATION_TOKEN) {
    lines.push('  FEISHU_ENCRYPT_KEY / FEISHU_VERIFICATION_TOKEN: webhook mode needs at least one, so that forged events are refused');
  }
  if (c.FILES_S3_ENDPOINT && !c.FILES_S3_BUCKET) {
    lines.push('  FILES_S3_BUCKET: needed with FILES_S3_ENDPOINT (without it, files would stay under DATA_DIR)');
  }
  if (lines.length > 0) throw new ConfigError(lines);
  const hasPlatform = Boolean(c.FEISHU_APP_ID) || Boolean(c.DINGTALK_CLIENT_ID);
  const sandbox = c.SANDBOX_ENABLED === 'true' || (c.SANDBOX_ENABLED === 'auto' && !hasPlatform);
  return Object.freeze({ ...c, sandbox });
}

function redact(key: string, value: string): string {
  return /SECRET|TOKEN|KEY|PASSWORD/.test(key) ? '***' : value.slice(0, 60);
}
