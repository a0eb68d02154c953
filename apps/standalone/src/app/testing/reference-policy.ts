/**
 * What happens when a command names an aggregate of another organisation: decided per operation and field, and
 * documented in ADR 0018 ("References across organisations"), whose table this is. The cross-organisation test
 * (`cross-organisation.e2e.spec.ts`) runs every POST operation of the OpenAPI description against it, and fails
 * on an operation this table does not decide.
 *
 * - `refused`: a use of the other organisation's resource (its data center, purchase order, rental, its identity
 *   as buyer or owner): 404 problem+json naming the field, as for a missing one, and nothing written.
 * - `recorded`: a fact about the world the ledger must keep (a delivery citing a licence issued to someone else, a
 *   rental to a tenant): recorded, flagged by compliance where it breaks a rule, and never drawn from the other
 *   organisation's resources.
 * - `role`: only roles that act for every organisation may call the operation (admins; auditors for auditors'
 *   facts), so an operator's call is a 403 and the question does not arise.
 * - `records-nothing`: the embedded form's development sign-in mints a read-only token for any organisation (what anyone
 *   can do with the public development secret; 404 under a real one): it writes no event.
 */
export type ReferenceOutcome = { readonly kind: 'refused'; readonly code: string } | { readonly kind: 'recorded' };

/** The ids a request is built from: each organisation's own, so a reference can be swapped for the other's. */
export interface OwnIds {
  readonly organisationId: string;
  readonly dataCenterId: string;
  /** A second data center of the same organisation (a transfer's other end). */
  readonly otherDataCenterId: string;
  readonly purchaseOrderId: string;
  readonly licenceId: string;
  readonly rentalId: string;
}

export interface OperationPolicy {
  /** Who may call it at all; an operator of another organisation is the caller the references are tried with. */
  readonly roles: readonly ('operator' | 'auditor' | 'admin' | 'anyone')[];
  /** Writes no event whatever it is called with. */
  readonly recordsNothing?: boolean;
  /** A valid request of organisation `ids`; `unique` keeps each call's new ids apart, `n` grows with each call. */
  readonly request?: (ids: OwnIds, unique: string, n: number) => { readonly path: string; readonly body: object };
  /** Per referenced field: which of the caller's ids it takes, and what a reference to the other organisation's does. */
  readonly references?: Readonly<Record<string, { readonly id: keyof OwnIds; readonly outcome: ReferenceOutcome }>>;
}

const refused = (code: string): ReferenceOutcome => ({ kind: 'refused', code });
const recorded: ReferenceOutcome = { kind: 'recorded' };
const adminOnly: OperationPolicy = { roles: ['admin'] };
const auditorsOnly: OperationPolicy = { roles: ['auditor', 'admin'] };
const occurredAt = '2025-06-01';
const day = (n: number) => new Date(Date.parse('2025-06-01') + n * 86_400_000).toISOString().slice(0, 10);

