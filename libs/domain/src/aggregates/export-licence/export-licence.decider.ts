import type {
  ExportLicenceAmended,
  ExportLicenceEvent,
  ExportLicenceIssued,
  ExportLicenceReinstated,
  ExportLicenceRevoked,
  ExportLicenceSuspended,
  LicenceConditions,
  RevenueShareRemitted,
} from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import {
  assertNever,
  requireCountry,
  requireInstant,
  requireNotBefore,
  requirePeriod,
  requirePositiveInteger,
  requireText,
  requireUsdAmount,
} from '../../shared/guards';
import { requireKnownChipModel, requireOrganisation } from '../context-guards';
import type { Decider } from '../decider';
import type {
  AmendExportLicence,
  ExportLicenceCommand,
  IssueExportLicence,
  RecordRevenueShareRemittance,
  ReinstateExportLicence,
  RevokeExportLicence,
  SuspendExportLicence,
} from './export-licence.commands';
import { evolveExportLicence, initialExportLicenceState } from './export-licence.state';
import type { ExportLicenceState, IssuedLicence } from './export-licence.state';

const requireIssued = (state: ExportLicenceState, licenceId: string): IssuedLicence => {
  if (state.status === 'none') {
    throw new DomainError('LICENCE.NOT_FOUND', `Export licence ${licenceId} does not exist`, { field: 'licenceId' });
  }
  return state;
};

/** A revoked licence is over: no amendment, suspension or reinstatement can follow. */
const requireNotRevoked = (licence: IssuedLicence): void => {
  if (licence.status === 'revoked') {
    const revokedAt = licence.statusHistory[licence.statusHistory.length - 1]?.occurredAt;
    throw new DomainError('LICENCE.REVOKED', `Export licence ${licence.licenceId} was revoked on ${revokedAt}`, {
      details: { revokedAt },
    });
  }
};

/** Checks for a lifecycle command on an issued licence: a date, a reason, not before issue. */
const requireLifecycleCommand = (
  command: { readonly licenceId: string; readonly occurredAt: string; readonly reason: string },
  state: ExportLicenceState,
): IssuedLicence => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireText(command.reason, 'reason');
  const licence = requireIssued(state, command.licenceId);
  requireNotRevoked(licence);
  requireNotBefore(command.occurredAt, licence.issuedAt, 'the licence was issued', 'occurredAt', licence.issuedEventId);
  return licence;
};

const requireModelIds = (modelIds: readonly string[], knownModelIds: readonly string[], field: string): void => {
  if (!Array.isArray(modelIds) || modelIds.length === 0) {
    throw new DomainError('VALUE.REQUIRED', 'A licence covers at least one chip model', { field });
  }
  modelIds.forEach((modelId, index) => requireKnownChipModel(knownModelIds.includes(modelId), modelId, `${field}[${index}]`));
};

const requireConditions = (conditions: LicenceConditions, field: string): void => {
  const share = conditions?.revenueSharePercent;
  if (share === null) return;
  if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 100) {
    throw new DomainError('LICENCE.INVALID_REVENUE_SHARE', `Revenue share must be between 0 and 100 percent, got ${String(share)}`, {
      field: `${field}.revenueSharePercent`,
      details: { revenueSharePercent: share },
    });
  }
};

const issue = (command: IssueExportLicence, state: ExportLicenceState): ExportLicenceIssued[] => {
  requireText(command.licenceId, 'licenceId');
  requireText(command.licenceNumber, 'licenceNumber');
  requireText(command.exporter, 'exporter');
  requireCountry(command.destinationCountry, 'destinationCountry');
  requireInstant(command.occurredAt, 'occurredAt');
  requireInstant(command.validFrom, 'validFrom');
  requireInstant(command.validTo, 'validTo');
  requirePeriod(command.validFrom, command.validTo, 'validTo');
  requirePositiveInteger(command.authorisedQuantity, 'authorisedQuantity');
  requireConditions(command.conditions, 'conditions');
  if (state.status !== 'none') {
    throw new DomainError('LICENCE.ALREADY_ISSUED', `Export licence ${command.licenceId} already exists`, { field: 'licenceId' });
  }
  requireOrganisation(command.context.consigneeOrganisationRegistered, command.consigneeOrganisationId, 'consigneeOrganisationId');
  requireModelIds(command.modelIds, command.context.knownModelIds, 'modelIds');
  const { licenceId, licenceNumber, exporter, consigneeOrganisationId, destinationCountry, authorisedQuantity, validFrom, validTo } = command;
  return [
    {
      type: 'ExportLicenceIssued',
      data: {
        licenceId,
        licenceNumber,
        exporter,
        consigneeOrganisationId,
        destinationCountry,
        modelIds: [...command.modelIds],
        authorisedQuantity,
        validFrom,
        validTo,
        conditions: { revenueSharePercent: command.conditions.revenueSharePercent },
      },
    },
  ];
};

