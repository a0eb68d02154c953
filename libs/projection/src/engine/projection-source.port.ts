import type { LogEnd } from '../generations/generation-registry';
import type { ProjectionRunner } from '../runner/projection-runner.port';
import type { GenerationWriter } from './generation-writer';

/** How far a generation has read, against the log end captured when its rebuild started. */
export interface SourceProgress {
  readonly done: number;
  readonly caughtUp: boolean;
}

/** How far a generation is behind its log now, and whether anyone is reading what it has not applied. */
export interface ConsumptionLag {
  /** Messages (Kafka) or events (PostgreSQL log) not applied yet. */
  readonly lag: number;
  /** Kafka: partitions with messages not applied that no member of the consumer group holds (null: not known). */
  readonly unownedPartitions: number | null;
  /** Kafka: those partitions' messages not applied. */
  readonly unownedLag: number | null;
}

/** Kafka or the PostgreSQL log: what the engine needs from a log to run, rebuild and measure generations. */
export interface ProjectionSource {
  readonly driver: 'kafka' | 'postgres-log';
  /**
   * `shared`: the generation may share the source's consumption with other shared generations of this instance
   * (one fetch and decode for all; Kafka's `KafkaSharedFeed`). A source may ignore it.
   */
  createRunner(writer: GenerationWriter, options?: { readonly shared?: boolean }): ProjectionRunner;
  /** True when `shared` generations really share one consumption (Kafka's feed); else each reads on its own. */
  readonly sharesConsumption?: boolean;
  /** The log's end now: what a rebuild must reach before it may serve reads. */
  captureEnd(): Promise<LogEnd>;
  measure(writer: GenerationWriter, end: LogEnd): Promise<SourceProgress>;
  /** How many messages (Kafka) or events (PostgreSQL log) up to `end` the generation has not read yet: its lag. */
  behind(writer: GenerationWriter, end: LogEnd): Promise<number>;
  /**
   * The generation's lag now, and who reads it (for health). `groupId`: the consumer group reading it for this
   * instance (Kafka), whose members' assignments say which partitions someone holds; null when this instance has no
   * consumer for it (a standby).
   */
  lag(writer: GenerationWriter, groupId: string | null): Promise<ConsumptionLag>;
  /** Called once by the engine before any runner is created, with the identity of the read-model store it writes. */
  start?(context: { readonly deploymentId: string }): Promise<void>;
  stop?(): Promise<void>;
}
