import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Services } from '../../app/services';
import { wireStats } from '../../app/stats-wiring';
import { StatsService } from '../../app/stats-service';
import type { ChatRef } from '../../domain/types';
import type { SandboxRepo } from '../../store/sandbox-repo';
import { ReportLinks } from './links';
import { reportRouter } from './router';
import { SigningKeySource } from './signing-key';

export interface ReportOptions {
  /** The sandbox's own chats, for the chat's name (支部) where the store has none. */
  readonly sandbox?: SandboxRepo;
}

/**
 * Statistics with signed report pages: wires the 统计 command's links for these services and returns the router
 * of /reports. `redis` keeps the shared signing key when REPORT_SIGNING_KEY is unset.
 */
export function createReports(services: Services, redis: Redis, options: ReportOptions = {}): Router {
  const { config } = services;
  const chatName = async (chat: ChatRef): Promise<string | undefined> =>
    (await services.chats.name(chat)) ?? (chat.platform === 'sandbox' ? (await options.sandbox?.chat(chat.chatId))?.name : undefined);
  const stats = new StatsService({ ...services, chatName });
  const links = new ReportLinks(new SigningKeySource(redis, config.REDIS_KEY_PREFIX, config.REPORT_SIGNING_KEY), config);
  wireStats(services, { stats, links });
  return reportRouter({ stats, links, clock: services.clock, timeZone: config.BOT_TIMEZONE, log: services.log.child({ component: 'reports' }) });
}
