import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { quoteIdentifier } from './names';

/** The stored (`t.`) and incoming (`excluded.`) SQL of a column, by property name. */
export type ColumnSides = (property: string) => { readonly stored: string; readonly incoming: string };

/**
 * What a conflicting row's column becomes: the incoming value, or an SQL expression of its stored and incoming values
 * (and, through `other`, of other columns').
 */
export type ColumnUpdate = 'incoming' | ((stored: string, incoming: string, other: ColumnSides) => string);

export interface UpsertSpec<T> {
  /** The columns written, by property name (default: every column of the entity). */
  readonly columns?: readonly (keyof T & string)[];
  /** The conflict target, by property name (default: the primary key). */
  readonly conflict?: readonly (keyof T & string)[];
  /** Per property, what a conflicting row's column becomes; absent or empty: DO NOTHING. */
  readonly update?: { readonly [K in keyof T & string]?: ColumnUpdate };
  /** Columns to return from the inserted or updated rows (property names, returned under their column names). */
  readonly returning?: readonly (keyof T & string)[];
}

/**
 * SQL for one entity's table in one schema, with every table and column name taken from the entity's TypeORM
 * metadata. What it builds is set-based: a batch of rows travels as ONE jsonb parameter expanded by
 * `jsonb_to_recordset` (any number of rows, one bind value, one round trip, no 65,535-parameter ceiling), the rows
 * being plain objects keyed by the entity's property names. TypeORM's own insert builder binds every value of every
 * row and has no ON CONFLICT expressions of the stored value (`count = stored + incoming`); the projector's batches
 * need both (ADR 0024, with the measurement).
 */
export class TableSql<T extends ObjectLiteral> {
  /** `"schema"."table"` */
  readonly name: string;

  constructor(
    private readonly metadata: EntityMetadata,
    private readonly sqlType: (column: ColumnMetadata) => string,
    schema: string,
  ) {
    this.name = `${quoteIdentifier(schema)}.${quoteIdentifier(metadata.tableName)}`;
  }

  /** The quoted column name of a property. */
  column(property: keyof T & string): string {
    return quoteIdentifier(this.columnOf(property).databaseName);
  }

  /**
   * `jsonb_to_recordset(<param>::jsonb) AS <alias>("property" type, …)` over the given properties (default: all), and
   * `extra` fields the rows carry that are no column (name → SQL type).
   */
  recordset(properties: readonly (keyof T & string)[] = this.properties(), param = '$1', alias = 'x', extra: Readonly<Record<string, string>> = {}): string {
    const fields = [...properties.map((p) => `"${p}" ${this.sqlType(this.columnOf(p))}`), ...Object.entries(extra).map(([name, type]) => `"${assertField(name)}" ${type}`)];
    return `jsonb_to_recordset(${param}::jsonb) AS ${alias}(${fields.join(', ')})`;
  }

  /**
   * `UPDATE … AS t SET … FROM jsonb_to_recordset($1) AS x WHERE t.<match> = x.<match>`: the stored rows a batch of
   * partial rows (patches) speaks about, each column set from its stored and incoming values (`x."property"`).
   */
  update(spec: {
    readonly columns: readonly (keyof T & string)[];
    readonly match: readonly (keyof T & string)[];
    readonly set: { readonly [K in keyof T & string]?: ColumnUpdate };
    readonly extra?: Readonly<Record<string, string>>;
    readonly returning?: readonly (keyof T & string)[];
  }): string {
    const sides: ColumnSides = (property) => ({
      stored: property in (spec.extra ?? {}) ? 'NULL' : `t.${this.column(property as keyof T & string)}`,
      incoming: `x."${assertField(property)}"`,
    });
    const set = (Object.entries(spec.set) as [keyof T & string, ColumnUpdate][]).map(([property, how]) => {
      const { stored, incoming } = sides(property);
      return `${this.column(property)} = ${how === 'incoming' ? incoming : how(stored, incoming, sides)}`;
    });
    return [
      `UPDATE ${this.name} AS t SET ${set.join(', ')}`,
      `FROM ${this.recordset(spec.columns, '$1', 'x', spec.extra)}`,
      `WHERE ${spec.match.map((p) => `t.${this.column(p)} = x."${p}"`).join(' AND ')}`,
      spec.returning && spec.returning.length > 0 ? `RETURNING ${spec.returning.map((p) => `t.${this.column(p)}`).join(', ')}` : '',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }

  /** `INSERT … SELECT … FROM jsonb_to_recordset($1) ON CONFLICT (…) DO UPDATE SET …` */
  upsert(spec: UpsertSpec<T> = {}): string {
    const columns = spec.columns ?? this.properties();
    const conflict = spec.conflict ?? this.metadata.primaryColumns.map((c) => c.propertyName as keyof T & string);
    const updates = Object.entries(spec.update ?? {}) as [keyof T & string, ColumnUpdate][];
    const sides: ColumnSides = (property) => ({ stored: `t.${this.column(property as keyof T & string)}`, incoming: `excluded.${this.column(property as keyof T & string)}` });
    const set = updates.map(([property, how]) => {
      const column = this.column(property);
      return `${column} = ${how === 'incoming' ? `excluded.${column}` : how(`t.${column}`, `excluded.${column}`, sides)}`;
    });
    return [
      `INSERT INTO ${this.name} AS t (${columns.map((p) => this.column(p)).join(', ')})`,
      `SELECT ${columns.map((p) => `x."${p}"`).join(', ')} FROM ${this.recordset(columns)}`,
      `ON CONFLICT (${conflict.map((p) => this.column(p)).join(', ')}) ${set.length > 0 ? `DO UPDATE SET ${set.join(', ')}` : 'DO NOTHING'}`,
      spec.returning && spec.returning.length > 0 ? `RETURNING ${spec.returning.map((p) => `t.${this.column(p)}`).join(', ')}` : '',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }

  private properties(): (keyof T & string)[] {
    return this.metadata.columns.map((c) => c.propertyName as keyof T & string);
  }

  private columnOf(property: string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column for property ${property}`);
    return column;
  }
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const assertField = (name: string): string => {
  if (!FIELD.test(name)) throw new Error(`Not a field name: ${JSON.stringify(name)}`);
  return name;
};

/** The rows of a set-based statement: the one jsonb parameter. */
export const jsonRows = (rows: readonly object[]): string => JSON.stringify(rows);

/** Table SQL for `entity` in `schema`, from the metadata of the DataSource (or a transaction's manager). */
export function tableOf<T extends ObjectLiteral>(source: DataSource | EntityManager, entity: EntityTarget<T>, schema: string): TableSql<T> {
  const dataSource = 'manager' in source ? source : source.connection;
  const driver = dataSource.driver;
  const sqlType = (column: ColumnMetadata): string => `${driver.normalizeType(column)}${column.isArray ? '[]' : ''}`;
  return new TableSql<T>(dataSource.getMetadata(entity), sqlType, schema);
}
