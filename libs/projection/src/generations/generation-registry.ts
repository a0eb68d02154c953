import { poolOf, runMigrations, withTransaction, type Transaction } from '@chip-ledger/persistence';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { generationMigrationScope, registryMigrationScope } from '../engine/engine-migrations';
import type { GenerationRef } from '../engine/generation-writer';
import { assertSchemaName, generationSchema, REGISTRY_SCHEMA } from '../engine/sql-names';
import type { Projection } from '../projection.port';

export type GenerationState = 'building' | 'active' | 'retired';

/** Where the log ended when a rebuild started: per source key (topic/partition or pg source), and in sum. */
export interface LogEnd {
  readonly total: number;
  readonly parts: Readonly<Record<string, string>>;
}

export interface GenerationRecord extends GenerationRef {
  readonly state: GenerationState;
  readonly createdAt: Date;
  readonly activatedAt: Date | null;
  readonly retiredAt: Date | null;
  readonly droppedAt: Date | null;
  readonly target: LogEnd | null;
}

interface GenerationRow {
  projection: string;
  generation: number;
  schema_name: string;
  state: GenerationState;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
  dropped_at: Date | null;
  target: LogEnd | null;
}

const toRecord = (row: GenerationRow): GenerationRecord => ({
  projection: row.projection,
  generation: row.generation,
  schema: row.schema_name,
  state: row.state,
  createdAt: row.created_at,
  activatedAt: row.activated_at,
  retiredAt: row.retired_at,
  droppedAt: row.dropped_at,
  target: row.target,
});

/** `projections.generations`: which schema serves reads for each projection, and which is being built. */
export class GenerationRegistry {
  private readonly pool: Pool;

