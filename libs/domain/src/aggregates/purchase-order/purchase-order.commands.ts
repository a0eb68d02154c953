import type { OrderLine } from '../../events/ledger-events';
import type { Instant } from '../../shared/values';
import type { DataCenterFacts } from '../decider';

export interface PlacePurchaseOrder {
  readonly type: 'PlacePurchaseOrder';
  readonly purchaseOrderId: string;
  readonly buyerOrganisationId: string;
  /** The data center the chips are ordered for; deliveries under this order go there only. */
  readonly dataCenterId: string;
  readonly supplier: string;
  /** One line per chip model. */
  readonly lines: readonly OrderLine[];
  readonly occurredAt: Instant;
  readonly context: {
    readonly dataCenter: DataCenterFacts | null;
    readonly buyerOrganisationRegistered: boolean;
    /** Which of the lines' model ids are in the catalog. */
    readonly knownModelIds: readonly string[];
  };
}

/** Cancels whatever of the order is not yet delivered. */
export interface CancelPurchaseOrder {
  readonly type: 'CancelPurchaseOrder';
  readonly purchaseOrderId: string;
  readonly reason: string;
  readonly occurredAt: Instant;
  readonly context: {
    /** Chips delivered so far under this order, per model (from the chip stock of its data center). */
    readonly deliveredByModel: Readonly<Record<string, number>>;
    /** The latest-dated delivery under the order, if any (a cancellation may not be dated before it). */
    readonly lastDelivery?: { readonly occurredAt: Instant; readonly eventId: string } | null;
  };
}

export type PurchaseOrderCommand = PlacePurchaseOrder | CancelPurchaseOrder;
