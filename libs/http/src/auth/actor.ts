import type { Actor, Role } from '@chip-ledger/domain';

export { ROLES } from '@chip-ledger/domain';

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

/** The access rule is the domain's (command handlers apply it too); the HTTP layer's readers keep importing it from here. */
export { canAccessOrganisation } from '@chip-ledger/domain';
