import type { DynamicModule } from '@nestjs/common';
import { HttpPlatformModule, type AppConfig } from '@chip-ledger/http';
import type { LedgerContext, TopicReplication } from '@chip-ledger/messaging';
import type { Pool } from 'pg';
import { DatabaseModule, PG_POOL } from './database.module';
import { HEALTH_PROBES, HealthModule } from './health.module';
import { KafkaRelayModule, KafkaRelays } from './kafka-relay.module';
import { databaseProbe, kafkaProbe } from './probes';
import { MetricsModule } from '../metrics/metrics.module';

/** How the topics the product creates are replicated, from the configuration. */
export function topicReplication(config: AppConfig): TopicReplication {
  return { replicationFactor: config.kafkaReplicationFactor, minInsyncReplicas: config.kafkaMinInsyncReplicas };
}

/**
 * What every deployable shares around its contexts: HTTP conventions, the pool, the outbox relays of the
 * contexts it hosts (when Kafka is configured), GET /health over all of it and GET /metrics.
 */
export function serviceInfrastructure(options: { config: AppConfig; databaseUrl: string; service: string; relayedContexts: readonly LedgerContext[] }): DynamicModule[] {
  const { config, databaseUrl, service } = options;
  const brokers = config.kafkaBrokers;
  const relays =
    brokers && options.relayedContexts.length
      ? KafkaRelayModule.forRoot({ contexts: options.relayedContexts, brokers, topicPrefix: config.kafkaTopicPrefix, replication: topicReplication(config) })
      : null;
  return [
    HttpPlatformModule.forRoot(config),
    MetricsModule.forRoot({ service, bearerToken: config.metricsToken }),
    DatabaseModule.forRoot({ url: databaseUrl, applicationName: service }),
    ...(relays ? [relays] : []),
    HealthModule.forRoot(
      service,
      {
        provide: HEALTH_PROBES,
        inject: relays ? [PG_POOL, KafkaRelays] : [PG_POOL],
        useFactory: (pool: Pool, kafkaRelays?: KafkaRelays) => [
          databaseProbe(pool),
          ...(brokers ? [kafkaProbe(brokers)] : []),
          ...(kafkaRelays?.probes() ?? []),
        ],
      },
      relays ? [relays] : [],
    ),
  ];
}
