import { CountryField, EnumField, IdField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';
import type { RemovalReason } from '@chip-ledger/domain';

const REMOVAL_REASONS: readonly RemovalReason[] = ['decommissioned', 'failed', 'remediation', 'transferred'];

export class RecordDeliveryRequest {
  @IdField('Id of this delivery (chosen by the client); licences and remittances refer to it') deliveryId!: string;
  @IdField('Chip model id') modelId!: string;
  @QuantityField('Chips delivered') quantity!: number;
  @IdField('Purchase order the chips were delivered under') purchaseOrderId!: string;
  @IdField('US export licence the shipment went under, if any', { optional: true }) licenceId?: string;
  @CountryField('Country the shipment came from (US for an export, another for a re-export)') shippedFromCountry!: string;
  @OccurredAtField() occurredAt?: string;
}

export class RecordInstallationRequest {
  @IdField('Chip model id') modelId!: string;
  @QuantityField('Chips installed (taken from uninstalled stock)') quantity!: number;
  @OccurredAtField() occurredAt?: string;
}

export class RecordRemovalRequest {
  @IdField('Chip model id') modelId!: string;
  @QuantityField('Chips removed (must be installed)') quantity!: number;
  @EnumField(REMOVAL_REASONS, "Why; 'transferred' puts them back in stock, ready for a transfer") reason!: RemovalReason;
  @OccurredAtField() occurredAt?: string;
}

export class RecordTransferRequest {
  @IdField('Id of this transfer (chosen by the client)') transferId!: string;
  @IdField('Chip model id') modelId!: string;
  @QuantityField('Chips moved (from uninstalled stock)') quantity!: number;
  @IdField('Data center the chips leave') fromDataCenterId!: string;
  @IdField('Data center the chips go to') toDataCenterId!: string;
  @TextField('Malaysian Strategic Trade permit reference, when one was granted', { nullable: true, maxLength: 200 }) permitReference?: string | null;
  @IdField('US export licence covering the transfer, if any', { optional: true }) licenceId?: string;
  @OccurredAtField() occurredAt?: string;
}
