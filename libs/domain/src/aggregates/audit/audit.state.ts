import type { AuditEvent, CaseReviewDecided } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { compareInstants } from '../../shared/instant';
import type { Instant } from '../../shared/values';

export interface AuditRecord {
  readonly auditId: string;
  readonly scope: string;
  readonly openedAt: Instant;
  readonly openedEventId: string;
  readonly closedAt: Instant | null;
  readonly conclusion: string | null;
  readonly closedEventId: string | null;
}

export interface AuditNote {
  readonly note: string;
  readonly occurredAt: Instant;
  readonly eventId: string;
}

export interface FindingAcknowledgement {
  readonly findingId: string;
  readonly comment: string;
  readonly occurredAt: Instant;
  readonly eventId: string;
}

export interface CaseReviewDecision {
  readonly ruleId: string;
  readonly decision: CaseReviewDecided['data']['decision'];
  readonly reasoning: string;
  readonly occurredAt: Instant;
  readonly eventId: string;
}

/** Auditors' facts about one data center (stream `audit-{dataCenterId}`), each list in recording order. */
export interface AuditState {
  readonly dataCenterId: string | null;
  readonly audits: readonly AuditRecord[];
  readonly notes: readonly AuditNote[];
  readonly acknowledgements: readonly FindingAcknowledgement[];
  readonly caseReviews: readonly CaseReviewDecision[];
}

export const initialAuditState = (): AuditState => ({ dataCenterId: null, audits: [], notes: [], acknowledgements: [], caseReviews: [] });

export const findAudit = (state: AuditState, auditId: string): AuditRecord | undefined => state.audits.find((audit) => audit.auditId === auditId);

/**
 * The decision in force for `ruleId` at `asOf`: the latest-dated one at or before it (a review can be
 * re-decided). Undefined while the review is pending.
 */
export const caseReviewDecisionAt = (state: AuditState, ruleId: string, asOf: Instant): CaseReviewDecision | undefined =>
  state.caseReviews
    .filter((review) => review.ruleId === ruleId && compareInstants(review.occurredAt, asOf) <= 0)
    .reduce<CaseReviewDecision | undefined>(
      (latest, review) => (latest === undefined || compareInstants(review.occurredAt, latest.occurredAt) >= 0 ? review : latest),
      undefined,
    );

export const evolveAudit = (state: AuditState, event: Recorded<AuditEvent>): AuditState => {
  const base = { ...state, dataCenterId: event.data.dataCenterId };
  switch (event.type) {
    case 'AuditOpened':
      return {
        ...base,
        audits: [
          ...state.audits,
          {
            auditId: event.data.auditId,
            scope: event.data.scope,
            openedAt: event.occurredAt,
            openedEventId: event.eventId,
            closedAt: null,
            conclusion: null,
            closedEventId: null,
          },
        ],
      };
    case 'AuditClosed':
      return {
        ...base,
        audits: state.audits.map((audit) =>
          audit.auditId === event.data.auditId
            ? { ...audit, closedAt: event.occurredAt, conclusion: event.data.conclusion, closedEventId: event.eventId }
            : audit,
        ),
      };
    case 'AuditNoteRecorded':
      return { ...base, notes: [...state.notes, { note: event.data.note, occurredAt: event.occurredAt, eventId: event.eventId }] };
    case 'FindingAcknowledged':
      return {
        ...base,
        acknowledgements: [
          ...state.acknowledgements,
          { findingId: event.data.findingId, comment: event.data.comment, occurredAt: event.occurredAt, eventId: event.eventId },
        ],
      };
    case 'CaseReviewDecided':
      return {
        ...base,
        caseReviews: [
          ...state.caseReviews,
          { ruleId: event.data.ruleId, decision: event.data.decision, reasoning: event.data.reasoning, occurredAt: event.occurredAt, eventId: event.eventId },
        ],
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
