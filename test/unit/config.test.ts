import { ConfigError, loadConfig } from '../../src/config';

describe('config', () => {
  it('should apply the defaults and run the sandbox when no platform credentials are set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', BOT_TIMEZONE: 'Asia/Shanghai', sandbox: true });
    expect(c.ADMIN_TOKEN).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('should turn the sandbox off by default once Feishu credentials are set, and trim the base URL', () => {
    const c = loadConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v', FEISHU_BASE_URL: 'http://127.0.0.1:9999/' });
    expect(c.sandbox).toBe(false);
    expect(c.FEISHU_BASE_URL).toBe('http://127.0.0.1:9999');
  });

  it('should report one line per bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', BOT_TIMEZONE: 'Mars/Base', REDIS_URL: 'http://x', ADMIN_TOKEN: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines;
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.includes('PORT'))).toContain('"abc"');
    expect(lines.find((l) => l.includes('BOT_TIMEZONE'))).toContain('IANA');
    expect(lines.find((l) => l.includes('REDIS_URL'))).toContain('redis://');
    expect(lines.find((l) => l.includes('ADMIN_TOKEN'))).toContain('***');
  });

  it('should refuse a Feishu webhook with neither an encrypt key nor a verification token', () => {
    expect(() => loadConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's' })).toThrow(/webhook mode needs at least one/);
    expect(loadConfig({ FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'ws' }).FEISHU_MODE).toBe('ws');
  });

  it('should read the security keys of issue #11 and refuse bad values', () => {
    const c = loadConfig({ COMMITTEE_CHATS: ' feishu:oc_a , dingtalk:cidB== ', SANDBOX_ALLOWED_HOSTS: 'Console.Example.cn, 192.168.1.5:3000' });
    expect(c.COMMITTEE_CHATS).toEqual(['feishu:oc_a', 'dingtalk:cidB==']);
    expect(c.SANDBOX_ALLOWED_HOSTS).toEqual(['console.example.cn', '192.168.1.5:3000']);
    expect(c).toMatchObject({ METRICS_QUEUE_REFRESH_SECONDS: 15, SANDBOX_MAX_STREAMS: 50 });
    expect(c.METRICS_TOKEN).toBeUndefined();
    expect(() => loadConfig({ COMMITTEE_CHATS: 'oc_a' })).toThrow(/COMMITTEE_CHATS: must be <platform>:<chatId>/);
    expect(() => loadConfig({ COMMITTEE_CHATS: 'wechat:x' })).toThrow(/COMMITTEE_CHATS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters \(got "\*\*\*"\)/);
    expect(() => loadConfig({ SANDBOX_MAX_STREAMS: '0' })).toThrow(/SANDBOX_MAX_STREAMS/);
  });

  it('should refuse half a pair of platform credentials', () => {
    expect(() => loadConfig({ FEISHU_APP_ID: 'cli_x' })).toThrow(/FEISHU_APP_ID \/ FEISHU_APP_SECRET/);
  });

  it('should start with .env.example copied as it is', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('dotenv');
    const env = parse(readFileSync(`${__dirname}/../../.env.example`, 'utf8'));
    expect(loadConfig(env)).toMatchObject({ sandbox: true, PORT: 3000 });
  });

  it('should list every schema key in .env.example', async () => {
    const { readFileSync } = await import('node:fs');
    const { configSchema } = await import('../../src/config');
    const example = readFileSync(`${__dirname}/../../.env.example`, 'utf8');
    for (const key of Object.keys(configSchema.shape)) expect(example).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
  });
});
