import type { ValueTransformer } from 'typeorm';

/**
 * How columns read back, so an entity is the read model's own shape and no query maps rows by hand: instants as ISO
 * strings (what the API answers and what the projections compare), PostgreSQL bigint and numeric as JS numbers
 * (counts of chips and percentages stay far below 2^53; pg returns both as text to be safe).
 */
export const instantColumn: ValueTransformer = {
  to: (value: string | Date | null | undefined) => value,
  from: (value: Date | string | null) => (value === null || value === undefined ? null : new Date(value).toISOString()),
};

export const numberColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
