import type { ProjectionFactory } from '@chip-ledger/projection';
import { CHIP_MIX_READ_MODEL } from './chip-mix/chip-mix.read-model';
import { FINDINGS_READ_MODEL } from './findings/findings.read-model';
import { FLEET_MIX_READ_MODEL } from './fleet-mix/fleet-mix.read-model';
import { LICENCE_BALANCES_READ_MODEL } from './licence-balances/licence-balances.read-model';
import { RENTALS_READ_MODEL } from './rentals/rentals.read-model';
import type { ReadModelDefinition, ReadModelOptions } from './shared/read-model';

export type { ReadModelDefinition, ReadModelOptions } from './shared/read-model';

/**
 * Every read model, one line each (its folder's `<name>.read-model.ts`): the engine runs their projections, the app's
 * DataSource learns their entities, the query API serves their controllers and query handlers.
 */
export const READ_MODEL_REGISTRY: readonly ReadModelDefinition[] = [
  CHIP_MIX_READ_MODEL,
  FLEET_MIX_READ_MODEL,
  FINDINGS_READ_MODEL,
  LICENCE_BALANCES_READ_MODEL,
  RENTALS_READ_MODEL,
];

/** Every read model's projection, as factories (one instance per generation). */
export const readModelFactories = (options: ReadModelOptions = {}): ProjectionFactory[] =>
  READ_MODEL_REGISTRY.flatMap(({ projection }) => (projection ? [() => projection(options)] : []));

/** The registry with the default rulebook (RULEBOOK_V1) and the wall clock. */
export const READ_MODELS: readonly ProjectionFactory[] = readModelFactories();

/** Names the engine and the query API agree on (`ACTIVE_SCHEMAS.schemaOf(name)`): 'chip-mix', 'findings', … */
export const READ_MODEL_NAMES: readonly string[] = READ_MODELS.map((factory) => factory().name);

/** Every read model's TypeORM entities (their tables live in each generation's schema). */
export const READ_MODEL_ENTITIES = READ_MODEL_REGISTRY.flatMap(({ entities }) => entities);

export const QUERY_CONTROLLERS = READ_MODEL_REGISTRY.flatMap(({ controllers }) => controllers);
export const QUERY_HANDLERS = READ_MODEL_REGISTRY.flatMap(({ queryHandlers }) => queryHandlers);
