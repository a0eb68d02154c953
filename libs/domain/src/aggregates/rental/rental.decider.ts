import type { RentalEnded, RentalEvent, RentalExtended, RentalPurpose, RentalStarted } from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import {
  assertNever,
  requireInstant,
  requireNotBefore,
  requireOneOf,
  requirePeriod,
  requirePositiveInteger,
  requireText,
} from '../../shared/guards';
import { compareInstants } from '../../shared/instant';
import { requireDataCenter, requireKnownChipModel, requireNotBeforeRegistration, requireOrganisation } from '../context-guards';
import type { Decider } from '../decider';
import type { EndRental, ExtendRental, RentalCommand, StartRental } from './rental.commands';
import { evolveRental, initialRentalState } from './rental.state';
import type { RentalState } from './rental.state';

const PURPOSES: readonly RentalPurpose[] = ['training', 'inference'];

type ActiveRental = Extract<RentalState, { status: 'active' }>;

/** Extending or ending needs a rental that started and has not ended. */
const requireActive = (state: RentalState, rentalId: string): ActiveRental => {
  if (state.status === 'none') {
    throw new DomainError('RENTAL.NOT_FOUND', `Rental ${rentalId} does not exist`, { field: 'rentalId' });
  }
  if (state.status === 'ended') {
    throw new DomainError('RENTAL.ALREADY_ENDED', `Rental ${rentalId} ended on ${state.endedAt}`, {
      details: { endedAt: state.endedAt, eventId: state.endedEventId },
    });
  }
  return state;
};

const start = (command: StartRental, state: RentalState): RentalStarted[] => {
  requireText(command.rentalId, 'rentalId');
  requireText(command.modelId, 'modelId');
  requireInstant(command.occurredAt, 'occurredAt');
  requireInstant(command.periodStart, 'periodStart');
  requireInstant(command.periodEnd, 'periodEnd');
  requirePositiveInteger(command.chipCount, 'chipCount');
  requireOneOf(command.purpose, PURPOSES, 'purpose');
  requirePeriod(command.periodStart, command.periodEnd, 'periodEnd');
  if (state.status !== 'none') {
    throw new DomainError('RENTAL.ALREADY_STARTED', `Rental ${command.rentalId} already exists`, { field: 'rentalId' });
  }
  const provider = requireDataCenter(command.context.providerDataCenter, command.providerDataCenterId, 'providerDataCenterId');
  requireNotBeforeRegistration(command.occurredAt, provider.registeredAt, provider.dataCenterId, 'occurredAt', provider.registeredEventId);
  // Capacity cannot be rented for a time when the provider did not exist.
  requireNotBeforeRegistration(command.periodStart, provider.registeredAt, provider.dataCenterId, 'periodStart', provider.registeredEventId);
  requireOrganisation(command.context.tenantOrganisationRegistered, command.tenantOrganisationId, 'tenantOrganisationId');
  requireKnownChipModel(command.context.chipModelKnown, command.modelId);
  if (command.chipCount > command.context.installedAtProvider) {
    throw new DomainError(
      'RENTAL.EXCEEDS_INSTALLED',
      `Renting ${command.chipCount} ${command.modelId} but only ${command.context.installedAtProvider} are installed at ${provider.dataCenterId}`,
      { field: 'chipCount', details: { requested: command.chipCount, installed: command.context.installedAtProvider } },
    );
  }
  const { rentalId, providerDataCenterId, tenantOrganisationId, modelId, chipCount, purpose, periodStart, periodEnd } = command;
  return [
    { type: 'RentalStarted', data: { rentalId, providerDataCenterId, tenantOrganisationId, modelId, chipCount, purpose, periodStart, periodEnd } },
  ];
};

const extend = (command: ExtendRental, state: RentalState): RentalExtended[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireInstant(command.newPeriodEnd, 'newPeriodEnd');
  const rental = requireActive(state, command.rentalId);
  requireNotBefore(command.occurredAt, rental.startedAt, 'the rental started', 'occurredAt', rental.startedEventId);
  if (compareInstants(command.newPeriodEnd, rental.periodEnd) <= 0) {
    throw new DomainError(
      'RENTAL.EXTENSION_NOT_LATER',
      `newPeriodEnd (${command.newPeriodEnd}) must be after the current end (${rental.periodEnd})`,
      { field: 'newPeriodEnd', details: { currentPeriodEnd: rental.periodEnd, conflictingEventId: rental.periodEndHistory[rental.periodEndHistory.length - 1]?.eventId ?? rental.startedEventId } },
    );
  }
  return [{ type: 'RentalExtended', data: { rentalId: rental.rentalId, newPeriodEnd: command.newPeriodEnd } }];
};

/** Ending before the period starts is a cancellation; it is allowed and recorded the same way. */
const end = (command: EndRental, state: RentalState): RentalEnded[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  const rental = requireActive(state, command.rentalId);
  requireNotBefore(command.occurredAt, rental.startedAt, 'the rental started', 'occurredAt', rental.startedEventId);
  return [{ type: 'RentalEnded', data: { rentalId: rental.rentalId, reason: command.reason } }];
};

export const decideRental = (command: RentalCommand, state: RentalState): RentalEvent[] => {
  switch (command.type) {
    case 'StartRental':
      return start(command, state);
    case 'ExtendRental':
      return extend(command, state);
    case 'EndRental':
      return end(command, state);
    default:
      return assertNever(command, 'rental command');
  }
};

/** Rental stream (`rental-{id}`): started, extended, ended. */
export const rentalDecider: Decider<RentalCommand, RentalEvent, RentalState> = {
  initialState: initialRentalState,
  evolve: evolveRental,
  decide: decideRental,
};
