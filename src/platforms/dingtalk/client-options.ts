import type { Logger } from '../../logger';
import type { DingTalkApi } from './api';
import type { CardShown } from './card-shown';
import type { DingTalkMembers } from './members';
import type { DingTalkRecords } from './records';
import type { DingTalkState } from './state';
import type { TallyPoster } from './tally';

/** What the DingTalk port (client.ts) is built with: its API client, its state and the parts it sends through. */
export interface DingTalkClientOptions {
  readonly robotCode: string;
  /** Card template id: cards are template cards (buttons, updated in place); without it, markdown + text answers. */
  readonly templateId?: string;
  readonly callbackType: 'STREAM' | 'HTTP';
  /** HTTP callback mode: registers (once) and returns the callbackRouteKey cards name. */
  readonly callbackRoute?: () => Promise<string>;
  /** Names outTrackIds, so that two deployments (key prefixes) never share a card id. */
  readonly namespace: string;
  readonly api: DingTalkApi;
  readonly records: Pick<DingTalkRecords, 'platformNames' | 'title'>;
  /** Session webhooks, sends by key, one-to-one chats (reached through their user, never their conversation id). */
  readonly state: Pick<DingTalkState, 'sessions' | 'sends' | 'directs'>;
  readonly members: DingTalkMembers;
  readonly tally: TallyPoster;
  /** What each template card shows (a card is not PUT to what it shows, above all after a callback's answer). */
  readonly shown: CardShown;
  readonly clock: () => number;
  readonly log: Logger;
}
