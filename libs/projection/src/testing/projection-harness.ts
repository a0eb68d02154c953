import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createKafkaClient } from '@chip-ledger/messaging';
import { createTestDatabase, createTestTopics, requireKafkaBrokers, uniqueTopicName, type TestDatabase } from '@chip-ledger/testing';
import type { Kafka } from 'kafkajs';
import { logLevel } from 'kafkajs';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { DeadLetterPublisher } from '../engine/dead-letters';
import { ProjectionEngine } from '../engine/projection-engine';
import { KafkaProjectionSource } from '../kafka/kafka-projection-source';
import type { ProjectionChange, ProjectionFactory } from '../projection.port';

const workspaceRoot = path.resolve(__dirname, '../../../..');

/** A database and topics of a test's own, and engines over them. */
export interface ProjectionTestBed {
  readonly database: TestDatabase;
  readonly dataSource: DataSource;
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly topics: string[];
  engine(
    projections: ProjectionFactory[],
    options?: { groupPrefix?: string; subBatchSize?: number; deadLetters?: DeadLetterPublisher; database?: Database; run?: readonly string[]; onChanges?: (changes: readonly ProjectionChange[]) => void; sharedLagLimit?: number },
  ): ProjectionEngine;
  close(): Promise<void>;
}

export async function projectionTestBed(label: string, topicCount = 2, partitions = 3): Promise<ProjectionTestBed> {
  const database = await createTestDatabase(label);
  // Its clients and pool ignore errors of their own (openDatabase): a test database's drop lets closing connections go
  // for up to 2 s, then forces, and one still open after that is ended with 57P01.
  const db = await openDatabase({ url: database.url, poolSize: 10 });
  const kafka = createKafkaClient({ brokers: requireKafkaBrokers(), clientId: `test-${label}`, logLevel: logLevel.NOTHING });
  const topics = Array.from({ length: topicCount }, (_, i) => uniqueTopicName(`projection.${label}.${i}`));
  await createTestTopics(topics, partitions);
  const engines: ProjectionEngine[] = [];
  const groupBase = uniqueTopicName(`group.${label}`);
  return {
    database,
    dataSource: db.dataSource,
    pool: db.pool,
    kafka,
    topics,
    engine(projections, options = {}) {
      const engine = new ProjectionEngine({
        dataSource: (options.database ?? db).dataSource,
        source: new KafkaProjectionSource({ kafka, topics, groupPrefix: options.groupPrefix ?? groupBase, subBatchSize: options.subBatchSize, sessionTimeoutMs: 6_000 }),
        projections,
        run: options.run,
        deadLetterPublisher: options.deadLetters,
        onChanges: options.onChanges,
        sharedLagLimit: options.sharedLagLimit,
        reconcileIntervalMs: 200,
        retiredGraceMs: 3_600_000,
        exclusive: { pollMs: 200, heartbeatMs: 500 },
      });
      engines.push(engine);
      return engine;
    },
    async close() {
      await Promise.allSettled(engines.map((e) => e.stop()));
      await db.close();
      await database.drop();
    },
  };
}

/** The projector in a child process (its own process group, so SIGKILL reaches the node behind ts-run). */
export function spawnProjector(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; kill: () => void; exited: Promise<void> } {
  const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), 'libs/projection/src/testing/projector-process.ts'], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`projector exited (${code}) before ready: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    ready,
    exited,
    kill: () => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
