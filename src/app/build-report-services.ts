import { DutySummaryRepo } from '../store/duty-summary-repo';
import { PointsReads } from '../store/points-reads';
import { loadPointsRules } from '../store/points-rules-file';
import { RatingRepo } from '../store/rating-repo';
import type { SigninRepo } from '../store/signin-repo';
import type { ComplianceServices } from './build-compliance-services';
import type { DutyServices } from './build-duty-services';
import { CircularAuto } from './circular-auto';
import { CircularFigures } from './circular-figures';
import { CircularService } from './circular-service';
import { PointsService } from './points-service';
import { RatingResultsReader } from './rating-results';
import { RatingService } from './rating-service';
import type { ServiceDeps, StoreScope } from './service-deps';
import type { Services } from './services';
import { AUTO_CIRCULAR_SETTING } from './settings-service';
import { StatsService } from './stats-service';

/** Reports drawn from the records: 统计, 积分, 述职评议 and 通报 (issue 15). */
export type ReportServices = Pick<Services, 'stats' | 'points' | 'rating' | 'circular' | 'circularAuto'>;

/** The report area of buildServices (src/app/build-services.ts), over the duty and compliance areas. */
export function buildReportServices(
  deps: ServiceDeps,
  store: StoreScope,
  duty: DutyServices & { readonly signins: SigninRepo },
  org: ComplianceServices,
): ReportServices {
  const { config, log, clock } = deps;
  const { redis, keys: prefix, damaged } = store;
  const { duties, chats, roster, signins, calendar, platforms, sent, outbox, dedupe, planContexts } = duty;
  const { units, compliance } = org;
  // Chat names (the 支部 column) come from the store, else the platform (the sandbox knows its own).
  const stats = new StatsService({ duties, chats, roster, log, chatName: (chat) => roster.chatName(chat), signins });
  // 积分: the rules of schedules/points.ts, or the operator's <DATA_DIR>/points.yaml over them.
  const points = new PointsService({
    duties,
    chats,
    reads: new PointsReads(redis, prefix, damaged),
    roster,
    calendar,
    timeZone: config.BOT_TIMEZONE,
    rules: loadPointsRules(config.DATA_DIR),
    platforms,
    sent,
    log: log.child({ component: 'points' }),
  });
  const ratingRepo = new RatingRepo(redis, prefix, damaged);
  const rating = new RatingService({
    config,
    duties,
    ratings: ratingRepo,
    chats,
    roster,
    outbox,
    platforms,
    sent,
    calendar,
    clock,
    linker: deps.reportLinks,
    log: log.child({ component: 'rating' }),
  });
  const figures = new CircularFigures({
    summaries: new DutySummaryRepo(redis, prefix, damaged),
    reads: new PointsReads(redis, prefix, damaged),
    roster,
    calendar,
    rules: points.rules,
    timeZone: config.BOT_TIMEZONE,
    log: log.child({ component: 'circular' }),
  });
  const circular = new CircularService({ units, figures, compliance, ratings: new RatingResultsReader(ratingRepo), timeZone: config.BOT_TIMEZONE });
  return {
    stats,
    points,
    rating,
    circular,
    circularAuto: new CircularAuto({
      units,
      circular,
      warm: (now) => circular.warm(now),
      links: deps.reportLinks,
      isWorkday: (d) => calendar.isWorkday(d),
      // On unless a secretary turned it off (设置 自动通报 关); read as SettingsService reads it.
      autoOn: async (chat) => (await chats.setting(chat, AUTO_CIRCULAR_SETTING)) !== 'off',
      quiet: async (chat) => ({ quiet: await planContexts.quietHours(chat), timeZone: config.BOT_TIMEZONE, isWorkday: (d) => calendar.isWorkday(d) }),
      queue: (job, delayMs) => outbox.circular(job, delayMs),
      platforms,
      sent,
      firstTime: (scope, id, ttl) => dedupe.firstTime(scope, id, ttl),
      forget: (scope, id) => dedupe.forget(scope, id),
      timeZone: config.BOT_TIMEZONE,
      log: log.child({ component: 'circular' }),
    }),
  };
}