export const REFERENCE_POLICY: Readonly<Record<string, OperationPolicy>> = {
  'POST /organisations': adminOnly,
  'POST /organisations/{organisationId}/entity-list-listings': adminOnly,
  'POST /organisations/{organisationId}/entity-list-removals': adminOnly,
  'POST /chip-models': adminOnly,
  'POST /chip-models/{modelId}/corrections': adminOnly,
  'POST /export-licences': adminOnly,
  'POST /export-licences/{licenceId}/amendments': adminOnly,
  'POST /export-licences/{licenceId}/suspension': adminOnly,
  'POST /export-licences/{licenceId}/reinstatement': adminOnly,
  'POST /export-licences/{licenceId}/revocation': adminOnly,
  'POST /export-licences/{licenceId}/remittances': adminOnly,
  'POST /admin/projections/{name}/rebuild': adminOnly,
  'POST /dev/sign-in': {
    roles: ['anyone'],
    recordsNothing: true,
    request: (ids) => ({ path: '/dev/sign-in', body: { role: 'viewer', organisationId: ids.organisationId } }),
  },
  'POST /data-centers/{dataCenterId}/audits': auditorsOnly,
  'POST /data-centers/{dataCenterId}/audits/{auditId}/closure': auditorsOnly,
  'POST /data-centers/{dataCenterId}/audit-notes': auditorsOnly,
  'POST /data-centers/{dataCenterId}/finding-acknowledgements': auditorsOnly,
  'POST /data-centers/{dataCenterId}/case-reviews': auditorsOnly,

  'POST /data-centers': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({
      path: '/data-centers',
      body: { dataCenterId: `dc-${unique}`, name: 'New site', ownerOrganisationId: ids.organisationId, country: 'CN', region: 'Gansu', occurredAt },
    }),
    references: { ownerOrganisationId: { id: 'organisationId', outcome: refused('ORGANISATION.NOT_FOUND') } },
  },
  'POST /data-centers/{dataCenterId}/construction-progress': {
    roles: ['operator', 'admin'],
    request: (ids, _unique, n) => ({ path: `/data-centers/${ids.dataCenterId}/construction-progress`, body: { completionPercent: 10 + n, occurredAt: day(n) } }),
    references: { dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') } },
  },
  'POST /data-centers/{dataCenterId}/state-funding': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({ path: `/data-centers/${ids.dataCenterId}/state-funding`, body: { funder: 'Province', reference: unique, occurredAt } }),
    references: { dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') } },
  },
  'POST /purchase-orders': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({
      path: '/purchase-orders',
      body: { purchaseOrderId: `po-${unique}`, buyerOrganisationId: ids.organisationId, dataCenterId: ids.dataCenterId, supplier: 'Nvidia', lines: [{ modelId: 'nvidia-h20', quantity: 1 }], occurredAt },
    }),
    references: {
      buyerOrganisationId: { id: 'organisationId', outcome: refused('ORGANISATION.NOT_FOUND') },
      dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') },
    },
  },
  'POST /purchase-orders/{purchaseOrderId}/cancellation': {
    roles: ['operator', 'admin'],
    // Only the other organisation's order is tried: cancelling one's own is the ordinary case, tested elsewhere.
    request: (ids) => ({ path: `/purchase-orders/${ids.purchaseOrderId}/cancellation`, body: { reason: 'not needed', occurredAt } }),
    references: { purchaseOrderId: { id: 'purchaseOrderId', outcome: refused('PURCHASE_ORDER.NOT_FOUND') } },
  },
  'POST /data-centers/{dataCenterId}/deliveries': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({
      path: `/data-centers/${ids.dataCenterId}/deliveries`,
      body: { deliveryId: `d-${unique}`, modelId: 'nvidia-h20', quantity: 1, purchaseOrderId: ids.purchaseOrderId, licenceId: ids.licenceId, shippedFromCountry: 'US', occurredAt },
    }),
    references: {
      dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') },
      purchaseOrderId: { id: 'purchaseOrderId', outcome: refused('PURCHASE_ORDER.NOT_FOUND') },
      licenceId: { id: 'licenceId', outcome: recorded },
    },
  },
  'POST /data-centers/{dataCenterId}/installations': {
    roles: ['operator', 'admin'],
    request: (ids) => ({ path: `/data-centers/${ids.dataCenterId}/installations`, body: { modelId: 'nvidia-h20', quantity: 1, occurredAt } }),
    references: { dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') } },
  },
  'POST /data-centers/{dataCenterId}/removals': {
    roles: ['operator', 'admin'],
    request: (ids) => ({ path: `/data-centers/${ids.dataCenterId}/removals`, body: { modelId: 'nvidia-h20', quantity: 1, reason: 'failed', occurredAt } }),
    references: { dataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') } },
  },
  'POST /transfers': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({
      path: '/transfers',
      body: { transferId: `t-${unique}`, modelId: 'nvidia-h20', quantity: 1, fromDataCenterId: ids.dataCenterId, toDataCenterId: ids.otherDataCenterId, licenceId: ids.licenceId, occurredAt },
    }),
    references: {
      // Chips change hands between organisations only through an admin's record (both parties' evidence), or as the
      // sender's removal and the receiver's delivery: an operator's transfer stays inside its organisation.
      fromDataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') },
      toDataCenterId: { id: 'otherDataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') },
      licenceId: { id: 'licenceId', outcome: recorded },
    },
  },
  'POST /rentals': {
    roles: ['operator', 'admin'],
    request: (ids, unique) => ({
      path: '/rentals',
      body: {
        rentalId: `r-${unique}`,
        providerDataCenterId: ids.dataCenterId,
        tenantOrganisationId: ids.organisationId,
        modelId: 'nvidia-h20',
        chipCount: 1,
        purpose: 'inference',
        periodStart: '2025-07-01',
        periodEnd: '2025-12-31',
        occurredAt,
      },
    }),
    references: {
      providerDataCenterId: { id: 'dataCenterId', outcome: refused('DATA_CENTER.NOT_FOUND') },
      // Renting capacity to another organisation is what a rental is.
      tenantOrganisationId: { id: 'organisationId', outcome: recorded },
    },
  },
  'POST /rentals/{rentalId}/extensions': {
    roles: ['operator', 'admin'],
    request: (ids, _unique, n) => ({ path: `/rentals/${ids.rentalId}/extensions`, body: { newPeriodEnd: day(400 + n), occurredAt } }),
    references: { rentalId: { id: 'rentalId', outcome: refused('RENTAL.NOT_FOUND') } },
  },
  'POST /rentals/{rentalId}/end': {
    roles: ['operator', 'admin'],
    // As with cancellations, only the other organisation's rental is tried (ending one's own is tested elsewhere).
    request: (ids) => ({ path: `/rentals/${ids.rentalId}/end`, body: { reason: 'done', occurredAt: day(30) } }),
    references: { rentalId: { id: 'rentalId', outcome: refused('RENTAL.NOT_FOUND') } },
  },
};

/** Operations whose own-organisation request is not sent first (it would end the resource the others need). */
export const NOT_SENT_AS_OWN = new Set(['POST /purchase-orders/{purchaseOrderId}/cancellation', 'POST /rentals/{rentalId}/end']);
