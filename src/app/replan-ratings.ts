import type { Logger } from '../logger';
import type { Outbox } from '../queue/outbox';
import type { RatingRepo } from '../store/rating-repo';
import type { SentLog } from '../store/sent-log';
import { ratingCardKey, resultsSent } from './rating-results-send';

export interface ReplanRatingsDeps {
  readonly ratings: Pick<RatingRepo, 'openPages' | 'ratingsOf' | 'index' | 'everyRatingPages' | 'wereIndexed' | 'markIndexed'>;
  readonly sent: Pick<SentLog, 'get'>;
  readonly outbox: Pick<Outbox, 'rating'>;
  readonly log: Logger;
}

/**
 * Plan again the closing of every 述职评议 not closed yet (RatingService.close: the results to the organizer and
 * the secretaries, the cards closed), and the posting of its shared card if that never happened. It is a card-queue job delayed until the deadline the organizer set when
 * opening it, so a restore (`luoshi import`: the queues are not exported) or a Redis that lost its queue keys loses
 * it, and no look-back over the duties' times can find the ratings still open. They are read from the chats'
 * indexes of open ratings (src/store/rating-repo.ts), each planned under its deterministic job id
 * (`rating-close-<duty>-<deadline>`, https://docs.bullmq.io/guide/jobs/job-ids): a job still queued is not added
 * again, and a deadline already past closes at once. A closing that already ran and is planned again (its index
 * entry left by a crash before its removal) sends nothing twice: every send is keyed in the sent log.
 * Bot.reconcile runs it at start. Returns how many closings it planned.
 */
export async function replanRatingClosings(deps: ReplanRatingsDeps, now: number): Promise<number> {
  await indexEarlierRatings(deps, now);
  let planned = 0;
  for await (const page of deps.ratings.openPages()) {
    try {
      const found = await deps.ratings.ratingsOf(page.map((e) => e.dutyId), true);
      for (const entry of page) {
        const rating = found.get(entry.dutyId);
        // Indexed but no rating (damaged, reported by the read; or removed by hand): nothing to close.
        if (!rating) continue;
        // Its shared card, when it was never posted (the queue lost between the opening and the posting) and the
        // rating still runs: posted once (the sent log), before the closing.
        if (rating.closesAt > now && (await deps.sent.get(ratingCardKey(rating.dutyId))) === undefined) {
          await deps.outbox.rating(rating.dutyId, 'post', now, now);
        }
        await deps.outbox.rating(rating.dutyId, 'close', rating.closesAt, now);
        planned += 1;
      }
    } catch (err) {
      // One bad page must not keep the other ratings' closings from coming back.
      deps.log.error({ err, duties: page.map((e) => e.dutyId) }, 'could not re-plan the closing of open ratings at start');
    }
  }
  deps.log.info({ planned }, 'rating closings reconciled');
  return planned;
}

/**
 * Ratings opened before the chats' indexes of open ratings existed have no entry: once (P:ratings:indexed is set
 * after), every chat's duties are read for their ratings, and those whose results were not sent (the sent log,
 * exported with the records) are indexed. The first start of this version does it, and so does the first start
 * after importing a backup taken before it (the mark is not in that file). A pass that fails part-way is not marked
 * and runs again at the next start; entries it added stay (ZADD NX), so nothing is indexed twice.
 */
async function indexEarlierRatings(deps: ReplanRatingsDeps, now: number): Promise<void> {
  if (await deps.ratings.wereIndexed()) return;
  let indexed = 0;
  try {
    for await (const page of deps.ratings.everyRatingPages()) {
      const sent = await Promise.all(page.map((r) => resultsSent(deps.sent, r)));
      indexed += await deps.ratings.index(page.filter((_, i) => !sent[i]));
    }
    await deps.ratings.markIndexed(now);
    deps.log.info({ indexed }, 'ratings opened before the index of open ratings indexed');
  } catch (err) {
    deps.log.error({ err, indexed }, 'could not index the ratings opened before the index of open ratings; tried again at the next start');
  }
}
