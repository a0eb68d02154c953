import fc from 'fast-check';
import type { LedgerEvent } from '@chip-ledger/domain';
import { evaluate, EvaluationCache } from '../evaluation/evaluate';
import { RULEBOOK_V1 } from '../rulebook/rules';
import { foldComplianceState, type LedgerEnvelope } from '../state/compliance-state';
import { Scenario } from '../testing/scenario';
import { M } from './helpers';

const DAY = 86_400_000;
const START = Date.parse('2022-01-01T00:00:00.000Z');
const DAYS = 5 * 366;
const DCS = [
  { dataCenterId: 'cn-dc', country: 'CN' },
  { dataCenterId: 'sg-dc', country: 'SG' },
  { dataCenterId: 'my-dc', country: 'MY' },
];
const MODELS = [M.h100Sxm, M.h20, M.h800, M.h200, M.ascend910b, M.mi308, M.rtxPro6000d];

const fixedFacts = (): Scenario =>
  new Scenario()
    .organisation('2020-01-01', 'cn-co', 'CN')
    .organisation('2020-01-01', 'sg-co', 'SG', 'CN')
    .organisation('2020-01-01', 'my-co', 'MY')
    .dataCenter('2021-01-01', 'cn-dc', 'cn-co', 'CN')
    .dataCenter('2021-01-01', 'sg-dc', 'sg-co', 'SG')
    .dataCenter('2021-01-01', 'my-dc', 'my-co', 'MY')
    .licence('2021-01-02', 'L', { consigneeOrganisationId: 'cn-co', destinationCountry: 'CN', modelIds: [M.h20, M.h100Sxm], authorisedQuantity: 300, revenueSharePercent: 15 });

const dc = fc.constantFrom(...DCS);
const model = fc.constantFrom(...MODELS);
const qty = fc.integer({ min: 1, max: 60 });
const fact: fc.Arbitrary<(n: number) => LedgerEvent> = fc.oneof(
  fc.record({ dc, model, qty, lic: fc.boolean() }).map(({ dc, model, qty, lic }) => (n: number): LedgerEvent => ({
    type: 'ChipsDelivered',
    data: { deliveryId: `d${n}`, dataCenterId: dc.dataCenterId, modelId: model, quantity: qty, purchaseOrderId: 'po', licenceId: lic ? 'L' : null, shippedFromCountry: 'US' },
  })),
  fc.record({ dc, model, qty }).map(({ dc, model, qty }) => (): LedgerEvent => ({ type: 'ChipsInstalled', data: { dataCenterId: dc.dataCenterId, modelId: model, quantity: qty } })),
  fc.record({ dc, model, qty }).map(({ dc, model, qty }) => (): LedgerEvent => ({ type: 'ChipsRemoved', data: { dataCenterId: dc.dataCenterId, modelId: model, quantity: qty, reason: 'remediation' } })),
  fc.integer({ min: 0, max: 100 }).map((p) => (): LedgerEvent => ({ type: 'ConstructionProgressReported', data: { dataCenterId: 'cn-dc', completionPercent: p } })),
  fc.constant((): LedgerEvent => ({ type: 'StateFundingReported', data: { dataCenterId: 'cn-dc', funder: null, reference: null } })),
  fc.constantFrom('approved' as const, 'refused' as const).map((decision) => (): LedgerEvent => ({
    type: 'CaseReviewDecided',
    data: { dataCenterId: 'cn-dc', ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision, reasoning: '' },
  })),
  fc.integer({ min: 0, max: 40 }).map((k) => (): LedgerEvent => ({ type: 'RevenueShareRemitted', data: { licenceId: 'L', deliveryIds: [`d${k}`], amountUsd: '1.00', reference: 'r' } })),
  fc.record({ model, qty, to: dc }).map(({ model, qty, to }) => (n: number): LedgerEvent => ({
    type: 'ChipsTransferredIn',
    data: { transferId: `t${n}`, dataCenterId: to.dataCenterId, modelId: model, quantity: qty, fromDataCenterId: 'my-dc', fromCountry: 'MY', permitReference: null, licenceId: null },
  })),
  fc.record({ model, qty, to: dc }).map(({ model, qty, to }) => (n: number): LedgerEvent => ({
    type: 'ChipsTransferredOut',
    data: { transferId: `t${n}`, dataCenterId: 'my-dc', modelId: model, quantity: qty, toDataCenterId: to.dataCenterId, toCountry: to.country, permitReference: null, licenceId: null },
  })),
  fc.record({ model, qty, days: fc.integer({ min: 1, max: 400 }) }).map(({ model, qty, days }) => (n: number): LedgerEvent => ({
    type: 'RentalStarted',
    data: {
      rentalId: `r${n}`,
      providerDataCenterId: 'sg-dc',
      tenantOrganisationId: 'cn-co',
      modelId: model,
      chipCount: qty,
      purpose: 'training',
      periodStart: new Date(START + n * DAY).toISOString(),
      periodEnd: new Date(START + (n + days) * DAY).toISOString(),
    },
  })),
  fc.constantFrom('RestrictedPartyListed' as const, 'RestrictedPartyDelisted' as const).map((type) => (): LedgerEvent => ({
    type,
    data: { organisationId: 'sg-co', list: 'US-ENTITY-LIST', reference: null },
  })),
  fc.integer({ min: 1000, max: 9000 }).map((dram) => (): LedgerEvent => ({
    type: 'ChipModelCorrected',
    data: { modelId: M.mi308, changes: { dramBandwidthGBs: { value: dram } }, reason: 'datasheet' },
  })),
  fc.record({ model, usOrigin: fc.boolean() }).map(({ model, usOrigin }) => (n: number): LedgerEvent => ({
    type: 'ChipModelCorrected',
    data: { modelId: model, changes: { name: `corrected ${n}`, usOrigin }, reason: 'datasheet' },
  })),
);

