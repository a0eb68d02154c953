import type { ExportLicenceAmended, ExportLicenceEvent, ExportLicenceIssued } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import type { UsdAmount } from '../../shared/money';
import type { Instant } from '../../shared/values';

/** The licence's terms as issued and then amended. */
export type LicenceTerms = Omit<ExportLicenceIssued['data'], 'licenceId'>;

export type LicenceStatus = 'active' | 'suspended' | 'revoked';

export interface LicenceStatusChange {
  readonly status: LicenceStatus;
  readonly occurredAt: Instant;
  readonly reason: string | null;
  readonly eventId: string;
}

export interface LicenceAmendment {
  readonly occurredAt: Instant;
  readonly changes: ExportLicenceAmended['data']['changes'];
  readonly reason: string;
  readonly eventId: string;
}

export interface Remittance {
  readonly occurredAt: Instant;
  readonly deliveryIds: readonly string[];
  readonly amountUsd: UsdAmount;
  readonly reference: string;
  readonly eventId: string;
}

export type ExportLicenceState =
  | { readonly status: 'none' }
  | {
      readonly status: LicenceStatus;
      readonly licenceId: string;
      readonly terms: LicenceTerms;
      readonly issuedAt: Instant;
      readonly issuedEventId: string;
      readonly amendments: readonly LicenceAmendment[];
      /** Every status the licence had, starting with 'active' at issue (suspensions show as periods). */
      readonly statusHistory: readonly LicenceStatusChange[];
      readonly remittances: readonly Remittance[];
    };

export type IssuedLicence = Exclude<ExportLicenceState, { status: 'none' }>;

export const initialExportLicenceState = (): ExportLicenceState => ({ status: 'none' });

const withStatus = (state: IssuedLicence, status: LicenceStatus, event: Recorded<ExportLicenceEvent>, reason: string): IssuedLicence => ({
  ...state,
  status,
  statusHistory: [...state.statusHistory, { status, occurredAt: event.occurredAt, reason, eventId: event.eventId }],
});

export const evolveExportLicence = (state: ExportLicenceState, event: Recorded<ExportLicenceEvent>): ExportLicenceState => {
  if (event.type === 'ExportLicenceIssued') {
    const { licenceId, ...terms } = event.data;
    return {
      status: 'active',
      licenceId,
      terms,
      issuedAt: event.occurredAt,
      issuedEventId: event.eventId,
      amendments: [],
      statusHistory: [{ status: 'active', occurredAt: event.occurredAt, reason: null, eventId: event.eventId }],
      remittances: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ExportLicenceAmended':
      return {
        ...state,
        terms: { ...state.terms, ...event.data.changes },
        amendments: [...state.amendments, { occurredAt: event.occurredAt, changes: event.data.changes, reason: event.data.reason, eventId: event.eventId }],
      };
    case 'ExportLicenceSuspended':
      return withStatus(state, 'suspended', event, event.data.reason);
    case 'ExportLicenceReinstated':
      return withStatus(state, 'active', event, event.data.reason);
    case 'ExportLicenceRevoked':
      return withStatus(state, 'revoked', event, event.data.reason);
    case 'RevenueShareRemitted':
      return {
        ...state,
        remittances: [
          ...state.remittances,
          { occurredAt: event.occurredAt, deliveryIds: event.data.deliveryIds, amountUsd: event.data.amountUsd, reference: event.data.reference, eventId: event.eventId },
        ],
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
