import type { AppendStatistics } from '@chip-ledger/event-store';

/*
 * What the metrics endpoint reads from the libraries at each scrape. The libraries keep plain counters and
 * status; only this module knows prom-client. The shapes are structural, so a library satisfies them without
 * importing anything from here (the projection engine is one, in a context this library may not depend on).
 */

/** An event store (one schema): `PostgresEventStore`. */
export interface EventStoreMetricsSource {
  readonly schema: string;
  appendStatistics(): AppendStatistics;
}

/** One outbox relay's state, as the Kafka relays report it. */
export interface RelayReport {
  readonly context: string;
  /** Events published since the relay started. */
  readonly published: number;
  readonly consecutiveFailures: number;
  /** Events recorded and not yet published. */
  readonly pending: number;
  /** Age of the oldest of them, in ms (0 when none). */
  readonly lagMs: number;
}

export interface RelayMetricsSource {
  relayReports(): Promise<readonly RelayReport[]>;
}

/** One generation a projection engine runs, as its runner reports it (`RunnerStatus`). */
export interface ProjectionRunnerSample {
  readonly projection: string;
  readonly generation: number;
  readonly state: string;
  readonly batches: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly lastCommitAt: string | null;
}

/** A projection engine (`ProjectionEngine`). */
export interface ProjectionMetricsSource {
  status(): readonly ProjectionRunnerSample[];
  lag(): Promise<readonly { readonly projection: string; readonly generation: number; readonly state: string; readonly behind: number }[]>;
  deadLetterCounts(): Promise<ReadonlyMap<string, number>>;
}
