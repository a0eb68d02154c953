import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PostgresEventStore } from '@chip-ledger/event-store';
import { createKafkaClient, ensureTopics, LEDGER_CONTEXTS, LEDGER_TOPIC_PARTITIONS, ledgerTopics, type TopicReplication } from '@chip-ledger/messaging';
import type { Kafka } from 'kafkajs';
import {
  judgeProjection,
  KafkaDeadLetterPublisher,
  KafkaProjectionSource,
  LogProjectionSource,
  ProjectionEngine,
  type ProjectionChange,
  type ProjectionHealth,
  type ProjectionSource,
} from '@chip-ledger/projection';
import { poolOf } from '@chip-ledger/persistence';
import { DataSource } from 'typeorm';
import { Subject } from 'rxjs';
import { HealthProbeRegistry, ProbeDown } from '@chip-ledger/infrastructure';
import { READ_MODELS } from '../registry';

/** Where the projections read the ledger from: Kafka (distributed) or the PostgreSQL event log (embedded). */
export type ProjectionFeed =
  | {
      readonly kind: 'kafka';
      readonly brokers: readonly string[];
      readonly topicPrefix: string;
      /**
       * The read models this process consumes (default all; `ProjectionEngineOptions.run`): e.g. `findings` in one
       * projection-service process and the others in another, so each has an event loop (a core) of its own.
       */
      readonly run?: readonly string[];
      /** Most events per transaction of an exclusive read model while catching up (the runner's default when absent). */
      readonly exclusiveBatch?: number;
      /** Topics' replication (the dead-letter topic's; the ledger topics are created by the relays or here, alike). */
      readonly replication?: TopicReplication;
      /** `/health` says degraded while a read model is more than this many messages behind; default 10,000. */
      readonly maxLag?: number;
    }
  | { readonly kind: 'postgres-log'; readonly maxLag?: number };

/** Default of `maxLag`: about four seconds of the bench's command rate. */
export const DEFAULT_PROJECTION_MAX_LAG = 10_000;

export const PROJECTION_FEED = Symbol('PROJECTION_FEED');

/**
 * Owns the projection engine of this process: builds it over the chosen feed and every read model of the
 * registry, starts it once the app (and so the event store migrations) is up, stops it on shutdown, and
 * republishes committed changes for the server-sent-events stream.
 */
@Injectable()
export class ProjectionEngineHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly changes = new Subject<ProjectionChange>();
  readonly engine: ProjectionEngine;
  private readonly deadLetters: KafkaDeadLetterPublisher | null;
  /** The ledger topics to create if missing (Kafka feed only): consumers may start before any relay. */
  private readonly topics: { kafka: Kafka; names: string[] } | null;
  private readonly running: readonly string[];

  constructor(
    dataSource: DataSource,
    @Inject(PROJECTION_FEED) private readonly feed: ProjectionFeed,
    @Optional() @Inject(HealthProbeRegistry) health: HealthProbeRegistry | null,
  ) {
    const pool = poolOf(dataSource);
    let source: ProjectionSource;
    if (feed.kind === 'kafka') {
      const kafka = createKafkaClient({ brokers: feed.brokers, clientId: 'chip-ledger-projector' });
      this.topics = { kafka, names: ledgerTopics(feed.topicPrefix) };
      source = new KafkaProjectionSource({ kafka, topics: this.topics.names, groupPrefix: `${feed.topicPrefix}.projection`, exclusiveSubBatchSize: feed.exclusiveBatch });
      this.deadLetters = new KafkaDeadLetterPublisher(kafka, `${feed.topicPrefix}.dead-letter.v1`, feed.replication);
    } else {
      source = new LogProjectionSource({ pool, stores: LEDGER_CONTEXTS.map((context) => new PostgresEventStore(pool, context)) });
      this.deadLetters = null;
      this.topics = null;
    }
    this.engine = new ProjectionEngine({
      dataSource,
      source,
      projections: READ_MODELS,
      run: feed.kind === 'kafka' ? feed.run : undefined,
      deadLetterPublisher: this.deadLetters ?? undefined,
      onChanges: (changes) => changes.forEach((change) => this.changes.next(change)),
      onError: (error) => this.logger.error((error as Error).stack ?? String(error)),
    });
    this.running = (feed.kind === 'kafka' ? feed.run : undefined) ?? READ_MODELS.map((f) => f().name);
    health?.register(...this.running.map((name) => ({ name: `projection-${name}`, check: () => this.probe(name) })));
  }

  private healthSnapshot: { at: number; health: Promise<ProjectionHealth[]> } | null = null;

  /** One read model's health; the engine is measured once for all of a request's probes. */
  private async probe(name: string): Promise<Record<string, unknown>> {
    if (!this.healthSnapshot || Date.now() - this.healthSnapshot.at > 500) this.healthSnapshot = { at: Date.now(), health: this.engine.health() };
    const health = (await this.healthSnapshot.health).find((h) => h.projection === name);
    if (!health) throw new ProbeDown('no active generation is running here yet');
    const verdict = judgeProjection(health, this.feed.maxLag ?? DEFAULT_PROJECTION_MAX_LAG);
    if (!verdict.ok) throw new ProbeDown(verdict.reasons.join('; '), verdict.details);
    return verdict.details;
  }

  async onApplicationBootstrap(): Promise<void> {
    const replication = this.feed.kind === 'kafka' ? this.feed.replication : undefined;
    if (this.topics) await ensureTopics(this.topics.kafka, this.topics.names.map((topic) => ({ topic, partitions: LEDGER_TOPIC_PARTITIONS, ...replication })));
    await this.deadLetters?.start();
    await this.engine.start();
    this.logger.log(this.running.length > 0 ? `Projections running: ${this.running.join(', ')}` : 'No projections running here (PROJECTIONS=none): serving queries only');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
    await this.deadLetters?.stop();
    this.changes.complete();
  }
}
