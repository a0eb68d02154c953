import fc from 'fast-check';
import { SEED_MODEL_IDS as M, type LedgerEvent } from '@chip-ledger/domain';
import type { LedgerEnvelope } from '../state/compliance-state';
import { Scenario } from './scenario';

/*
 * Random ledgers for property tests of the findings timeline: a fixed world (organisations in CN, SG with a Chinese
 * parent, MY; data centers in CN, SG, MY; two licences, one with the 15 % revenue-share condition), then a mix of
 * every kind of fact the rulebook reads, dated between mid-2024 and mid-2026 so that every dated rule starts inside
 * the history. Some facts share an instant (a transfer's two sides always do), so the tie-break matters.
 */

const DAY = 86_400_000;
export const HISTORY_START = Date.parse('2024-06-01T00:00:00.000Z');
export const HISTORY_DAYS = 760;
/** After every fact of a random history: "now" for its judgements. */
export const HISTORY_NOW = HISTORY_START + (HISTORY_DAYS + 120) * DAY;

export const HISTORY_DATA_CENTERS = [
  { dataCenterId: 'cn-dc', country: 'CN', owner: 'cn-co' },
  { dataCenterId: 'cn-dc2', country: 'CN', owner: 'cn-co' },
  { dataCenterId: 'sg-dc', country: 'SG', owner: 'sg-co' },
  { dataCenterId: 'my-dc', country: 'MY', owner: 'my-co' },
] as const;
const MODELS = [M.h100Sxm, M.h20, M.h800, M.h200, M.ascend910b, M.ascend910c, M.mi308, M.rtxPro6000d, M.mlu370x8];
const TENANTS = ['cn-co', 'sg-co', 'my-co', 'tenant-cn'];

const world = (): Scenario =>
  new Scenario()
    .organisation('2020-01-01', 'cn-co', 'CN')
    .organisation('2020-01-01', 'sg-co', 'SG', 'CN')
    .organisation('2020-01-01', 'my-co', 'MY')
    .organisation('2020-01-01', 'tenant-cn', 'CN')
    .dataCenter('2021-01-01', 'cn-dc', 'cn-co', 'CN')
    .dataCenter('2021-01-01', 'cn-dc2', 'cn-co', 'CN')
    .dataCenter('2021-01-01', 'sg-dc', 'sg-co', 'SG')
    .dataCenter('2021-01-01', 'my-dc', 'my-co', 'MY')
    .order('2021-02-01', 'po-cn-dc', 'cn-dc', 'cn-co', MODELS.map((modelId) => ({ modelId, quantity: 1_000 })))
    .order('2021-02-01', 'po-cn-dc2', 'cn-dc2', 'cn-co', MODELS.map((modelId) => ({ modelId, quantity: 1_000 })))
    .order('2021-02-01', 'po-sg-dc', 'sg-dc', 'sg-co', MODELS.map((modelId) => ({ modelId, quantity: 1_000 })))
    .order('2021-02-01', 'po-my-dc', 'my-dc', 'my-co', MODELS.map((modelId) => ({ modelId, quantity: 1_000 })))
    .licence('2021-03-01', 'L', { consigneeOrganisationId: 'cn-co', destinationCountry: 'CN', modelIds: [M.h20, M.h100Sxm], authorisedQuantity: 150, revenueSharePercent: 15 })
    .licence('2021-03-01', 'L2', { consigneeOrganisationId: 'sg-co', destinationCountry: 'SG', modelIds: [M.h100Sxm, M.h200], authorisedQuantity: 100 });

type Make = (n: number, s: Scenario, when: string) => void;

const dc = fc.constantFrom(...HISTORY_DATA_CENTERS);
const model = fc.constantFrom(...MODELS);
const qty = fc.integer({ min: 1, max: 40 });
const record = (event: (n: number) => LedgerEvent): Make => (n, s, when) => void s.record(when, event(n));

