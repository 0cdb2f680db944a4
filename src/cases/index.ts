/**
 * The case desk (a person behind Dalil): what `main.ts`, the channels' reachers and the editors'
 * app use. The Redis store is loaded only when Redis is configured (`openCaseStore`).
 */
import type { Logger, RedisTopology } from '../domain/index.js';
import { createMemoryCaseStore } from './memory-store.js';
import { DEFAULT_STORE_LIMITS, type CaseStore } from './store.js';

export { caseKeyFor, createSealer, SealError, type Sealer } from './crypto.js';
export { createCaseDesk, type CaseDeskDeps, type RunningCaseDesk } from './desk.js';
export { CaseInputError } from './context.js';
export { CaseStoreUnavailableError, type CaseStore } from './store.js';
export { createMemoryCaseStore } from './memory-store.js';
export { staticPartners } from './partners.js';

/** How often `main.ts` sweeps closed cases past their retention. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Where cases live: memory on the embedded default, Redis (same client factory and prefix as the conversations) when configured. */
export async function openCaseStore(opts: {
  topology: RedisTopology | undefined;
  prefix: string;
  commandTimeoutMs: number;
  retentionDays: number;
  logger: Logger;
}): Promise<CaseStore> {
  // A closed case's keys expire a day after the sweep would have deleted them: a second guard.
  const limits = { ...DEFAULT_STORE_LIMITS, closedTtlMs: (opts.retentionDays + 1) * 86_400_000 };
  if (!opts.topology) {
    opts.logger.info('cases.memory.selected', { retentionDays: opts.retentionDays });
    return createMemoryCaseStore(limits);
  }
  const { createRedisCaseStore } = await import('./redis-store.js');
  return createRedisCaseStore({ topology: opts.topology, prefix: opts.prefix, commandTimeoutMs: opts.commandTimeoutMs, logger: opts.logger, limits });
}
