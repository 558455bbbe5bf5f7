import { sampleCard } from '../platforms/adapter-conformance';
import { callbackAnswer, cardKey, escapeMd, renderCardData, renderMarkdown } from '../../src/platforms/dingtalk/card';
import { decodeCardCallback, decodeRobotMessage } from '../../src/platforms/dingtalk/decode';
import { apiError, oapiError } from '../../src/platforms/dingtalk/errors';
import { monthOf } from '../../src/platforms/dingtalk/quota';
import { backoffDelay } from '../../src/platforms/dingtalk/stream';
import { refusal, robotSign } from '../../src/platforms/dingtalk/verify';
import { cardCallback, robotMessage } from '../fakes/dingtalk';

describe('DingTalk signatures', () => {
  it('should compute the contract test vector', () => {
    expect(robotSign('1577262236757', 'this is a secret')).toBe('DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=');
  });

  it('should accept a fresh valid sign and refuse a bad, missing, stale or malformed one', () => {
    const now = 1_800_000_000_000;
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    const ts = String(now - 3_599_000);
    expect(refusal(headers({ timestamp: ts, sign: robotSign(ts, 's') }), { appSecret: 's' }, now)).toBeUndefined();
    expect(refusal(headers({ timestamp: ts, sign: robotSign(ts, 'x') }), { appSecret: 's' }, now)).toBe('bad sign');
    expect(refusal(headers({ timestamp: ts }), { appSecret: 's' }, now)).toBe('missing timestamp or sign');
    const old = String(now - 3_600_001);
    expect(refusal(headers({ timestamp: old, sign: robotSign(old, 's') }), { appSecret: 's' }, now)).toBe('stale or malformed timestamp');
    expect(refusal(headers({ timestamp: 'abc', sign: robotSign('abc', 's') }), { appSecret: 's' }, now)).toBe('stale or malformed timestamp');
  });
});