  constructor(private readonly dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  async migrate(): Promise<void> {
    await runMigrations(this.dataSource, registryMigrationScope());
  }

  /** This read-model store's deployment id (drawn by the first `migrate`). */
  async deploymentId(): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM ${REGISTRY_SCHEMA}.deployment`);
    if (!rows[0]) throw new Error(`${REGISTRY_SCHEMA}.deployment is empty: migrate first`);
    return rows[0].id;
  }

  async list(projection: string): Promise<GenerationRecord[]> {
    const { rows } = await this.pool.query<GenerationRow>(`SELECT * FROM ${REGISTRY_SCHEMA}.generations WHERE projection = $1 ORDER BY generation`, [projection]);
    return rows.map(toRecord);
  }

  async active(projection: string): Promise<GenerationRecord | null> {
    return (await this.list(projection)).find((g) => g.state === 'active') ?? null;
  }

  /**
   * The first start of a projection: generation 1 is active at once (it fills as it consumes; there is
   * nothing older to serve reads meanwhile). Safe when instances start together (primary key, and the
   * projection's lock around the engine tables' migration).
   */
  async ensureActive(projection: Projection): Promise<GenerationRecord> {
    return this.transaction(async (tx) => {
      const { client } = tx;
      await lockProjection(client, projection.name);
      const { rows } = await client.query<GenerationRow>(
        `SELECT * FROM ${REGISTRY_SCHEMA}.generations WHERE projection = $1 AND state IN ('active', 'building') ORDER BY generation`,
        [projection.name],
      );
      // Live generations' tables follow the code that runs them: the engine's migrations and the read model's that
      // a generation created by an older version has not run yet. Without this, its first batch would fail.
      for (const row of rows) await this.migrateGeneration(tx, projection, row.schema_name);
      const active = rows.find((row) => row.state === 'active');
      if (active) return toRecord(active);
      return this.insertGeneration(tx, projection, 'active', null);
    });
  }

  /** Generation n+1 in state `building`, its schema migrated; the existing building one if there is one. */
  async createBuilding(projection: Projection, target: LogEnd): Promise<GenerationRecord> {
    return this.transaction(async (tx) => {
      await lockProjection(tx.client, projection.name);
      const { rows } = await tx.client.query<GenerationRow>(`SELECT * FROM ${REGISTRY_SCHEMA}.generations WHERE projection = $1 AND state = 'building'`, [projection.name]);
      if (rows[0]) return toRecord(rows[0]);
      return this.insertGeneration(tx, projection, 'building', target);
    });
  }

  /**
   * The blue/green switch, one transaction: the building generation becomes active and the active one
   * retired. Readers resolving `activeSchema` see either the old or the new, never none or both.
   * False when the generation is no longer building (another instance switched first).
   */
  async activate(projection: string, generation: number): Promise<boolean> {
    return this.transaction(async ({ client }) => {
      await lockProjection(client, projection);
      const { rowCount } = await client.query(
        `UPDATE ${REGISTRY_SCHEMA}.generations SET state = 'retired', retired_at = now() WHERE projection = $1 AND state = 'active' AND generation <> $2`,
        [projection, generation],
      );
      const promoted = await client.query(
        `UPDATE ${REGISTRY_SCHEMA}.generations SET state = 'active', activated_at = now() WHERE projection = $1 AND generation = $2 AND state = 'building'`,
        [projection, generation],
      );
      if (promoted.rowCount !== 1) throw new NotBuildingError(projection, generation, rowCount ?? 0);
      return true;
    }).catch((error: unknown) => {
      if (error instanceof NotBuildingError) return false;
      throw error;
    });
  }

  /** Drops the schemas of generations retired more than `graceMs` ago (readers holding the old name finish first). */
  async dropRetired(projection: string, graceMs: number): Promise<string[]> {
    const { rows } = await this.pool.query<GenerationRow>(
      `SELECT * FROM ${REGISTRY_SCHEMA}.generations
        WHERE projection = $1 AND state = 'retired' AND dropped_at IS NULL AND retired_at <= now() - make_interval(secs => $2)`,
      [projection, graceMs / 1000],
    );
    for (const row of rows) {
      await this.transaction(async ({ client }) => {
        await client.query(`DROP SCHEMA IF EXISTS ${assertSchemaName(row.schema_name)} CASCADE`);
        await client.query(`UPDATE ${REGISTRY_SCHEMA}.generations SET dropped_at = now() WHERE projection = $1 AND generation = $2`, [projection, row.generation]);
      });
    }
    return rows.map((row) => row.schema_name);
  }

  private async insertGeneration(tx: Transaction, projection: Projection, state: GenerationState, target: LogEnd | null): Promise<GenerationRecord> {
    const { client } = tx;
    const { rows: maxRows } = await client.query<{ max: number | null }>(`SELECT max(generation) AS max FROM ${REGISTRY_SCHEMA}.generations WHERE projection = $1`, [projection.name]);
    const generation = (maxRows[0].max ?? 0) + 1;
    const schema = generationSchema(projection.name, generation);
    await this.migrateGeneration(tx, projection, schema);
    const { rows } = await client.query<GenerationRow>(
      `INSERT INTO ${REGISTRY_SCHEMA}.generations (projection, generation, schema_name, state, activated_at, target)
       VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'active' THEN now() END, $5) RETURNING *`,
      [projection.name, generation, schema, state, target === null ? null : JSON.stringify(target)],
    );
    return toRecord(rows[0]);
  }

  /**
   * The engine's tables and the read model's in a generation's schema, then the rows it starts with, in the
   * registry's transaction: a generation is recorded with its tables or not at all.
   */
  private async migrateGeneration(tx: Transaction, projection: Projection, schema: string): Promise<void> {
    await runMigrations(this.dataSource, generationMigrationScope(assertSchemaName(schema), projection), tx.runner);
    await projection.seed?.({ schema, manager: tx.manager, client: tx.client });
  }

  private transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return withTransaction(this.dataSource, work);
  }
}

/** Serialises registry changes of one projection across instances. */
async function lockProjection(client: PoolClient, projection: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${REGISTRY_SCHEMA}.${projection}`]);
}

class NotBuildingError extends Error {
  constructor(projection: string, generation: number, retired: number) {
    super(`${projection} generation ${generation} is not building (retired ${retired})`);
  }
}
