import type { ProjectionChange } from '@chip-ledger/projection';
import type { Observable } from 'rxjs';

/**
 * Which schema holds the ACTIVE generation of a projection (blue/green: the engine switches it after a
 * rebuild caught up). Names are `READ_MODEL_NAMES` values ('chip-mix', 'findings', 'licence-balances', 'rentals').
 */
export interface ActiveSchemas {
  schemaOf(projectionName: string): Promise<string>;
}
export const ACTIVE_SCHEMAS = Symbol.for('chip-ledger.read-models.active-schemas');

/**
 * Read-your-writes: resolves true once the active generation of `projection` (all of them when absent) has
 * applied the position `token` denotes, false after `timeoutMs`. The token is the string the client echoes from
 * a command response; the app's adapter parses it for the engine (e.g. `<streamId>@<version>[,...]` →
 * `engine.waitFor([{ streamId, version }], { projection, timeoutMs })`).
 */
export interface ReadYourWrites {
  waitFor(token: string, timeoutMs: number, projection?: string): Promise<boolean>;
}
export const READ_YOUR_WRITES = Symbol.for('chip-ledger.read-models.read-your-writes');

/** Every ProjectionChange the active generations emit, after their transaction committed. Type: `Observable<ProjectionChange>`. */
export type ProjectionChanges = Observable<ProjectionChange>;
export const PROJECTION_CHANGES = Symbol.for('chip-ledger.read-models.projection-changes');

export interface QueryApiOptions {
  /** How long a GET with `?after=` / `X-Ledger-Position` waits for the projections (default 5,000 ms). */
  readonly readYourWritesTimeoutMs?: number;
  /** "Now" for as-of answers (rentals active, licence validity); default the wall clock. */
  readonly clock?: () => Date;
  /**
   * Serve `GET/POST /dev/sign-in`, which mints viewer and auditor tokens for the dashboard (default false). Only for
   * the embedded form running on the public development JWT secret; the endpoint answers 404 under any other secret.
   */
  readonly developmentSignIn?: boolean;
}
export const QUERY_API_OPTIONS = Symbol.for('chip-ledger.read-models.query-api-options');