/** Each changed term is checked alone, then the validity period as amended (a new validTo must follow validFrom). */
const amend = (command: AmendExportLicence, state: ExportLicenceState): ExportLicenceAmended[] => {
  const licence = requireLifecycleCommand(command, state);
  const { changes } = command;
  const changed = Object.entries(changes).filter(([, value]) => value !== undefined);
  if (changed.length === 0) {
    throw new DomainError('VALUE.REQUIRED', 'An amendment changes at least one term', { field: 'changes' });
  }
  if (changes.modelIds !== undefined) requireModelIds(changes.modelIds, command.context.knownModelIds, 'changes.modelIds');
  if (changes.authorisedQuantity !== undefined) requirePositiveInteger(changes.authorisedQuantity, 'changes.authorisedQuantity');
  if (changes.validFrom !== undefined) requireInstant(changes.validFrom, 'changes.validFrom');
  if (changes.validTo !== undefined) requireInstant(changes.validTo, 'changes.validTo');
  if (changes.conditions !== undefined) requireConditions(changes.conditions, 'changes.conditions');
  const validFrom = changes.validFrom ?? licence.terms.validFrom;
  const validTo = changes.validTo ?? licence.terms.validTo;
  requirePeriod(validFrom, validTo, changes.validTo !== undefined ? 'changes.validTo' : 'changes.validFrom');
  // Only the terms actually changed go into the event, copied so the event owns its arrays.
  const data: ExportLicenceAmended['data']['changes'] = Object.fromEntries(
    changed.map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]),
  );
  return [{ type: 'ExportLicenceAmended', data: { licenceId: licence.licenceId, changes: data, reason: command.reason } }];
};

/**
 * A status change is dated at or after the licence's last one: compliance reads the statuses in occurredAt order, so a
 * reinstatement dated before the suspension it ends would leave the licence suspended from then on.
 */
const requireAfterLastStatusChange = (command: { occurredAt: string }, licence: IssuedLicence): void => {
  const last = licence.statusHistory[licence.statusHistory.length - 1];
  if (last !== undefined) requireNotBefore(command.occurredAt, last.occurredAt, `the licence's last status change (${last.status})`, 'occurredAt', last.eventId);
};

const suspend = (command: SuspendExportLicence, state: ExportLicenceState): ExportLicenceSuspended[] => {
  const licence = requireLifecycleCommand(command, state);
  requireAfterLastStatusChange(command, licence);
  if (licence.status === 'suspended') {
    throw new DomainError('LICENCE.ALREADY_SUSPENDED', `Export licence ${licence.licenceId} is already suspended`);
  }
  return [{ type: 'ExportLicenceSuspended', data: { licenceId: licence.licenceId, reason: command.reason } }];
};

const reinstate = (command: ReinstateExportLicence, state: ExportLicenceState): ExportLicenceReinstated[] => {
  const licence = requireLifecycleCommand(command, state);
  requireAfterLastStatusChange(command, licence);
  if (licence.status !== 'suspended') {
    throw new DomainError('LICENCE.NOT_SUSPENDED', `Export licence ${licence.licenceId} is not suspended`);
  }
  return [{ type: 'ExportLicenceReinstated', data: { licenceId: licence.licenceId, reason: command.reason } }];
};

const revoke = (command: RevokeExportLicence, state: ExportLicenceState): ExportLicenceRevoked[] => {
  const licence = requireLifecycleCommand(command, state);
  requireAfterLastStatusChange(command, licence);
  return [{ type: 'ExportLicenceRevoked', data: { licenceId: licence.licenceId, reason: command.reason } }];
};

/**
 * A remittance is accepted even after revocation: the revenue share owed on deliveries made while the licence
 * was valid survives the revocation, and refusing the payment would leave the rulebook reporting an unpaid
 * condition that was in fact paid. Everything else is refused once revoked.
 */
const recordRemittance = (command: RecordRevenueShareRemittance, state: ExportLicenceState): RevenueShareRemitted[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireText(command.reference, 'reference');
  const licence = requireIssued(state, command.licenceId);
  requireNotBefore(command.occurredAt, licence.issuedAt, 'the licence was issued', 'occurredAt', licence.issuedEventId);
  if (!Array.isArray(command.deliveryIds) || command.deliveryIds.length === 0) {
    throw new DomainError('VALUE.REQUIRED', 'A remittance names the deliveries it pays for', { field: 'deliveryIds' });
  }
  command.deliveryIds.forEach((deliveryId, index) => requireText(deliveryId, `deliveryIds[${index}]`));
  const amountUsd = requireUsdAmount(command.amountUsd, 'amountUsd');
  return [
    {
      type: 'RevenueShareRemitted',
      data: { licenceId: licence.licenceId, deliveryIds: [...command.deliveryIds], amountUsd, reference: command.reference },
    },
  ];
};

export const decideExportLicence = (command: ExportLicenceCommand, state: ExportLicenceState): ExportLicenceEvent[] => {
  switch (command.type) {
    case 'IssueExportLicence':
      return issue(command, state);
    case 'AmendExportLicence':
      return amend(command, state);
    case 'SuspendExportLicence':
      return suspend(command, state);
    case 'ReinstateExportLicence':
      return reinstate(command, state);
    case 'RevokeExportLicence':
      return revoke(command, state);
    case 'RecordRevenueShareRemittance':
      return recordRemittance(command, state);
    default:
      return assertNever(command, 'export licence command');
  }
};

/**
 * US export licence stream (`export-licence-{id}`): issued, amended, suspended, reinstated, revoked, and
 * revenue-share remittances. Deliveries under it are chip-stock facts; drawing down the balance is judged
 * by the rulebook (an overdraw is a finding, not a refused fact).
 */
export const exportLicenceDecider: Decider<ExportLicenceCommand, ExportLicenceEvent, ExportLicenceState> = {
  initialState: initialExportLicenceState,
  evolve: evolveExportLicence,
  decide: decideExportLicence,
};
