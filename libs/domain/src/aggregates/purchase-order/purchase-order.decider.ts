import type { OrderLine, PurchaseOrderCancelled, PurchaseOrderEvent, PurchaseOrderPlaced } from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import { assertNever, requireInstant, requireNotBefore, requirePositiveInteger, requireText } from '../../shared/guards';
import { requireDataCenter, requireKnownChipModel, requireNotBeforeRegistration, requireOrganisation } from '../context-guards';
import type { Decider } from '../decider';
import type { CancelPurchaseOrder, PlacePurchaseOrder, PurchaseOrderCommand } from './purchase-order.commands';
import { evolvePurchaseOrder, initialPurchaseOrderState } from './purchase-order.state';
import type { PurchaseOrderState } from './purchase-order.state';

/**
 * Lines are per model, once each: deliveries and cancellations are counted per model, so two lines for the
 * same model would make "which line was delivered" ambiguous.
 */
const requireValidLines = (lines: readonly OrderLine[], knownModelIds: readonly string[]): void => {
  if (!Array.isArray(lines) || lines.length === 0) {
    throw new DomainError('VALUE.REQUIRED', 'A purchase order needs at least one line', { field: 'lines' });
  }
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    requireText(line.modelId, `lines[${index}].modelId`);
    requirePositiveInteger(line.quantity, `lines[${index}].quantity`);
    requireKnownChipModel(knownModelIds.includes(line.modelId), line.modelId, `lines[${index}].modelId`);
    if (seen.has(line.modelId)) {
      throw new DomainError('PURCHASE_ORDER.DUPLICATE_LINE', `Chip model ${line.modelId} appears on more than one line`, {
        field: `lines[${index}].modelId`,
        details: { modelId: line.modelId },
      });
    }
    seen.add(line.modelId);
  });
};

const place = (command: PlacePurchaseOrder, state: PurchaseOrderState): PurchaseOrderPlaced[] => {
  requireText(command.purchaseOrderId, 'purchaseOrderId');
  requireText(command.supplier, 'supplier');
  requireInstant(command.occurredAt, 'occurredAt');
  if (state.status !== 'none') {
    throw new DomainError('PURCHASE_ORDER.ALREADY_PLACED', `Purchase order ${command.purchaseOrderId} already exists`, {
      field: 'purchaseOrderId',
    });
  }
  const dataCenter = requireDataCenter(command.context.dataCenter, command.dataCenterId);
  requireNotBeforeRegistration(command.occurredAt, dataCenter.registeredAt, dataCenter.dataCenterId, 'occurredAt', dataCenter.registeredEventId);
  requireOrganisation(command.context.buyerOrganisationRegistered, command.buyerOrganisationId, 'buyerOrganisationId');
  requireValidLines(command.lines, command.context.knownModelIds);
  const { purchaseOrderId, buyerOrganisationId, dataCenterId, supplier } = command;
  return [
    {
      type: 'PurchaseOrderPlaced',
      data: {
        purchaseOrderId,
        buyerOrganisationId,
        dataCenterId,
        supplier,
        lines: command.lines.map(({ modelId, quantity }) => ({ modelId, quantity })),
      },
    },
  ];
};

const cancel = (command: CancelPurchaseOrder, state: PurchaseOrderState): PurchaseOrderCancelled[] => {
  requireInstant(command.occurredAt, 'occurredAt');
  requireText(command.reason, 'reason');
  if (state.status === 'none') {
    throw new DomainError('PURCHASE_ORDER.NOT_FOUND', `Purchase order ${command.purchaseOrderId} does not exist`, {
      field: 'purchaseOrderId',
    });
  }
  if (state.status === 'cancelled') {
    throw new DomainError('PURCHASE_ORDER.ALREADY_CANCELLED', `Purchase order ${command.purchaseOrderId} was cancelled on ${state.cancellation?.cancelledAt}`, {
      details: { cancelledAt: state.cancellation?.cancelledAt },
    });
  }
  requireNotBefore(command.occurredAt, state.placedAt, 'the order was placed', 'occurredAt', state.placedEventId);
  // What is cancelled is what was not delivered: a cancellation dated before a delivery under the order would show,
  // in occurredAt order, chips delivered on a cancelled order.
  const lastDelivery = command.context.lastDelivery;
  if (lastDelivery) requireNotBefore(command.occurredAt, lastDelivery.occurredAt, 'the last delivery under the order', 'occurredAt', lastDelivery.eventId);
  const cancelledLines = state.lines
    .map((line) => ({ modelId: line.modelId, quantity: line.quantity - Math.min(line.quantity, command.context.deliveredByModel[line.modelId] ?? 0) }))
    .filter((line) => line.quantity > 0);
  if (cancelledLines.length === 0) {
    throw new DomainError('PURCHASE_ORDER.FULLY_DELIVERED', `Purchase order ${command.purchaseOrderId} is fully delivered: nothing left to cancel`);
  }
  return [
    {
      type: 'PurchaseOrderCancelled',
      data: { purchaseOrderId: state.purchaseOrderId, dataCenterId: state.dataCenterId, reason: command.reason, cancelledLines },
    },
  ];
};

export const decidePurchaseOrder = (command: PurchaseOrderCommand, state: PurchaseOrderState): PurchaseOrderEvent[] => {
  switch (command.type) {
    case 'PlacePurchaseOrder':
      return place(command, state);
    case 'CancelPurchaseOrder':
      return cancel(command, state);
    default:
      return assertNever(command, 'purchase order command');
  }
};

/** Purchase order stream (`purchase-order-{id}`): placed with lines; cancelled for what is not yet delivered. */
export const purchaseOrderDecider: Decider<PurchaseOrderCommand, PurchaseOrderEvent, PurchaseOrderState> = {
  initialState: initialPurchaseOrderState,
  evolve: evolvePurchaseOrder,
  decide: decidePurchaseOrder,
};