/** A history: fixed registrations, then random facts with distinct occurredAt (day + index ms), recorded in random order. */
const history = fc
  .array(fc.tuple(fact, fc.integer({ min: 0, max: DAYS })), { minLength: 1, maxLength: 40 })
  .chain((facts) => fc.shuffledSubarray(facts.map((_, i) => i), { minLength: facts.length, maxLength: facts.length }).map((order) => ({ facts, order })))
  .map(({ facts, order }) => {
    const s = fixedFacts();
    for (const i of order) {
      const [make, day] = facts[i];
      s.record(new Date(START + day * DAY + i).toISOString(), make(i));
    }
    return s.envelopes;
  });
const instant = fc.integer({ min: 0, max: DAYS + 200 }).map((d) => new Date(START + d * DAY).toISOString());

const judge = (envelopes: readonly LedgerEnvelope[], asOf: string) => evaluate(foldComplianceState(envelopes), RULEBOOK_V1, asOf);

describe('properties of evaluate over any history', () => {
  it('evaluation at T ignores facts that occurred after T', () => {
    fc.assert(
      fc.property(history, instant, (envelopes, asOf) => {
        const before = envelopes.filter((e) => Date.parse(e.occurredAt) <= Date.parse(asOf));
        expect(judge(envelopes, asOf)).toEqual(judge(before, asOf));
      }),
      { numRuns: 150 },
    );
  });

  it('folding is deterministic: the same history gives the same findings', () => {
    fc.assert(
      fc.property(history, instant, (envelopes, asOf) => {
        expect(judge(envelopes, asOf)).toEqual(judge([...envelopes], asOf));
      }),
      { numRuns: 50 },
    );
  });

  it('the recording order does not matter when occurredAt values are distinct', () => {
    fc.assert(
      fc.property(history, instant, (envelopes, asOf) => {
        expect(judge([...envelopes].reverse(), asOf)).toEqual(judge(envelopes, asOf));
      }),
      { numRuns: 100 },
    );
  });

  it('states are values: evolving an earlier state on another branch does not change what a later state says', () => {
    fc.assert(
      fc.property(history, history, instant, (a, b, asOf) => {
        const prefix = foldComplianceState(a.slice(0, Math.ceil(a.length / 2)));
        const mainLine = foldComplianceState(a.slice(Math.ceil(a.length / 2)), prefix);
        const expected = evaluate(mainLine, RULEBOOK_V1, asOf);
        const branch = foldComplianceState(b, prefix);
        expect(evaluate(mainLine, RULEBOOK_V1, asOf)).toEqual(expected);
        expect(evaluate(mainLine, RULEBOOK_V1, asOf)).toEqual(judge(a, asOf));
        expect(evaluate(branch, RULEBOOK_V1, asOf)).toEqual(judge([...a.slice(0, Math.ceil(a.length / 2)), ...b], asOf));
      }),
      { numRuns: 50 },
    );
  });
});

