export type { AcknowledgeFinding, AuditCommand, CloseAudit, DecideCaseReview, OpenAudit, RecordAuditNote } from './audit.commands';
export type { AuditNote, AuditRecord, AuditState, CaseReviewDecision, FindingAcknowledgement } from './audit.state';
export { caseReviewDecisionAt, evolveAudit, findAudit, initialAuditState } from './audit.state';
export { auditDecider, decideAudit } from './audit.decider';
