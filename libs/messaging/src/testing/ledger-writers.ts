import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError, type AppendRequest, type EventStore, type NewEvent } from '@chip-ledger/event-store';
import type { Pool } from 'pg';

const actor = { id: 'writer', organisation: 'org-1', role: 'operator' } as const;

export function newEvent(data: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type: 'ChipsDelivered', schemaVersion: 1, occurredAt: '2025-11-05T00:00:00.000Z', actor, correlationId: randomUUID(), causationId: null, data };
}

/**
 * Makes every append's transaction stay open for a random time after its rows took their global positions,
 * so transactions commit out of position order: the situation in which a reader that keeps only "the last
 * position seen" skips events.
 */
export async function delayCommits(pool: Pool, schema: string, maxSeconds: number): Promise<void> {
  await pool.query(`CREATE FUNCTION ${schema}.delay_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(random() * ${maxSeconds}); RETURN NULL; END $$`);
  await pool.query(`CREATE TRIGGER delay_commit AFTER INSERT ON ${schema}.events FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.delay_commit()`);
}

export async function removeCommitDelay(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP TRIGGER IF EXISTS delay_commit ON ${schema}.events; DROP FUNCTION IF EXISTS ${schema}.delay_commit()`);
}

export interface WritersReport {
  /** Every event id written, by stream, in version order. */
  readonly streams: Map<string, string[]>;
  readonly events: number;
  /** Appends that finished after another append with a higher position: commits out of position order. */
  readonly outOfOrderCommits: number;
  readonly conflictsRetried: number;
}

/**
 * Concurrent writers over a shared set of streams: single- and multi-event appends, some to two streams at
 * once (transfers), retrying on WrongExpectedVersionError as a command handler would. Given several stores
 * (service instances on one database), writer w uses `stores[w % n]`: one instance groups its concurrent
 * appends into one transaction at a time, so only separate instances commit out of position order.
 */
export async function runWriters(
  stores: EventStore | readonly EventStore[],
  options: { writers: number; appendsPerWriter: number; streams: string[] },
): Promise<WritersReport> {
  const instances: readonly EventStore[] = Array.isArray(stores) ? stores : [stores as EventStore];
  const written = new Map<string, { version: number; eventId: string }[]>();
  let maxFinished = 0;
  let outOfOrderCommits = 0;
  let conflictsRetried = 0;
  const pick = () => options.streams[Math.floor(Math.random() * options.streams.length)];

  async function writer(w: number): Promise<void> {
    const store = instances[w % instances.length];
    for (let i = 0; i < options.appendsPerWriter; i++) {
      const targets = Math.random() < 0.2 ? [...new Set([pick(), pick()])] : [pick()];
      for (;;) {
        const requests: AppendRequest[] = await Promise.all(
          targets.map(async (streamId) => ({
            streamId,
            expectedVersion: await store.streamVersion(streamId),
            events: Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => newEvent({ writer: w, append: i })),
          })),
        );
        try {
          const result = await store.append(requests);
          if (result.streams.some((s) => s.globalPositions.some((p) => p < maxFinished))) outOfOrderCommits++;
          maxFinished = Math.max(maxFinished, result.position);
          result.streams.forEach((s, r) => {
            const list = written.get(s.streamId) ?? [];
            s.eventIds.forEach((eventId, e) => list.push({ version: requests[r].expectedVersion + e + 1, eventId }));
            written.set(s.streamId, list);
          });
          break;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          conflictsRetried++;
        }
      }
    }
  }

  await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  const streams = new Map([...written].map(([streamId, list]) => [streamId, list.sort((a, b) => a.version - b.version).map((e) => e.eventId)]));
  return { streams, events: [...streams.values()].reduce((n, ids) => n + ids.length, 0), outOfOrderCommits, conflictsRetried };
}
