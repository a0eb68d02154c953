import {
  DomainError,
  canAccessOrganisation,
  dataCenterDecider,
  dataCenterFacts,
  purchaseOrderDecider,
  streamIds,
  type Actor,
  type DataCenterFacts,
  type ExistingPurchaseOrder,
  type PurchaseOrderState,
  type RegisteredDataCenter,
} from '@chip-ledger/domain';
import type { UnitOfWork } from '@chip-ledger/command-side';

/**
 * Load a data center the actor may act on. One that does not exist and one owned by another organisation
 * answer the same 404, so operators cannot discover other organisations' sites.
 */
export async function loadAccessibleDataCenter(
  uow: UnitOfWork,
  actor: Actor,
  dataCenterId: string,
  field = 'dataCenterId',
): Promise<{ state: RegisteredDataCenter; facts: DataCenterFacts }> {
  const state = await uow.load(dataCenterDecider, streamIds.dataCenter(dataCenterId));
  if (state.status !== 'registered' || !canAccessOrganisation(actor, state.ownerOrganisationId)) {
    throw new DomainError('DATA_CENTER.NOT_FOUND', `Data center ${dataCenterId} does not exist.`, { field, details: { dataCenterId } });
  }
  return { state, facts: dataCenterFacts(state)! };
}

/** Operators act for their own organisation only; admins for any. */
export function assertActsFor(actor: Actor, organisationId: string, field: string): void {
  if (actor.role !== 'admin' && actor.organisation !== organisationId) {
    throw new DomainError('ORGANISATION.NOT_FOUND', `Organisation ${organisationId} does not exist.`, { field, details: { organisationId } });
  }
}

/** Load a purchase order whose data center the actor may act on (404 otherwise). */
export async function loadAccessiblePurchaseOrder(uow: UnitOfWork, actor: Actor, purchaseOrderId: string): Promise<ExistingPurchaseOrder> {
  const order = await uow.load(purchaseOrderDecider, streamIds.purchaseOrder(purchaseOrderId));
  if (order.status === 'none' || (actor.role !== 'admin' && actor.organisation !== order.buyerOrganisationId)) {
    throw new DomainError('PURCHASE_ORDER.NOT_FOUND', `Purchase order ${purchaseOrderId} does not exist.`, { field: 'purchaseOrderId', details: { purchaseOrderId } });
  }
  return order;
}

/**
 * A purchase order a delivery may cite: one its organisation placed, or one placed for a data center it owns (an admin
 * may have recorded a parent company's order for its subsidiary's site); admins any. Anyone else's order is a use of
 * their resource, so it is treated as missing (404 `PURCHASE_ORDER.NOT_FOUND`): citing it records nothing, and the
 * refusal does not tell which data center it was for (ADR 0018).
 */
export async function loadUsablePurchaseOrder(uow: UnitOfWork, actor: Actor, purchaseOrderId: string): Promise<PurchaseOrderState> {
  const order = await uow.load(purchaseOrderDecider, streamIds.purchaseOrder(purchaseOrderId));
  if (order.status === 'none' || actor.role === 'admin' || actor.organisation === order.buyerOrganisationId) return order;
  const site = await uow.load(dataCenterDecider, streamIds.dataCenter(order.dataCenterId));
  if (site.status === 'registered' && site.ownerOrganisationId === actor.organisation) return order;
  return purchaseOrderDecider.initialState();
}
