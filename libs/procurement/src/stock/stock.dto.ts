import { CountryField, EnumField, IdField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';
import type { RemovalReason } from '@chip-ledger/domain';

const REMOVAL_REASONS: readonly RemovalReason[] = ['decommissioned', 'failed', 'remediation', 'transferred'];

export class RecordDeliveryRequest {
  @IdField('Id of this delivery (chosen by the client); licences and remittances refer to it', { example: 'del-2025-0301-h20' }) deliveryId!: string;
  @IdField('Chip model id', { example: 'nvidia-h20' }) modelId!: string;
  @QuantityField('Chips delivered', { example: 1500 }) quantity!: number;
  @IdField('Purchase order the chips were delivered under', { example: 'po-2025-0117' }) purchaseOrderId!: string;
  @IdField('US export licence the shipment went under, if any', { optional: true, example: 'lic-d1234567' }) licenceId?: string;
  @CountryField('Country the shipment came from (US for an export, another for a re-export)', { example: 'US' }) shippedFromCountry!: string;
  @OccurredAtField('2025-09-01') occurredAt?: string;
}

export class RecordInstallationRequest {
  @IdField('Chip model id', { example: 'nvidia-h20' }) modelId!: string;
  @QuantityField('Chips installed (taken from uninstalled stock)', { example: 512 }) quantity!: number;
  @OccurredAtField('2025-09-15') occurredAt?: string;
}

export class RecordRemovalRequest {
  @IdField('Chip model id', { example: 'nvidia-h20' }) modelId!: string;
  @QuantityField('Chips removed (must be installed)', { example: 128 }) quantity!: number;
  @EnumField(REMOVAL_REASONS, "Why; 'transferred' puts them back in stock, ready for a transfer", { example: 'remediation' }) reason!: RemovalReason;
  @OccurredAtField('2025-12-01') occurredAt?: string;
}

export class RecordTransferRequest {
  @IdField('Id of this transfer (chosen by the client)', { example: 'tr-johor-to-jurong-07' }) transferId!: string;
  @IdField('Chip model id', { example: 'nvidia-h200' }) modelId!: string;
  @QuantityField('Chips moved (from uninstalled stock)', { example: 64 }) quantity!: number;
  @IdField('Data center the chips leave', { example: 'dc-johor-2' }) fromDataCenterId!: string;
  @IdField('Data center the chips go to', { example: 'dc-jurong-1' }) toDataCenterId!: string;
  @TextField('Malaysian Strategic Trade permit reference, when one was granted', { nullable: true, maxLength: 200, example: 'MITI-STP-2025-0042' }) permitReference?: string | null;
  @IdField('US export licence covering the transfer, if any', { optional: true, example: 'lic-sg-7781' }) licenceId?: string;
  @OccurredAtField('2025-08-12') occurredAt?: string;
}
