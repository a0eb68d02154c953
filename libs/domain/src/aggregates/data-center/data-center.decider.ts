import type {
  ConstructionProgressReported,
  DataCenterEvent,
  DataCenterRegistered,
  StateFundingReported,
} from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import { assertNever, requireCountry, requireInstant, requireText } from '../../shared/guards';
import { compareInstants } from '../../shared/instant';
import { requireNotBeforeRegistration, requireOrganisation } from '../context-guards';
import type { Decider } from '../decider';
import type { DataCenterCommand, RegisterDataCenter, ReportConstructionProgress, ReportStateFunding } from './data-center.commands';
import { evolveDataCenter, initialDataCenterState } from './data-center.state';
import type { DataCenterState, RegisteredDataCenter } from './data-center.state';

const requireRegistered = (state: DataCenterState, dataCenterId: string): RegisteredDataCenter => {
  if (state.status !== 'registered') {
    throw new DomainError('DATA_CENTER.NOT_FOUND', `Data center ${dataCenterId} is not registered`, {
      field: 'dataCenterId',
      details: { dataCenterId },
    });
  }
  return state;
};

const register = (command: RegisterDataCenter, state: DataCenterState): DataCenterRegistered[] => {
  requireText(command.dataCenterId, 'dataCenterId');
  requireText(command.name, 'name');
  requireText(command.region, 'region');
  requireCountry(command.country, 'country');
  requireInstant(command.occurredAt, 'occurredAt');
  if (state.status === 'registered') {
    throw new DomainError('DATA_CENTER.ALREADY_REGISTERED', `Data center ${command.dataCenterId} is already registered`, {
      field: 'dataCenterId',
    });
  }
  requireOrganisation(command.context.ownerOrganisationRegistered, command.ownerOrganisationId, 'ownerOrganisationId');
  const { dataCenterId, name, ownerOrganisationId, country, region } = command;
  return [{ type: 'DataCenterRegistered', data: { dataCenterId, name, ownerOrganisationId, country, region } }];
};

/** 0..100 with at most one decimal: finer figures are noise no source publishes. */
const isValidCompletion = (percent: number): boolean =>
  Number.isFinite(percent) && percent >= 0 && percent <= 100 && Math.abs(percent * 10 - Math.round(percent * 10)) < 1e-9;

/**
 * Construction completion never decreases over `occurredAt`. The CN rule turns on "< 30% on a date", so a
 * report that would make an earlier-dated figure larger than a later-dated one is a data error, not a fact;
 * a report recorded late must therefore fit between its neighbours in time (equal is allowed).
 */
const reportConstruction = (command: ReportConstructionProgress, state: DataCenterState): ConstructionProgressReported[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  const dataCenter = requireRegistered(state, command.dataCenterId);
  if (!isValidCompletion(command.completionPercent)) {
    throw new DomainError(
      'DATA_CENTER.INVALID_COMPLETION_PERCENT',
      `completionPercent must be between 0 and 100 with at most one decimal, got ${command.completionPercent}`,
      { field: 'completionPercent', details: { completionPercent: command.completionPercent } },
    );
  }
  requireNotBeforeRegistration(command.occurredAt, dataCenter.registeredAt, dataCenter.dataCenterId, 'occurredAt', dataCenter.registeredEventId);

  const earlier = dataCenter.construction.filter((report) => compareInstants(report.occurredAt, command.occurredAt) <= 0);
  const later = dataCenter.construction.filter((report) => compareInstants(report.occurredAt, command.occurredAt) > 0);
  const previous = earlier[earlier.length - 1];
  const next = later[0];
  if (previous !== undefined && command.completionPercent < previous.completionPercent) {
    throw new DomainError(
      'DATA_CENTER.COMPLETION_DECREASED',
      `Completion ${command.completionPercent}% is below the ${previous.completionPercent}% reported for ${previous.occurredAt}`,
      { field: 'completionPercent', details: { previous, conflictingEventId: previous.eventId } },
    );
  }
  if (next !== undefined && command.completionPercent > next.completionPercent) {
    throw new DomainError(
      'DATA_CENTER.COMPLETION_DECREASED',
      `Completion ${command.completionPercent}% is above the ${next.completionPercent}% reported later, for ${next.occurredAt}`,
      { field: 'completionPercent', details: { next, conflictingEventId: next.eventId } },
    );
  }
  return [
    { type: 'ConstructionProgressReported', data: { dataCenterId: dataCenter.dataCenterId, completionPercent: command.completionPercent } },
  ];
};

/** Repeated reports are kept (another funder, another source); what matters is when funding was first known. */
const reportStateFunding = (command: ReportStateFunding, state: DataCenterState): StateFundingReported[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  const dataCenter = requireRegistered(state, command.dataCenterId);
  requireNotBeforeRegistration(command.occurredAt, dataCenter.registeredAt, dataCenter.dataCenterId, 'occurredAt', dataCenter.registeredEventId);
  return [
    {
      type: 'StateFundingReported',
      data: { dataCenterId: dataCenter.dataCenterId, funder: command.funder, reference: command.reference },
    },
  ];
};

export const decideDataCenter = (command: DataCenterCommand, state: DataCenterState): DataCenterEvent[] => {
  switch (command.type) {
    case 'RegisterDataCenter':
      return register(command, state);
    case 'ReportConstructionProgress':
      return reportConstruction(command, state);
    case 'ReportStateFunding':
      return reportStateFunding(command, state);
    default:
      return assertNever(command, 'data center command');
  }
};

/** Data center stream (`data-center-{id}`): registration, construction progress, state funding. */
export const dataCenterDecider: Decider<DataCenterCommand, DataCenterEvent, DataCenterState> = {
  initialState: initialDataCenterState,
  evolve: evolveDataCenter,
  decide: decideDataCenter,
};
