import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { ProbeDown, type HealthProbe } from './health.module';

export function databaseProbe(pool: Pool): HealthProbe {
  return {
    name: 'database',
    check: async () => {
      const started = Date.now();
      await pool.query('SELECT 1');
      return { latencyMs: Date.now() - started, totalConnections: pool.totalCount, idleConnections: pool.idleCount };
    },
  };
}

/**
 * Kafka answers a metadata request, through any of the configured brokers (a dead one is skipped: kafkajs tries
 * another seed on retry), and the cluster has at least as many live brokers as were configured: with one of three
 * down it is degraded, though writes go on (replication factor 3, 2 in sync). One admin connection is kept and reused.
 */
export function kafkaProbe(brokers: string[]): HealthProbe & { close(): Promise<void> } {
  let admin: Admin | null = null;
  return {
    name: 'kafka',
    check: async () => {
      admin ??= new Kafka({ clientId: 'chip-ledger-health', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 } }).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        const details = { brokers: cluster.brokers.length, configured: brokers.length, controller: cluster.controller };
        if (cluster.brokers.length < brokers.length) throw new ProbeDown(`${cluster.brokers.length} of the ${brokers.length} configured brokers are in the cluster`, details);
        return details;
      } catch (error) {
        if (error instanceof ProbeDown) throw error;
        await admin.disconnect().catch(() => undefined);
        admin = null;
        throw error;
      }
    },
    close: async () => {
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
