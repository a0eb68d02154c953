import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { PostgresRelayOutbox } from '@chip-ledger/event-store';
import { createKafkaClient, ensureTopics, KafkaEventPublisher, LEDGER_TOPIC_PARTITIONS, ledgerTopic, OutboxRelay, type LedgerContext, type TopicReplication } from '@chip-ledger/messaging';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { PG_POOL } from './database.module';
import type { HealthProbe } from './health.module';
import { SERVICE_METRICS } from '../metrics/metrics.module';
import type { RelayMetricsSource, RelayReport } from '../metrics/metrics-sources';
import type { ServiceMetrics } from '../metrics/service-metrics';

export interface KafkaRelayOptions {
  /** Contexts whose schema this process relays, each to `chipledger.<context>.v1`. */
  readonly contexts: readonly LedgerContext[];
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  /** Fixed for a topic's life (a stream's partition is its id's hash modulo this). */
  readonly partitions?: number;
  /** How the topics are replicated when this process creates them (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS). */
  readonly replication?: TopicReplication;
}

const RELAY_OPTIONS = Symbol('KAFKA_RELAY_OPTIONS');
const TOPIC_RETRY_MS = 5_000;

interface ContextRelay {
  readonly context: LedgerContext;
  readonly relay: OutboxRelay;
  readonly publisher: KafkaEventPublisher;
}

/**
 * Runs the outbox relays of this process. Topics are created explicitly (partitions, retention.ms=-1)
 * before a relay starts; when Kafka is down at start-up, creation is retried in the background and the
 * app serves meanwhile: commands keep being recorded, and the relays catch up once the broker is back.
 */
@Injectable()
export class KafkaRelays implements OnApplicationBootstrap, OnApplicationShutdown, RelayMetricsSource {
  private readonly logger = new Logger('KafkaRelays');
  private readonly kafka: Kafka;
  private readonly relays: ContextRelay[];
  private topicsTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(RELAY_OPTIONS) private readonly options: KafkaRelayOptions,
    @Optional() @Inject(SERVICE_METRICS) metrics: ServiceMetrics | null = null,
  ) {
    this.kafka = createKafkaClient({ brokers: options.brokers, clientId: 'chip-ledger-relay' });
    this.relays = options.contexts.map((context) => {
      // The context names its events' origin and its watermark markers (ADR 0019).
      const publisher = new KafkaEventPublisher(this.kafka, { topic: ledgerTopic(context, options.topicPrefix), context });
      let lastLogged = 0;
      const relay = new OutboxRelay(new PostgresRelayOutbox(pool, context), publisher, {
        pollIntervalMs: 50,
        onError: (error) => {
          // During an outage every retry fails the same way: log it at most every 10 s.
          if (Date.now() - lastLogged > 10_000) {
            lastLogged = Date.now();
            this.logger.warn(`${context}: publishing to Kafka failed, retrying: ${(error as Error).message}`);
          }
        },
      });
      return { context, relay, publisher };
    });
    metrics?.watchRelays(this);
  }

  onApplicationBootstrap(): void {
    void this.ensureTopicsThenStart();
  }

  private async ensureTopicsThenStart(): Promise<void> {
    try {
      await ensureTopics(
        this.kafka,
        this.relays.map(({ context }) => ({
          topic: ledgerTopic(context, this.options.topicPrefix),
          partitions: this.options.partitions ?? LEDGER_TOPIC_PARTITIONS,
          ...this.options.replication,
        })),
      );
      for (const { relay } of this.relays) relay.start();
    } catch (error) {
      this.logger.warn(`Kafka topics not ensured yet (${(error as Error).message}); retrying in ${TOPIC_RETRY_MS / 1000} s`);
      this.topicsTimer = setTimeout(() => void this.ensureTopicsThenStart(), TOPIC_RETRY_MS);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.topicsTimer) clearTimeout(this.topicsTimer);
    await Promise.all(this.relays.map(({ relay }) => relay.stop()));
    await Promise.all(this.relays.map(({ publisher }) => publisher.disconnect()));
  }

  /** Health of each relay: failing repeatedly is down; a backlog is reported with its lag. */
  probes(): HealthProbe[] {
    return this.relays.map(({ context, relay }) => ({
      name: `relay-${context}`,
      check: async () => {
        const status = relay.status();
        if (status.consecutiveFailures > 3) throw new Error(`relay failing: ${status.lastError}`);
        const backlog = await relay.backlog();
        return { state: status.state, published: status.published, pending: backlog.pending, lagMs: backlog.lagMs };
      },
    }));
  }

  /** Each relay's counters and backlog (GET /metrics). */
  async relayReports(): Promise<RelayReport[]> {
    return Promise.all(
      this.relays.map(async ({ context, relay }) => {
        const status = relay.status();
        const backlog = await relay.backlog();
        return { context, published: status.published, consecutiveFailures: status.consecutiveFailures, pending: backlog.pending, lagMs: backlog.lagMs };
      }),
    );
  }

  /** Pending events and lag of every relay (benchmarks and tests wait on it). */
  async backlog(): Promise<{ pending: number; lagMs: number }> {
    const all = await Promise.all(this.relays.map(({ relay }) => relay.backlog()));
    return { pending: all.reduce((n, b) => n + b.pending, 0), lagMs: Math.max(0, ...all.map((b) => b.lagMs)) };
  }
}

@Module({})
export class KafkaRelayModule {
  static forRoot(options: KafkaRelayOptions): DynamicModule {
    return {
      module: KafkaRelayModule,
      providers: [{ provide: RELAY_OPTIONS, useValue: options }, KafkaRelays],
      exports: [KafkaRelays],
    };
  }
}
