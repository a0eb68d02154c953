import { recordHistory } from '../testing/recorded-events';
import { isDomainError } from '../shared/domain-error';
import type { DomainEvent } from '../events/envelope';
import type { Recorded } from '../events/recorded';
import { foldEvents, type Decider } from './decider';
import { chipStockDecider } from './chip-stock';
import { deliverChips, GANSU, H20 } from './chip-stock/chip-stock.fixtures';
import { dataCenterDecider } from './data-center';
import { exportLicenceDecider } from './export-licence';
import { purchaseOrderDecider } from './purchase-order';

/*
 * Facts recorded late (issue 18): a backdated fact is accepted only when the timeline ordered by occurredAt stays
 * consistent; a refusal names the event it conflicts with (`details.conflictingEventId`), which auditors resolve at
 * GET /events/{eventId}.
 */
/** The decider's state after a history built by `recordHistory` (whose literal types are narrower than the events'). */
const stateOf = <C extends { readonly type: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly unknown[]): S =>
  foldEvents(decider, history as readonly Recorded<E>[]);

const refusal = <C extends { readonly type: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly unknown[], command: C) => {
  try {
    decider.decide(command, stateOf(decider, history));
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, field: error.field, conflictingEventId: (error.details as Record<string, unknown> | undefined)?.['conflictingEventId'] };
    throw error;
  }
  throw new Error('the command was accepted');
};

describe('facts recorded late', () => {
  it('a removal dated before installations that a later removal relied on names that later removal', () => {
    const history = recordHistory(
      [
        ['2025-01-01T00:00:00.000Z', { type: 'ChipsDelivered', data: { deliveryId: 'd1', dataCenterId: GANSU.dataCenterId, modelId: H20, quantity: 100, purchaseOrderId: 'po-1', licenceId: null, shippedFromCountry: 'US' } }],
        ['2025-02-01T00:00:00.000Z', { type: 'ChipsInstalled', data: { dataCenterId: GANSU.dataCenterId, modelId: H20, quantity: 100 } }],
        ['2025-06-01T00:00:00.000Z', { type: 'ChipsRemoved', data: { dataCenterId: GANSU.dataCenterId, modelId: H20, quantity: 80, reason: 'failed' } }],
      ],
      'chip-stock-dc-gansu.nvidia-h20',
    );
    const remove = { type: 'RemoveChips' as const, dataCenterId: GANSU.dataCenterId, modelId: H20, quantity: 30, reason: 'failed' as const, occurredAt: '2025-03-01T00:00:00.000Z', context: { dataCenter: GANSU } };
    expect(refusal(chipStockDecider, history, remove)).toEqual({ code: 'STOCK.INSUFFICIENT_INSTALLED', field: 'quantity', conflictingEventId: 'chip-stock-dc-gansu.nvidia-h20#3' });
    // Twenty fit: the later removal of 80 still finds its chips.
    expect(chipStockDecider.decide({ ...remove, quantity: 20 }, stateOf(chipStockDecider, history))).toHaveLength(1);
  });

  it('a fact dated before the data center was registered names the registration', () => {
    expect(refusal(chipStockDecider, [], deliverChips(10, { occurredAt: '2023-01-01T00:00:00.000Z', context: { dataCenter: { ...GANSU, registeredEventId: 'evt-registration' }, chipModelKnown: true, purchaseOrder: null } }))).toEqual({
      code: 'DATA_CENTER.FACT_BEFORE_REGISTRATION',
      field: 'occurredAt',
      conflictingEventId: 'evt-registration',
    });
  });

  it('a progress report that would make completion go down in occurredAt order names the report it contradicts', () => {
    const history = recordHistory(
      [
        ['2025-01-01T00:00:00.000Z', { type: 'DataCenterRegistered', data: { dataCenterId: 'dc', name: 'dc', ownerOrganisationId: 'o', country: 'CN', region: 'r' } }],
        ['2025-06-01T00:00:00.000Z', { type: 'ConstructionProgressReported', data: { dataCenterId: 'dc', completionPercent: 40 } }],
      ],
      'data-center-dc',
    );
    expect(refusal(dataCenterDecider, history, { type: 'ReportConstructionProgress', dataCenterId: 'dc', completionPercent: 60, occurredAt: '2025-03-01T00:00:00.000Z' })).toEqual({
      code: 'DATA_CENTER.COMPLETION_DECREASED',
      field: 'completionPercent',
      conflictingEventId: 'data-center-dc#2',
    });
  });

  it('a reinstatement dated before the suspension it ends names the suspension', () => {
    const history = recordHistory(
      [
        [
          '2025-01-01T00:00:00.000Z',
          {
            type: 'ExportLicenceIssued',
            data: { licenceId: 'l', licenceNumber: 'L', exporter: 'x', consigneeOrganisationId: 'o', destinationCountry: 'CN', modelIds: [H20], authorisedQuantity: 10, validFrom: '2025-01-01T00:00:00.000Z', validTo: '2026-01-01T00:00:00.000Z', conditions: { revenueSharePercent: null } },
          },
        ],
        ['2025-06-01T00:00:00.000Z', { type: 'ExportLicenceSuspended', data: { licenceId: 'l', reason: 'inquiry' } }],
      ],
      'export-licence-l',
    );
    expect(refusal(exportLicenceDecider, history, { type: 'ReinstateExportLicence', licenceId: 'l', reason: 'cleared', occurredAt: '2025-05-01T00:00:00.000Z' })).toEqual({
      code: 'OCCURRED_AT.OUT_OF_ORDER',
      field: 'occurredAt',
      conflictingEventId: 'export-licence-l#2',
    });
  });

  it('a cancellation dated before a delivery under the order names that delivery', () => {
    const history = recordHistory(
      [['2025-01-01T00:00:00.000Z', { type: 'PurchaseOrderPlaced', data: { purchaseOrderId: 'po', buyerOrganisationId: 'o', dataCenterId: 'dc', supplier: 's', lines: [{ modelId: H20, quantity: 100 }] } }]],
      'purchase-order-po',
    );
    const cancel = { type: 'CancelPurchaseOrder' as const, purchaseOrderId: 'po', reason: 'r', occurredAt: '2025-02-01T00:00:00.000Z', context: { deliveredByModel: { [H20]: 40 }, lastDelivery: { occurredAt: '2025-03-01T00:00:00.000Z', eventId: 'evt-delivery' } } };
    expect(refusal(purchaseOrderDecider, history, cancel)).toEqual({ code: 'OCCURRED_AT.OUT_OF_ORDER', field: 'occurredAt', conflictingEventId: 'evt-delivery' });
    expect(purchaseOrderDecider.decide({ ...cancel, occurredAt: '2025-03-02T00:00:00.000Z' }, stateOf(purchaseOrderDecider, history))).toHaveLength(1);
  });
});
