import type { AuditClosed, AuditOpened, CaseReviewDecided } from '../../events/ledger-events';
import { deciderSpec } from '../../testing/decider-spec';
import { recordHistory } from '../../testing/recorded-events';
import type { DataCenterFacts } from '../decider';
import { foldEvents } from '../decider';
import type { AuditCommand, CloseAudit, DecideCaseReview, OpenAudit } from './audit.commands';
import { auditDecider } from './audit.decider';
import { caseReviewDecisionAt } from './audit.state';

const spec = deciderSpec(auditDecider);
const GANSU: DataCenterFacts = { dataCenterId: 'dc-gansu', registeredAt: '2025-01-01T00:00:00Z', country: 'CN', ownerOrganisationId: 'org-gansu' };
const RULE = 'CN-STATE-FUNDED-DOMESTIC';
const base = { dataCenterId: 'dc-gansu', context: { dataCenter: GANSU } } as const;

const open = (occurredAt = '2025-11-10T00:00:00Z'): OpenAudit => ({ ...base, type: 'OpenAudit', auditId: 'audit-1', scope: 'foreign chips', occurredAt });
const close = (occurredAt = '2025-12-10T00:00:00Z', auditId = 'audit-1'): CloseAudit => ({ ...base, type: 'CloseAudit', auditId, conclusion: 'remediated', occurredAt });
const decide = (decision: 'approved' | 'refused', occurredAt: string, reasoning = '45% complete, procurement contracted before the rule'): DecideCaseReview => ({
  ...base,
  type: 'DecideCaseReview',
  ruleId: RULE,
  decision,
  reasoning,
  occurredAt,
});
const opened: AuditOpened = { type: 'AuditOpened', data: { dataCenterId: 'dc-gansu', auditId: 'audit-1', scope: 'foreign chips' } };
const closed: AuditClosed = { type: 'AuditClosed', data: { dataCenterId: 'dc-gansu', auditId: 'audit-1', conclusion: 'remediated' } };
const decided = (decision: 'approved' | 'refused'): CaseReviewDecided => ({
  type: 'CaseReviewDecided',
  data: { dataCenterId: 'dc-gansu', ruleId: RULE, decision, reasoning: '45% complete, procurement contracted before the rule' },
});

describe('audit facts per data center', () => {
  describe('when no audit was opened', () => {
    const given = spec.given([]);

    it('opens one', () => {
      given.when(open()).then([opened]);
    });

    it('refuses closing an audit never opened', () => {
      given.when(close()).thenRefused('AUDIT.NOT_FOUND', 'auditId');
    });

    it('records notes and acknowledgements', () => {
      given
        .when({ ...base, type: 'RecordAuditNote', note: 'Visited site', occurredAt: '2025-11-06T00:00:00Z' })
        .then([{ type: 'AuditNoteRecorded', data: { dataCenterId: 'dc-gansu', note: 'Visited site' } }]);
      given
        .when({ ...base, type: 'AcknowledgeFinding', findingId: 'f-1', comment: 'Removal planned', occurredAt: '2025-11-06T00:00:00Z' })
        .then([{ type: 'FindingAcknowledged', data: { dataCenterId: 'dc-gansu', findingId: 'f-1', comment: 'Removal planned' } }]);
    });

    it('records a case review decision with its reasoning', () => {
      given.when(decide('approved', '2025-11-20T00:00:00Z')).then([decided('approved')]);
    });

    it('refuses a decision without reasoning or with another verdict', () => {
      given.when(decide('approved', '2025-11-20T00:00:00Z', ' ')).thenRefused('VALUE.REQUIRED', 'reasoning');
      given.when({ ...decide('approved', '2025-11-20T00:00:00Z'), decision: 'maybe' as never }).thenRefused('VALUE.NOT_ALLOWED', 'decision');
    });

    it.each<AuditCommand>([
      open('2024-12-31T00:00:00Z'),
      decide('refused', '2024-12-31T00:00:00Z'),
      { ...base, type: 'RecordAuditNote', note: 'n', occurredAt: '2024-12-31T00:00:00Z' },
    ])('refuses $type dated before the data center was registered', (command) => {
      given.when(command).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
    });

    it('refuses facts about an unregistered data center', () => {
      given.when({ ...open(), context: { dataCenter: null } }).thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
    });
  });

  describe('when audit-1 is open', () => {
    const given = spec.given(recordHistory([['2025-11-10T00:00:00Z', opened]]));

    it('refuses opening it again', () => {
      given.when(open('2025-11-11T00:00:00Z')).thenRefused('AUDIT.ALREADY_OPENED', 'auditId');
    });

    it('closes it, not before it was opened', () => {
      given.when(close()).then([closed]);
      given.when(close('2025-11-09T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });
  });

  describe('when audit-1 is closed', () => {
    it('refuses closing it again', () => {
      spec
        .given(recordHistory([['2025-11-10T00:00:00Z', opened], ['2025-12-10T00:00:00Z', closed]]))
        .when(close('2025-12-11T00:00:00Z'))
        .thenRefused('AUDIT.ALREADY_CLOSED', 'auditId');
    });
  });

  describe('when a review was refused and later approved', () => {
    const state = foldEvents(
      auditDecider,
      recordHistory([
        ['2025-11-20T00:00:00Z', decided('refused')],
        ['2026-01-10T00:00:00Z', decided('approved')],
      ]),
    );

    it('answers the decision in force at each date', () => {
      expect(caseReviewDecisionAt(state, RULE, '2025-11-19T00:00:00Z')).toBeUndefined();
      expect(caseReviewDecisionAt(state, RULE, '2025-12-01T00:00:00Z')?.decision).toBe('refused');
      expect(caseReviewDecisionAt(state, RULE, '2026-02-01T00:00:00Z')?.decision).toBe('approved');
      expect(caseReviewDecisionAt(state, 'OTHER-RULE', '2026-02-01T00:00:00Z')).toBeUndefined();
    });
  });
});
