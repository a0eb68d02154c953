import type { Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';

/** Every auditor's fact is about a data center, and may not predate it. */
interface AuditCommandBase {
  readonly dataCenterId: string;
  readonly occurredAt: Instant;
  readonly context: { readonly dataCenter: DataCenterFacts | null };
}

export interface OpenAudit extends AuditCommandBase {
  readonly type: 'OpenAudit';
  readonly auditId: string;
  readonly scope: string;
}

export interface CloseAudit extends AuditCommandBase {
  readonly type: 'CloseAudit';
  readonly auditId: string;
  readonly conclusion: string;
}

export interface RecordAuditNote extends AuditCommandBase {
  readonly type: 'RecordAuditNote';
  readonly note: string;
}

export interface AcknowledgeFinding extends AuditCommandBase {
  readonly type: 'AcknowledgeFinding';
  readonly findingId: string;
  readonly comment: string;
}

/** An auditor's decision on a case-by-case review (e.g. CN-STATE-FUNDED-DOMESTIC at ≥ 30% completion). */
export interface DecideCaseReview extends AuditCommandBase {
  readonly type: 'DecideCaseReview';
  readonly ruleId: string;
  readonly decision: 'approved' | 'refused';
  readonly reasoning: string;
}

export type AuditCommand = OpenAudit | CloseAudit | RecordAuditNote | AcknowledgeFinding | DecideCaseReview;
