import { tryAcquireAdvisoryLease, type AdvisoryLease } from '@chip-ledger/event-store';
import type { Pool } from 'pg';

/** Who holds an exclusive projection's generation: lost when its connection (and so the lock) is gone. */
export type GenerationLease = AdvisoryLease;

/**
 * Tries to become the one instance running a generation of an exclusive projection: the store's session
 * advisory lease, keyed by the generation's schema (so by projection and generation). Null when another
 * instance holds it.
 */
export function tryAcquireGenerationLease(pool: Pool, schema: string, heartbeatMs: number): Promise<GenerationLease | null> {
  return tryAcquireAdvisoryLease(pool, {
    namespace: 'chip-ledger.projection.exclusive',
    name: schema,
    applicationName: `chip-ledger-projection-${schema}`,
    heartbeatMs,
  });
}