describe('DingTalk Stream reconnect backoff', () => {
  it('should grow exponentially from about a second and stay under the 60 s cap', () => {
    expect(backoffDelay(0, undefined, () => 0)).toBe(500);
    expect(backoffDelay(0, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(3, undefined, () => 1)).toBe(8000);
    expect(backoffDelay(40, undefined, () => 1)).toBe(60_000);
    expect(backoffDelay(40, undefined, () => 0)).toBe(30_000);
  });
});

describe('DingTalk decoding', () => {
  const opts = { botName: '落实', robotCode: 'dingfakeclientid', receivedAt: 1, trustIsAdmin: true };

  it('should decode a group text with the mentioned people named from the text', () => {
    const p = robotMessage({ conversationId: 'cid1', senderStaffId: 'u1', senderNick: '张三', text: '名单 添加 @李四 @王五', atUsers: [{ staffId: 'u2' }, { staffId: 'u3' }], isAdmin: true });
    const out = decodeRobotMessage(p, opts);
    if (!out.ok) throw new Error(out.reason);
    expect(out.decoded.message).toMatchObject({ chat: { platform: 'dingtalk', chatId: 'cid1' }, text: '名单 添加 @李四 @王五', sender: { id: 'u1', name: '张三', platformRole: 'admin' }, direct: false });
    expect(out.decoded.message.mentions).toEqual([{ id: 'u2', name: '李四' }, { id: 'u3', name: '王五' }]);
    expect(out.decoded.names).toEqual(expect.arrayContaining([['u2', '李四'], ['u1', '张三']]));
  });

  it('should read the HTTP examples’ top-level content and richText, and ignore what is not text', () => {
    const base = robotMessage({ conversationId: 'cid1', senderStaffId: 'u1', senderNick: '张三', text: 'x' });
    const { text: _text, ...withoutText } = base;
    const top = decodeRobotMessage({ ...withoutText, content: ' 帮助' }, opts);
    expect(top.ok && top.decoded.message.text).toBe('帮助');
    const rich = decodeRobotMessage({ ...withoutText, msgtype: 'richText', content: { richText: [{ text: '列表' }, { text: '。' }] } }, opts);
    expect(rich.ok && rich.decoded.message.text).toBe('列表。');
    // Pictures (in a richText too) and files are files to attach: their text is a caption, no command (issue 14).
    const pictured = decodeRobotMessage({ ...withoutText, msgtype: 'richText', content: { richText: [{ text: '列表' }, { downloadCode: 'x', type: 'picture' }] } }, opts);
    expect(pictured.ok && pictured.decoded).toMatchObject({ message: { text: '' }, files: [{ kind: 'picture', downloadCode: 'x' }] });
    const picture = decodeRobotMessage({ ...withoutText, msgtype: 'picture', content: { downloadCode: 'x', pictureDownloadCode: 'y' } }, opts);
    expect(picture.ok && picture.decoded.files).toEqual([{ kind: 'picture', downloadCode: 'x' }]);
    expect(decodeRobotMessage({ ...withoutText, msgtype: 'audio', content: { downloadCode: 'x', duration: 3 } }, opts)).toMatchObject({ ok: false });
    expect(decodeRobotMessage({ ...withoutText, errorCode: 20001 }, opts)).toMatchObject({ ok: false, reason: expect.stringContaining('quota') });
    expect(decodeRobotMessage({ ...base, robotCode: 'dingother' }, opts)).toMatchObject({ ok: false });
  });

  it('should decode a card callback’s value from its JSON string and keep the reason', () => {
    const cb = cardCallback({ outTrackId: 'o1', userId: 'u2', params: { value: '{"v":1,"duty":"abcdefghijkl","act":"leave"}', reason: '出差' } });
    expect(decodeCardCallback(cb)).toEqual({ outTrackId: 'o1', userId: 'u2', value: { v: 1, duty: 'abcdefghijkl', act: 'leave' }, reason: '出差' });
    expect(decodeCardCallback({ ...cb, content: '{not json' })).toMatchObject({ value: undefined });
    expect(decodeCardCallback({ userId: 'u2' })).toBeUndefined();
  });
});

describe('DingTalk card rendering', () => {
  it('should keep user text from becoming links, headings or mentions', () => {
    expect(escapeMd('[点我](http://evil) @所有人 # 标题')).toBe('［点我］（http://evil） ＠所有人 ＃ 标题');
  });

  it('should render template data as strings of at most 1 KB, with typed button values', () => {
    const card = sampleCard('参加 1 · 请假 0 · 未回复 5');
    const many = { ...card, groups: [{ label: '未回复', entries: Array.from({ length: 400 }, (_, i) => ({ name: `党员${i}` })) }] };
    const data = renderCardData(many);
    expect(Object.values(data).every((v) => typeof v === 'string' && Buffer.byteLength(v) <= 1000)).toBe(true);
    expect(data.groups?.endsWith('…')).toBe(true);
    expect(JSON.parse(data.btn2Value ?? '')).toEqual({ v: 1, duty: 'abcdefghijkl', act: 'leave' });
    expect(data).toMatchObject({ tally: '参加 1 · 请假 0 · 未回复 5', btn1Show: 'true', btn2Reason: 'true', closed: 'false' });
    expect(renderMarkdown(card).text).toContain('**参加 1 · 请假 0 · 未回复 5**');
    expect(cardKey(card)).toBe('n1');
  });

  it('should answer a callback with the card and the clicker’s status, merged by key', () => {
    const answer = callbackAnswer({ toast: { kind: 'success', text: '已确认参加 #1' }, card: sampleCard('参加 1 · 请假 0 · 未回复 5') });
    expect(answer).toMatchObject({
      cardData: { cardParamMap: { tally: '参加 1 · 请假 0 · 未回复 5' } },
      userPrivateData: { cardParamMap: { myStatus: '已确认参加 #1', myStatusKind: 'success' } },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    });
  });
});

describe('DingTalk error classification', () => {
  it('should retry throttling and server errors, and fail for good on a gone group or a bad parameter', () => {
    expect(apiError(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 'qps')).toMatchObject({ permanent: false, retryAfterMs: 1000 });
    expect(apiError(400, 'invalid.openConversationId', 'x').permanent).toBe(true);
    expect(apiError(400, 'param.cardNotExist', 'x').permanent).toBe(true);
    expect(apiError(500, 'system.error', 'x').permanent).toBe(false);
    expect(apiError(502, undefined, 'html').permanent).toBe(false);
    // A code we never listed: a 400/404 is the request's own fault (permanent); 401/403/5xx may pass later.
    expect(apiError(400, 'sceneGroup.memberQuery.notSupported', 'x').permanent).toBe(true);
    expect(apiError(403, 'Forbidden.SomethingNew', 'x').permanent).toBe(false);
    expect(apiError(400, 'InvalidAuthentication', 'x').permanent).toBe(false);
    expect(oapiError(90018, 'qps')).toMatchObject({ permanent: false, retryAfterMs: 1000 });
    expect(oapiError(60003, 'no dept').permanent).toBe(true);
  });

  it('should count quota months in the bot’s time zone', () => {
    // 2026-11-30 17:00 UTC is already December in Shanghai.
    expect(monthOf(Date.UTC(2026, 10, 30, 17), 'Asia/Shanghai')).toBe('2026-12');
    expect(monthOf(Date.UTC(2026, 10, 30, 17), 'UTC')).toBe('2026-11');
  });
});
