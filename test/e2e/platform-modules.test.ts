/**
 * A platform's SDK loads only when that platform is configured (bench:startup T2 in bench/README.md: the Feishu
 * and DingTalk SDKs took about 55 MB of a console-only process). The bot runs here as its own process with
 * `npm start`'s command (test/helpers/bot-process.ts), not inside jest: jest loads modules as CommonJS through
 * @swc/jest, `node --import tsx` through Node's ESM loader, and a dynamic import that works in one may fail in the
 * other. A preload (test/helpers/loaded-packages.mjs) writes the packages the process loaded when it exits.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeDingTalk } from '../fakes/dingtalk';
import { FakeFeishu, messageEvent, pushToBot } from '../fakes/feishu';
import { randomPort, startProcess, stopProcess, type Running } from '../helpers/bot-process';
import { eventually, removePrefix, uniquePrefix, REDIS_URL } from '../helpers/harness';
import { S3RVER_KEYS, startLocalS3 } from '../helpers/local-s3';
import { GROUP, SECRETARY as DING_SECRETARY, USERS, cardsIn } from '../dingtalk/support';
import { CHAT, ENCRYPT_KEY, MEMBERS, SECRETARY, VERIFICATION_TOKEN, isCard } from '../feishu/support';

const PRELOAD = path.join(__dirname, '..', 'helpers', 'loaded-packages.mjs');
const LARK = '@larksuiteoapi/node-sdk';
const STREAM = 'dingtalk-stream';
const S3 = '@aws-sdk/client-s3';
const COMMAND = '会议 支部委员会 明天下午3点';
const NO_PLATFORMS = { FEISHU_APP_ID: '', FEISHU_APP_SECRET: '', DINGTALK_CLIENT_ID: '', DINGTALK_CLIENT_SECRET: '' };

interface Started {
  readonly run: Running;
  readonly base: string;
  /** SIGTERM; resolves with the exit code and the packages the process had loaded. */
  stop(): Promise<{ code: number | null; packages: string[] }>;
}

