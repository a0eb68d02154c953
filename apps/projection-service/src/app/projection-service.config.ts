import { z } from 'zod';
import { loadConfigWith, positiveIntegerSetting, type AppConfig, type LoadConfigOptions } from '@chip-ledger/http';
import { READ_MODEL_NAMES } from '@chip-ledger/read-models';

const KNOWN_READ_MODELS: readonly string[] = READ_MODEL_NAMES;
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * `PROJECTIONS` (comma-separated read model names, default all): the read models this instance consumes, e.g.
 * `findings` in one process and `chip-mix,licence-balances,rentals` in another (each on a core of its own).
 * Every instance serves every query; `none` makes a query instance that consumes nothing; an unknown name stops
 * the start.
 */
const projections = z
  .string()
  .transform((value): string[] | undefined => {
    // A query instance: serves the API, consumes nothing (read load scales apart from the projectors).
    if (value.trim() === 'none') return [];
    const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
    return names.length > 0 ? names : undefined;
  })
  .refine((names) => (names ?? []).every((name) => KNOWN_READ_MODELS.includes(name)), {
    error: (issue) =>
      `names a read model that does not exist: ${((issue.input as string[] | undefined) ?? []).filter((name) => !KNOWN_READ_MODELS.includes(name)).join(', ')} (known: ${KNOWN_READ_MODELS.join(', ')}, or none)`,
  });

/**
 * `PROJECTION_EXCLUSIVE_BATCH` (default: the runner's, 100,000): most events per transaction of an exclusive read
 * model (findings) while it catches up. Fewer means less memory held (100,000 decoded events are ~200 MB) and more
 * compliance evaluations (each touched data center once per transaction).
 */
const exclusiveBatch = positiveIntegerSetting();

/** projection-service's own variables, validated with the shared ones (`loadConfigWith`). */
export const projectionServiceSettings = {
  PROJECTIONS: z.preprocess(unsetIfEmpty, projections.optional()),
  PROJECTION_EXCLUSIVE_BATCH: z.preprocess(unsetIfEmpty, exclusiveBatch.optional()),
};

export interface ProjectionServiceConfig extends AppConfig {
  /** The read models this instance consumes; undefined: all of them. */
  readonly projections?: readonly string[];
  /** Undefined: the runner's default. */
  readonly exclusiveBatch?: number;
}

export function loadProjectionServiceConfig(env: Readonly<Record<string, string | undefined>>, options: LoadConfigOptions = {}): ProjectionServiceConfig {
  return loadConfigWith(env, { service: 'projection-service', port: 3004, ...options }, projectionServiceSettings, (settings) => ({
    projections: settings.PROJECTIONS,
    exclusiveBatch: settings.PROJECTION_EXCLUSIVE_BATCH,
  }));
}
