import { ApiProperty } from '@nestjs/swagger';
import type { FindingView } from './findings.queries';
import { CERTAINTIES, SEVERITIES } from './findings.request.dto';

export class FindingSourceResponse {
  @ApiProperty({ description: 'Where the rule comes from', example: 'Reuters, 2025-11-05: state-funded data centres told to use domestic chips' }) readonly citation!: string;
  @ApiProperty({ description: 'A link to the source', example: 'https://www.reuters.com/world/china/' }) readonly url!: string;
}

export class FindingLinksResponse {
  @ApiProperty({ type: [String], description: 'Where each evidence event resolves (GET /events/{eventId}), in the order of `evidence`', example: ['/events/9a4d3c1e-0f2b-4e7a-8c6d-5b1a2f3e4d5c'] })
  readonly evidence!: readonly string[];
}

/** One interval during which a finding was open with one severity (GET /findings, /findings/{findingId}). */
export class FindingResponse implements FindingView {
  @ApiProperty({ description: 'Row id: one interval of the finding with one severity (use it with GET /findings/{findingId})', example: 'kR2m5xQ9vT0aL7cW3pN8sY' }) readonly id!: string;
  @ApiProperty({ description: 'The finding itself (`ruleId/dataCenterId/modelId/discriminator`), shared by its reopened intervals', example: 'CN-STATE-FUNDED-DOMESTIC/dc-gansu-qingyang-1/nvidia-h20/holdings' })
  readonly findingId!: string;
  @ApiProperty({ description: 'Rule of the rulebook', example: 'CN-STATE-FUNDED-DOMESTIC' }) readonly ruleId!: string;
  @ApiProperty({ enum: SEVERITIES, description: 'breach (violated), review (a case-by-case decision is pending) or risk (a red flag)', example: 'breach' }) readonly severity!: FindingView['severity'];
  @ApiProperty({ enum: CERTAINTIES, description: 'How certain the rule is in law', example: 'reported-guidance' }) readonly certainty!: FindingView['certainty'];
  @ApiProperty({ enum: ['open', 'closed'], example: 'open' }) readonly status!: 'open' | 'closed';
  @ApiProperty({ example: 'dc-gansu-qingyang-1' }) readonly dataCenterId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Owner of the data center; null when not known yet', example: 'gansu-cloud' }) readonly ownerOrganisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Chip model concerned; null for a finding about the site', example: 'nvidia-h20' }) readonly modelId!: string | null;
  @ApiProperty({ type: 'integer', description: 'Chips concerned', example: 512 }) readonly count!: number;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Ids of the events that cause it', example: ['9a4d3c1e-0f2b-4e7a-8c6d-5b1a2f3e4d5c'] })
  readonly evidence!: readonly string[];
  @ApiProperty({ description: 'A sentence a person can read', example: '512 foreign chips (nvidia-h20) at a state-funded site 20% complete on 2025-11-05' }) readonly message!: string;
  @ApiProperty({ type: FindingSourceResponse }) readonly source!: FindingSourceResponse;
  @ApiProperty({ type: String, nullable: true, description: 'When the fact that opened it occurred', example: '2025-11-05T00:00:00.000Z' }) readonly occurredAt!: string | null;
  @ApiProperty({ description: 'An auditor acknowledged it (it stays open)', example: false }) readonly acknowledged!: boolean;
  @ApiProperty({ description: 'Start of this interval', example: '2025-11-05T00:00:00.000Z' }) readonly openedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'End of this interval; null while open', example: null }) readonly closedAt!: string | null;
  @ApiProperty({ example: '2025-11-05T00:00:02.314Z' }) readonly updatedAt!: string;
  @ApiProperty({ type: FindingLinksResponse }) readonly links!: FindingLinksResponse;
}

export class FindingPage {
  @ApiProperty({ type: [FindingResponse], description: 'Newest first' }) readonly items!: readonly FindingResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page', example: 'WyIyMDI1LTExLTA1VDAwOjAwOjAwLjAwMFoiLCJrUjJtNXhROXZUMGFMN2NXM3BOOHNZIl0' })
  readonly nextCursor!: string | null;
}

/** Each evidence event id resolves at GET /events/{eventId} (the auditors' read side). */
export const withEvidenceLinks = (finding: FindingView): FindingView & { links: { evidence: string[] } } => ({
  ...finding,
  links: { evidence: finding.evidence.map((eventId) => `/events/${eventId}`) },
});
