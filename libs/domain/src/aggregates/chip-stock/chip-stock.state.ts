import type { ChipStockEvent, RemovalReason } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { compareInstants } from '../../shared/instant';
import type { Instant } from '../../shared/values';

/**
 * How one event changed the counts at its `occurredAt`. Kept in `occurredAt` order so that a fact recorded
 * late can be checked against the counts *at the time it happened*, not only against today's totals
 * (an installation may not be dated before the delivery that made it possible).
 */
export interface StockMovement {
  readonly occurredAt: Instant;
  readonly eventId: string;
  readonly installedDelta: number;
  readonly inStockDelta: number;
}

/**
 * Chips of one model at one data center (stream `chip-stock-{dataCenterId}.{modelId}`).
 *
 * Arithmetic, always true (see `stockArithmeticHolds`):
 *   inStock = delivered − removed − transferredOut + transferredIn − installed ≥ 0, installed ≥ 0,
 * i.e. installed ≤ delivered − removed − transferredOut + transferredIn, and the same at every `occurredAt`.
 *
 * `removed` counts chips that *left* the data center by removal (decommissioned, failed, remediation).
 * Chips removed with reason `transferred` are only uninstalled: they return to `inStock` and leave with the
 * `ChipsTransferredOut` that follows; counting them in `removed` too would count them leaving twice.
 * `removedByReason` has every removal, including those.
 */
export interface ChipStockState {
  /** Null until the first event. */
  readonly dataCenterId: string | null;
  readonly modelId: string | null;
  readonly delivered: number;
  /** Currently installed. */
  readonly installed: number;
  readonly removed: number;
  readonly removedByReason: Readonly<Record<RemovalReason, number>>;
  readonly transferredIn: number;
  readonly transferredOut: number;
  /** Uninstalled chips on site. */
  readonly inStock: number;
  /** Chips delivered per purchase order id (a delivery may not exceed what its order still has open). */
  readonly deliveredByPurchaseOrder: Readonly<Record<string, number>>;
  /** Per purchase order id, its latest-dated delivery (a cancellation of the order may not be dated before it). */
  readonly lastDeliveryByPurchaseOrder: Readonly<Record<string, { readonly occurredAt: Instant; readonly eventId: string }>>;
  readonly deliveryIds: readonly string[];
  readonly transferIds: readonly string[];
  /** Every movement, sorted by `occurredAt` (recording order among equals). */
  readonly movements: readonly StockMovement[];
}

export const initialChipStockState = (): ChipStockState => ({
  dataCenterId: null,
  modelId: null,
  delivered: 0,
  installed: 0,
  removed: 0,
  removedByReason: { decommissioned: 0, failed: 0, remediation: 0, transferred: 0 },
  transferredIn: 0,
  transferredOut: 0,
  inStock: 0,
  deliveredByPurchaseOrder: {},
  lastDeliveryByPurchaseOrder: {},
  deliveryIds: [],
  transferIds: [],
  movements: [],
});

/**
 * Position a movement at `occurredAt` takes: after every movement dated at or before it. Searched from the
 * end, because facts mostly arrive in time order: the usual answer is "last", found in one comparison.
 */
export const insertionIndex = (movements: readonly StockMovement[], occurredAt: Instant): number => {
  let index = movements.length;
  while (index > 0 && compareInstants(movements[index - 1].occurredAt, occurredAt) > 0) index--;
  return index;
};

const withMovement = (
  state: ChipStockState,
  event: Recorded<ChipStockEvent>,
  installedDelta: number,
  inStockDelta: number,
): ChipStockState => {
  const movement: StockMovement = { occurredAt: event.occurredAt, eventId: event.eventId, installedDelta, inStockDelta };
  const at = insertionIndex(state.movements, event.occurredAt);
  return {
    ...state,
    dataCenterId: event.data.dataCenterId,
    modelId: event.data.modelId,
    installed: state.installed + installedDelta,
    inStock: state.inStock + inStockDelta,
    movements: [...state.movements.slice(0, at), movement, ...state.movements.slice(at)],
  };
};

const laterDelivery = (
  latest: ChipStockState['lastDeliveryByPurchaseOrder'],
  purchaseOrderId: string,
  event: { readonly occurredAt: Instant; readonly eventId: string },
): ChipStockState['lastDeliveryByPurchaseOrder'] => {
  const known = latest[purchaseOrderId];
  return known !== undefined && compareInstants(known.occurredAt, event.occurredAt) > 0 ? latest : { ...latest, [purchaseOrderId]: { occurredAt: event.occurredAt, eventId: event.eventId } };
};

export const evolveChipStock = (state: ChipStockState, event: Recorded<ChipStockEvent>): ChipStockState => {
  switch (event.type) {
    case 'ChipsDelivered': {
      const { quantity, purchaseOrderId, deliveryId } = event.data;
      const next = withMovement(state, event, 0, quantity);
      return {
        ...next,
        delivered: state.delivered + quantity,
        deliveredByPurchaseOrder: {
          ...state.deliveredByPurchaseOrder,
          [purchaseOrderId]: (state.deliveredByPurchaseOrder[purchaseOrderId] ?? 0) + quantity,
        },
        lastDeliveryByPurchaseOrder: laterDelivery(state.lastDeliveryByPurchaseOrder, purchaseOrderId, event),
        deliveryIds: [...state.deliveryIds, deliveryId],
      };
    }
    case 'ChipsInstalled':
      return withMovement(state, event, event.data.quantity, -event.data.quantity);
    case 'ChipsRemoved': {
      const { quantity, reason } = event.data;
      const backToStock = reason === 'transferred';
      const next = withMovement(state, event, -quantity, backToStock ? quantity : 0);
      return {
        ...next,
        removed: state.removed + (backToStock ? 0 : quantity),
        removedByReason: { ...state.removedByReason, [reason]: state.removedByReason[reason] + quantity },
      };
    }
    case 'ChipsTransferredOut': {
      const next = withMovement(state, event, 0, -event.data.quantity);
      return { ...next, transferredOut: state.transferredOut + event.data.quantity, transferIds: [...state.transferIds, event.data.transferId] };
    }
    case 'ChipsTransferredIn': {
      const next = withMovement(state, event, 0, event.data.quantity);
      return { ...next, transferredIn: state.transferredIn + event.data.quantity, transferIds: [...state.transferIds, event.data.transferId] };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

/** The stock invariant. Deciders keep it true; tests and the rulebook may assert it. */
export const stockArithmeticHolds = (state: ChipStockState): boolean =>
  state.installed >= 0 &&
  state.inStock >= 0 &&
  state.inStock === state.delivered - state.removed - state.transferredOut + state.transferredIn - state.installed;

/** Counts as of `asOf` (movements dated at or before it), for as-of queries and the rulebook. */
export const stockAt = (state: ChipStockState, asOf: Instant): { readonly installed: number; readonly inStock: number } =>
  state.movements
    .filter((movement) => compareInstants(movement.occurredAt, asOf) <= 0)
    .reduce((counts, movement) => ({ installed: counts.installed + movement.installedDelta, inStock: counts.inStock + movement.inStockDelta }), {
      installed: 0,
      inStock: 0,
    });