describe('the views’ caches (per evaluation, and per fact list across evaluations) change no answer', () => {
  const byOccurrence = (envelopes: readonly LedgerEnvelope[]) => [...envelopes].sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));

  it('evaluating after every fact (warm) agrees with evaluating the final state cold, in time order or not', () => {
    fc.assert(
      fc.property(history, fc.boolean(), instant, instant, (recorded, inTimeOrder, asOf, earlier) => {
        const envelopes = inTimeOrder ? byOccurrence(recorded) : recorded;
        let state = foldComplianceState([]);
        const states = [];
        for (const e of envelopes) {
          state = foldComplianceState([e], state);
          states.push(state);
          // Warm the per-list knowledge at this state, at two instants, for all and for one data center.
          evaluate(state, RULEBOOK_V1, asOf);
          evaluate(state, RULEBOOK_V1, earlier, { dataCenterId: 'cn-dc' });
        }
        expect(evaluate(state, RULEBOOK_V1, asOf)).toEqual(judge(envelopes, asOf));
        expect(evaluate(state, RULEBOOK_V1, earlier)).toEqual(judge(envelopes, earlier));
        // An earlier state of the same line still answers as it did (its lists have grown since).
        const k = Math.floor(envelopes.length / 2);
        if (k > 0) expect(evaluate(states[k - 1], RULEBOOK_V1, asOf)).toEqual(judge(envelopes.slice(0, k), asOf));
      }),
      { numRuns: 100 },
    );
  });
});

describe('an EvaluationCache (per-movement verdicts kept across evaluations) changes no answer', () => {
  const NOW = new Date(START + (DAYS + 300) * DAY).toISOString();
  const byOccurrence = (envelopes: readonly LedgerEnvelope[]) => [...envelopes].sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));

  it('evaluating each data center after every fact with the cache (incremental) agrees with evaluating it in full', () => {
    fc.assert(
      fc.property(history, fc.boolean(), instant, fc.integer({ min: 1, max: 5 }), (recorded, inTimeOrder, earlier, every) => {
        const envelopes = inTimeOrder ? byOccurrence(recorded) : recorded;
        const cache = new EvaluationCache();
        let state = foldComplianceState([]);
        envelopes.forEach((e, i) => {
          state = foldComplianceState([e], state);
          // Batches of `every` facts, as the projection evaluates after each batch.
          if ((i + 1) % every !== 0 && i !== envelopes.length - 1) return;
          for (const { dataCenterId } of DCS) {
            expect(evaluate(state, RULEBOOK_V1, NOW, { dataCenterId, cache })).toEqual(evaluate(state, RULEBOOK_V1, NOW, { dataCenterId }));
            // An earlier instant (a tick) does not use the cache, and leaves it as it was.
            expect(evaluate(state, RULEBOOK_V1, earlier, { dataCenterId, cache })).toEqual(evaluate(state, RULEBOOK_V1, earlier, { dataCenterId }));
          }
        });
        for (const { dataCenterId } of DCS) {
          expect(evaluate(state, RULEBOOK_V1, NOW, { dataCenterId, cache })).toEqual(judge(envelopes, NOW).filter((f) => f.dataCenterId === dataCenterId));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a state forked from an earlier one is judged afresh, not from the verdicts of the line it left', () => {
    fc.assert(
      fc.property(history, history, (a, b) => {
        const cache = new EvaluationCache();
        const prefix = foldComplianceState(a.slice(0, Math.ceil(a.length / 2)));
        const mainLine = foldComplianceState(a.slice(Math.ceil(a.length / 2)), prefix);
        for (const { dataCenterId } of DCS) evaluate(mainLine, RULEBOOK_V1, NOW, { dataCenterId, cache });
        const branch = foldComplianceState(b, prefix);
        for (const { dataCenterId } of DCS) {
          expect(evaluate(branch, RULEBOOK_V1, NOW, { dataCenterId, cache })).toEqual(evaluate(branch, RULEBOOK_V1, NOW, { dataCenterId }));
          // The older line's head is no longer its store's newest state: judged in full, still right.
          expect(evaluate(mainLine, RULEBOOK_V1, NOW, { dataCenterId, cache })).toEqual(evaluate(mainLine, RULEBOOK_V1, NOW, { dataCenterId }));
        }
      }),
      { numRuns: 50 },
    );
  });
});
