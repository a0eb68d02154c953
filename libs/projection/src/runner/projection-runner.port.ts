import type { ApplyOutcome, GenerationRef } from '../engine/generation-writer';

/** `standby`: an exclusive projection's runner waiting for the instance that owns the generation to let go. */
export type RunnerState = 'idle' | 'standby' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface RunnerStatus {
  readonly projection: string;
  readonly generation: number;
  readonly schema: string;
  readonly driver: 'kafka' | 'postgres-log';
  readonly state: RunnerState;
  /** Committed transactions (sub-batches) since start. */
  readonly batches: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly lastError: string | null;
  readonly lastCommitAt: string | null;
  /** Kafka: the partitions this instance's consumer holds now (null before it joined, or with no consumer). */
  readonly partitions: number | null;
  /** Kafka: the consumer group it joins (null with the PostgreSQL log, or before a consumer was made). */
  readonly groupId: string | null;
}

/**
 * Feeds one generation of one projection from a log (Kafka topics or the PostgreSQL event log). The
 * engine behind both is the same {@link GenerationWriter}; a runner only fetches and acknowledges.
 */
export interface ProjectionRunner {
  readonly ref: GenerationRef;
  start(): Promise<void>;
  /** Finishes the batch in flight (it commits or rolls back as a whole), then leaves the log. */
  stop(): Promise<void>;
  status(): RunnerStatus;
  /** Called after every committed batch (read-your-writes waiters, server-sent events). */
  onCommitted(listener: (outcome: ApplyOutcome) => void): () => void;
}

/** Counters every runner keeps the same way. */
export class RunnerCounters {
  state: RunnerState = 'idle';
  batches = 0;
  applied = 0;
  duplicates = 0;
  deadLettered = 0;
  lastError: string | null = null;
  lastCommitAt: string | null = null;
  partitions: number | null = null;
  groupId: string | null = null;
  private readonly listeners = new Set<(outcome: ApplyOutcome) => void>();

  record(outcome: ApplyOutcome): void {
    this.batches++;
    this.applied += outcome.applied;
    this.duplicates += outcome.duplicates;
    this.deadLettered += outcome.deadLetters.length;
    this.lastCommitAt = new Date().toISOString();
    for (const listener of this.listeners) listener(outcome);
  }

  listen(listener: (outcome: ApplyOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(ref: GenerationRef, driver: RunnerStatus['driver']): RunnerStatus {
    return {
      projection: ref.projection,
      generation: ref.generation,
      schema: ref.schema,
      driver,
      state: this.state,
      batches: this.batches,
      applied: this.applied,
      duplicates: this.duplicates,
      deadLettered: this.deadLettered,
      lastError: this.lastError,
      lastCommitAt: this.lastCommitAt,
      partitions: this.partitions,
      groupId: this.groupId,
    };
  }
}
