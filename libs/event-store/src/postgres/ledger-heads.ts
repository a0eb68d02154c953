import type { Pool } from 'pg';
import { quoteSchema } from './schema-name';

/** Injection token for {@link LedgerHeads}. */
export const LEDGER_HEADS = Symbol.for('chip-ledger.LedgerHeads');

/**
 * The highest committed global position of each context store (schema → position; 0 for a store with no event
 * yet, or none at all in this database). Read after a write committed, it bounds every event recorded before the
 * write answered, in every context: the read-your-writes token (ADR 0019).
 */
export interface LedgerHeads {
  read(): Promise<ReadonlyMap<string, number>>;
}

/**
 * Reads the heads of several stores of one database in one statement (a backward step on each primary key).
 * Concurrent callers share a statement, as long as it started after they called: N commands answering at once
 * cost one query, not N, and each still gets heads read after its own commit.
 */
export class PostgresLedgerHeads implements LedgerHeads {
  /** Schemas known to have an events table (a store never goes away); the others are looked up with every read. */
  private readonly present = new Set<string>();
  private inFlight: Promise<unknown> = Promise.resolve();
  private next: Promise<ReadonlyMap<string, number>> | null = null;

  constructor(
    private readonly pool: Pool,
    readonly schemas: readonly string[],
  ) {
    for (const schema of schemas) quoteSchema(schema);
  }

  read(): Promise<ReadonlyMap<string, number>> {
    // A statement already under way may have started before the caller's commit: join the next one instead.
    this.next ??= this.inFlight.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<ReadonlyMap<string, number>> {
    this.next = null;
    const run = this.query();
    this.inFlight = run;
    return run;
  }

  private async query(): Promise<ReadonlyMap<string, number>> {
    if (this.schemas.length === 0) return new Map();
    const stores = this.schemas.filter((schema) => this.present.has(schema));
    const unknown = this.schemas.filter((schema) => !this.present.has(schema));
    // In the same statement: whether the stores not seen yet exist now (a service deployed later creates its schema).
    const { rows } = await this.pool.query<Record<string, string | boolean | null>>(
      `SELECT ${[
        ...stores.map((schema, i) => `(SELECT max(global_position) FROM ${quoteSchema(schema)}.events)::text AS h${i}`),
        ...unknown.map((_, i) => `to_regclass($${i + 1}) IS NOT NULL AS e${i}`),
      ].join(', ')}`,
      unknown.map((schema) => `${quoteSchema(schema)}.events`),
    );
    const appeared = unknown.filter((_, i) => rows[0][`e${i}`] === true);
    if (appeared.length > 0) {
      // Rare (once per store and process): read again with it, so its events are not left out of the heads.
      for (const schema of appeared) this.present.add(schema);
      return this.query();
    }
    const heads = new Map<string, number>(this.schemas.map((schema) => [schema, 0]));
    stores.forEach((schema, i) => heads.set(schema, Number(rows[0][`h${i}`] ?? 0)));
    return heads;
  }
}
