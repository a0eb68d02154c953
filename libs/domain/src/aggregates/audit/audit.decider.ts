import type {
  AuditClosed,
  AuditEvent,
  AuditNoteRecorded,
  AuditOpened,
  CaseReviewDecided,
  FindingAcknowledged,
} from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import { assertNever, requireInstant, requireNotBefore, requireOneOf, requireText } from '../../shared/guards';
import { requireDataCenter, requireNotBeforeRegistration } from '../context-guards';
import type { Decider } from '../decider';
import type { AcknowledgeFinding, AuditCommand, CloseAudit, DecideCaseReview, OpenAudit, RecordAuditNote } from './audit.commands';
import { evolveAudit, findAudit, initialAuditState } from './audit.state';
import type { AuditState } from './audit.state';

const DECISIONS: readonly DecideCaseReview['decision'][] = ['approved', 'refused'];

/** Every auditor's fact: a date, an existing data center, not before it was registered. */
const requireAuditFact = (command: AuditCommand): void => {
  requireInstant(command.occurredAt, 'occurredAt');
  const dataCenter = requireDataCenter(command.context.dataCenter, command.dataCenterId);
  requireNotBeforeRegistration(command.occurredAt, dataCenter.registeredAt, dataCenter.dataCenterId, 'occurredAt', dataCenter.registeredEventId);
};

const open = (command: OpenAudit, state: AuditState): AuditOpened[] => {
  requireText(command.auditId, 'auditId');
  requireText(command.scope, 'scope');
  requireAuditFact(command);
  const existing = findAudit(state, command.auditId);
  if (existing !== undefined) {
    throw new DomainError('AUDIT.ALREADY_OPENED', `Audit ${command.auditId} was already opened on ${existing.openedAt}`, {
      field: 'auditId',
      details: { openedAt: existing.openedAt },
    });
  }
  return [{ type: 'AuditOpened', data: { dataCenterId: command.dataCenterId, auditId: command.auditId, scope: command.scope } }];
};

const close = (command: CloseAudit, state: AuditState): AuditClosed[] => {
  requireText(command.conclusion, 'conclusion');
  requireAuditFact(command);
  const audit = findAudit(state, command.auditId);
  if (audit === undefined) {
    throw new DomainError('AUDIT.NOT_FOUND', `Audit ${command.auditId} was never opened`, { field: 'auditId' });
  }
  if (audit.closedAt !== null) {
    throw new DomainError('AUDIT.ALREADY_CLOSED', `Audit ${command.auditId} was closed on ${audit.closedAt}`, {
      field: 'auditId',
      details: { closedAt: audit.closedAt },
    });
  }
  requireNotBefore(command.occurredAt, audit.openedAt, 'the audit was opened', 'occurredAt', audit.openedEventId);
  return [{ type: 'AuditClosed', data: { dataCenterId: command.dataCenterId, auditId: command.auditId, conclusion: command.conclusion } }];
};

const note = (command: RecordAuditNote): AuditNoteRecorded[] => {
  requireText(command.note, 'note');
  requireAuditFact(command);
  return [{ type: 'AuditNoteRecorded', data: { dataCenterId: command.dataCenterId, note: command.note } }];
};

const acknowledge = (command: AcknowledgeFinding): FindingAcknowledged[] => {
  requireText(command.findingId, 'findingId');
  requireText(command.comment, 'comment');
  requireAuditFact(command);
  return [{ type: 'FindingAcknowledged', data: { dataCenterId: command.dataCenterId, findingId: command.findingId, comment: command.comment } }];
};

/** A review may be decided again (new evidence); the latest-dated decision is the one in force. */
const decideReview = (command: DecideCaseReview): CaseReviewDecided[] => {
  requireText(command.ruleId, 'ruleId');
  requireOneOf(command.decision, DECISIONS, 'decision');
  // A decision without reasoning cannot be audited later.
  requireText(command.reasoning, 'reasoning');
  requireAuditFact(command);
  const { dataCenterId, ruleId, decision, reasoning } = command;
  return [{ type: 'CaseReviewDecided', data: { dataCenterId, ruleId, decision, reasoning } }];
};

export const decideAudit = (command: AuditCommand, state: AuditState): AuditEvent[] => {
  switch (command.type) {
    case 'OpenAudit':
      return open(command, state);
    case 'CloseAudit':
      return close(command, state);
    case 'RecordAuditNote':
      return note(command);
    case 'AcknowledgeFinding':
      return acknowledge(command);
    case 'DecideCaseReview':
      return decideReview(command);
    default:
      return assertNever(command, 'audit command');
  }
};

/** Auditors' facts per data center (`audit-{dataCenterId}`): audits opened/closed, notes, acknowledgements, reviews. */
export const auditDecider: Decider<AuditCommand, AuditEvent, AuditState> = {
  initialState: initialAuditState,
  evolve: evolveAudit,
  decide: decideAudit,
};
