import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Outbox } from '../queue/outbox';
import type { ReminderPlanner } from '../queue/reminder-planner';
import type { CampaignRepo } from '../store/campaign-repo';
import type { ChatRepo } from '../store/chat-repo';
import type { SeriesRepo } from '../store/series-repo';
import type { SeriesService } from './series-service';
import type { ReportLinker, StatsService } from './stats-service';
import type { Dedupe } from '../store/dedupe';
import type { DraftRepo } from '../store/draft-repo';
import type { DutyRepo } from '../store/duty-repo';
import type { SentLog } from '../store/sent-log';
import type { WorkingCalendar } from '../time/calendar';
import type { DutyService } from './duty-service';
import type { NudgeService } from './nudges';
import type { PlanContexts } from './plan-context';
import type { DutyViews } from './duty-views';
import type { PlatformRegistry } from './platform-registry';
import type { RosterService } from './roster';
import type { RecordLinker } from './ledger-links';
import type { LedgerService } from './ledger-service';
import type { MinutesService } from './minutes-service';
import type { MinutesRepo } from '../store/minutes-repo';
import type { MinutesPlanner } from '../queue/minutes-planner';
import type { MaterialsService } from './materials-service';
import type { SigninService } from './signin-service';
import type { UnitService } from './unit-service';
import type { ComplianceService } from './compliance-service';
import type { ComplianceWarnings } from './compliance-warnings';
import type { PointsLinker } from './points-links';
import type { PointsService } from './points-service';
import type { RatingService } from './rating-service';
import type { CircularLinker, CircularService } from './circular-service';
import type { CircularAuto } from './circular-auto';

/**
 * Everything the composition root (src/bot.ts) builds, for the dispatcher, the workers, the admin API and the report
 * pages. Handlers get only the use cases drawn from it (HandlerServices, src/app/handler-services.ts).
 */
export interface Services {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: () => number;
  readonly duties: DutyRepo;
  readonly chats: ChatRepo;
  readonly dedupe: Dedupe;
  readonly sent: SentLog;
  readonly planner: ReminderPlanner;
  readonly outbox: Outbox;
  readonly platforms: PlatformRegistry;
  readonly roster: RosterService;
  readonly views: DutyViews;
  readonly dutyService: DutyService;
  readonly planContexts: PlanContexts;
  readonly calendar: WorkingCalendar;
  readonly nudges: NudgeService;
  readonly campaigns: CampaignRepo;
  readonly seriesRepo: SeriesRepo;
  readonly seriesService: SeriesService;
  readonly stats: StatsService;
  /** Duties read from free writing, waiting for their author's 确认. */
  readonly drafts: DraftRepo;
  /** Signs and checks the links of report pages, record pages and ledgers. */
  readonly reportLinks: ReportLinker & RecordLinker & PointsLinker & CircularLinker;
  /** Minutes (纪要) and the reminders of missing ones. */
  readonly minutes: MinutesRepo;
  readonly minutesPlanner: MinutesPlanner;
  readonly minutesService: MinutesService;
  /** Record pages (记录 #7) and the ledger (台账). */
  readonly ledger: LedgerService;
  /** Files attached to duties (issue 14). */
  readonly materials: MaterialsService;
  /** Sign-in (签到): members' own, secretaries' corrections, the code and the summary. */
  readonly signin: SigninService;
  /** The organisation's units (issue 15): 本群 …, 组织, the admin API and data/org.yaml. */
  readonly units: UnitService;
  /** 督查 (issue 15): a unit's compliance, and its early warnings. */
  readonly compliance: ComplianceService;
  readonly complianceWarnings: ComplianceWarnings;
  /** 积分: members' points and a chat's ranking, derived from the records (issue 15). */
  readonly points: PointsService;
  /** 述职评议: open, click, close, results. */
  readonly rating: RatingService;
  /** 通报 (issue 15): a committee's circular of its sub-units. */
  readonly circular: CircularService;
  readonly circularAuto: CircularAuto;
}
