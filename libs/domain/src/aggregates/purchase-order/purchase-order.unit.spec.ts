import type { PurchaseOrderCancelled, PurchaseOrderPlaced } from '../../events/ledger-events';
import { deciderSpec } from '../../testing/decider-spec';
import { recordHistory } from '../../testing/recorded-events';
import type { DataCenterFacts } from '../decider';
import { foldEvents } from '../decider';
import type { CancelPurchaseOrder, PlacePurchaseOrder } from './purchase-order.commands';
import { purchaseOrderDecider } from './purchase-order.decider';
import { purchaseOrderFacts } from './purchase-order.state';

const spec = deciderSpec(purchaseOrderDecider);
const HANGZHOU: DataCenterFacts = { dataCenterId: 'dc-hz', registeredAt: '2023-01-01T00:00:00Z', country: 'CN', ownerOrganisationId: 'org-hf' };
const PLACED_AT = '2023-05-01T00:00:00Z';

const place = (overrides: Partial<PlacePurchaseOrder> = {}): PlacePurchaseOrder => ({
  type: 'PlacePurchaseOrder',
  purchaseOrderId: 'po-1',
  buyerOrganisationId: 'org-hf',
  dataCenterId: 'dc-hz',
  supplier: 'Nvidia',
  lines: [
    { modelId: 'nvidia-h800', quantity: 1000 },
    { modelId: 'nvidia-a100', quantity: 200 },
  ],
  occurredAt: PLACED_AT,
  context: { dataCenter: HANGZHOU, buyerOrganisationRegistered: true, knownModelIds: ['nvidia-h800', 'nvidia-a100'] },
  ...overrides,
});
const placed: PurchaseOrderPlaced = {
  type: 'PurchaseOrderPlaced',
  data: {
    purchaseOrderId: 'po-1',
    buyerOrganisationId: 'org-hf',
    dataCenterId: 'dc-hz',
    supplier: 'Nvidia',
    lines: [
      { modelId: 'nvidia-h800', quantity: 1000 },
      { modelId: 'nvidia-a100', quantity: 200 },
    ],
  },
};
const cancel = (deliveredByModel: Record<string, number>, occurredAt = '2023-09-01T00:00:00Z'): CancelPurchaseOrder => ({
  type: 'CancelPurchaseOrder',
  purchaseOrderId: 'po-1',
  reason: 'US rule of 2023-10-17',
  occurredAt,
  context: { deliveredByModel },
});
const cancelled = (cancelledLines: PurchaseOrderCancelled['data']['cancelledLines']): PurchaseOrderCancelled => ({
  type: 'PurchaseOrderCancelled',
  data: { purchaseOrderId: 'po-1', dataCenterId: 'dc-hz', reason: 'US rule of 2023-10-17', cancelledLines },
});

