import type { PoolClient } from 'pg';

/** What the read models need of a connection: a pg `Pool` or `PoolClient` both fit. */
export interface Queryable {
  query: PoolClient['query'];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `"schema"."table"`. Schemas come from the engine (one per generation), never from a request, but they are
 * still checked: an identifier cannot be a bind parameter, so this is the one place SQL is built from a name.
 */
export const qualified = (schema: string, table: string): string => {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  if (!IDENTIFIER.test(table)) throw new Error(`invalid table name '${table}'`);
  return `"${schema}"."${table}"`;
};

export const quoteSchema = (schema: string): string => {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  return `"${schema}"`;
};

/**
 * Rows travel as ONE jsonb parameter expanded by `jsonb_to_recordset`: a multi-row write of any size is a
 * single round trip with a single bind value (no 65,535-parameter ceiling, no per-row statements).
 */
export const asJsonRows = (rows: readonly object[]): string => JSON.stringify(rows);

export const iso = (ms: number): string => new Date(ms).toISOString();
