import type { ChipsTransferredIn, ChipsTransferredOut } from '../../events/ledger-events';
import { streamIds } from '../../events/stream-ids';
import { DomainError } from '../../shared/domain-error';
import { requireInstant, requirePositiveInteger, requireText } from '../../shared/guards';
import { requireDataCenter, requireNotBeforeRegistration } from '../context-guards';
import type { TransferChips } from './chip-stock.commands';
import type { ChipStockState } from './chip-stock.state';
import { requireWithdrawable } from './stock-availability';

/** The two sides of one transfer; the application appends both in one transaction, or neither. */
export interface TransferDecision {
  readonly source: { readonly streamId: string; readonly events: ChipsTransferredOut[] };
  readonly destination: { readonly streamId: string; readonly events: ChipsTransferredIn[] };
}

const requireNewTransferId = (state: ChipStockState, transferId: string, side: string): void => {
  if (state.transferIds.includes(transferId)) {
    throw new DomainError('STOCK.DUPLICATE_TRANSFER', `Transfer ${transferId} is already recorded at the ${side}`, {
      field: 'transferId',
      details: { side },
    });
  }
};

/**
 * Decides a transfer over both stock streams at once, so the out and the in can never disagree: the chips
 * must be uninstalled stock at the source at `occurredAt` (and stay so for later-dated facts), both data
 * centers must exist by then, and the transfer id must be new on both sides. Throws a DomainError otherwise.
 * A cross-border transfer is recorded whatever the permit: judging it is the rulebook's job.
 */
export const decideTransfer = (command: TransferChips, source: ChipStockState, destination: ChipStockState): TransferDecision => {
  requireText(command.transferId, 'transferId');
  requireText(command.modelId, 'modelId');
  requirePositiveInteger(command.quantity, 'quantity');
  requireInstant(command.occurredAt, 'occurredAt');
  if (command.permitReference !== null) requireText(command.permitReference, 'permitReference');
  if (command.fromDataCenterId === command.toDataCenterId) {
    throw new DomainError('TRANSFER.SAME_DATA_CENTER', 'A transfer needs two different data centers', { field: 'toDataCenterId' });
  }
  const from = requireDataCenter(command.context.from, command.fromDataCenterId, 'fromDataCenterId');
  const to = requireDataCenter(command.context.to, command.toDataCenterId, 'toDataCenterId');
  requireNotBeforeRegistration(command.occurredAt, from.registeredAt, from.dataCenterId, 'occurredAt', from.registeredEventId);
  requireNotBeforeRegistration(command.occurredAt, to.registeredAt, to.dataCenterId, 'occurredAt', to.registeredEventId);
  requireNewTransferId(source, command.transferId, 'source');
  requireNewTransferId(destination, command.transferId, 'destination');
  requireWithdrawable(
    source,
    command.occurredAt,
    command.quantity,
    'inStock',
    'STOCK.INSUFFICIENT_IN_STOCK',
    `Transferring ${command.modelId} out of ${from.dataCenterId}`,
  );

  const { transferId, modelId, quantity, permitReference, licenceId } = command;
  return {
    source: {
      streamId: streamIds.chipStock(from.dataCenterId, modelId),
      events: [
        {
          type: 'ChipsTransferredOut',
          data: { transferId, dataCenterId: from.dataCenterId, modelId, quantity, toDataCenterId: to.dataCenterId, toCountry: to.country, permitReference, licenceId },
        },
      ],
    },
    destination: {
      streamId: streamIds.chipStock(to.dataCenterId, modelId),
      events: [
        {
          type: 'ChipsTransferredIn',
          data: { transferId, dataCenterId: to.dataCenterId, modelId, quantity, fromDataCenterId: from.dataCenterId, fromCountry: from.country, permitReference, licenceId },
        },
      ],
    },
  };
};
