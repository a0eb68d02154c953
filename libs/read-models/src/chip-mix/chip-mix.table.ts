import { qualified } from '../shared/sql';

/** Table names of the chip-mix read model (prefixed: several read models may share a generation's schema). */
export const CHIP_MIX_TABLES = {
  models: 'chip_mix_models',
  organisations: 'chip_mix_organisations',
  dataCenters: 'chip_mix_data_centers',
  counts: 'chip_mix_counts',
  rentals: 'chip_mix_rentals',
} as const;

export const chipMixTables = (schema: string) => ({
  models: qualified(schema, CHIP_MIX_TABLES.models),
  organisations: qualified(schema, CHIP_MIX_TABLES.organisations),
  dataCenters: qualified(schema, CHIP_MIX_TABLES.dataCenters),
  counts: qualified(schema, CHIP_MIX_TABLES.counts),
  rentals: qualified(schema, CHIP_MIX_TABLES.rentals),
});
