import type { RemovalReason } from '../../events/ledger-events';
import type { CountryCode, Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';
import type { PurchaseOrderFacts } from '../purchase-order/purchase-order.state';

/** Chips arrived at a data center under a purchase order (and possibly an export licence). */
export interface DeliverChips {
  readonly type: 'DeliverChips';
  /** Id of this delivery (the licence's usage history and remittances refer to it); unique per stock stream. */
  readonly deliveryId: string;
  readonly dataCenterId: string;
  readonly modelId: string;
  readonly quantity: number;
  readonly purchaseOrderId: string;
  readonly licenceId: string | null;
  readonly shippedFromCountry: CountryCode;
  readonly occurredAt: Instant;
  readonly context: {
    readonly dataCenter: DataCenterFacts | null;
    readonly chipModelKnown: boolean;
    /** Built with `purchaseOrderFacts(poState, modelId)`; null when the order does not exist. */
    readonly purchaseOrder: PurchaseOrderFacts | null;
  };
}

/** Chips taken from the data center's uninstalled stock and installed. */
export interface InstallChips {
  readonly type: 'InstallChips';
  readonly dataCenterId: string;
  readonly modelId: string;
  readonly quantity: number;
  readonly occurredAt: Instant;
  readonly context: { readonly dataCenter: DataCenterFacts | null };
}

/**
 * Installed chips taken out of service. With reason `transferred` they go back to uninstalled stock, ready
 * for a `TransferChips`; with any other reason they leave the data center's count for good.
 */
export interface RemoveChips {
  readonly type: 'RemoveChips';
  readonly dataCenterId: string;
  readonly modelId: string;
  readonly quantity: number;
  readonly reason: RemovalReason;
  readonly occurredAt: Instant;
  readonly context: { readonly dataCenter: DataCenterFacts | null };
}

export type ChipStockCommand = DeliverChips | InstallChips | RemoveChips;

/**
 * Uninstalled chips move from one data center to another, possibly across a border. Decided by
 * `decideTransfer` over both stock streams at once; the application appends both events atomically.
 */
export interface TransferChips {
  readonly type: 'TransferChips';
  readonly transferId: string;
  readonly modelId: string;
  readonly quantity: number;
  readonly fromDataCenterId: string;
  readonly toDataCenterId: string;
  /** Malaysian Strategic Trade permit reference, when one was granted (rule of 2025-07-14). */
  readonly permitReference: string | null;
  readonly licenceId: string | null;
  readonly occurredAt: Instant;
  readonly context: {
    readonly from: DataCenterFacts | null;
    readonly to: DataCenterFacts | null;
  };
}
