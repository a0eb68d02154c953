/**
 * A projector process for the crash test: `node tools/scripts/ts-run.mjs libs/projection/src/testing/projector-process.ts`.
 * Configured through the environment: DATABASE_URL, KAFKA_BROKERS, TOPICS (comma separated),
 * GROUP_PREFIX, SLEEP_MS (inside apply), SUB_BATCH. Prints "ready" once started; SIGTERM stops it cleanly.
 */
import { createKafkaClient } from '@chip-ledger/messaging';
import { openDatabase } from '@chip-ledger/persistence';
import { ProjectionEngine } from '../engine/projection-engine';
import { KafkaProjectionSource } from '../kafka/kafka-projection-source';
import { countingProjection } from './counting-projection';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const db = await openDatabase({ url: env('DATABASE_URL'), poolSize: 4, applicationName: 'projector-process' });
  const kafka = createKafkaClient({ brokers: env('KAFKA_BROKERS').split(','), clientId: 'projector-process' });
  const sleepMs = Number(process.env['SLEEP_MS'] ?? '0');
  const engine = new ProjectionEngine({
    dataSource: db.dataSource,
    source: new KafkaProjectionSource({ kafka, topics: env('TOPICS').split(','), groupPrefix: env('GROUP_PREFIX'), subBatchSize: Number(process.env['SUB_BATCH'] ?? '500'), sessionTimeoutMs: 6_000 }),
    projections: [() => countingProjection({ sleepMs })],
  });
  await engine.start();
  console.log('ready');
  process.on('SIGTERM', () => {
    void engine
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
