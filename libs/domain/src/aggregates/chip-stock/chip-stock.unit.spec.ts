import { recordHistory } from '../../testing/recorded-events';
import { deciderSpec } from '../../testing/decider-spec';
import { foldEvents } from '../decider';
import { chipStockDecider } from './chip-stock.decider';
import { stockArithmeticHolds, stockAt } from './chip-stock.state';
import {
  GANSU,
  H20,
  PO_600,
  chipsDelivered,
  chipsInstalled,
  chipsRemoved,
  chipsTransferredIn,
  chipsTransferredOut,
  deliverChips,
  installChips,
  removeChips,
} from './chip-stock.fixtures';

const spec = deciderSpec(chipStockDecider);

const SEPT_1 = '2025-09-01T00:00:00.000Z';
const SEPT_10 = '2025-09-10T00:00:00.000Z';

describe('chip stock (per data center and model)', () => {
  describe('when nothing was delivered yet', () => {
    const given = spec.given([]);

    it('records a delivery within the purchase order', () => {
      given.when(deliverChips(512)).then([chipsDelivered(512)]);
    });

    it('accepts exactly the ordered quantity', () => {
      given.when(deliverChips(600)).then([chipsDelivered(600)]);
    });

    it('refuses one chip beyond the order', () => {
      given.when(deliverChips(601)).thenRefused('STOCK.DELIVERY_EXCEEDS_ORDER', 'quantity');
    });

    it('refuses a model that is not on the order (ordered quantity 0)', () => {
      given
        .when(deliverChips(1, { context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: { ...PO_600, orderedQuantity: 0 } } }))
        .thenRefused('STOCK.DELIVERY_EXCEEDS_ORDER', 'quantity');
    });

    it('refuses what the order cancelled', () => {
      const cancelledPo = { ...PO_600, cancelledQuantity: 100 };
      given.when(deliverChips(500, { context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: cancelledPo } })).then([chipsDelivered(500)]);
      given
        .when(deliverChips(501, { context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: cancelledPo } }))
        .thenRefused('STOCK.DELIVERY_EXCEEDS_ORDER', 'quantity');
    });

    it.each([0, -5, 1.5, Number.NaN])('refuses the quantity %p', (quantity) => {
      given.when(deliverChips(quantity)).thenRefused('QUANTITY.NOT_POSITIVE_INTEGER', 'quantity');
    });

    it('refuses an unknown chip model', () => {
      given
        .when(deliverChips(1, { modelId: 'nvidia-h999', context: { dataCenter: GANSU, chipModelKnown: false, purchaseOrder: PO_600 } }))
        .thenRefused('CHIP_MODEL.UNKNOWN', 'modelId');
    });

    it('refuses a purchase order that does not exist', () => {
      given
        .when(deliverChips(1, { context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: null } }))
        .thenRefused('PURCHASE_ORDER.NOT_FOUND', 'purchaseOrderId');
    });

    it("refuses another data center's purchase order", () => {
      given
        .when(deliverChips(1, { context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: { ...PO_600, dataCenterId: 'dc-other' } } }))
        .thenRefused('PURCHASE_ORDER.OTHER_DATA_CENTER', 'purchaseOrderId');
    });

    it('refuses a delivery dated before its order was placed, and accepts one at that instant', () => {
      given.when(deliverChips(1, { occurredAt: '2024-01-31T23:59:59.999Z' })).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
      given.when(deliverChips(1, { occurredAt: PO_600.placedAt })).then([chipsDelivered(1)]);
    });

    it('refuses a delivery to an unregistered data center', () => {
      given
        .when(deliverChips(1, { context: { dataCenter: null, chipModelKnown: true, purchaseOrder: PO_600 } }))
        .thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
    });

    it('refuses a fact dated before the data center was registered, and accepts one at that instant', () => {
      const early = { ...PO_600, placedAt: '2020-01-01T00:00:00Z' };
      given
        .when(deliverChips(1, { occurredAt: '2023-12-31T23:59:59.999Z', context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: early } }))
        .thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
      given
        .when(deliverChips(1, { occurredAt: GANSU.registeredAt, context: { dataCenter: GANSU, chipModelKnown: true, purchaseOrder: early } }))
        .then([chipsDelivered(1)]);
    });

    it('refuses a date that is not an ISO instant with a zone', () => {
      given.when(deliverChips(1, { occurredAt: '2025-09-01 10:00' })).thenRefused('INSTANT.INVALID', 'occurredAt');
      given.when(deliverChips(1, { occurredAt: '2025-09-01T10:00:00' })).thenRefused('INSTANT.INVALID', 'occurredAt');
    });

    it('refuses an invalid shipping country', () => {
      given.when(deliverChips(1, { shippedFromCountry: 'usa' })).thenRefused('COUNTRY.INVALID', 'shippedFromCountry');
    });

    it('refuses to install anything', () => {
      given.when(installChips(1)).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
    });

    it('refuses to remove anything', () => {
      given.when(removeChips(1)).thenRefused('STOCK.INSUFFICIENT_INSTALLED', 'quantity');
    });
  });

  describe('when 512 H20 were delivered on 2025-09-01 under a 600-chip order', () => {
    const given = spec.given(recordHistory([[SEPT_1, chipsDelivered(512)]]));

    it('accepts the remaining 88 under the same order, not 89', () => {
      given.when(deliverChips(88, { deliveryId: 'delivery-2' })).then([chipsDelivered(88, 'delivery-2')]);
      given.when(deliverChips(89, { deliveryId: 'delivery-2' })).thenRefused('STOCK.DELIVERY_EXCEEDS_ORDER', 'quantity');
    });

    it('refuses the same delivery id twice', () => {
      given.when(deliverChips(1)).thenRefused('STOCK.DUPLICATE_DELIVERY', 'deliveryId');
    });

    it('installs all 512, not 513', () => {
      given.when(installChips(512)).then([chipsInstalled(512)]);
      given.when(installChips(513)).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
    });

    it('refuses an installation dated before the delivery (recorded late), and accepts one at the same instant', () => {
      given.when(installChips(1, '2025-08-31T23:59:59.999Z')).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
      given.when(installChips(512, SEPT_1)).then([chipsInstalled(512)]);
    });

    it('refuses an installation in a data center that is not registered', () => {
      given.when(installChips(1, SEPT_10, null)).thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
    });

    it('refuses to remove chips that are only in stock', () => {
      given.when(removeChips(1)).thenRefused('STOCK.INSUFFICIENT_INSTALLED', 'quantity');
    });
  });

  describe('when 512 were delivered and 500 installed', () => {
    const history = recordHistory([
      [SEPT_1, chipsDelivered(512)],
      [SEPT_10, chipsInstalled(500)],
    ]);
    const given = spec.given(history);

    it('exposes the counts', () => {
      expect(foldEvents(chipStockDecider, history)).toMatchObject({
        delivered: 512,
        installed: 500,
        removed: 0,
        transferredIn: 0,
        transferredOut: 0,
        inStock: 12,
        deliveredByPurchaseOrder: { 'po-1': 512 },
      });
    });

    it('installs the 12 left in stock, not 13', () => {
      given.when(installChips(12, '2025-09-11T00:00:00Z')).then([chipsInstalled(12)]);
      given.when(installChips(13, '2025-09-11T00:00:00Z')).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
    });

    it('removes all 500 installed, not 501', () => {
      given.when(removeChips(500)).then([chipsRemoved(500)]);
      given.when(removeChips(501)).thenRefused('STOCK.INSUFFICIENT_INSTALLED', 'quantity');
    });

    it('refuses a removal dated before the installation', () => {
      given.when(removeChips(1, 'failed', '2025-09-05T00:00:00Z')).thenRefused('STOCK.INSUFFICIENT_INSTALLED', 'quantity');
    });

    it('refuses a removal reason outside the list', () => {
      given.when({ ...removeChips(1), reason: 'stolen' as never }).thenRefused('VALUE.NOT_ALLOWED', 'reason');
    });

    it('refuses a backdated installation that a later-dated one relied on', () => {
      // 12 are in stock today, but on 2025-09-05 all 512 were; taking 13 then would leave the 2025-09-10
      // installation of 500 with only 499 to install.
      given.when(installChips(13, '2025-09-05T00:00:00Z')).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
      given.when(installChips(12, '2025-09-05T00:00:00Z')).then([chipsInstalled(12)]);
    });
  });

  describe('when removals happened', () => {
    const history = recordHistory([
      [SEPT_1, chipsDelivered(512)],
      [SEPT_10, chipsInstalled(512)],
      ['2025-12-01T00:00:00Z', chipsRemoved(200, 'remediation')],
      ['2025-12-02T00:00:00Z', chipsRemoved(12, 'transferred')],
    ]);
    const state = foldEvents(chipStockDecider, history);

    it('counts chips removed for good as removed, and chips removed for a transfer back in stock', () => {
      expect(state).toMatchObject({
        delivered: 512,
        installed: 300,
        removed: 200,
        inStock: 12,
        removedByReason: { decommissioned: 0, failed: 0, remediation: 200, transferred: 12 },
      });
      expect(stockArithmeticHolds(state)).toBe(true);
    });

    it('answers counts as of an instant', () => {
      expect(stockAt(state, '2025-09-05T00:00:00Z')).toEqual({ installed: 0, inStock: 512 });
      expect(stockAt(state, '2025-12-01T00:00:00Z')).toEqual({ installed: 312, inStock: 0 });
    });
  });

  describe('when chips were transferred in and out', () => {
    const history = recordHistory([
      [SEPT_1, chipsDelivered(100)],
      ['2025-09-02T00:00:00Z', chipsTransferredIn(50)],
      ['2025-09-03T00:00:00Z', chipsTransferredOut(30, GANSU, GANSU, 'transfer-9')],
    ]);

    it('counts them in the arithmetic', () => {
      const state = foldEvents(chipStockDecider, history);
      expect(state).toMatchObject({ delivered: 100, transferredIn: 50, transferredOut: 30, inStock: 120, transferIds: ['transfer-0', 'transfer-9'] });
      expect(stockArithmeticHolds(state)).toBe(true);
    });

    it('installs what was transferred in', () => {
      spec.given(history).when(installChips(120)).then([chipsInstalled(120)]);
      spec.given(history).when(installChips(121)).thenRefused('STOCK.INSUFFICIENT_IN_STOCK', 'quantity');
    });
  });

  it('folds events recorded out of occurredAt order into time-ordered movements', () => {
    const state = foldEvents(
      chipStockDecider,
      recordHistory([
        [SEPT_10, chipsInstalled(5)],
        [SEPT_1, chipsDelivered(10)],
      ]),
    );
    expect(state.movements.map((movement) => movement.occurredAt)).toEqual([SEPT_1, SEPT_10]);
    expect(state.modelId).toBe(H20);
  });
});
