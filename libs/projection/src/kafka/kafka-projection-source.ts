import type { Kafka } from 'kafkajs';
import type { GenerationWriter } from '../engine/generation-writer';
import type { ProjectionSource, SourceProgress } from '../engine/projection-source.port';
import { generationGroupId } from '../engine/sql-names';
import type { LogEnd } from '../generations/generation-registry';
import type { ProjectionRunner } from '../runner/projection-runner.port';
import { KafkaProjectionRunner, type KafkaProjectionRunnerOptions } from './kafka-projection-runner';
import { KafkaSharedFeed } from './kafka-shared-feed';

export interface KafkaProjectionSourceOptions extends Pick<KafkaProjectionRunnerOptions, 'subBatchSize' | 'exclusiveSubBatchSize' | 'lingerMs' | 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'upcast'> {
  readonly kafka: Kafka;
  /** Usually `Object.values(LEDGER_TOPICS)`. */
  readonly topics: readonly string[];
  /** Consumer group ids are `<prefix>.<projection>.g<generation>`; default 'chipledger.projection'. */
  readonly groupPrefix?: string;
  /**
   * Shared generations (the engine's active, non-exclusive ones) ride on one consumer (`KafkaSharedFeed`): each
   * message fetched and decoded once for all of them. Default true; false gives every generation its own group.
   */
  readonly shareConsumer?: boolean;
}

/** The distributed form: generations as consumer groups over the context topics. */
export class KafkaProjectionSource implements ProjectionSource {
  readonly driver = 'kafka' as const;

  private readonly feed: KafkaSharedFeed;
  readonly sharesConsumption: boolean;

  constructor(private readonly options: KafkaProjectionSourceOptions) {
    this.feed = new KafkaSharedFeed(options);
    this.sharesConsumption = options.shareConsumer !== false;
  }

  createRunner(writer: GenerationWriter, options: { readonly shared?: boolean } = {}): ProjectionRunner {
    if (options.shared && !writer.exclusive && this.sharesConsumption) return this.feed.member(writer);
    return new KafkaProjectionRunner({ ...this.options, writers: [writer], groupId: generationGroupId(writer.ref.projection, writer.ref.generation, this.options.groupPrefix) });
  }

  async stop(): Promise<void> {
    await this.feed.stop();
  }

  /** High-water marks of every partition (retention is forever, so offsets count messages from 0). */
  async captureEnd(): Promise<LogEnd> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const parts: Record<string, string> = {};
      let total = 0;
      for (const topic of this.options.topics) {
        for (const partition of await admin.fetchTopicOffsets(topic)) {
          parts[`${topic}/${partition.partition}`] = partition.high;
          total += Number(partition.high) - Number(partition.low);
        }
      }
      return { total, parts };
    } finally {
      await admin.disconnect();
    }
  }

  async measure(writer: GenerationWriter, end: LogEnd): Promise<SourceProgress> {
    const stored = await writer.storedOffsets(this.options.topics);
    let done = 0;
    let caughtUp = true;
    for (const [key, high] of Object.entries(end.parts)) {
      const next = stored.get(key) ?? 0n;
      const target = BigInt(high);
      done += Number(next < target ? next : target);
      if (next < target) caughtUp = false;
    }
    return { done, caughtUp };
  }

  async behind(writer: GenerationWriter, end: LogEnd): Promise<number> {
    const stored = await writer.storedOffsets(this.options.topics);
    let behind = 0n;
    for (const [key, high] of Object.entries(end.parts)) {
      const next = stored.get(key) ?? 0n;
      if (next < BigInt(high)) behind += BigInt(high) - next;
    }
    return Number(behind);
  }
}
