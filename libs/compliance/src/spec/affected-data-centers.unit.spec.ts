import fc from 'fast-check';
import { evolveComplianceState, foldComplianceState, initialComplianceState, type ComplianceState, type LedgerEnvelope } from '../state/compliance-state';
import { randomHistory } from '../testing/random-history';
import { affectedDataCenters } from '../timeline/judgement-plan';

/**
 * The data centers an organisation's registration or listing can change, by the definition `judgementPlan` reads
 * them with: a scan of every data center (what `affectedDataCenters` did before the store kept an index).
 */
const byScan = (state: ComplianceState, organisationId: string): string[] => {
  const store = state.store;
  const out = new Set<string>();
  for (const [id, rec] of store.dataCenters) {
    if (rec.registrations.some((r) => r.ownerOrganisationId === organisationId)) out.add(id);
    if (rec.orderLines.some((l) => (store.purchaseOrders.get(l.purchaseOrderId)?.placed ?? []).some((p) => p.buyerOrganisationId === organisationId))) out.add(id);
  }
  for (const r of store.rentals.values()) for (const s of r.started) if (s.tenantOrganisationId === organisationId) out.add(s.providerDataCenterId);
  return [...out].sort();
};

const ORGANISATIONS = ['cn-co', 'sg-co', 'my-co', 'tenant-cn', 'nobody'];

const listing = (organisationId: string, n: number): LedgerEnvelope =>
  ({ eventId: `listing-${n}`, type: 'RestrictedPartyListed', occurredAt: '2026-01-01T00:00:00.000Z', data: { organisationId, list: 'US-ENTITY-LIST', reference: null } }) as LedgerEnvelope;

const expectIndexMatchesScan = (state: ComplianceState): void => {
  ORGANISATIONS.forEach((organisationId, n) => {
    const withListing = evolveComplianceState(state, listing(organisationId, n));
    expect([...affectedDataCenters(withListing, listing(organisationId, n))].sort()).toEqual(byScan(withListing, organisationId));
  });
};

describe('affectedDataCenters for an organisation event', () => {
  it('names the data centers a scan of every data center names, whatever order the facts were folded in', () => {
    fc.assert(
      fc.property(
        randomHistory({ maxFacts: 60 }).chain((history) => fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }))),
        ([, shuffled]) => expectIndexMatchesScan(foldComplianceState(shuffled)),
      ),
      { numRuns: 150 },
    );
  });

  it('links a buyer to a data center holding lines of its order that were folded before the order (another partition)', () => {
    const envelope = (eventId: string, type: string, data: object): LedgerEnvelope => ({ eventId, type, occurredAt: '2025-01-01T00:00:00.000Z', data }) as LedgerEnvelope;
    const cancelled = envelope('c', 'PurchaseOrderCancelled', { purchaseOrderId: 'po-x', dataCenterId: 'dc-b', reason: 'r', cancelledLines: [{ modelId: 'm', quantity: 1 }] });
    const placed = envelope('p', 'PurchaseOrderPlaced', { purchaseOrderId: 'po-x', dataCenterId: 'dc-a', buyerOrganisationId: 'buyer', supplier: 's', lines: [{ modelId: 'm', quantity: 1 }] });
    const state = foldComplianceState([cancelled, placed]);
    expect(byScan(state, 'buyer')).toEqual(['dc-a', 'dc-b']);
    expect([...affectedDataCenters(state, listing('buyer', 0))].sort()).toEqual(['dc-a', 'dc-b']);
  });

  it('holds for a state evolved again from an earlier one (a fork keeps only its own facts in the index)', () => {
    fc.assert(
      fc.property(randomHistory({ maxFacts: 60 }), fc.nat(), (history, cut) => {
        const all: ComplianceState[] = [initialComplianceState()];
        for (const e of history) all.push(evolveComplianceState(all[all.length - 1], e));
        const earlier = all[cut % all.length];
        expectIndexMatchesScan(earlier); // forks the store: the later facts are not in it
      }),
      { numRuns: 100 },
    );
  });
});
