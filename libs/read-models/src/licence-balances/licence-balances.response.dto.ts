import { ApiProperty } from '@nestjs/swagger';
import type { LicenceBalance } from './licence-balances.queries';

export class LicenceUsageResponse {
  @ApiProperty({ format: 'uuid', example: '3c9e1f7a-2b4d-4a6e-9f0c-7d8e5a1b2c3d' }) readonly eventId!: string;
  @ApiProperty({ description: 'What drew on the licence (a delivery, or a transfer in under it)', example: 'delivery' }) readonly kind!: string;
  @ApiProperty({ description: 'The delivery or transfer id', example: 'del-2025-0301-h20' }) readonly reference!: string;
  @ApiProperty({ example: 'dc-gansu-qingyang-1' }) readonly dataCenterId!: string;
  @ApiProperty({ example: 'nvidia-h20' }) readonly modelId!: string;
  @ApiProperty({ type: 'integer', example: 1500 }) readonly quantity!: number;
  @ApiProperty({ example: '2025-09-01T00:00:00.000Z' }) readonly occurredAt!: string;
  @ApiProperty({ type: 'integer', description: 'Balance after this usage (in occurredAt order); negative when it overdrew', example: 500 }) readonly balanceAfter!: number;
}

export class LicenceRemittanceResponse {
  @ApiProperty({ format: 'uuid', example: '8b2f6d4e-1a3c-4e5f-9d7b-0c2e4a6f8b1d' }) readonly eventId!: string;
  @ApiProperty({ example: 'TREAS-2025-11-001' }) readonly reference!: string;
  @ApiProperty({ type: [String], example: ['del-2025-0301-h20'] }) readonly deliveryIds!: readonly string[];
  @ApiProperty({ description: 'Exact decimal string of US dollars, two fraction digits', pattern: '^\\d+\\.\\d{2}$', example: '1250000.00' }) readonly amountUsd!: string;
  @ApiProperty({ example: '2025-11-15T00:00:00.000Z' }) readonly occurredAt!: string;
}

const LICENCE_STATUSES = ['active', 'suspended', 'revoked', 'expired', 'not-yet-valid', 'exhausted', 'overdrawn', 'unknown'] as const;

export class LicenceBalanceResponse implements LicenceBalance {
  @ApiProperty({ example: 'lic-d1234567' }) readonly licenceId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null while only usages of the licence are known', example: 'D1234567' }) readonly licenceNumber!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'NVIDIA Corporation' }) readonly exporter!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'gansu-cloud' }) readonly consigneeOrganisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CN' }) readonly destinationCountry!: string | null;
  @ApiProperty({ type: [String], example: ['nvidia-h20'] }) readonly modelIds!: readonly string[];
  @ApiProperty({ type: 'integer', example: 2000 }) readonly authorised!: number;
  @ApiProperty({ type: 'integer', example: 2300 }) readonly used!: number;
  @ApiProperty({ type: 'integer', description: 'What may still be shipped; never negative', example: 0 }) readonly remaining!: number;
  @ApiProperty({ type: 'integer', description: 'How far usage exceeds the authorised quantity', example: 300 }) readonly overdrawnBy!: number;
  @ApiProperty({ enum: LICENCE_STATUSES, description: 'Administrative status, then balance and validity as of the request', example: 'overdrawn' }) readonly status!: (typeof LICENCE_STATUSES)[number];
  @ApiProperty({ description: 'active, suspended or revoked (unknown before the licence itself is known)', example: 'active' }) readonly administrativeStatus!: string;
  @ApiProperty({ type: String, nullable: true, example: '2025-08-20T00:00:00.000Z' }) readonly validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-08-20T00:00:00.000Z' }) readonly validTo!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 15 }) readonly revenueSharePercent!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-08-20T00:00:00.000Z' }) readonly issuedAt!: string | null;
  @ApiProperty({ type: [LicenceUsageResponse], description: 'In occurredAt order' }) readonly usages!: readonly LicenceUsageResponse[];
  @ApiProperty({ type: [LicenceRemittanceResponse], description: 'In occurredAt order' }) readonly remittances!: readonly LicenceRemittanceResponse[];
}

export class LicencesInUseResponse {
  @ApiProperty({ example: 'dc-gansu-qingyang-1' }) readonly dataCenterId!: string;
  @ApiProperty({ type: [LicenceBalanceResponse], description: "The balances of the licences the data center's deliveries and transfers-in cited" })
  readonly items!: readonly LicenceBalanceResponse[];
}
