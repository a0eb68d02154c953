import type { ChipsDelivered, ChipsInstalled, ChipsRemoved, ChipsTransferredIn, ChipsTransferredOut, RemovalReason } from '../../events/ledger-events';
import type { Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';
import type { PurchaseOrderFacts } from '../purchase-order/purchase-order.state';
import type { DeliverChips, InstallChips, RemoveChips, TransferChips } from './chip-stock.commands';

/* Test fixtures for chip-stock specs: a Gansu data center, H20 chips, one purchase order for 600. */

export const GANSU: DataCenterFacts = {
  dataCenterId: 'dc-gansu',
  registeredAt: '2024-01-01T00:00:00.000Z',
  country: 'CN',
  ownerOrganisationId: 'org-gansu',
};
export const KUALA_LUMPUR: DataCenterFacts = {
  dataCenterId: 'dc-kl',
  registeredAt: '2024-06-01T00:00:00.000Z',
  country: 'MY',
  ownerOrganisationId: 'org-kl',
};
export const H20 = 'nvidia-h20';
export const PO_600: PurchaseOrderFacts = {
  purchaseOrderId: 'po-1',
  dataCenterId: GANSU.dataCenterId,
  placedAt: '2024-02-01T00:00:00.000Z',
  orderedQuantity: 600,
  cancelledQuantity: 0,
};

export const deliverChips = (quantity: number, overrides: Partial<DeliverChips> = {}): DeliverChips => ({
  type: 'DeliverChips',
  deliveryId: 'delivery-1',
  dataCenterId: GANSU.dataCenterId,
  modelId: H20,
  quantity,
  purchaseOrderId: PO_600.purchaseOrderId,
  licenceId: null,
  shippedFromCountry: 'US',
  occurredAt: '2025-09-01T00:00:00.000Z',
  context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: PO_600 },
  ...overrides,
});

export const installChips = (quantity: number, occurredAt: Instant = '2025-09-10T00:00:00.000Z', dataCenter: DataCenterFacts | null = GANSU): InstallChips => ({
  type: 'InstallChips',
  dataCenterId: GANSU.dataCenterId,
  modelId: H20,
  quantity,
  occurredAt,
  context: { dataCenter },
});

export const removeChips = (quantity: number, reason: RemovalReason = 'remediation', occurredAt: Instant = '2025-12-01T00:00:00.000Z'): RemoveChips => ({
  type: 'RemoveChips',
  dataCenterId: GANSU.dataCenterId,
  modelId: H20,
  quantity,
  reason,
  occurredAt,
  context: { dataCenter: GANSU },
});

export const transferChips = (quantity: number, overrides: Partial<TransferChips> = {}): TransferChips => ({
  type: 'TransferChips',
  transferId: 'transfer-1',
  modelId: H20,
  quantity,
  fromDataCenterId: KUALA_LUMPUR.dataCenterId,
  toDataCenterId: GANSU.dataCenterId,
  permitReference: null,
  licenceId: null,
  occurredAt: '2025-08-01T00:00:00.000Z',
  context: { from: KUALA_LUMPUR, to: GANSU },
  ...overrides,
});

export const chipsDelivered = (quantity: number, deliveryId = 'delivery-1', dataCenter = GANSU, purchaseOrderId = PO_600.purchaseOrderId): ChipsDelivered => ({
  type: 'ChipsDelivered',
  data: { deliveryId, dataCenterId: dataCenter.dataCenterId, modelId: H20, quantity, purchaseOrderId, licenceId: null, shippedFromCountry: 'US' },
});
export const chipsInstalled = (quantity: number, dataCenter = GANSU): ChipsInstalled => ({
  type: 'ChipsInstalled',
  data: { dataCenterId: dataCenter.dataCenterId, modelId: H20, quantity },
});
export const chipsRemoved = (quantity: number, reason: RemovalReason = 'remediation', dataCenter = GANSU): ChipsRemoved => ({
  type: 'ChipsRemoved',
  data: { dataCenterId: dataCenter.dataCenterId, modelId: H20, quantity, reason },
});
export const chipsTransferredOut = (quantity: number, from = KUALA_LUMPUR, to = GANSU, transferId = 'transfer-0'): ChipsTransferredOut => ({
  type: 'ChipsTransferredOut',
  data: { transferId, dataCenterId: from.dataCenterId, modelId: H20, quantity, toDataCenterId: to.dataCenterId, toCountry: to.country, permitReference: null, licenceId: null },
});
export const chipsTransferredIn = (quantity: number, from = KUALA_LUMPUR, to = GANSU, transferId = 'transfer-0'): ChipsTransferredIn => ({
  type: 'ChipsTransferredIn',
  data: { transferId, dataCenterId: to.dataCenterId, modelId: H20, quantity, fromDataCenterId: from.dataCenterId, fromCountry: from.country, permitReference: null, licenceId: null },
});