describe('purchase order', () => {
  describe('when it was not placed', () => {
    const given = spec.given([]);

    it('places it with its lines', () => {
      given.when(place()).then([placed]);
    });

    it('refuses no lines', () => {
      given.when(place({ lines: [] })).thenRefused('VALUE.REQUIRED', 'lines');
    });

    it('refuses a non-positive or fractional quantity, naming the line', () => {
      given.when(place({ lines: [{ modelId: 'nvidia-h800', quantity: 0 }] })).thenRefused('QUANTITY.NOT_POSITIVE_INTEGER', 'lines[0].quantity');
      given
        .when(place({ lines: [{ modelId: 'nvidia-h800', quantity: 1 }, { modelId: 'nvidia-a100', quantity: 2.5 }] }))
        .thenRefused('QUANTITY.NOT_POSITIVE_INTEGER', 'lines[1].quantity');
    });

    it('refuses a model that is not in the catalog', () => {
      given
        .when(place({ lines: [{ modelId: 'nvidia-h900', quantity: 1 }] }))
        .thenRefused('CHIP_MODEL.UNKNOWN', 'lines[0].modelId');
    });

    it('refuses two lines for the same model', () => {
      given
        .when(place({ lines: [{ modelId: 'nvidia-h800', quantity: 1 }, { modelId: 'nvidia-h800', quantity: 2 }] }))
        .thenRefused('PURCHASE_ORDER.DUPLICATE_LINE', 'lines[1].modelId');
    });

    it('refuses an unregistered data center or buyer', () => {
      given.when(place({ context: { ...place().context, dataCenter: null } })).thenRefused('DATA_CENTER.NOT_FOUND', 'dataCenterId');
      given.when(place({ context: { ...place().context, buyerOrganisationRegistered: false } })).thenRefused('ORGANISATION.NOT_FOUND', 'buyerOrganisationId');
    });

    it('refuses an order dated before the data center was registered', () => {
      given.when(place({ occurredAt: '2022-12-31T23:59:59Z' })).thenRefused('DATA_CENTER.FACT_BEFORE_REGISTRATION', 'occurredAt');
    });

    it('refuses cancelling it', () => {
      given.when(cancel({})).thenRefused('PURCHASE_ORDER.NOT_FOUND', 'purchaseOrderId');
    });
  });

  describe('when it was placed for 1000 H800 and 200 A100', () => {
    const history = recordHistory([[PLACED_AT, placed]]);
    const given = spec.given(history);

    it('refuses placing it again', () => {
      given.when(place()).thenRefused('PURCHASE_ORDER.ALREADY_PLACED', 'purchaseOrderId');
    });

    it('cancels everything when nothing was delivered', () => {
      given.when(cancel({})).then([cancelled([{ modelId: 'nvidia-h800', quantity: 1000 }, { modelId: 'nvidia-a100', quantity: 200 }])]);
    });

    it('cancels only what is not yet delivered', () => {
      given.when(cancel({ 'nvidia-h800': 600, 'nvidia-a100': 200 })).then([cancelled([{ modelId: 'nvidia-h800', quantity: 400 }])]);
    });

    it('refuses cancelling a fully delivered order', () => {
      given.when(cancel({ 'nvidia-h800': 1000, 'nvidia-a100': 200 })).thenRefused('PURCHASE_ORDER.FULLY_DELIVERED');
    });

    it('refuses a cancellation dated before the order', () => {
      given.when(cancel({}, '2023-04-30T00:00:00Z')).thenRefused('OCCURRED_AT.OUT_OF_ORDER', 'occurredAt');
    });

    it('gives deliveries their facts per model', () => {
      const state = foldEvents(purchaseOrderDecider, history);
      expect(purchaseOrderFacts(state, 'nvidia-h800')).toEqual({
        purchaseOrderId: 'po-1',
        dataCenterId: 'dc-hz',
        placedAt: PLACED_AT,
        placedEventId: 'test-stream#1',
        orderedQuantity: 1000,
        cancelledQuantity: 0,
      });
      expect(purchaseOrderFacts(state, 'nvidia-h20')?.orderedQuantity).toBe(0);
      expect(purchaseOrderFacts(purchaseOrderDecider.initialState(), 'nvidia-h800')).toBeNull();
    });
  });

  describe('when it was cancelled after 600 H800 were delivered', () => {
    const history = recordHistory([
      [PLACED_AT, placed],
      ['2023-09-01T00:00:00Z', cancelled([{ modelId: 'nvidia-h800', quantity: 400 }])],
    ]);

    it('refuses cancelling it again', () => {
      spec.given(history).when(cancel({ 'nvidia-h800': 600 })).thenRefused('PURCHASE_ORDER.ALREADY_CANCELLED');
    });

    it('tells deliveries what was cancelled', () => {
      const state = foldEvents(purchaseOrderDecider, history);
      expect(state.status).toBe('cancelled');
      expect(purchaseOrderFacts(state, 'nvidia-h800')).toMatchObject({ orderedQuantity: 1000, cancelledQuantity: 400 });
    });
  });
});
