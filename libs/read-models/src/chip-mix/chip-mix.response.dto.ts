import { ApiProperty } from '@nestjs/swagger';
import type { ChipMixLine, DataCenterFacts } from './chip-mix.queries';
import { FindingResponse } from '../findings/findings.response.dto';

export class ChipMixLineResponse implements ChipMixLine {
  @ApiProperty({ example: 'nvidia-h20' }) readonly modelId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null when the model is not in the catalog', example: 'H20' }) readonly modelName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Nvidia' }) readonly vendor!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'US' }) readonly vendorHeadquarters!: string | null;
  @ApiProperty({ enum: ['domestic', 'foreign', 'unknown'], description: "Per the rulebook's definition (vendor headquartered in CN)", example: 'foreign' }) readonly origin!: 'domestic' | 'foreign' | 'unknown';
  @ApiProperty({ type: String, nullable: true, description: 'Export classification, when known', example: '3A090.a' }) readonly eccnClass!: string | null;
  @ApiProperty({ type: 'integer', example: 512 }) readonly installed!: number;
  @ApiProperty({ type: 'integer', description: 'Delivered and not installed', example: 988 }) readonly inStock!: number;
  @ApiProperty({ type: 'integer', description: 'Ordered, not delivered nor cancelled', example: 548 }) readonly onOrder!: number;
  @ApiProperty({ type: 'integer', description: 'Installed chips rented to tenants now', example: 0 }) readonly rentedOut!: number;
  @ApiProperty({ type: 'integer', example: 1500 }) readonly delivered!: number;
  @ApiProperty({ type: 'integer', example: 0 }) readonly removed!: number;
  @ApiProperty({ type: 'integer', example: 0 }) readonly transferredIn!: number;
  @ApiProperty({ type: 'integer', example: 0 }) readonly transferredOut!: number;
  @ApiProperty({ description: 'occurredAt of the latest fact counted', example: '2025-09-15T00:00:00.000Z' }) readonly lastEventAt!: string;
}

export class DataCenterTotalsResponse {
  @ApiProperty({ type: 'integer', example: 512 }) readonly installed!: number;
  @ApiProperty({ type: 'integer', example: 988 }) readonly inStock!: number;
  @ApiProperty({ type: 'integer', example: 548 }) readonly onOrder!: number;
  @ApiProperty({ type: 'integer', example: 0 }) readonly rentedOut!: number;
  @ApiProperty({ type: 'integer', description: "Installed chips of domestic vendors (the rulebook's definition)", example: 0 }) readonly domesticInstalled!: number;
  @ApiProperty({ type: 'integer', description: 'Installed chips of foreign vendors', example: 512 }) readonly foreignInstalled!: number;
}

export class DataCenterResponse implements DataCenterFacts {
  @ApiProperty({ example: 'dc-gansu-qingyang-1' }) readonly dataCenterId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Qingyang East Computing Hub 1' }) readonly name!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'gansu-cloud' }) readonly ownerOrganisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Gansu Cloud Computing Co., Ltd.' }) readonly ownerName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CN' }) readonly country!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Qingyang, Gansu' }) readonly region!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-01-10T00:00:00.000Z' }) readonly registeredAt!: string | null;
  @ApiProperty({ description: 'Has received any state funding', example: true }) readonly stateFunded!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'When the funding was learned', example: '2025-06-30T00:00:00.000Z' }) readonly stateFundedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Latest reported completion, 0-100', example: 20 }) readonly completionPercent!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-11-01T00:00:00.000Z' }) readonly completionReportedAt!: string | null;
  @ApiProperty({ type: DataCenterTotalsResponse, description: 'Chips of every model' }) readonly totals!: DataCenterTotalsResponse;
}

export class DataCenterPage {
  @ApiProperty({ type: [DataCenterResponse], description: 'By id' }) readonly items!: readonly DataCenterResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page', example: 'WyJkYy1nYW5zdS1xaW5neWFuZy0xIl0' }) readonly nextCursor!: string | null;
}

export class DataCenterDetailResponse extends DataCenterResponse {
  @ApiProperty({ type: [ChipMixLineResponse], description: 'One line per chip model, by model id' }) readonly chipMix!: readonly ChipMixLineResponse[];
  @ApiProperty({ type: [FindingResponse], description: 'Its open findings, newest first' }) readonly openFindings!: readonly FindingResponse[];
}

export class ChipMixResponse {
  @ApiProperty({ example: 'dc-gansu-qingyang-1' }) readonly dataCenterId!: string;
  @ApiProperty({ type: [ChipMixLineResponse], description: 'One line per chip model, by model id' }) readonly items!: readonly ChipMixLineResponse[];
}
