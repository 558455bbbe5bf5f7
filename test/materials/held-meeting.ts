/** A held meeting with everything a record shows, typed in the console (the ledger ZIP and record page tests). */
import { ask, shanghai } from '../handlers/support';
import { answerTo, pdf, PNG, textOf, upload, type FileWorld } from './support';

export const PHOTO_2 = Buffer.concat([Buffer.from(PNG), Buffer.from('second photo')]);
export const MINUTES = '传达了上级精神，讨论了发展党员工作。';

export interface HeldMeeting {
  readonly photo: Buffer;
  readonly sheet: Uint8Array;
}

/**
 * #1 支部党员大会 today (Friday 27 November 2026) at 15:00: 张丽 on leave, 王建国 and 李明 signed in, minutes by the
 * recorder, and three files attached with 附件 and the console's upload (two of them both named 会议照片.png).
 * The clock is left at 17:30, after the meeting.
 */
export async function holdMeeting(w: FileWorld): Promise<HeldMeeting> {
  await ask(w.driver, 'u1', '会议 支部党员大会 今天下午3点');
  await ask(w.driver, 'u3', '请假＃１ 外出培训');
  w.clock.t = shanghai('2026-11-27T14:50');
  expect((await ask(w.driver, 'u1', '签到＃１')).reply).toContain('已签到 #1');
  expect((await ask(w.driver, 'u2', '签到 #1')).reply).toContain('已签到 #1');
  w.clock.t = shanghai('2026-11-27T17:30');
  expect((await ask(w.driver, 'u1', `纪要＃１：${MINUTES}`)).reply).toContain('已保存 #1');
  const sheet = pdf(300_000, 0x41);
  const files: [string, Uint8Array][] = [
    ['会议照片.png', PNG],
    ['签到表:第1页?.pdf', sheet],
    ['会议照片.png', PHOTO_2],
  ];
  for (const [name, bytes] of files) {
    await ask(w.driver, 'u1', '附件＃１');
    const res = await upload(w, 'u1', name, bytes);
    expect(res.status).toBe(201);
    expect(textOf(await answerTo(w, res.body.message?.id ?? '', 'text'))).toContain('附到 #1');
  }
  return { photo: Buffer.from(PNG), sheet };
}
