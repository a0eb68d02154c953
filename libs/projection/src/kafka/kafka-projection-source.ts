import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import type { GenerationWriter } from '../engine/generation-writer';
import type { ConsumptionLag, ProjectionSource, SourceProgress } from '../engine/projection-source.port';
import { deploymentGroupPrefix, generationGroupId } from '../engine/sql-names';
import type { LogEnd } from '../generations/generation-registry';
import type { ProjectionRunner } from '../runner/projection-runner.port';
import { KafkaProjectionRunner, type KafkaProjectionRunnerOptions } from './kafka-projection-runner';
import { KafkaSharedFeed } from './kafka-shared-feed';

export interface KafkaProjectionSourceOptions
  extends Pick<KafkaProjectionRunnerOptions, 'subBatchSize' | 'exclusiveSubBatchSize' | 'lingerMs' | 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'upcast' | 'recoveryMs'> {
  readonly kafka: Kafka;
  /** Usually `Object.values(LEDGER_TOPICS)`. */
  readonly topics: readonly string[];
  /**
   * Consumer group ids are `<prefix>.<deployment id>.<projection>.g<generation>` (the deployment id comes from the
   * read-model store, see `start`); default prefix 'chipledger.projection'.
   */
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

  private feed: KafkaSharedFeed | null = null;
  private groupPrefix: string | null = null;
  readonly sharesConsumption: boolean;
  /** For lag checks (health): one admin connection, replaced after an error. */
  private admin: Promise<Admin> | null = null;

  constructor(private readonly options: KafkaProjectionSourceOptions) {
    this.sharesConsumption = options.shareConsumer !== false;
  }

  /**
   * Group ids name the deployment (the read-model store the engine writes): two deployments reading the same
   * topics, say a staging projection-service next to production's, would otherwise join each other's groups and
   * each get a share of the partitions, silently. Instances of one deployment still meet in one group.
   */
  async start(context: { readonly deploymentId: string }): Promise<void> {
    this.groupPrefix = deploymentGroupPrefix(context.deploymentId, this.options.groupPrefix);
    this.feed = new KafkaSharedFeed({ ...this.options, groupPrefix: this.groupPrefix });
  }

  createRunner(writer: GenerationWriter, options: { readonly shared?: boolean } = {}): ProjectionRunner {
    if (this.groupPrefix === null || this.feed === null) throw new Error('KafkaProjectionSource: start() first (the engine does)');
    if (options.shared && !writer.exclusive && this.sharesConsumption) return this.feed.member(writer);
    return new KafkaProjectionRunner({ ...this.options, writers: [writer], groupId: generationGroupId(writer.ref.projection, writer.ref.generation, this.groupPrefix) });
  }

  async stop(): Promise<void> {
    await this.feed?.stop();
    const admin = this.admin;
    this.admin = null;
    await (await admin?.catch(() => null))?.disconnect().catch(() => undefined);
  }

  /**
   * Messages not applied per partition (high-water mark less the stored offset), and which of them no member of
   * the consumer group holds: a group whose members all left, or a consumer that never re-joined after an outage,
   * reads nothing while the log grows. A standby's own `groupId` is null: the generation's group is asked.
   */
  async lag(writer: GenerationWriter, groupId: string | null): Promise<ConsumptionLag> {
    try {
      const admin = await this.connectedAdmin();
      const group = groupId ?? generationGroupId(writer.ref.projection, writer.ref.generation, this.groupPrefix ?? undefined);
      const [stored, ends, groups] = await Promise.all([
        writer.storedOffsets(this.options.topics),
        Promise.all(this.options.topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))),
        admin.describeGroups([group]),
      ]);
      const held = new Set<string>();
      for (const member of groups.groups[0]?.members ?? []) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) for (const partition of partitions) held.add(`${topic}/${partition}`);
      }
      let lag = 0;
      let unownedLag = 0;
      let unownedPartitions = 0;
      for (const { topic, offsets } of ends) {
        for (const { partition, high } of offsets) {
          const key = `${topic}/${partition}`;
          const behind = Math.max(0, Number(high) - Number(stored.get(key) ?? 0n));
          lag += behind;
          if (behind > 0 && !held.has(key)) {
            unownedLag += behind;
            unownedPartitions++;
          }
        }
      }
      return { lag, unownedLag, unownedPartitions };
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      void admin?.then((a) => a.disconnect()).catch(() => undefined);
      throw error;
    }
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.options.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
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
