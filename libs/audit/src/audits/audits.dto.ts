import { EnumField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';
import type { DecideCaseReview } from '@chip-ledger/domain';

const DECISIONS: readonly DecideCaseReview['decision'][] = ['approved', 'refused'];

export class OpenAuditRequest {
  @IdField('Id of the audit (chosen by the client; unique per data center)') auditId!: string;
  @TextField('What the audit covers', { maxLength: 2000 }) scope!: string;
  @OccurredAtField() occurredAt?: string;
}

export class CloseAuditRequest {
  @TextField('What the audit concluded', { maxLength: 10_000 }) conclusion!: string;
  @OccurredAtField() occurredAt?: string;
}

export class RecordAuditNoteRequest {
  @TextField('The note', { maxLength: 10_000 }) note!: string;
  @OccurredAtField() occurredAt?: string;
}

export class AcknowledgeFindingRequest {
  // Not an IdField: finding ids are composed by the compliance engine as rule/dataCenter/model/discriminator.
  @TextField('Finding id, as the compliance view gives it (e.g. CN-STATE-FUNDED-DOMESTIC/dc-gansu-1/nvidia-h20/...)', { maxLength: 500 }) findingId!: string;
  @TextField('What the auditor acknowledges (acknowledging does not close the finding)', { maxLength: 10_000 }) comment!: string;
  @OccurredAtField() occurredAt?: string;
}

export class DecideCaseReviewRequest {
  @IdField('Rule whose case-by-case review is decided (e.g. CN-STATE-FUNDED-DOMESTIC)') ruleId!: string;
  @EnumField(DECISIONS, "The auditor's decision; refused turns the review into a breach until removal") decision!: DecideCaseReview['decision'];
  @TextField('Why (a decision without reasoning cannot be audited later)', { maxLength: 10_000 }) reasoning!: string;
  @OccurredAtField() occurredAt?: string;
}
