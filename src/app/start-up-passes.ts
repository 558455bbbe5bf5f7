import path from 'node:path';
import type { Config } from '../config';
import { toAppError } from '../errors';
import type { Logger } from '../logger';
import { readOrgFile } from '../store/org-file';
import { CampaignService } from './campaign-service';
import { repairAfterStop, replanOpenDuties } from './reconcile';
import { replanClosedFollowUps } from './replan-follow-ups';
import type { Services } from './services';

/**
 * Plan every open duty again (src/app/reconcile.ts), then the follow-ups still due of closed ones
 * (src/app/replan-follow-ups.ts) and the closing of every 述职评议 not closed yet (src/app/replan-ratings.ts), after
 * repairing what a stop between two writes left (global indexes, campaigns). `Bot.start` runs it after readiness.
 * Returns how many jobs were planned.
 */
export async function reconcileAll(s: Services, log: Logger): Promise<number> {
  const campaigns = new CampaignService({ config: s.config, chats: s.chats, roster: s.roster, dutyService: s.dutyService, campaigns: s.campaigns, outbox: s.outbox });
  await repairAfterStop({ duties: s.duties, series: s.seriesRepo, campaigns, log }, s.clock());
  const open = await replanOpenDuties({ ...s, log }, s.clock());
  const followUps = await replanClosedFollowUps({ ...s, log }, s.clock());
  return open + followUps + (await s.rating.replanClosings(s.clock(), log));
}

/**
 * data/org.yaml (or ORG_FILE) imported when present and changed since its last import, all or nothing: a bad file
 * is logged with its line and the tree stays as it was; the bot starts either way.
 */
export async function importOrgFileAtStart(s: Services, config: Config, log: Logger): Promise<void> {
  const file = config.ORG_FILE ?? path.join(config.DATA_DIR, 'org.yaml');
  try {
    const text = readOrgFile(file);
    if (text === undefined) return;
    const done = await s.units.importOrgFile(text, `file:${path.basename(file)}`, s.clock(), { once: true });
    log.info({ file, units: done.units, skipped: done.skipped }, done.skipped ? 'org file already imported' : 'org file imported');
  } catch (err) {
    const appError = toAppError(err);
    if (appError.isUserError) log.error({ file, problem: appError.userMessage }, 'org file refused: nothing imported');
    else log.error({ err, file }, 'org file import failed');
  }
}
