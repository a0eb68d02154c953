import type { Actor } from '@chip-ledger/domain';
import type { ProjectionChange } from '@chip-ledger/projection';

/**
 * Whether a change may be streamed to an actor: auditors and admins see everything; viewers and operators see
 * changes about their organisation (owner of the data center, consignee of the licence) and rentals their
 * organisation is the tenant of. A change with no organisation (not yet known) goes to auditors and admins only.
 */
export const changeVisibleTo = (actor: Actor, change: ProjectionChange): boolean => {
  if (actor.role === 'admin' || actor.role === 'auditor') return true;
  if (change.organisationId !== null && change.organisationId === actor.organisation) return true;
  return change.payload['tenantOrganisationId'] === actor.organisation;
};
