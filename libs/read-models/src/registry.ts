import type { Rulebook } from '@chip-ledger/compliance';
import type { ProjectionFactory } from '@chip-ledger/projection';
import { CHIP_MIX_ENTITIES } from './chip-mix/chip-mix.entities';
import { CHIP_MIX, ChipMixProjection } from './chip-mix/chip-mix.projection';
import { FINDINGS_ENTITIES } from './findings/findings.entities';
import { FINDINGS, FindingsProjection } from './findings/findings.projection';
import { LICENCE_BALANCES_ENTITIES } from './licence-balances/licence-balances.entities';
import { LICENCE_BALANCES, LicenceBalancesProjection } from './licence-balances/licence-balances.projection';
import { RENTALS_ENTITIES } from './rentals/rentals.entities';
import { RENTALS, RentalsProjection } from './rentals/rentals.projection';

/** Names the engine and the query API agree on (`ACTIVE_SCHEMAS.schemaOf(name)`). */
export const READ_MODEL_NAMES = { chipMix: CHIP_MIX, findings: FINDINGS, licenceBalances: LICENCE_BALANCES, rentals: RENTALS } as const;
export type ReadModelName = (typeof READ_MODEL_NAMES)[keyof typeof READ_MODEL_NAMES];

export interface ReadModelOptions {
  readonly rulebook?: Rulebook;
  /** The clock the findings projection judges "now" by in `apply` (default: the wall clock). */
  readonly clock?: () => Date;
}

/** Every read model, as factories (one instance per generation). Fleet mix is a query over chip-mix tables. */
export const readModelFactories = (options: ReadModelOptions = {}): ProjectionFactory[] => [
  () => new ChipMixProjection({ rulebook: options.rulebook }),
  () => new FindingsProjection({ rulebook: options.rulebook, clock: options.clock }),
  () => new LicenceBalancesProjection(),
  () => new RentalsProjection(),
];

/** The registry with the default rulebook (RULEBOOK_V1) and the wall clock. */
export const READ_MODELS: readonly ProjectionFactory[] = readModelFactories();

/** Every read model's TypeORM entities (their tables live in each generation's schema). */
export const READ_MODEL_ENTITIES = [...CHIP_MIX_ENTITIES, ...FINDINGS_ENTITIES, ...LICENCE_BALANCES_ENTITIES, ...RENTALS_ENTITIES] as const;
