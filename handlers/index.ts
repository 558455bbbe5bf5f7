import type { HandlerSet } from '../src/app/dispatcher';
import type { CommandHandler } from '../src/app/handler';
import { answerButton } from './actions/answer-button';
import { attachButton } from './actions/attach-button';
import { previewButton } from './actions/preview-button';
import { ratingButton } from './actions/rating-button';
import { signinButton } from './actions/signin-button';
import { answer } from './commands/answer';
import { attach } from './commands/attach';
import { campaign } from './commands/campaign';
import { category } from './commands/category';
import { cancel } from './commands/cancel';
import { committee } from './commands/committee';
import { confirm } from './commands/confirm';
import { createDuty } from './commands/create-duty';
import { helpHandler } from './commands/help';
import { list } from './commands/list';
import { nudge } from './commands/nudge';
import { history } from './commands/history';
import { ledger } from './commands/ledger';
import { minutes } from './commands/minutes';
import { rating } from './commands/rating';
import { record } from './commands/record';
import { reschedule } from './commands/reschedule';
import { roster } from './commands/roster';
import { secretaries } from './commands/secretaries';
import { series } from './commands/series';
import { setReminders } from './commands/set-reminders';
import { settings } from './commands/settings';
import { signin } from './commands/signin';
import { signinCorrections } from './commands/signin-corrections';
import { tally } from './commands/tally';
import { templates } from './commands/templates';
import { when } from './commands/when';

/** The only registry of chat commands and card actions. */
export function buildHandlers(): HandlerSet {
  const commands: CommandHandler[] = [createDuty, confirm, list, cancel, reschedule, tally, nudge, answer, setReminders, secretaries, settings, history, campaign, committee, series, templates, when, category];
  commands.push(roster, minutes, record, ledger, signin, signinCorrections);
  commands.push(attach);
  commands.push(rating);
  commands.push(helpHandler(() => commands));
  return { commands, actions: [answerButton, previewButton, attachButton, signinButton, ratingButton] };
}
