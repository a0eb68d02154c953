import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { IdField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';

export class OrderLineDto {
  @IdField('Chip model id (from the catalog)', { example: 'nvidia-h20' }) modelId!: string;
  @QuantityField('Chips ordered', { example: 2048 }) quantity!: number;
}

export class PlacePurchaseOrderRequest {
  @IdField('Id of the purchase order (chosen by the client)', { example: 'po-2025-0117' }) purchaseOrderId!: string;
  @IdField('Organisation buying', { example: 'gansu-cloud' }) buyerOrganisationId!: string;
  @IdField('Data center the chips are for', { example: 'dc-gansu-qingyang-1' }) dataCenterId!: string;
  @TextField('Supplier', { maxLength: 200, example: 'Inspur Electronic Information' }) supplier!: string;
  @ApiProperty({ type: [OrderLineDto], description: 'One line per chip model (1 to 100 lines)', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];
  @OccurredAtField('2025-02-03') occurredAt?: string;
}

export class CancelPurchaseOrderRequest {
  @TextField('Why the order is cancelled (e.g. remediation under the domestic-chip mandate)', { maxLength: 2000, example: 'Remediation: foreign chips barred under the domestic-chip mandate' })
  reason!: string;
  @OccurredAtField('2025-11-20') occurredAt?: string;
}
