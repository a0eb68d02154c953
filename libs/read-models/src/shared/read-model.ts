import type { Type } from '@nestjs/common';
import type { Rulebook } from '@chip-ledger/compliance';
import type { Projection } from '@chip-ledger/projection';

export interface ReadModelOptions {
  readonly rulebook?: Rulebook;
  /** The clock the findings projection judges "now" by in `apply` (default: the wall clock). */
  readonly clock?: () => Date;
}

/**
 * One read model, as its folder's `<name>.read-model.ts` declares it and `registry.ts` lists it: what the projection
 * engine runs (its projection, one instance per generation), the tables it owns (entities, which join the app's
 * DataSource), and what the query API serves of it (controllers and @QueryHandlers).
 */
export interface ReadModelDefinition {
  /** Its entities' tables live in each of its generations' schemas. */
  readonly entities: readonly Type[];
  /** Absent for a query over another read model's tables (fleet mix reads chip-mix's): no tables, nothing to project. */
  readonly projection?: (options: ReadModelOptions) => Projection;
  readonly controllers: readonly Type[];
  readonly queryHandlers: readonly Type[];
}
