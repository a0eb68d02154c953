import type { ChipsDelivered, ChipsInstalled, ChipsRemoved, ChipStockEvent, RemovalReason } from '../../events/ledger-events';
import { DomainError } from '../../shared/domain-error';
import {
  assertNever,
  requireCountry,
  requireInstant,
  requireNotBefore,
  requireOneOf,
  requirePositiveInteger,
  requireText,
} from '../../shared/guards';
import { requireDataCenter, requireKnownChipModel, requireNotBeforeRegistration } from '../context-guards';
import type { DataCenterFacts, Decider } from '../decider';
import type { ChipStockCommand, DeliverChips, InstallChips, RemoveChips } from './chip-stock.commands';
import { evolveChipStock, initialChipStockState } from './chip-stock.state';
import type { ChipStockState } from './chip-stock.state';
import { requireWithdrawable } from './stock-availability';

const REMOVAL_REASONS: readonly RemovalReason[] = ['decommissioned', 'failed', 'remediation', 'transferred'];

/** Checks every stock command shares: a whole positive quantity, a real date, an existing data center. */
const requireStockFact = (command: ChipStockCommand, dataCenter: DataCenterFacts | null): DataCenterFacts => {
  requireText(command.modelId, 'modelId');
  requirePositiveInteger(command.quantity, 'quantity');
  requireInstant(command.occurredAt, 'occurredAt');
  const facts = requireDataCenter(dataCenter, command.dataCenterId);
  requireNotBeforeRegistration(command.occurredAt, facts.registeredAt, facts.dataCenterId, 'occurredAt', facts.registeredEventId);
  return facts;
};

/** A delivery may not exceed what its purchase order still has open for this model: ordered − cancelled − delivered. */
const deliver = (command: DeliverChips, state: ChipStockState): ChipsDelivered[] => {
  requireText(command.deliveryId, 'deliveryId');
  requireStockFact(command, command.context.dataCenter);
  requireKnownChipModel(command.context.chipModelKnown, command.modelId);
  requireCountry(command.shippedFromCountry, 'shippedFromCountry');
  if (state.deliveryIds.includes(command.deliveryId)) {
    throw new DomainError('STOCK.DUPLICATE_DELIVERY', `Delivery ${command.deliveryId} is already recorded`, { field: 'deliveryId' });
  }

  const order = command.context.purchaseOrder;
  if (order === null) {
    throw new DomainError('PURCHASE_ORDER.NOT_FOUND', `Purchase order ${command.purchaseOrderId} does not exist`, {
      field: 'purchaseOrderId',
    });
  }
  if (order.dataCenterId !== command.dataCenterId) {
    throw new DomainError(
      'PURCHASE_ORDER.OTHER_DATA_CENTER',
      `Purchase order ${order.purchaseOrderId} is for data center ${order.dataCenterId}, not ${command.dataCenterId}`,
      { field: 'purchaseOrderId', details: { orderDataCenterId: order.dataCenterId } },
    );
  }
  requireNotBefore(command.occurredAt, order.placedAt, `purchase order ${order.purchaseOrderId} was placed`, 'occurredAt', order.placedEventId);
  const alreadyDelivered = state.deliveredByPurchaseOrder[order.purchaseOrderId] ?? 0;
  const open = order.orderedQuantity - order.cancelledQuantity - alreadyDelivered;
  if (command.quantity > open) {
    throw new DomainError(
      'STOCK.DELIVERY_EXCEEDS_ORDER',
      `Delivering ${command.quantity} ${command.modelId} exceeds purchase order ${order.purchaseOrderId}: ` +
        `${order.orderedQuantity} ordered, ${order.cancelledQuantity} cancelled, ${alreadyDelivered} already delivered, ${Math.max(open, 0)} open`,
      {
        field: 'quantity',
        details: {
          requested: command.quantity,
          ordered: order.orderedQuantity,
          cancelled: order.cancelledQuantity,
          alreadyDelivered,
          open: Math.max(open, 0),
        },
      },
    );
  }
  const { deliveryId, dataCenterId, modelId, quantity, purchaseOrderId, licenceId, shippedFromCountry } = command;
  return [{ type: 'ChipsDelivered', data: { deliveryId, dataCenterId, modelId, quantity, purchaseOrderId, licenceId, shippedFromCountry } }];
};

const install = (command: InstallChips, state: ChipStockState): ChipsInstalled[] => {
  requireStockFact(command, command.context.dataCenter);
  requireWithdrawable(state, command.occurredAt, command.quantity, 'inStock', 'STOCK.INSUFFICIENT_IN_STOCK', `Installing ${command.modelId}`);
  const { dataCenterId, modelId, quantity } = command;
  return [{ type: 'ChipsInstalled', data: { dataCenterId, modelId, quantity } }];
};

const remove = (command: RemoveChips, state: ChipStockState): ChipsRemoved[] => {
  requireStockFact(command, command.context.dataCenter);
  requireOneOf(command.reason, REMOVAL_REASONS, 'reason');
  requireWithdrawable(state, command.occurredAt, command.quantity, 'installed', 'STOCK.INSUFFICIENT_INSTALLED', `Removing ${command.modelId}`);
  const { dataCenterId, modelId, quantity, reason } = command;
  return [{ type: 'ChipsRemoved', data: { dataCenterId, modelId, quantity, reason } }];
};

export const decideChipStock = (command: ChipStockCommand, state: ChipStockState): ChipStockEvent[] => {
  switch (command.type) {
    case 'DeliverChips':
      return deliver(command, state);
    case 'InstallChips':
      return install(command, state);
    case 'RemoveChips':
      return remove(command, state);
    default:
      return assertNever(command, 'chip stock command');
  }
};

/**
 * Chip stock per data center and model (`chip-stock-{dataCenterId}.{modelId}`): deliveries, installations,
 * removals. Transfers touch two streams and are decided by `decideTransfer`; this decider's `evolve`
 * applies their events.
 */
export const chipStockDecider: Decider<ChipStockCommand, ChipStockEvent, ChipStockState> = {
  initialState: initialChipStockState,
  evolve: evolveChipStock,
  decide: decideChipStock,
};
