/**
 * Fuzzing the card value decoder: cardValueSchema against a restatement of its rule (pure), then
 * dispatcher.processAction on the sandbox with genuine, tampered and random values, actors in and out of the chat,
 * and clicks in the wrong chat. A click never throws, is always answered in Chinese, and changes at most the
 * clicking member's own answer to the duty its value names, and only when the answer is a success.
 */
import fc from 'fast-check';
import { cardValueSchema, type CardValue } from '../../src/domain/card-model';
import type { ChatRef, Duty, Member } from '../../src/domain/types';
import type { InboundAction } from '../../src/platforms/port';
import { DEMO_CHAT, DEMO_MEMBERS } from '../../src/platforms/sandbox/seed';
import { CHINESE, FUZZ_BUDGET, FUZZ_SEED } from './budget';
import { FUZZ_NOW, sameSnapshot, snapshot, startFuzzBot, withoutOwnAnswers, type FuzzBot, type Snapshot } from './support';

jest.setTimeout(60_000);

const ACTS = ['attend', 'leave', 'submit'] as const;

/** The rule of a card value, restated without zod: exactly v, duty and act; v is 1; duty is 6–32 of a-z0-9. */
function acceptable(value: unknown): value is CardValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
  if (Object.keys(value).sort().join(',') !== 'act,duty,v') return false;
  const r = value as Record<string, unknown>;
  const duty = r.duty;
  return (
    r.v === 1 &&
    typeof duty === 'string' &&
    duty.length >= 6 &&
    duty.length <= 32 &&
    [...duty].every((c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) &&
    ACTS.some((a) => a === r.act)
  );
}

const dutyIds = (genuine: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.stringMatching(/^[a-z0-9]{6,32}$/), weight: 3 },
    ...(genuine.length > 0 ? [{ arbitrary: fc.constantFrom(...genuine), weight: 3 }] : []),
    { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
    {
      arbitrary: fc.constantFrom('abcde', 'a'.repeat(33), 'ABCDEF', 'abcdef\n', '\nabcdef', 'abc def', 'ａｂｃｄｅｆ', 'abcdef:answers', '*', '', 'abcdeé', 'abcdef\u0000'),
      weight: 1,
    },
    { arbitrary: fc.constantFrom(null, 123456, ['abcdef'], { id: 'abcdef' }), weight: 1 },
  );

/** Values shaped like ours, some exactly right, some with one thing wrong, extra or missing. */
const nearValues = (genuine: readonly string[]): fc.Arbitrary<unknown> =>
  fc
    .tuple(
      fc.record(
        {
          v: fc.oneof({ arbitrary: fc.constant(1), weight: 6 }, { arbitrary: fc.constantFrom(0, 2, -1, 1.5, '1', true, null, 1e21), weight: 1 }),
          duty: dutyIds(genuine),
          act: fc.oneof({ arbitrary: fc.constantFrom(...ACTS), weight: 6 }, { arbitrary: fc.constantFrom('Attend', 'cancel', 'delete', 'attend ', '', 'toString', '__proto__'), weight: 1 }),
        },
        { requiredKeys: [] },
      ),
      fc.option(fc.dictionary(fc.constantFrom('member', 'memberId', 'actor', 'user', 'chat', 'status', 'reason', 'V', 'act2', ''), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), {
        freq: 3,
      }),
    )
    .map(([value, extra]) => (extra ? { ...value, ...extra } : value));

