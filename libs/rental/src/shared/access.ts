import { DomainError, canAccessOrganisation, dataCenterDecider, dataCenterFacts, rentalDecider, streamIds, type Actor, type DataCenterFacts, type RentalState } from '@chip-ledger/domain';
import type { UnitOfWork } from '@chip-ledger/command-side';
import type { EventStore } from '@chip-ledger/event-store';

/** The data center's facts from the procurement store, or null when it is not registered. */
export async function loadDataCenterFacts(uow: UnitOfWork, procurement: EventStore, dataCenterId: string): Promise<DataCenterFacts | null> {
  return dataCenterFacts(await uow.loadForeign(procurement, dataCenterDecider, streamIds.dataCenter(dataCenterId)));
}

/**
 * Load a provider data center whose capacity the actor may rent out. One that does not exist and one owned
 * by another organisation answer the same 404, so operators cannot discover other organisations' sites.
 */
export async function loadAccessibleProvider(uow: UnitOfWork, procurement: EventStore, actor: Actor, dataCenterId: string): Promise<DataCenterFacts> {
  const facts = await loadDataCenterFacts(uow, procurement, dataCenterId);
  if (facts === null || !canAccessOrganisation(actor, facts.ownerOrganisationId)) {
    throw new DomainError('DATA_CENTER.NOT_FOUND', `Data center ${dataCenterId} does not exist.`, { field: 'providerDataCenterId', details: { dataCenterId } });
  }
  return facts;
}

/**
 * Load a rental the actor may change: the provider's organisation records its rentals (admins any). Someone
 * else's rental answers the same 404 as a missing one.
 */
export async function loadAccessibleRental(uow: UnitOfWork, procurement: EventStore, actor: Actor, rentalId: string): Promise<RentalState> {
  const rental = await uow.load(rentalDecider, streamIds.rental(rentalId));
  const provider = rental.status === 'none' ? null : await loadDataCenterFacts(uow, procurement, rental.providerDataCenterId);
  if (provider === null || !canAccessOrganisation(actor, provider.ownerOrganisationId)) {
    throw new DomainError('RENTAL.NOT_FOUND', `Rental ${rentalId} does not exist.`, { field: 'rentalId', details: { rentalId } });
  }
  return rental;
}
