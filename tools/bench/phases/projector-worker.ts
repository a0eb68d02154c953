/**
 * A worker thread of the projector phase: a second `ProjectionEngine` over the same database and topics that
 * runs only some read models (`run`, e.g. findings), on an event loop of its own, as a separate
 * projection-service process would. Protocol: it posts 'ready' once loaded; 'start' starts its engine ('started'),
 * 'stop' stops it and posts its timing spans ('stopped').
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKafkaClient } from '@chip-ledger/messaging';
import { generationSchema, KafkaProjectionSource, ProjectionEngine, type ProjectionFactory, type RunnerStatus } from '@chip-ledger/projection';
import { READ_MODEL_ENTITIES, READ_MODELS } from '@chip-ledger/read-models';
import { logLevel } from 'kafkajs';
import { openDatabase } from '@chip-ledger/persistence';
import { instrumentedClients, timedProjection, type ApplyStats, type SchemaSql } from '../lib/projector-timing';

export interface ProjectorWorkerData {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly groupPrefix: string;
  readonly run: readonly string[];
}

export type ProjectorWorkerReport =
  | { readonly kind: 'ready' }
  | { readonly kind: 'started' }
  | { readonly kind: 'failed'; readonly error: string }
  | {
      readonly kind: 'stopped';
      readonly applyStats: [string, ApplyStats][];
      readonly sql: [string, SchemaSql][];
      readonly errors: string[];
      readonly status: RunnerStatus[];
    };

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('projector-worker runs as a worker thread');
  const data = workerData as ProjectorWorkerData;
  const post = (report: ProjectorWorkerReport): void => port.postMessage(report);
  const kafka = createKafkaClient({ brokers: data.brokers, clientId: 'chip-ledger-bench-projector-worker', logLevel: logLevel.NOTHING });
  const sql = instrumentedClients();
  // Idle connections may outlive close() until the bench drops the database (57P01): not an error here (openDatabase).
  const database = openDatabase({ url: data.databaseUrl, poolSize: 6, applicationName: 'bench-projector-worker', entities: [...READ_MODEL_ENTITIES], onClient: sql.instrument });
  const applyStats = new Map<string, ApplyStats>();
  const errors: string[] = [];
  const projections: ProjectionFactory[] = READ_MODELS.map((factory) => () => timedProjection(factory(), applyStats, sql));
  const engine = database.then(
    (db) =>
      new ProjectionEngine({
        dataSource: db.dataSource,
        source: new KafkaProjectionSource({ kafka, topics: data.topics, groupPrefix: data.groupPrefix }),
        projections,
        run: data.run,
        onError: (error) => errors.push((error as Error).message),
      }),
  );
  port.on('message', (message: unknown) => {
    if (message === 'start') {
      engine.then((e) => e.start()).then(
        () => post({ kind: 'started' }),
        (error: unknown) => post({ kind: 'failed', error: (error as Error).stack ?? String(error) }),
      );
      return;
    }
    if (message !== 'stop') return;
    void engine
      .then(async (e) => {
        const status = e.status();
        await e.stop();
        await (await database).close();
        return status;
      })
      .then((status) =>
        post({
          kind: 'stopped',
          applyStats: [...applyStats],
          sql: data.run.map((name) => [generationSchema(name, 1), sql.bySchema(generationSchema(name, 1))]),
          errors,
          status,
        }),
      )
      .catch((error: unknown) => post({ kind: 'failed', error: String(error) }));
  });
  // Modules are loaded (and compiled) by now: the phase starts its clock, then sends 'start'.
  post({ kind: 'ready' });
}

main();
