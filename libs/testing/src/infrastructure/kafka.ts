import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaCli, kafkaCliFailure } from '@chip-ledger/kafka-launcher';

/** A Kafka cluster the tests can use; `stop` is set only when we started it. */
export interface KafkaHandle {
  readonly brokers: string[];
  readonly startedByUs: boolean;
  readonly version: string | null;
  stop?: () => Promise<void>;
}

/**
 * Use `KAFKA_BROKERS` when given; otherwise start the real broker built from Maven Central jars
 * (tools/kafka). Fails with the tool's own message (not a hang) when Java or Maven is missing.
 */
export async function ensureKafka(): Promise<KafkaHandle> {
  const given = process.env['KAFKA_BROKERS'];
  if (given) {
    const brokers = given.split(',').map((b) => b.trim()).filter(Boolean);
    await assertKafkaReachable(brokers);
    return { brokers, startedByUs: false, version: null };
  }
  const alreadyRunning = await kafkaCliSucceeds('status');
  if (!alreadyRunning) {
    try {
      await kafkaCli(['start'], { timeoutMs: 600_000 });
    } catch (error) {
      throw new Error(`Could not start Kafka from tools/kafka (and KAFKA_BROKERS is not set).\n${kafkaCliFailure(error)}`);
    }
  }
  const brokers = [`127.0.0.1:${process.env['KAFKA_PORT'] ?? '9092'}`];
  await assertKafkaReachable(brokers);
  return {
    brokers,
    startedByUs: !alreadyRunning,
    version: await brokerVersion(),
    stop: alreadyRunning ? undefined : async () => void (await kafkaCli(['stop'])),
  };
}

async function kafkaCliSucceeds(command: string): Promise<boolean> {
  try {
    await kafkaCli([command], { timeoutMs: 60_000 });
    return true;
  } catch {
    return false;
  }
}

async function brokerVersion(): Promise<string | null> {
  try {
    const { stdout } = await kafkaCli(['status'], { timeoutMs: 60_000 });
    return /(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

export async function assertKafkaReachable(brokers: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'chipledger-test-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new Error(`Kafka at ${brokers.join(',')} is not reachable: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function requireKafkaBrokers(): string[] {
  const value = process.env['KAFKA_BROKERS'];
  if (!value) throw new Error('KAFKA_BROKERS is not set: run tests through `npm test` or a Jest config with the testing global setup.');
  return value.split(',');
}

/** Topic names unique to this run and call, so test files and reruns never share a topic. */
export function uniqueTopicName(base: string): string {
  const runId = process.env['CHIPLEDGER_TEST_RUN_ID'] ?? 'local';
  return `test.${base}.${runId}.${randomBytes(4).toString('hex')}`;
}

/** Create topics explicitly (as production does), waiting for their leaders. */
export async function createTestTopics(topics: string[], numPartitions = 3, brokers = requireKafkaBrokers()): Promise<void> {
  const admin = new Kafka({ clientId: 'chipledger-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      // kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker may answer for a moment
      // after creating the topic (a CI run failed on it): wait here, retrying, as messaging's ensureTopics does.
      waitForLeaders: false,
      topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const metadata = await admin.fetchTopicMetadata({ topics }).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return null;
      });
      if (metadata?.topics.every((topic) => topic.partitions.length === numPartitions && topic.partitions.every((p) => p.leader >= 0))) break;
      if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no leaders after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
