import type { OrderLine, PurchaseOrderEvent } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import type { Instant } from '../../shared/values';

export interface PurchaseOrderCancellation {
  readonly cancelledAt: Instant;
  readonly reason: string;
  readonly cancelledLines: readonly OrderLine[];
  readonly eventId: string;
}

export type PurchaseOrderState =
  | { readonly status: 'none' }
  | {
      readonly status: 'placed' | 'cancelled';
      readonly purchaseOrderId: string;
      readonly buyerOrganisationId: string;
      readonly dataCenterId: string;
      readonly supplier: string;
      readonly lines: readonly OrderLine[];
      readonly placedAt: Instant;
      readonly placedEventId: string;
      readonly cancellation: PurchaseOrderCancellation | null;
    };

export type ExistingPurchaseOrder = Exclude<PurchaseOrderState, { status: 'none' }>;

export const initialPurchaseOrderState = (): PurchaseOrderState => ({ status: 'none' });

export const evolvePurchaseOrder = (state: PurchaseOrderState, event: Recorded<PurchaseOrderEvent>): PurchaseOrderState => {
  switch (event.type) {
    case 'PurchaseOrderPlaced':
      return {
        status: 'placed',
        ...event.data,
        placedAt: event.occurredAt,
        placedEventId: event.eventId,
        cancellation: null,
      };
    case 'PurchaseOrderCancelled':
      if (state.status === 'none') return state;
      return {
        ...state,
        status: 'cancelled',
        cancellation: {
          cancelledAt: event.occurredAt,
          reason: event.data.reason,
          cancelledLines: event.data.cancelledLines,
          eventId: event.eventId,
        },
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

/** What a delivery under this order needs to know (the `context.purchaseOrder` of `DeliverChips`). */
export interface PurchaseOrderFacts {
  readonly purchaseOrderId: string;
  readonly dataCenterId: string;
  readonly placedAt: Instant;
  readonly placedEventId?: string;
  /** Quantity of the model on the order (0 when the model is not on it). */
  readonly orderedQuantity: number;
  /** Quantity of the model cancelled (never deliverable any more). */
  readonly cancelledQuantity: number;
}

const quantityOf = (lines: readonly OrderLine[], modelId: string): number =>
  lines.filter((line) => line.modelId === modelId).reduce((sum, line) => sum + line.quantity, 0);

/** The facts about this order for deliveries of `modelId`, or null when the order does not exist. */
export const purchaseOrderFacts = (state: PurchaseOrderState, modelId: string): PurchaseOrderFacts | null =>
  state.status === 'none'
    ? null
    : {
        purchaseOrderId: state.purchaseOrderId,
        dataCenterId: state.dataCenterId,
        placedAt: state.placedAt,
        placedEventId: state.placedEventId,
        orderedQuantity: quantityOf(state.lines, modelId),
        cancelledQuantity: quantityOf(state.cancellation?.cancelledLines ?? [], modelId),
      };
