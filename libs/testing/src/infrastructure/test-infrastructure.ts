import { randomBytes } from 'node:crypto';
import { ensureKafka, type KafkaHandle } from './kafka';
import { ensurePostgres, type PostgresHandle } from './postgres';

export interface TestInfrastructure {
  readonly postgres: PostgresHandle;
  readonly kafka: KafkaHandle | null;
  /** Stops only what this call started. */
  stop: () => Promise<void>;
}

/**
 * Make PostgreSQL (and Kafka, when asked) available and publish them through the environment
 * (`DATABASE_URL`, `KAFKA_BROKERS`) for the processes that follow.
 */
export async function startTestInfrastructure(options: { kafka: boolean }): Promise<TestInfrastructure> {
  process.env['CHIPLEDGER_TEST_RUN_ID'] ??= `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const [postgres, kafka] = await Promise.all([ensurePostgres(), options.kafka ? ensureKafka() : Promise.resolve(null)]);
  process.env['DATABASE_URL'] = postgres.url;
  if (kafka) process.env['KAFKA_BROKERS'] = kafka.brokers.join(',');
  return {
    postgres,
    kafka,
    stop: async () => {
      await Promise.allSettled([postgres.stop?.(), kafka?.stop?.()]);
    },
  };
}

export function describeInfrastructure(infra: TestInfrastructure): string {
  const pg = infra.postgres.embedded ? 'embedded PostgreSQL (started for this run)' : 'PostgreSQL from DATABASE_URL';
  const kafka = !infra.kafka
    ? 'no Kafka'
    : infra.kafka.startedByUs
      ? `Kafka ${infra.kafka.version ?? ''} from tools/kafka (Maven Central jars, started for this run)`
      : `Kafka at ${infra.kafka.brokers.join(',')}${infra.kafka.version ? ` (version ${infra.kafka.version})` : ''}`;
  return `${pg}; ${kafka}`;
}
