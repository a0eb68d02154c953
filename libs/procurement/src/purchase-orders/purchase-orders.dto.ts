import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { IdField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';

export class OrderLineDto {
  @IdField('Chip model id (from the catalog)') modelId!: string;
  @QuantityField('Chips ordered') quantity!: number;
}

export class PlacePurchaseOrderRequest {
  @IdField('Id of the purchase order (chosen by the client)') purchaseOrderId!: string;
  @IdField('Organisation buying') buyerOrganisationId!: string;
  @IdField('Data center the chips are for') dataCenterId!: string;
  @TextField('Supplier', { maxLength: 200 }) supplier!: string;
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];
  @OccurredAtField() occurredAt?: string;
}

export class CancelPurchaseOrderRequest {
  @TextField('Why the order is cancelled (e.g. remediation under the domestic-chip mandate)', { maxLength: 2000 }) reason!: string;
  @OccurredAtField() occurredAt?: string;
}
