/** The first bar (issue): what `bar` in the JSON and the verdict line check. */
export const BAR = { commandsPerSec: 1_500, p99Ms: 100, relayLagMs: 1_000, projectorEventsPerSec: 10_000, replay1MSeconds: 120 };

/**
 * Every number a bench run produces, in one object: the last line of the output is this object as JSON so
 * runs can be compared (`npm run bench | tail -1`). Phases add their own keys; later phases (projections,
 * replay, consumer throughput) add theirs here without touching the others.
 */
export interface BenchFigures {
  // The command API over HTTP (phases/command-load.ts)
  commandsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  commands?: number;
  /** Non-201 answers and transport errors during the measured window. */
  errors?: number;
  conflicts409?: number;
  /** Server process CPU per command (ms): less sensitive to a busy machine than commands/s. */
  serverCpuMsPerCommand?: number | null;
  /** CPU per command (ms) of the service, PostgreSQL, Kafka and the load generator together: what the machine must supply. */
  runCpuMsPerCommand?: number;
  // The outbox relay, seen by a Kafka consumer (phases/relay-lag.ts)
  /** p99 of (received by a consumer − recordedAt) over the measured window's events. */
  relayLagMs?: number;
  relayLagP50Ms?: number;
  relayLagMaxMs?: number;
  relayDrainMs?: number;
  // Live freshness (phases/freshness.ts): ms from a write's 201 until a read-your-writes read of each read model shows it
  freshnessChipMixP50Ms?: number;
  freshnessChipMixP99Ms?: number;
  freshnessFindingsP50Ms?: number;
  freshnessFindingsP99Ms?: number;
  /** Reads that answered 503 (not caught up within the query API's 5 s wait). */
  freshnessLateReads?: number;
  // Ceilings on the same machine, PostgreSQL and Kafka (phases/pg-insert-ceiling.ts, phases/kafka-produce-ceiling.ts)
  pgInsertRowsPerSec?: number;
  kafkaProduceMsgsPerSec?: number;
  // The projector (phases/projector.ts): N events from Kafka into every read model, compliance on
  /** replayEvents ÷ the time from engine start until every read model's stored offsets reach the high-water marks. */
  projectorEventsPerSec?: number;
  /** Seconds to replay `replayEvents` (1,000,000 in a full run; --quick fewer); null when it did not finish in time. */
  replay1MSeconds?: number | null;
  replayEvents?: number;
  replayComplete?: boolean;
  projectorDeadLetters?: number;
  /** Peak resident memory of the bench process since it started (both projector event loops, the producer before them), MB. */
  projectorMaxRssMb?: number;
  /** Ceiling: a raw kafkajs consumer (no-op eachBatch) reading the same replayEvents messages from offset 0. */
  kafkaConsumeMsgsPerSec?: number;
  // The auditors' as-of (phases/as-of.ts): a data center with 10,000 events, as of a middle instant, 50 queries
  asOfMs10k?: { p50: number; p99: number; cold: number };
  asOfEventsFolded?: number;
  // The auditors' CLI replay (phases/cli-replay.ts): `npm run cli -- replay` over the audit-service's API on replayEvents events
  cliReplayEventsPerSec?: number;
  cliReplaySeconds?: number;
  cliReplayEvents?: number;
  cliReplayComplete?: boolean;
  [more: string]: number | boolean | string | null | undefined | Record<string, number>;
}

export interface RunFigures extends BenchFigures {
  quick: boolean;
  /** Seconds of the measured command window. */
  durationSec: number;
}

/** Rounded for printing: integers above 100, one decimal below. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}
