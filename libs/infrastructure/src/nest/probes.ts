import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { HealthProbe } from './health.module';

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

/** Kafka answers a metadata request; one admin connection is kept and reused across checks. */
export function kafkaProbe(brokers: string[]): HealthProbe & { close(): Promise<void> } {
  let admin: Admin | null = null;
  return {
    name: 'kafka',
    check: async () => {
      admin ??= new Kafka({ clientId: 'chip-ledger-health', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return { brokers: cluster.brokers.length, controller: cluster.controller };
      } catch (error) {
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