/** The bot as `npm start` starts it, with `env` and the preload; resolves once /readyz answers 200. */
async function startWith(prefix: string, env: Record<string, string>): Promise<Started> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-modules-'));
  const file = path.join(dir, 'loaded.txt');
  const port = randomPort();
  const base = `http://127.0.0.1:${port}`;
  const run = startProcess({ ...env, PORT: port, REDIS_URL, REDIS_KEY_PREFIX: prefix, NODE_OPTIONS: `--import ${PRELOAD}`, LOADED_PACKAGES_FILE: file });
  const stop = async (): Promise<{ code: number | null; packages: string[] }> => {
    try {
      run.child.kill('SIGTERM');
      const code = await run.exited;
      const packages = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      return { code, packages };
    } finally {
      await stopProcess(run);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await eventually(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 40000, 'readyz');
  } catch (err) {
    await stopProcess(run);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(err)}; output: ${run.output().slice(-1500)}`, { cause: err });
  }
  return { run, base, stop };
}

describe('platform modules, in a bot started as npm start starts it', () => {
  const prefix = uniquePrefix();
  afterAll(async () => {
    for (const p of ['c', 'f', 'd', 's']) await removePrefix(`${prefix}${p}`);
  });

  it('should load neither the Feishu nor the DingTalk SDK when it runs the console only', async () => {
    const bot = await startWith(`${prefix}c`, NO_PLATFORMS);
    const state = (await (await fetch(`${bot.base}/sandbox/api/state`)).json()) as { chat: { name: string } };
    expect(state.chat.name).toBe('第一党支部');
    expect((await fetch(`${bot.base}/feishu/events`, { method: 'POST' })).status).toBe(404);
    const { code, packages } = await bot.stop();
    expect(code).toBe(0);
    expect(packages).toContain('bullmq');
    expect(packages).not.toContain(LARK);
    expect(packages).not.toContain(STREAM);
    expect(packages).not.toContain(S3);
  }, 70000);

  it('should load the AWS SDK, and keep an uploaded file in the bucket, when FILES_S3_BUCKET is set', async () => {
    const s3 = await startLocalS3();
    let bot: Started | undefined;
    try {
      bot = await startWith(`${prefix}s`, { ...NO_PLATFORMS, ...s3.env, ...S3RVER_KEYS });
      const base = bot.base;
      const say = async (senderId: string, text: string): Promise<void> => {
        const res = await fetch(`${base}/sandbox/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId: 'branch-1', senderId, text }) });
        expect(res.status).toBe(202);
      };
      await say('u1', `@落实 ${COMMAND}`);
      await say('u2', '@落实 附件＃１');
      const query = new URLSearchParams({ chat: 'branch-1', sender: 'u2', name: '签到表.pdf' });
      const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20_000, 0x41)]);
      const upload = await eventually(async () => {
        const res = await fetch(`${base}/sandbox/api/files?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
        return res.status === 201 ? res : undefined;
      }, 10000, 'the upload accepted');
      expect(upload.status).toBe(201);
      const sha = createHash('sha256').update(body).digest('hex');
      expect(await s3.keys()).toEqual([`files/${sha.slice(0, 2)}/${sha}`]);
      const { code, packages } = await bot.stop();
      expect(code).toBe(0);
      expect(packages).toContain(S3);
    } finally {
      if (bot) await stopProcess(bot.run);
      await s3.stop();
    }
  }, 80000);

  it('should load the Feishu SDK and answer a Feishu message with a card when Feishu is configured', async () => {
    const fake = new FakeFeishu();
    const api = await fake.start();
    fake.addChat({ chatId: CHAT, name: '第一党支部', ownerId: SECRETARY, managers: [], members: MEMBERS.map((m) => ({ ...m })) });
    let bot: Started | undefined;
    try {
      bot = await startWith(`${prefix}f`, {
        ...NO_PLATFORMS,
        FEISHU_APP_ID: fake.appId,
        FEISHU_APP_SECRET: fake.appSecret,
        FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
        FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        FEISHU_BASE_URL: api,
        DEFAULT_QUIET_HOURS: 'off',
      });
      const messageId = `om_modules${Date.now()}`;
      fake.recordUserMessage(messageId, CHAT);
      const event = messageEvent({ chatId: CHAT, senderOpenId: SECRETARY, text: COMMAND, mentionBot: true, botName: '落实', messageId, token: VERIFICATION_TOKEN });
      expect((await pushToBot(`${bot.base}/feishu/events`, event, { encryptKey: ENCRYPT_KEY })).status).toBe(200);
      const card = await eventually(async () => fake.messages.find(isCard), 15000, 'the duty card at the fake Feishu');
      expect(card.chatId).toBe(CHAT);
      const { code, packages } = await bot.stop();
      expect(code).toBe(0);
      expect(packages).toContain(LARK);
      expect(packages).not.toContain(STREAM);
    } finally {
      if (bot) await stopProcess(bot.run);
      await fake.stop();
    }
  }, 80000);

  it('should load the DingTalk SDK and answer a Stream message with a card when DingTalk is configured', async () => {
    const fake = new FakeDingTalk();
    const api = await fake.start();
    fake.addGroup({ openConversationId: GROUP, title: '第一党支部', ownerUserId: DING_SECRETARY, memberUserIds: USERS.map((u) => u.userId), scene: true });
    for (const u of USERS) fake.addUser({ ...u, deptIds: [100] });
    let bot: Started | undefined;
    try {
      bot = await startWith(`${prefix}d`, {
        ...NO_PLATFORMS,
        DINGTALK_CLIENT_ID: fake.clientId,
        DINGTALK_CLIENT_SECRET: fake.clientSecret,
        DINGTALK_MODE: 'stream',
        DINGTALK_API_BASE: api,
        DINGTALK_OAPI_BASE: api,
        DINGTALK_CARD_TEMPLATE_ID: 'luoshi-duty.schema',
        DEFAULT_QUIET_HOURS: 'off',
      });
      await eventually(async () => fake.streamConnections() === 1, 10000, 'the stream connection');
      const payload = fake.robotMessage({ conversationId: GROUP, senderStaffId: DING_SECRETARY, senderNick: '王建国', text: COMMAND, isAdmin: true });
      expect((await fake.pushRobotMessage(payload)).acked).toBe(true);
      await eventually(async () => cardsIn(fake)[0], 15000, 'the duty card at the fake DingTalk');
      const { code, packages } = await bot.stop();
      expect(code).toBe(0);
      expect(packages).toContain(STREAM);
      expect(packages).not.toContain(LARK);
    } finally {
      if (bot) await stopProcess(bot.run);
      await fake.stop();
    }
  }, 80000);
});
