import { EnumField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';
import type { DecideCaseReview } from '@chip-ledger/domain';

const DECISIONS: readonly DecideCaseReview['decision'][] = ['approved', 'refused'];

export class OpenAuditRequest {
  @IdField('Id of the audit (chosen by the client; unique per data center)', { example: 'audit-2026-q1' }) auditId!: string;
  @TextField('What the audit covers', { maxLength: 2000, example: 'Foreign accelerators installed since the 2025-11-05 mandate' }) scope!: string;
  @OccurredAtField('2026-01-12') occurredAt?: string;
}

export class CloseAuditRequest {
  @TextField('What the audit concluded', { maxLength: 10_000, example: 'All 512 H20 removed by 2026-02-28; no open breach remains' }) conclusion!: string;
  @OccurredAtField('2026-03-02') occurredAt?: string;
}

export class RecordAuditNoteRequest {
  @TextField('The note', { maxLength: 10_000, example: 'Site visit: serial numbers of 64 H20 boards match the delivery of 2025-09-01' }) note!: string;
  @OccurredAtField('2026-01-20') occurredAt?: string;
}

export class AcknowledgeFindingRequest {
  // Not an IdField: finding ids are composed by the compliance engine as rule/dataCenter/model/discriminator.
  @TextField('Finding id, as the compliance view gives it (e.g. CN-STATE-FUNDED-DOMESTIC/dc-gansu-1/nvidia-h20/...)', {
    maxLength: 500,
    example: 'CN-STATE-FUNDED-DOMESTIC/dc-gansu-qingyang-1/nvidia-h20/holdings',
  })
  findingId!: string;
  @TextField('What the auditor acknowledges (acknowledging does not close the finding)', { maxLength: 10_000, example: 'Operator has a removal plan due 2026-02-28' }) comment!: string;
  @OccurredAtField('2026-01-21') occurredAt?: string;
}

export class DecideCaseReviewRequest {
  @IdField('Rule whose case-by-case review is decided (e.g. CN-STATE-FUNDED-DOMESTIC)', { example: 'CN-STATE-FUNDED-DOMESTIC' }) ruleId!: string;
  @EnumField(DECISIONS, "The auditor's decision; refused turns the review into a breach until removal", { example: 'approved' }) decision!: DecideCaseReview['decision'];
  @TextField('Why (a decision without reasoning cannot be audited later)', { maxLength: 10_000, example: 'Site was 45% complete on 2025-11-05; provincial approval letter on file' })
  reasoning!: string;
  @OccurredAtField('2026-01-25') occurredAt?: string;
}
