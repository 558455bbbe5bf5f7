import type { ChatRef } from '../domain/types';
import { parseQuietHours } from '../domain/quiet-hours';
import { MinutesPlanner } from '../queue/minutes-planner';
import { Outbox } from '../queue/outbox';
import { ReminderPlanner } from '../queue/reminder-planner';
import { SigninPlanner } from '../queue/signin-planner';
import { CampaignRepo } from '../store/campaign-repo';
import { ChatRepo } from '../store/chat-repo';
import { Dedupe } from '../store/dedupe';
import { DraftRepo } from '../store/draft-repo';
import { DutyRepo } from '../store/duty-repo';
import { blobStore } from '../store/files/blob-store-of';
import { MaterialRepo } from '../store/files/material-repo';
import { calendarFromFiles, defaultCalendar } from '../store/holiday-files';
import { MinutesRepo } from '../store/minutes-repo';
import { NudgeThrottle } from '../store/nudge-throttle';
import { SentLog } from '../store/sent-log';
import { SeriesRepo } from '../store/series-repo';
import { SigninRepo } from '../store/signin-repo';
import { DutyService } from './duty-service';
import { DutyViews } from './duty-views';
import { MaterialsService } from './materials-service';
import { MinutesService } from './minutes-service';
import { NudgeService } from './nudges';
import { PlanContexts } from './plan-context';
import { PlatformRegistry } from './platform-registry';
import { RosterService } from './roster';
import { SeriesService } from './series-service';
import type { ServiceDeps, StoreScope } from './service-deps';
import type { Services } from './services';
import { SigninService } from './signin-service';
import { CardReplies } from './stats-card-reply';

/** Duties and chats, and what follows a duty: its plan and cards, sign-in, files, minutes, series and nudges. */
export type DutyServices = Pick<
  Services,
  | 'duties'
  | 'chats'
  | 'dedupe'
  | 'sent'
  | 'planner'
  | 'outbox'
  | 'platforms'
  | 'roster'
  | 'views'
  | 'dutyService'
  | 'planContexts'
  | 'calendar'
  | 'campaigns'
  | 'drafts'
  | 'minutes'
  | 'minutesPlanner'
  | 'minutesService'
  | 'materials'
  | 'signin'
  | 'seriesRepo'
  | 'seriesService'
  | 'nudges'
>;

/** The duty area of buildServices (src/app/build-services.ts), with the sign-in records the report area reads too. */
export function buildDutyServices(deps: ServiceDeps, store: StoreScope): DutyServices & { readonly signins: SigninRepo } {
  const { config, log, clock, queues, metrics } = deps;
  const { redis, tx, keys: prefix, damaged } = store;
  const duties = new DutyRepo(redis, tx, prefix, damaged);
  const chats = new ChatRepo(redis, prefix, Date.now, damaged);
  const platforms = new PlatformRegistry(metrics);
  const roster = new RosterService(chats, platforms, clock);
  const calendar = config.HOLIDAY_OVERRIDE_DIR ? calendarFromFiles(config.HOLIDAY_OVERRIDE_DIR) : defaultCalendar();
  const planContexts = new PlanContexts(chats, calendar, config.BOT_TIMEZONE, parseQuietHours(config.DEFAULT_QUIET_HOURS));
  const minutesPlanner = new MinutesPlanner(queues.minutes, calendar, config.BOT_TIMEZONE);
  const planner = new ReminderPlanner(queues.reminders, planContexts, log.child({ component: 'planner' }), (n) => metrics.planned.inc(n), minutesPlanner, new SigninPlanner(queues.signin));
  const minutes = new MinutesRepo(redis, tx, prefix, damaged);
  const outbox = new Outbox(queues.cards);
  const signins = new SigninRepo(redis, prefix, damaged);
  const views = new DutyViews(duties, roster, config.BOT_TIMEZONE, signins);
  const sent = new SentLog(redis, prefix);
  const campaigns = new CampaignRepo(redis, prefix, damaged);
  const seriesRepo = new SeriesRepo(redis, tx, prefix, damaged);
  const dutyService = new DutyService({ config, duties, chats, roster, planner, outbox, campaigns });
  const materials = new MaterialsService({
    maxMb: config.FILE_MAX_MB,
    duties,
    dutyService,
    blobs: blobStore(config),
    materials: new MaterialRepo(redis, prefix, damaged),
    outbox,
    cards: new CardReplies({ sent, platforms }),
    clock,
    log: log.child({ component: 'materials' }),
    // Cached, else asked of the platform once (a Feishu group's name comes from chat.get).
    chatName: async (chat) => (await chats.name(chat)) ?? (await chats.title(chat)) ?? (await platformChatName(roster, chat)),
    retryDelaysMs: config.FILE_RETRY_DELAYS_MS,
  });
  const signin = new SigninService({ config, duties, signins, chats, roster, outbox, platforms, sent });
  return {
    duties,
    chats,
    dedupe: new Dedupe(redis, prefix),
    sent,
    planner,
    outbox,
    platforms,
    roster,
    views,
    dutyService,
    planContexts,
    calendar,
    campaigns,
    drafts: new DraftRepo(redis, prefix, damaged),
    minutes,
    minutesPlanner,
    minutesService: new MinutesService({ config, chats, dutyService, minutes, reminders: minutesPlanner }),
    materials,
    signin,
    signins,
    seriesRepo,
    seriesService: new SeriesService({ config, series: seriesRepo, dutyService, calendar, queue: queues.series, log: log.child({ component: 'series' }) }),
    nudges: new NudgeService({ duties, views, chats, roster, platforms, throttle: new NudgeThrottle(redis, prefix), timeZone: config.BOT_TIMEZONE }),
  };
}

/** The chat's name as the platform tells it (then cached), undefined when it cannot say. */
async function platformChatName(roster: RosterService, chat: ChatRef): Promise<string | undefined> {
  const name = await roster.chatName(chat).catch(() => undefined);
  return name === chat.chatId ? undefined : name;
}
