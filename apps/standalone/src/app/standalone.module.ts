import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@chip-ledger/audit';
import { AuditReadModule } from '@chip-ledger/audit-read';
import { CLOCK, systemClock } from '@chip-ledger/command-side';
import { EVENT_STORE, PROCUREMENT_EVENT_STORE } from '@chip-ledger/event-store';
import type { AppConfig } from '@chip-ledger/http';
import { eventStoreProvider, serviceInfrastructure, topicReplication } from '@chip-ledger/infrastructure';
import { ProcurementModule } from '@chip-ledger/procurement';
import { ProjectionServiceModule } from '@chip-ledger/read-models';
import { RentalModule } from '@chip-ledger/rental';

const clock = { provide: CLOCK, useValue: systemClock };
/** Rentals and audits read procurement's streams (data centers, stock, catalog) for their invariants. */
const procurementStore = eventStoreProvider(PROCUREMENT_EVENT_STORE, 'procurement');

export interface StandaloneOptions {
  /** Runs after everything else has shut down (the embedded PostgreSQL stops last, once the pool is closed). */
  readonly onShutdown?: () => Promise<void>;
}

/**
 * Every context in one process: the embedded default behind `npm start`. Each context keeps its own
 * schema, exactly as in the distributed form; only the adapters around them differ (with KAFKA_BROKERS
 * set, it also relays every context to Kafka).
 */
@Module({})
export class StandaloneModule {
  static forRoot(config: AppConfig & { databaseUrl: string }, options: StandaloneOptions = {}): DynamicModule {
    const { onShutdown } = options;
    return {
      module: StandaloneModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'standalone', relayedContexts: ['procurement', 'rental', 'audit'] }),
        ProcurementModule.forRoot({ providers: [eventStoreProvider(EVENT_STORE, 'procurement'), clock] }),
        RentalModule.forRoot({ providers: [eventStoreProvider(EVENT_STORE, 'rental'), procurementStore, clock] }),
        AuditModule.forRoot({ providers: [eventStoreProvider(EVENT_STORE, 'audit'), procurementStore, clock] }),
        // Embedded: projections read the PostgreSQL event log; with KAFKA_BROKERS they read the topics.
        ProjectionServiceModule.forRoot(
          config.kafkaBrokers
            ? { kind: 'kafka', brokers: config.kafkaBrokers, topicPrefix: config.kafkaTopicPrefix, replication: topicReplication(config), maxLag: config.projectionMaxLag }
            : { kind: 'postgres-log', maxLag: config.projectionMaxLag },
          {
            // The dashboard's sign-in for a first-time user: only on the public development secret (ADR 0016).
            developmentSignIn: config.jwtSecretIsDevelopmentDefault && !config.production,
          },
        ),
        // GET /events/{eventId}; GET /events/stream (the query API's) is routed first by specificity (HTTP_APP_OPTIONS).
        AuditReadModule.forRoot(),
      ],
      // The root module's hooks run after those of the modules it imports (the pool among them).
      providers: onShutdown ? [{ provide: 'STANDALONE_SHUTDOWN', useValue: { onApplicationShutdown: onShutdown } }] : [],
    };
  }
}
