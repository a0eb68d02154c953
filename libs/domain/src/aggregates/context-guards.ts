import { DomainError } from '../shared/domain-error';
import { compareInstants } from '../shared/instant';
import type { Instant } from '../shared/values';
import type { DataCenterFacts } from './decider';

/*
 * Checks on the `context` facts a command brings from other aggregates (see decider.ts), shared by deciders.
 */

/** The data center exists (its facts are in the context); `field` names the command field holding its id. */
export const requireDataCenter = (
  facts: DataCenterFacts | null,
  dataCenterId: string,
  field = 'dataCenterId',
): DataCenterFacts => {
  if (facts === null) {
    throw new DomainError('DATA_CENTER.NOT_FOUND', `Data center ${dataCenterId} is not registered`, {
      field,
      details: { dataCenterId },
    });
  }
  return facts;
};

/**
 * No fact about a data center may be dated before the data center was registered: chips cannot be
 * delivered to, installed in or rented from a place that did not exist yet.
 */
export const requireNotBeforeRegistration = (
  at: Instant,
  registeredAt: Instant,
  dataCenterId: string,
  field = 'occurredAt',
  registeredEventId?: string,
): void => {
  if (compareInstants(at, registeredAt) < 0) {
    throw new DomainError(
      'DATA_CENTER.FACT_BEFORE_REGISTRATION',
      `${field} (${at}) is before data center ${dataCenterId} was registered (${registeredAt}${registeredEventId ? `, event ${registeredEventId}` : ''})`,
      { field, details: { dataCenterId, [field]: at, registeredAt, ...(registeredEventId ? { conflictingEventId: registeredEventId } : {}) } },
    );
  }
};

/** A chip model named by a command is in the catalog. */
export const requireKnownChipModel = (known: boolean, modelId: string, field = 'modelId'): void => {
  if (!known) {
    throw new DomainError('CHIP_MODEL.UNKNOWN', `Chip model ${modelId} is not in the catalog`, {
      field,
      details: { modelId },
    });
  }
};

/** An organisation named by a command is registered. */
export const requireOrganisation = (registered: boolean, organisationId: string, field: string): void => {
  if (!registered) {
    throw new DomainError('ORGANISATION.NOT_FOUND', `Organisation ${organisationId} is not registered`, {
      field,
      details: { organisationId },
    });
  }
};
