/** ISO 3166-1 alpha-2 country code, upper case (e.g. 'CN', 'MY', 'US'). */
export type CountryCode = string;

/** An instant as an ISO-8601 UTC string (e.g. '2025-11-05T00:00:00.000Z'). Domain code never reads the clock. */
export type Instant = string;

export type Role = 'operator' | 'viewer' | 'auditor' | 'admin';

/** Every role, in the order the docs list them. */
export const ROLES: readonly Role[] = ['operator', 'viewer', 'auditor', 'admin'];

/** Who recorded a fact. Every event carries one. */
export interface Actor {
  readonly id: string;
  readonly organisation: string;
  readonly role: Role;
}

/**
 * Whether an actor may see (and, for operators, write) what an organisation owns (a data center, its rentals).
 * Auditors and admins see every organisation; operators and viewers only their own. Adapters answer 404, not
 * 403, when this is false, so another organisation's data centers cannot be discovered.
 */
export function canAccessOrganisation(actor: Actor, ownerOrganisationId: string): boolean {
  return actor.role === 'admin' || actor.role === 'auditor' || actor.organisation === ownerOrganisationId;
}
