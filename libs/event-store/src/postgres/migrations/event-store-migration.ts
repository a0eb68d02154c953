import { quoteIdentifier } from '@chip-ledger/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration of one context store's schema. Its SQL names the schema explicitly (`{{schema}}`, quoted when run):
 * the append functions' bodies resolve names when called, under the caller's search path, so they must not rely on
 * the one the migration ran with.
 */
export abstract class EventStoreMigration implements MigrationInterface {
  abstract readonly name: string;
  /** The id the hand-written migrator recorded it under (adopted once, see eventStoreMigrationScope). */
  abstract readonly legacyId: string;
  protected abstract readonly sql: string;

  constructor(private readonly schema: string) {}

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(this.sql.replaceAll('{{schema}}', quoteIdentifier(this.schema)));
  }

  /** The ledger is append-only, and so is its schema's history: a store is never migrated down (restore a backup). */
  async down(): Promise<void> {
    throw new Error(`${this.name}: event store migrations are not undone`);
  }
}
