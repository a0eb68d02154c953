import type { Admin, Kafka } from 'kafkajs';

/** The bounded contexts that publish events, one topic each. */
export const LEDGER_CONTEXTS = ['procurement', 'rental', 'audit'] as const;
export type LedgerContext = (typeof LEDGER_CONTEXTS)[number];

/** The default topic namespace. Another one (KAFKA_TOPIC_PREFIX) lets several ledgers, or test runs, share a cluster. */
export const DEFAULT_TOPIC_PREFIX = 'chipledger';

/** The topic of a context: `chipledger.<context>.v1`. The version changes only with an incompatible envelope. */
export function ledgerTopic(context: LedgerContext, prefix = DEFAULT_TOPIC_PREFIX): string {
  return `${prefix}.${context}.v1`;
}

/**
 * Partitions of each context topic: fixed for the topic's life (a stream's partition is its id's hash modulo
 * this), and the most projector instances that can share one consumer group.
 */
export const LEDGER_TOPIC_PARTITIONS = 6;

/** Every context's topic under one namespace. */
export function ledgerTopics(prefix = DEFAULT_TOPIC_PREFIX): string[] {
  return LEDGER_CONTEXTS.map((context) => ledgerTopic(context, prefix));
}

export const LEDGER_TOPICS: Readonly<Record<LedgerContext, string>> = Object.freeze({
  procurement: ledgerTopic('procurement'),
  rental: ledgerTopic('rental'),
  audit: ledgerTopic('audit'),
});

/**
 * How the topics the product creates are replicated (configuration: KAFKA_REPLICATION_FACTOR,
 * KAFKA_MIN_INSYNC_REPLICAS). With a factor of 3 and 2 in sync, a write is acknowledged (`acks: -1`) once two
 * brokers have it, and one broker may be down with writes going on and nothing acknowledged lost.
 */
export interface TopicReplication {
  /** Copies of each partition; default 1 (a single broker); 3 on a production cluster. */
  readonly replicationFactor?: number;
  /** The topic's `min.insync.replicas`: copies that must have a write before it is acknowledged; default the broker's. */
  readonly minInsyncReplicas?: number;
}

export interface TopicSpec extends TopicReplication {
  readonly topic: string;
  /**
   * Fixed for the topic's life: the partition of a stream is chosen by hashing its id modulo this number,
   * so adding partitions later would move streams and break their order.
   */
  readonly partitions: number;
}

export interface EnsureTopicsReport {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates the topics that do not exist yet, explicitly, keeping events forever (`retention.ms=-1`) so an
 * auditor or a rebuilt projection can replay from offset 0, replicated as the spec says. Existing topics are
 * left as they are (changing a topic's replication is an operator's reassignment, not a start-up side effect).
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<EnsureTopicsReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const present = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !present.has(spec.topic));
    if (missing.length > 0) {
      // Another instance may create the same topic meanwhile: createTopics then answers false, which is fine.
      // kafkajs' own wait (waitForLeaders: true) gives up on UNKNOWN_TOPIC_OR_PARTITION, which a broker answers
      // while another process creates the same topic; the wait below retries it.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor ?? 1,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            ...(spec.minInsyncReplicas === undefined ? [] : [{ name: 'min.insync.replicas', value: String(spec.minInsyncReplicas) }]),
          ],
        })),
      });
    }
    // A topic another process just created may be listed before its partitions have leaders: wait for them,
    // or a consumer subscribing now fails with "This server does not host this topic-partition".
    await waitForLeaders(admin, specs.map((spec) => spec.topic));
    return {
      created: missing.map((spec) => spec.topic),
      existing: specs.filter((spec) => present.has(spec.topic)).map((spec) => spec.topic),
    };
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
