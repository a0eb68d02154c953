import { runMigrations, type MigrationReport, type MigrationScope } from '@chip-ledger/persistence';
import type { DataSource } from 'typeorm';
import { EventsTable1735689600001 } from './1735689600001-events-table';
import { AppendFunction1735689600002 } from './1735689600002-append-function';
import { AppendBatchFunction1735689600003 } from './1735689600003-append-batch-function';
import { AppendBatchLocks1735689600004 } from './1735689600004-append-batch-locks';
import { AuditorReadIndexes1735689600005 } from './1735689600005-auditor-read-indexes';
import { XidBeforePosition1735689600006 } from './1735689600006-xid-before-position';

/**
 * A context store's schema (procurement, rental, audit): its migrations, recorded in `<schema>.migrations`. Never edit
 * one that has been applied anywhere: add a new one (the next timestamp).
 */
export function eventStoreMigrationScope(schema: string): MigrationScope {
  const migrations = [
    new EventsTable1735689600001(schema),
    new AppendFunction1735689600002(schema),
    new AppendBatchFunction1735689600003(schema),
    new AppendBatchLocks1735689600004(schema),
    new AuditorReadIndexes1735689600005(schema),
    new XidBeforePosition1735689600006(schema),
  ];
  // Schemas migrated before TypeORM's runner kept `schema_migrations` (id, checksum): adopted on first run.
  return { schema, migrations, adopt: { table: 'schema_migrations', names: Object.fromEntries(migrations.map((m) => [m.legacyId, m.name])) } };
}

/** Creates or upgrades a context store's schema (idempotent; every service runs it at start-up, before it appends). */
export function migrateEventStore(dataSource: DataSource, schema: string): Promise<MigrationReport> {
  return runMigrations(dataSource, eventStoreMigrationScope(schema));
}