const fact: fc.Arbitrary<Make> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ dc, model, qty, lic: fc.constantFrom(null, 'L', 'L2') }).map(({ dc, model, qty, lic }) =>
    record((n) => ({ type: 'ChipsDelivered', data: { deliveryId: `d${n}`, dataCenterId: dc.dataCenterId, modelId: model, quantity: qty, purchaseOrderId: `po-${dc.dataCenterId}`, licenceId: lic, shippedFromCountry: 'US' } })),
  ) },
  { weight: 5, arbitrary: fc.record({ dc, model, qty }).map(({ dc, model, qty }) => record(() => ({ type: 'ChipsInstalled', data: { dataCenterId: dc.dataCenterId, modelId: model, quantity: qty } }))) },
  { weight: 4, arbitrary: fc.record({ dc, model, qty, reason: fc.constantFrom('remediation' as const, 'failed' as const, 'decommissioned' as const) }).map(({ dc, model, qty, reason }) =>
    record(() => ({ type: 'ChipsRemoved', data: { dataCenterId: dc.dataCenterId, modelId: model, quantity: qty, reason } })),
  ) },
  { weight: 2, arbitrary: fc.record({ from: dc, to: dc, model, qty, permit: fc.boolean(), lic: fc.constantFrom(null, 'L') }).filter(({ from, to }) => from.dataCenterId !== to.dataCenterId).map(({ from, to, model, qty, permit, lic }) =>
    (n: number, s: Scenario, when: string) => void s.transfer(when, from, to, model, qty, { transferId: `t${n}`, permitReference: permit ? `permit-${n}` : null, licenceId: lic }),
  ) },
  { weight: 2, arbitrary: fc.record({ dc, lines: fc.array(fc.record({ modelId: model, quantity: qty }), { minLength: 1, maxLength: 2 }) }).map(({ dc, lines }) =>
    (n: number, s: Scenario, when: string) => void s.order(when, `po${n}`, dc.dataCenterId, dc.owner, uniqueModels(lines)),
  ) },
  { weight: 1, arbitrary: fc.record({ dc, model, qty, k: fc.integer({ min: 0, max: 60 }) }).map(({ dc, model, qty, k }) =>
    record(() => ({ type: 'PurchaseOrderCancelled', data: { purchaseOrderId: `po${k}`, dataCenterId: dc.dataCenterId, reason: 'cancelled', cancelledLines: [{ modelId: model, quantity: qty }] } })),
  ) },
  { weight: 2, arbitrary: fc.record({ dc: fc.constantFrom('cn-dc', 'cn-dc2'), p: fc.integer({ min: 0, max: 100 }) }).map(({ dc, p }) =>
    record(() => ({ type: 'ConstructionProgressReported', data: { dataCenterId: dc, completionPercent: p } })),
  ) },
  { weight: 1, arbitrary: fc.constantFrom('cn-dc', 'cn-dc2').map((dc) => record(() => ({ type: 'StateFundingReported', data: { dataCenterId: dc, funder: 'province', reference: null } }))) },
  { weight: 1, arbitrary: fc.record({ dc: fc.constantFrom('cn-dc', 'cn-dc2'), decision: fc.constantFrom('approved' as const, 'refused' as const) }).map(({ dc, decision }) =>
    record(() => ({ type: 'CaseReviewDecided', data: { dataCenterId: dc, ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision, reasoning: 'reviewed' } })),
  ) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((k) => record(() => ({ type: 'RevenueShareRemitted', data: { licenceId: 'L', deliveryIds: [`d${k}`], amountUsd: '1.00', reference: `r${k}` } }))) },
  { weight: 1, arbitrary: fc.record({ q: fc.integer({ min: 50, max: 400 }), share: fc.constantFrom(null, 15) }).map(({ q, share }) =>
    record(() => ({ type: 'ExportLicenceAmended', data: { licenceId: 'L', changes: { authorisedQuantity: q, conditions: { revenueSharePercent: share } }, reason: 'amended' } })),
  ) },
  { weight: 1, arbitrary: fc.constantFrom('ExportLicenceSuspended' as const, 'ExportLicenceReinstated' as const).map((type) => record(() => ({ type, data: { licenceId: 'L', reason: 'status' } }))) },
  { weight: 3, arbitrary: fc.record({ provider: dc, tenant: fc.constantFrom(...TENANTS), model, qty, purpose: fc.constantFrom('training' as const, 'inference' as const), start: fc.integer({ min: 0, max: 60 }), days: fc.integer({ min: 1, max: 300 }) }).map(
    ({ provider, tenant, model, qty, purpose, start, days }) =>
      (n: number, s: Scenario, when: string) =>
        void s.record(when, {
          type: 'RentalStarted',
          data: {
            rentalId: `r${n}`,
            providerDataCenterId: provider.dataCenterId,
            tenantOrganisationId: tenant,
            modelId: model,
            chipCount: qty,
            purpose,
            periodStart: new Date(Date.parse(when) + start * DAY).toISOString(),
            periodEnd: new Date(Date.parse(when) + (start + days) * DAY).toISOString(),
          },
        }),
  ) },
  { weight: 1, arbitrary: fc.record({ k: fc.integer({ min: 0, max: 60 }), days: fc.integer({ min: 1, max: 400 }) }).map(({ k, days }) =>
    (_n: number, s: Scenario, when: string) => void s.record(when, { type: 'RentalExtended', data: { rentalId: `r${k}`, newPeriodEnd: new Date(Date.parse(when) + days * DAY).toISOString() } }),
  ) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }).map((k) => record(() => ({ type: 'RentalEnded', data: { rentalId: `r${k}`, reason: 'ended' } }))) },
  { weight: 1, arbitrary: fc.record({ org: fc.constantFrom('sg-co', 'my-co', 'tenant-cn'), listed: fc.boolean() }).map(({ org, listed }) =>
    record(() => ({ type: listed ? 'RestrictedPartyListed' : 'RestrictedPartyDelisted', data: { organisationId: org, list: 'US-ENTITY-LIST', reference: null } })),
  ) },
  { weight: 1, arbitrary: fc.record({ model, usOrigin: fc.boolean(), dram: fc.integer({ min: 500, max: 9000 }) }).map(({ model, usOrigin, dram }) =>
    record((n) => ({ type: 'ChipModelCorrected', data: { modelId: model, changes: { name: `corrected ${n}`, usOrigin, dramBandwidthGBs: { value: dram } }, reason: 'datasheet' } })),
  ) },
  { weight: 1, arbitrary: fc.record({ dc, k: fc.integer({ min: 0, max: 60 }) }).map(({ dc, k }) =>
    record(() => ({ type: 'FindingAcknowledged', data: { dataCenterId: dc.dataCenterId, findingId: `US-3A090-LICENCE/${dc.dataCenterId}/${M.h100Sxm}/d${k}`, comment: 'seen' } })),
  ) },
);

function uniqueModels(lines: { modelId: string; quantity: number }[]): { modelId: string; quantity: number }[] {
  const seen = new Set<string>();
  return lines.filter((l) => (seen.has(l.modelId) ? false : (seen.add(l.modelId), true)));
}

/**
 * A random history in the order it was recorded (not the order it occurred in). Facts fall on random days; some
 * share an instant with the fact before them.
 */
export const randomHistory = (options: { maxFacts?: number } = {}): fc.Arbitrary<LedgerEnvelope[]> =>
  fc.array(fc.tuple(fact, fc.integer({ min: 0, max: HISTORY_DAYS }), fc.boolean()), { minLength: 1, maxLength: options.maxFacts ?? 40 }).map((facts) => {
    const s = world();
    let previous = '';
    facts.forEach(([make, day, sameInstant], i) => {
      const when = sameInstant && previous ? previous : new Date(HISTORY_START + day * DAY + i).toISOString();
      make(i, s, when);
      previous = when;
    });
    return s.envelopes;
  });