const anyValue = (genuine: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: nearValues(genuine), weight: 6 },
    { arbitrary: fc.anything({ maxDepth: 2 }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    { arbitrary: nearValues(genuine).map((v) => JSON.stringify(v)), weight: 1 },
  );

describe(`card value fuzz (seed ${FUZZ_SEED})`, () => {
  it(`should accept a value exactly when the rule allows it, over ${FUZZ_BUDGET.cardSchema} values (seed ${FUZZ_SEED})`, () => {
    let runs = 0;
    let accepted = 0;
    fc.assert(
      fc.property(anyValue(['abcdef', 'q7x2k9m3p4zt']), (value) => {
        runs += 1;
        const parsed = cardValueSchema.safeParse(value);
        expect(parsed.success).toBe(acceptable(value));
        if (parsed.success) {
          accepted += 1;
          // Nothing but the three fields comes through.
          expect(Object.keys(parsed.data).sort()).toEqual(['act', 'duty', 'v']);
          expect(parsed.data).toEqual(value);
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_BUDGET.cardSchema },
    );
    console.log(`card value schema fuzz, seed ${FUZZ_SEED}: ${runs} values, ${accepted} accepted`);
    expect(runs).toBe(FUZZ_BUDGET.cardSchema);
    expect(accepted).toBeGreaterThan(FUZZ_BUDGET.cardSchema / 20);
  });

  describe('through dispatcher.processAction', () => {
    let f: FuzzBot;
    const A: ChatRef = { platform: 'sandbox', chatId: DEMO_CHAT.id };
    const B: ChatRef = { platform: 'sandbox', chatId: 'fuzz-b' };
    const duties: Duty[] = [];

    beforeAll(async () => {
      f = await startFuzzBot();
      await f.bot.sandbox?.repo.saveChat({ id: B.chatId, name: '第二党支部' }, DEMO_MEMBERS);
      const { dutyService } = f.bot.services;
      const organizer = DEMO_MEMBERS[0] as Member;
      const make = (chat: ChatRef, kind: Duty['kind'], title: string, at: number, now = FUZZ_NOW): Promise<Duty> =>
        dutyService.create({ chat, organizer, kind, label: kind === 'report' ? '述职' : '会议', title, at }, now);
      duties.push(await make(A, 'meeting', '支部委员会', FUZZ_NOW + 86_400_000));
      duties.push(await make(A, 'report', '年度述职', FUZZ_NOW + 7 * 86_400_000));
      duties.push(await make(A, 'meeting', '已结束的会', FUZZ_NOW - 86_400_000, FUZZ_NOW - 2 * 86_400_000));
      const cancelled = await make(A, 'meeting', '取消的会', FUZZ_NOW + 2 * 86_400_000);
      await dutyService.cancel(A, cancelled.number, organizer, FUZZ_NOW);
      duties.push(cancelled);
      duties.push(await make(B, 'meeting', '另一个群的会', FUZZ_NOW + 86_400_000));
    });
    afterAll(async () => {
      await f.stop();
    });

    it(`should answer without throwing and change only the clicking member's own answer, and only on success, when ${FUZZ_BUDGET.cardActions} random clicks arrive (seed ${FUZZ_SEED})`, async () => {
      const genuine = duties.map((d) => d.id);
      const actors: Member[] = [...DEMO_MEMBERS, { id: 'u9', name: '路人' }, { id: 'u2', name: '冒名的李明', platformRole: 'owner' }];
      const click = fc.record({
        chat: fc.oneof({ arbitrary: fc.constant(A), weight: 4 }, { arbitrary: fc.constant(B), weight: 1 }),
        actor: fc.oneof({ arbitrary: fc.constantFrom(...DEMO_MEMBERS), weight: 4 }, { arbitrary: fc.constantFrom(...actors), weight: 1 }),
        value: fc.oneof(
          // The buttons each duty really has: 参加 / 请假 on the meeting, 已提交 on the report.
          {
            arbitrary: fc.constantFrom<unknown>(
              { v: 1, duty: duties[0]?.id, act: 'attend' },
              { v: 1, duty: duties[0]?.id, act: 'leave' },
              { v: 1, duty: duties[1]?.id, act: 'submit' },
            ),
            weight: 3,
          },
          { arbitrary: fc.tuple(fc.constantFrom(...genuine), fc.constantFrom(...ACTS)).map(([duty, act]): unknown => ({ v: 1, duty, act })), weight: 3 },
          { arbitrary: anyValue(genuine), weight: 3 },
        ),
        reason: fc.option(fc.oneof(fc.constantFrom('外出培训', '', '   ', '<at user_id="all"></at>'), fc.string({ maxLength: 20 })), { freq: 2 }),
      });

      const tally = { runs: 0, success: 0, info: 0, warning: 0, error: 0 };
      let seq = 0;
      let before: Snapshot[] = await Promise.all([snapshot(f, A), snapshot(f, B)]);

      await fc.assert(
        fc.asyncProperty(click, async ({ chat, actor, value, reason }) => {
          seq += 1;
          tally.runs += 1;
          const action: InboundAction = {
            kind: 'action',
            chat,
            eventId: `fa${seq}`,
            actor,
            value,
            ...(reason === null ? {} : { form: { reason } }),
            receivedAt: f.clock.now(),
          };
          const result = await f.bot.dispatcher.processAction(action);
          tally[result.toast.kind] += 1;
          expect(['success', 'info', 'warning', 'error']).toContain(result.toast.kind);
          expect(result.toast.text).toMatch(CHINESE);

          const after = await Promise.all([snapshot(f, A, before[0]), snapshot(f, B, before[1])]);
          const changed = after.some((s, i) => !sameSnapshot(s, before[i] as Snapshot));
          if (!acceptable(value)) expect(result.toast.kind).toBe('error');
          if (result.toast.kind !== 'success') {
            if (changed) expect(after).toEqual(before);
          } else {
            expect(acceptable(value)).toBe(true);
            const duty = duties.find((d) => acceptable(value) && d.id === value.duty);
            // Only a duty of the chat the click came from, and only the actor's own answer.
            expect(duty?.chat).toEqual(chat);
            expect(after.map((s) => withoutOwnAnswers(s, actor.id))).toEqual(before.map((s) => withoutOwnAnswers(s, actor.id)));
            const record = after[chat.chatId === A.chatId ? 0 : 1]?.duties[duty?.id ?? ''];
            const answer = JSON.parse(record?.answers[actor.id] ?? 'null') as { status?: string } | null;
            expect(answer?.status).toBe(acceptable(value) ? { attend: 'attending', leave: 'leave', submit: 'submitted' }[value.act] : undefined);
            const last = JSON.parse(record?.history[record.history.length - 1] ?? '{}') as { type?: string; by?: string };
            expect(last).toMatchObject({ type: 'answer', by: actor.id });
          }
          before = after;
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_BUDGET.cardActions },
      );

      console.log(`card action fuzz, seed ${FUZZ_SEED}: ${tally.runs} clicks: ${tally.success} success, ${tally.info} info, ${tally.warning} warning, ${tally.error} error`);
      expect(tally.runs).toBe(FUZZ_BUDGET.cardActions);
      expect(tally.success).toBeGreaterThan(0);
      expect(tally.warning).toBeGreaterThan(0);
      expect(tally.error).toBeGreaterThan(0);
    });
  });
});
