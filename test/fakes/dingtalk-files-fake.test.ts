import { FakeDingTalk, LINK_TTL_MS, UNKNOWN_CODE } from './dingtalk';

/*
 * The fake's side of files sent to the robot (issue 14), as the download page describes it
 * (https://open.dingtalk.com/document/development/download-the-file-content-of-the-robot-receiving-message):
 * POST /v1.0/robot/messageFiles/download with the token header and {downloadCode, robotCode} answers {downloadUrl},
 * a temporary link on another host serving the bytes with Content-Type and Content-Length.
 */
describe('FakeDingTalk: robot message files', () => {
  const T0 = 1_750_000_000_000;
  let clock = T0;
  let fake: FakeDingTalk;
  let token = '';

  beforeEach(async () => {
    clock = T0;
    fake = new FakeDingTalk({ now: () => clock });
    const base = await fake.start();
    const res = await fetch(`${base}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: fake.clientId, appSecret: fake.clientSecret }),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  });
  afterEach(async () => {
    await fake.stop();
  });

  const download = async (body: unknown, withToken = true): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${fake.baseUrl}/v1.0/robot/messageFiles/download`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(withToken ? { 'x-acs-dingtalk-access-token': token } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('should answer a link serving the registered bytes with their type and length, a new link each time', async () => {
    const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3]);
    const code = fake.files.register({ bytes, contentType: 'application/pdf' });
    const first = await download({ downloadCode: code, robotCode: fake.robotCode });
    expect(first.status).toBe(200);
    const link = String(first.json.downloadUrl);
    expect(new URL(link).origin).not.toBe(new URL(fake.baseUrl).origin);
    const got = await fetch(link);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe('8');
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect((await download({ downloadCode: code, robotCode: fake.robotCode })).json.downloadUrl).not.toBe(link);
  });

  it('should refuse a missing token, an unknown code and another robot; expire links; fail links on demand', async () => {
    const code = fake.files.register({ bytes: Uint8Array.from([1, 2, 3]) });
    expect((await download({ downloadCode: code, robotCode: fake.robotCode }, false)).json.code).toBe('Missingx-acs-dingtalk-access-token');
    expect(await download({ downloadCode: 'dcUnknown', robotCode: fake.robotCode })).toMatchObject({ status: UNKNOWN_CODE.status, json: { code: UNKNOWN_CODE.code } });
    expect((await download({ downloadCode: code, robotCode: 'dingother' })).json.code).toBe('invalidParameter.robotCode.notExsit');

    const link = String((await download({ downloadCode: code, robotCode: fake.robotCode })).json.downloadUrl);
    fake.files.failDownloads(code, 'status', 1);
    expect((await fetch(link)).status).toBe(503);
    expect((await fetch(link)).status).toBe(200);
    clock += LINK_TTL_MS;
    expect((await fetch(link)).status).toBe(403);
  });
});
