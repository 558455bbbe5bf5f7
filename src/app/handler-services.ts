import type { Config } from '../config';
import type { WorkingCalendar } from '../time/calendar';
import { AnswerClicks } from './answer-clicks';
import { CampaignService } from './campaign-service';
import { ChatRoles } from './chat-roles';
import { DraftService } from './draft-service';
import type { DutyService } from './duty-service';
import type { DutyViews } from './duty-views';
import type { MaterialsService } from './materials-service';
import type { NudgeService } from './nudges';
import type { RosterService } from './roster';
import type { SeriesService } from './series-service';
import type { Services } from './services';
import { SettingsService } from './settings-service';
import type { SigninService } from './signin-service';
import type { RatingService } from './rating-service';
import type { CircularLinker, CircularService } from './circular-service';
import { CardReplies } from './stats-card-reply';
import type { ReportLinker, StatsService } from './stats-service';
import type { RecordLinker } from './ledger-links';
import type { LedgerService } from './ledger-service';
import type { MinutesService } from './minutes-service';
import type { UnitService } from './unit-service';
import { unitScopes } from './unit-scope';
import type { ComplianceService } from './compliance-service';
import type { PointsLinker } from './points-links';
import type { PointsService } from './points-service';

/**
 * What a handler may use: use cases, each doing its work atomically, and views. No repository, queue or platform:
 * handlers parse the words, call one of these and reply (README "What users type").
 */
export interface HandlerServices {
  /** What handlers show: the bot's name and the time zone times are read and written in. */
  readonly config: Pick<Config, 'BOT_NAME' | 'BOT_TIMEZONE'>;
  /** Working days and holidays, for reading times (每月最后一个工作日). */
  readonly calendar: WorkingCalendar;
  readonly duties: DutyService;
  /** Answers given by clicking a duty's card. */
  readonly answers: AnswerClicks;
  /** A duty's card and tally. */
  readonly views: DutyViews;
  readonly campaigns: CampaignService;
  readonly settings: SettingsService;
  /** Secretaries and committee chats. */
  readonly roles: ChatRoles;
  readonly rosters: RosterService;
  readonly nudges: NudgeService;
  readonly stats: StatsService;
  readonly reportLinks: ReportLinker;
  readonly series: SeriesService;
  /** Duties read from free writing, previewed until their author's 确认. */
  readonly drafts: DraftService;
  /** Cards sent in answer to a command (statistics, previews). */
  readonly cards: CardReplies;
  /** 纪要 #7. */
  readonly minutes: MinutesService;
  /** 记录 #7 and 台账: the record pages and the ledger, and their signed links. */
  readonly ledger: LedgerService;
  readonly recordLinks: RecordLinker;
  /** Files attached to duties (附件, the choice card). */
  readonly materials: MaterialsService;
  /** Sign-in (签到) and its corrections. */
  readonly signin: SigninService;
  /** The organisation's units (本群 …, 组织, the parent-choice card). */
  readonly units: UnitService;
  /** 督查: what a unit owes, held, planned and misses. */
  readonly compliance: ComplianceService;
  /** 积分 and its page's signed links. */
  readonly points: PointsService;
  readonly pointsLinks: PointsLinker;
  /** 述职评议 (评议 #7 and its card's buttons). */
  readonly rating: RatingService;
  /** 通报: a committee's circular of its sub-units, and its page's signed links. */
  readonly circular: CircularService;
  readonly circularLinks: CircularLinker;
}

/** The handlers' services, built once from the composition root's (src/bot.ts) or a test harness's. */
export function buildHandlerServices(s: Services): HandlerServices {
  const { config, chats, duties, roster, dutyService, seriesService } = s;
  const settings = new SettingsService({ chats, duties, planContexts: s.planContexts, planner: s.planner, platforms: s.platforms });
  return {
    config,
    calendar: s.calendar,
    duties: dutyService,
    answers: new AnswerClicks({ dutyService, dedupe: s.dedupe, views: s.views }),
    views: s.views,
    campaigns: new CampaignService({ config, chats, roster, dutyService, campaigns: s.campaigns, outbox: s.outbox, unitScopes: unitScopes(s.units) }),
    settings,
    roles: new ChatRoles({ config, chats, roster }),
    rosters: roster,
    nudges: s.nudges,
    stats: s.stats,
    reportLinks: s.reportLinks,
    series: seriesService,
    drafts: new DraftService({ config, drafts: s.drafts, settings, dutyService, seriesService }),
    cards: new CardReplies({ sent: s.sent, platforms: s.platforms }),
    minutes: s.minutesService,
    ledger: s.ledger,
    recordLinks: s.reportLinks,
    materials: s.materials,
    signin: s.signin,
    units: s.units,
    compliance: s.compliance,
    points: s.points,
    pointsLinks: s.reportLinks,
    rating: s.rating,
    circular: s.circular,
    circularLinks: s.reportLinks,
  };
}
