import { isDomainError } from '../../shared/domain-error';
import type { DomainError } from '../../shared/domain-error';
import { recordHistory } from '../../testing/recorded-events';
import { foldEvents } from '../decider';
import { chipStockDecider } from './chip-stock.decider';
import type { ChipStockState } from './chip-stock.state';
import { GANSU, KUALA_LUMPUR, chipsDelivered, chipsInstalled, chipsRemoved, chipsTransferredIn, transferChips } from './chip-stock.fixtures';
import { decideTransfer } from './transfer';
import type { TransferChips } from './chip-stock.commands';
import type { ChipStockEvent } from '../../events/ledger-events';

const KL_PO = 'po-kl';
const klStock = (...entries: (readonly [string, ChipStockEvent])[]): ChipStockState => foldEvents(chipStockDecider, recordHistory(entries));
const empty = chipStockDecider.initialState();

const refusal = (command: TransferChips, source: ChipStockState, destination: ChipStockState): DomainError => {
  try {
    decideTransfer(command, source, destination);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected the transfer to be refused');
};

describe('transferring chips between data centers', () => {
  describe('when Kuala Lumpur has 100 H20 uninstalled and 50 installed', () => {
    const source = klStock(
      ['2025-07-01T00:00:00Z', chipsDelivered(150, 'kl-delivery', KUALA_LUMPUR, KL_PO)],
      ['2025-07-02T00:00:00Z', chipsInstalled(50, KUALA_LUMPUR)],
    );

    it('decides the out-event for the source stream and the in-event for the destination stream together', () => {
      const decision = decideTransfer(transferChips(100, { permitReference: 'MITI-STP-2025-0042' }), source, empty);
      expect(decision).toEqual({
        source: {
          streamId: 'chip-stock-dc-kl.nvidia-h20',
          events: [
            {
              type: 'ChipsTransferredOut',
              data: {
                transferId: 'transfer-1',
                dataCenterId: 'dc-kl',
                modelId: 'nvidia-h20',
                quantity: 100,
                toDataCenterId: 'dc-gansu',
                toCountry: 'CN',
                permitReference: 'MITI-STP-2025-0042',
                licenceId: null,
              },
            },
          ],
        },
        destination: {
          streamId: 'chip-stock-dc-gansu.nvidia-h20',
          events: [
            {
              type: 'ChipsTransferredIn',
              data: {
                transferId: 'transfer-1',
                dataCenterId: 'dc-gansu',
                modelId: 'nvidia-h20',
                quantity: 100,
                fromDataCenterId: 'dc-kl',
                fromCountry: 'MY',
                permitReference: 'MITI-STP-2025-0042',
                licenceId: null,
              },
            },
          ],
        },
      });
    });

    it('records a cross-border transfer without a permit (judging it is the rulebook’s job)', () => {
      expect(decideTransfer(transferChips(1), source, empty).source.events[0].data.permitReference).toBeNull();
    });

    it('refuses more than the uninstalled stock: installed chips must be removed first', () => {
      const error = refusal(transferChips(101), source, empty);
      expect(error).toMatchObject({ code: 'STOCK.INSUFFICIENT_IN_STOCK', field: 'quantity', kind: 'conflict' });
      expect(error.details).toMatchObject({ requested: 101, available: 100 });
    });

    it('accepts installed chips once removed for transfer', () => {
      const afterRemoval = klStock(
        ['2025-07-01T00:00:00Z', chipsDelivered(150, 'kl-delivery', KUALA_LUMPUR, KL_PO)],
        ['2025-07-02T00:00:00Z', chipsInstalled(50, KUALA_LUMPUR)],
        ['2025-07-20T00:00:00Z', chipsRemoved(50, 'transferred', KUALA_LUMPUR)],
      );
      expect(decideTransfer(transferChips(150), afterRemoval, empty).source.events[0].data.quantity).toBe(150);
    });

    it('refuses a transfer to the same data center', () => {
      expect(refusal(transferChips(1, { toDataCenterId: 'dc-kl', context: { from: KUALA_LUMPUR, to: KUALA_LUMPUR } }), source, source)).toMatchObject({
        code: 'TRANSFER.SAME_DATA_CENTER',
        field: 'toDataCenterId',
      });
    });

    it('refuses an unknown destination', () => {
      expect(refusal(transferChips(1, { context: { from: KUALA_LUMPUR, to: null } }), source, empty)).toMatchObject({
        code: 'DATA_CENTER.NOT_FOUND',
        field: 'toDataCenterId',
        kind: 'not-found',
      });
    });

    it('refuses an unknown source', () => {
      expect(refusal(transferChips(1, { context: { from: null, to: GANSU } }), source, empty)).toMatchObject({
        code: 'DATA_CENTER.NOT_FOUND',
        field: 'fromDataCenterId',
      });
    });

    it('refuses a transfer dated before the destination was registered', () => {
      const lateDestination = { ...GANSU, registeredAt: '2025-08-02T00:00:00Z' };
      expect(refusal(transferChips(1, { context: { from: KUALA_LUMPUR, to: lateDestination } }), source, empty)).toMatchObject({
        code: 'DATA_CENTER.FACT_BEFORE_REGISTRATION',
        field: 'occurredAt',
      });
    });

    it('refuses a transfer dated before the chips arrived at the source', () => {
      expect(refusal(transferChips(1, { occurredAt: '2025-06-30T00:00:00Z' }), source, empty)).toMatchObject({
        code: 'STOCK.INSUFFICIENT_IN_STOCK',
      });
    });

    it('refuses a transfer id already recorded at either end', () => {
      const destination = foldEvents(chipStockDecider, recordHistory([['2025-07-01T00:00:00Z', chipsTransferredIn(1, KUALA_LUMPUR, GANSU, 'transfer-1')]]));
      expect(refusal(transferChips(1), source, destination)).toMatchObject({ code: 'STOCK.DUPLICATE_TRANSFER', field: 'transferId' });
    });

    it.each([0, -1, 2.5])('refuses the quantity %p', (quantity) => {
      expect(refusal(transferChips(quantity), source, empty)).toMatchObject({ code: 'QUANTITY.NOT_POSITIVE_INTEGER', field: 'quantity' });
    });

    it('refuses a blank permit reference (null means none)', () => {
      expect(refusal(transferChips(1, { permitReference: ' ' }), source, empty)).toMatchObject({ code: 'VALUE.REQUIRED', field: 'permitReference' });
    });
  });
});
