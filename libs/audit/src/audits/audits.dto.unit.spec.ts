import { createValidationPipe, type ValidationProblem } from '@chip-ledger/http';
import { AcknowledgeFindingRequest, CloseAuditRequest, DecideCaseReviewRequest, OpenAuditRequest, RecordAuditNoteRequest } from './audits.dto';

// The global pipe the apps install, so these say what a client actually gets for a body.
const pipe = createValidationPipe();
const validate = (metatype: new () => object, body: unknown): Promise<unknown> => pipe.transform(body, { type: 'body', metatype });

async function refusedFields(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await validate(metatype, body);
  } catch (error) {
    // A field may fail several constraints; which fields failed is what these tests are about.
    return [...new Set((error as ValidationProblem).problem.errors?.map((e) => e.field))];
  }
  throw new Error('expected the body to be refused');
}

describe('audit request bodies', () => {
  it('accepts each fact in its complete form', async () => {
    await expect(validate(OpenAuditRequest, { auditId: 'audit-1', scope: 'foreign chips' })).resolves.toBeInstanceOf(OpenAuditRequest);
    await expect(validate(CloseAuditRequest, { conclusion: 'remediated', occurredAt: '2025-12-10' })).resolves.toBeInstanceOf(CloseAuditRequest);
    await expect(validate(RecordAuditNoteRequest, { note: 'Visited site' })).resolves.toBeInstanceOf(RecordAuditNoteRequest);
  });

  it('accepts a finding id as the compliance engine composes it (with slashes)', async () => {
    const body = { findingId: 'CN-STATE-FUNDED-DOMESTIC/dc-gansu-1/nvidia-h20/installed', comment: 'Removal planned' };
    await expect(validate(AcknowledgeFindingRequest, body)).resolves.toBeInstanceOf(AcknowledgeFindingRequest);
  });

  describe('deciding a case review', () => {
    const decision = { ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision: 'approved', reasoning: '45% complete, contracted before the rule' };

    it('takes approved or refused, nothing else', async () => {
      await expect(validate(DecideCaseReviewRequest, decision)).resolves.toBeInstanceOf(DecideCaseReviewRequest);
      await expect(validate(DecideCaseReviewRequest, { ...decision, decision: 'refused' })).resolves.toBeInstanceOf(DecideCaseReviewRequest);
      expect(await refusedFields(DecideCaseReviewRequest, { ...decision, decision: 'maybe' })).toEqual(['decision']);
    });

    it('refuses empty reasoning and fields it does not know', async () => {
      expect(await refusedFields(DecideCaseReviewRequest, { ...decision, reasoning: '' })).toEqual(['reasoning']);
      expect(await refusedFields(DecideCaseReviewRequest, { ...decision, dataCenterId: 'dc-1' })).toEqual(['dataCenterId']);
    });
  });
});
