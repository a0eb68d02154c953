import type { Actor, Role } from '@chip-ledger/domain';

export const ROLES: readonly Role[] = ['operator', 'viewer', 'auditor', 'admin'];

/** Claims of a Chip Ledger access token (JWT, HS256). */
export interface AccessTokenClaims {
  /** The person or system acting. */
  readonly sub: string;
  /** Their organisation id. */
  readonly org: string;
  readonly role: Role;
  /** Expiry (seconds since the epoch), when the token has one. */
  readonly exp?: number;
}

export function actorFromClaims(claims: AccessTokenClaims): Actor {
  return { id: claims.sub, organisation: claims.org, role: claims.role };
}

/**
 * Whether an actor may see (and, for operators, write) a data center owned by `ownerOrganisationId`.
 * Auditors and admins see every organisation; operators and viewers only their own. Callers answer 404,
 * not 403, when this is false, so another organisation's data centers cannot be discovered.
 */
export function canAccessOrganisation(actor: Actor, ownerOrganisationId: string): boolean {
  return actor.role === 'admin' || actor.role === 'auditor' || actor.organisation === ownerOrganisationId;
}
