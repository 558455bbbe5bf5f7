import type { Job } from 'bullmq';
import type { Dispatcher } from '../app/dispatcher';
import type { RosterService } from '../app/roster';
import type { PlatformRegistry } from '../app/platform-registry';
import type { Logger } from '../logger';
import type { FileJob } from '../platforms/file-port';
import type { ChatRepo } from '../store/chat-repo';
import { inboundJobSchema, type InboundJob } from './queues';

/**
 * Processor of the inbound queue: chat messages a webhook took and acknowledged, and roster refreshes.
 * The sender's role (owner / admin) comes from the roster, read here rather than in the webhook.
 */
export function inboundProcessor(deps: {
  dispatcher: () => Dispatcher;
  roster: RosterService;
  chats: ChatRepo;
  platforms: PlatformRegistry;
  log: Logger;
  /** 督查 early warnings (issue 15), with the clock they are judged by. */
  complianceCheck?: () => Promise<string>;
  /** 自动通报 (issue 15), with the clock it is judged by. */
  circularCheck?: () => Promise<string>;
  /** A file message's download, by the adapter that queued it (`<job id>@<job timestamp>` names this delivery). */
  file?: (job: FileJob, delivery: string) => Promise<string>;
}) {
  return async (job: Job<InboundJob>): Promise<string> => {
    const data = inboundJobSchema.parse(job.data);
    if (data.type === 'file') return deps.file ? deps.file(data, `${job.id ?? data.messageId}@${job.timestamp}`) : 'no file handler';
    if (data.type === 'circular-check') return deps.circularCheck ? deps.circularCheck() : 'no circular check';
    if (data.type === 'compliance-check') return deps.complianceCheck ? deps.complianceCheck() : 'no compliance check';
    if (data.type === 'roster-all') {
      let refreshed = 0;
      for (const platform of deps.platforms.names()) {
        for (const chat of await deps.chats.known(platform)) {
          // One chat failing (the bot was removed) must not stop the others.
          await deps.roster.members(chat, { fresh: true }).then(
            () => (refreshed += 1),
            (err: unknown) => deps.log.warn({ err, chatId: chat.chatId }, 'roster refresh failed'),
          );
        }
      }
      return `rosters ${refreshed}`;
    }
    if (data.type === 'roster') {
      const members = await deps.roster.members({ platform: data.platform, chatId: data.chatId }, { fresh: true });
      return `roster ${members.length}`;
    }
    const { message } = data;
    const members = await deps.roster.members(message.chat).catch((err: unknown) => {
      deps.log.warn({ err, chatId: message.chat.chatId }, 'roster unavailable: the sender counts as a member');
      return [];
    });
    const known = members.find((m) => m.id === message.sender.id);
    const sender = known ?? { ...message.sender, name: message.sender.name || message.sender.id };
    return deps.dispatcher().processMessage({ ...message, sender }, job.id ?? `job-${message.messageId}`);
  };
}
