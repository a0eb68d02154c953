import { evaluate } from '../evaluation/evaluate';
import { RULEBOOK_V1, RULE_IDS, ruleById, rulebookProblems, withRule, type CnStateFundedDomesticRule } from '../rulebook/rules';
import { COUNTRY_GROUP_D5 } from '../rulebook/country-groups';
import { foldComplianceState } from '../state/compliance-state';
import { nextTimeChange, rulebookStatusAt, timeChangeInstants } from '../timeline/finding-timeline';
import { at, scenario } from '../testing/scenario';
import { brief, findingsAt, M } from './helpers';

describe('the rulebook v1', () => {
  it('has every rule id of DOMAIN.md §3 once, each with a source and an in-force period', () => {
    expect(RULEBOOK_V1.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
    expect(rulebookProblems(RULEBOOK_V1)).toEqual([]);
    for (const r of RULEBOOK_V1) expect(r.source.url).toMatch(/^https:\/\//);
  });
  it('cites the Federal Register documents of the US rules', () => {
    expect(ruleById(RULEBOOK_V1, 'US-3A090-LICENCE')?.source.citation).toContain('88 FR 73458');
    expect(ruleById(RULEBOOK_V1, 'US-3A090-2022')?.source.citation).toContain('87 FR 62186');
    expect(ruleById(RULEBOOK_V1, 'US-AI-DIFFUSION')?.source.citation).toContain('90 FR 4544');
    expect(ruleById(RULEBOOK_V1, 'US-H200-CASE-BY-CASE')?.source.citation).toContain('91 FR 1684');
  });
  it('ships Country Group D:5 as data, Macau separately', () => {
    for (const c of ['CN', 'RU', 'IR', 'KP', 'BY', 'VE', 'CU', 'SY']) expect(COUNTRY_GROUP_D5).toContain(c);
    expect(COUNTRY_GROUP_D5).not.toContain('MO');
    expect(ruleById(RULEBOOK_V1, 'US-3A090-LICENCE')?.parameters.destinationCountries).toEqual(expect.arrayContaining(['MO', 'HK', 'RU']));
  });
  it('flags duplicate ids and inverted periods', () => {
    const r = RULEBOOK_V1[0];
    expect(rulebookProblems([r, r, { ...r, id: 'US-3A090-2022', inForce: { from: at('2024-01-01'), to: at('2023-01-01') } } as never])).toHaveLength(2);
  });
});

const cnDc = (completion: number, registered = '2025-03-01') =>
  scenario()
    .organisation('2025-01-01', 'gov-co', 'CN')
    .dataCenter(registered, 'dc', 'gov-co', 'CN')
    .stateFunding(registered, 'dc')
    .progress(registered, 'dc', completion);

describe('CN-STATE-FUNDED-DOMESTIC', () => {
  const withH100 = (completion: number) => cnDc(completion).deliver('2025-06-01', 'dc', M.h100Sxm, 8, { licenceId: null });
  it('29.9% complete is under the line: breach', () => {
    expect(findingsAt(withH100(29.9), '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')[0].severity).toBe('breach');
  });
  it('30% complete is at the line: review', () => {
    expect(findingsAt(withH100(30), '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')[0].severity).toBe('review');
  });
  it('does not apply without state funding', () => {
    const s = scenario().organisation('2025-01-01', 'p', 'CN').dataCenter('2025-03-01', 'dc', 'p', 'CN').progress('2025-03-01', 'dc', 10).deliver('2025-06-01', 'dc', M.h20, 8);
    expect(findingsAt(s, '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
  });
  it('does not count domestic chips (vendor headquartered in CN)', () => {
    const s = cnDc(10).deliver('2025-06-01', 'dc', M.ascend910b, 8, { shippedFromCountry: 'CN' }).deliver('2025-06-01', 'dc', M.mlu370x8, 8);
    expect(findingsAt(s, '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
  });
  it('with the "fabricated in CN" definition, a Cambricon chip made in Taiwan is foreign', () => {
    const cn = ruleById(RULEBOOK_V1, 'CN-STATE-FUNDED-DOMESTIC') as CnStateFundedDomesticRule;
    const strict = withRule(RULEBOOK_V1, { ...cn, parameters: { ...cn.parameters, domestic: { vendorHeadquartersIn: ['CN'], fabIn: ['CN'] } } });
    const s = cnDc(10).deliver('2025-06-01', 'dc', M.mlu370x8, 8).deliver('2025-06-01', 'dc', M.ascend910b, 4);
    expect(brief(findingsAt(s, '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC', strict))).toEqual([
      { ruleId: 'CN-STATE-FUNDED-DOMESTIC', severity: 'breach', dataCenterId: 'dc', modelId: M.mlu370x8, count: 8 },
    ]);
  });
  it('reads completion on the registration date when the data center is registered after 2025-11-05', () => {
    const s = cnDc(10, '2025-12-01').progress('2026-01-01', 'dc', 60).deliver('2025-12-15', 'dc', M.h20, 4);
    expect(findingsAt(s, '2026-02-01', 'CN-STATE-FUNDED-DOMESTIC')[0].severity).toBe('breach');
  });
  it('counts chips on order under a pre-rule order as part of the holdings until cancelled', () => {
    const s = cnDc(10).order('2025-10-01', 'po-1', 'dc', 'gov-co', [{ modelId: M.h20, quantity: 100 }]).deliver('2025-10-20', 'dc', M.h20, 40, { purchaseOrderId: 'po-1' });
    expect(findingsAt(s, '2025-11-05', 'CN-STATE-FUNDED-DOMESTIC')[0].count).toBe(100);
    s.cancel('2025-12-01', 'po-1', 'dc', [{ modelId: M.h20, quantity: 60 }]);
    expect(findingsAt(s, '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')[0].count).toBe(40);
  });
  it('a foreign order placed on 2025-11-05 is a breach; on 2025-11-04 it is not (by itself)', () => {
    const on = cnDc(50).order('2025-11-05', 'po-new', 'dc', 'gov-co', [{ modelId: M.h20, quantity: 10 }]);
    expect(brief(findingsAt(on, '2025-11-06', 'CN-STATE-FUNDED-DOMESTIC'))).toEqual([
      { ruleId: 'CN-STATE-FUNDED-DOMESTIC', severity: 'breach', dataCenterId: 'dc', modelId: M.h20, count: 10 },
    ]);
    const before = cnDc(50).order('2025-11-04', 'po-old', 'dc', 'gov-co', [{ modelId: M.h20, quantity: 10 }]);
    expect(findingsAt(before, '2025-11-06', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
  });
  it('a new foreign order closes when fully cancelled', () => {
    const s = cnDc(50).order('2025-11-10', 'po-new', 'dc', 'gov-co', [{ modelId: M.h20, quantity: 10 }]).cancel('2025-11-20', 'po-new', 'dc', [{ modelId: M.h20, quantity: 10 }]);
    expect(findingsAt(s, '2025-11-20', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
  });
  it('treats unknown completion as pending review', () => {
    const s = scenario().organisation('2025-01-01', 'g', 'CN').dataCenter('2025-03-01', 'dc', 'g', 'CN').stateFunding('2025-03-01', 'dc').deliver('2025-06-01', 'dc', M.h20, 4);
    expect(findingsAt(s, '2025-12-01', 'CN-STATE-FUNDED-DOMESTIC')[0]).toMatchObject({ severity: 'review' });
  });
  it('shows both: Ascend chips satisfy the Beijing mandate and are a US-PRC-3A090-USE risk', () => {
    const s = cnDc(10).deliver('2025-06-01', 'dc', M.ascend910b, 8, { shippedFromCountry: 'CN' }).install('2025-06-02', 'dc', M.ascend910b, 8);
    expect(brief(findingsAt(s, '2025-12-01')).map((f) => f.ruleId)).toEqual(['US-PRC-3A090-USE']);
  });
});

const cnOwned = () => scenario().organisation('2020-01-01', 'cn-co', 'CN').dataCenter('2021-01-01', 'cn-dc', 'cn-co', 'CN');

describe('US-3A090-2022 and US-3A090-LICENCE', () => {
  it('A100 to China on 2022-10-06 is not judged; on 2022-10-07 it is a breach under the 2022 rule', () => {
    expect(findingsAt(cnOwned().deliver('2022-10-06', 'cn-dc', M.a100, 10), '2026-01-01')).toEqual([]);
    expect(brief(findingsAt(cnOwned().deliver('2022-10-07', 'cn-dc', M.a100, 10), '2026-01-01'))).toEqual([
      { ruleId: 'US-3A090-2022', severity: 'breach', dataCenterId: 'cn-dc', modelId: M.a100, count: 10 },
    ]);
  });
  it('H800 on 2023-11-16 is legal (2022 test excludes it); on 2023-11-17 it is a breach under US-3A090-LICENCE', () => {
    expect(findingsAt(cnOwned().deliver('2023-11-16T23:59:59.999Z', 'cn-dc', M.h800, 10), '2026-01-01')).toEqual([]);
    expect(brief(findingsAt(cnOwned().deliver('2023-11-17', 'cn-dc', M.h800, 10), '2026-01-01'))).toEqual([
      { ruleId: 'US-3A090-LICENCE', severity: 'breach', dataCenterId: 'cn-dc', modelId: M.h800, count: 10 },
    ]);
  });
  it('A800 was outside the 2022 test', () => {
    expect(findingsAt(cnOwned().deliver('2023-03-01', 'cn-dc', M.a800, 10), '2026-01-01')).toEqual([]);
  });
  it('the 2022 rule judged China, Hong Kong and Macau by country only, not by owner', () => {
    const s = scenario().organisation('2020-01-01', 'cn-co', 'CN').dataCenter('2021-01-01', 'sg-dc', 'cn-co', 'SG').deliver('2023-03-01', 'sg-dc', M.a100, 10);
    expect(findingsAt(s, '2026-01-01')).toEqual([]);
  });
  it('a D:5 country other than China (Russia) is a destination', () => {
    const s = scenario().organisation('2020-01-01', 'ru-co', 'RU').dataCenter('2021-01-01', 'ru-dc', 'ru-co', 'RU').deliver('2024-03-01', 'ru-dc', M.l40s, 10);
    expect(findingsAt(s, '2026-01-01').map((f) => f.ruleId)).toEqual(['US-3A090-LICENCE']);
  });
  it('L20 (not 3A090) and non-US-origin chips are not judged', () => {
    const s = cnOwned().deliver('2024-03-01', 'cn-dc', M.l20, 10).deliver('2024-03-01', 'cn-dc', M.br104, 10);
    expect(findingsAt(s, '2026-01-01')).toEqual([]);
  });
  it('a model that cannot be classified (RTX Pro 6000D) yields a review, not a breach', () => {
    const [f] = findingsAt(cnOwned().deliver('2025-10-01', 'cn-dc', M.rtxPro6000d, 10), '2026-01-01');
    expect(f).toMatchObject({ ruleId: 'US-3A090-LICENCE', severity: 'review' });
    expect(f.message).toContain('cannot classify');
  });
  it('a transfer between two data centers of the same owner in the same country is not a new export', () => {
    const s = cnOwned()
      .dataCenter('2021-01-01', 'cn-dc-2', 'cn-co', 'CN')
      .deliver('2023-06-01', 'cn-dc', M.h800, 10)
      .transfer('2024-06-01', { dataCenterId: 'cn-dc', country: 'CN' }, { dataCenterId: 'cn-dc-2', country: 'CN' }, M.h800, 10);
    expect(findingsAt(s, '2026-01-01')).toEqual([]);
  });
});

describe('US-H20-IS-INFORMED', () => {
  it('H20 on 2025-04-08 is not judged; on 2025-04-09 it is a breach', () => {
    expect(findingsAt(cnOwned().deliver('2025-04-08', 'cn-dc', M.h20, 10), '2026-01-01')).toEqual([]);
    expect(findingsAt(cnOwned().deliver('2025-04-09', 'cn-dc', M.h20, 10), '2026-01-01').map((f) => f.ruleId)).toEqual(['US-H20-IS-INFORMED']);
  });
  it('MI308 is caught by name although its figures are unknown', () => {
    expect(findingsAt(cnOwned().deliver('2025-05-01', 'cn-dc', M.mi308, 10), '2026-01-01').map((f) => [f.ruleId, f.severity])).toEqual([
      ['US-3A090-LICENCE', 'review'],
      ['US-H20-IS-INFORMED', 'breach'],
    ]);
  });
  it('RTX Pro 6000D (DRAM 1,398 GB/s) is below the letter’s line', () => {
    expect(findingsAt(cnOwned().deliver('2025-10-01', 'cn-dc', M.rtxPro6000d, 10), '2026-01-01', 'US-H20-IS-INFORMED')).toEqual([]);
  });
  it('a not-3A090 chip with DRAM 1,400 GB/s is caught; 1,399 is not', () => {
    const withChip = (dram: number) => {
      const s = cnOwned();
      s.record('2025-01-01', {
        type: 'ChipModelAdded',
        data: { model: { modelId: 'x', name: 'X', vendor: 'V', vendorHeadquarters: 'US', fabCountry: 'TW', usOrigin: true, denseFp16Tflops: { value: 50 }, dieAreaMm2: { value: 500 }, dramBandwidthGBs: { value: dram }, chipToChipGBs: { value: 0 }, source: 't' } },
      });
      return s.deliver('2025-05-01', 'cn-dc', 'x', 1);
    };
    expect(findingsAt(withChip(1400), '2026-01-01').map((f) => f.ruleId)).toEqual(['US-H20-IS-INFORMED']);
    expect(findingsAt(withChip(1399), '2026-01-01')).toEqual([]);
  });
});

describe('US-H200-CASE-BY-CASE', () => {
  const myToCn = (when: string, permit: string | null = null) =>
    scenario()
      .organisation('2020-01-01', 'my-co', 'MY')
      .organisation('2020-01-01', 'cn-co', 'CN')
      .dataCenter('2021-01-01', 'my-dc', 'my-co', 'MY')
      .dataCenter('2021-01-01', 'cn-dc', 'cn-co', 'CN')
      .deliver('2025-01-01', 'my-dc', M.h200, 64, { shippedFromCountry: 'US' })
      .transfer(when, { dataCenterId: 'my-dc', country: 'MY' }, { dataCenterId: 'cn-dc', country: 'CN' }, M.h200, 64, { transferId: 't1', permitReference: permit });

  it('an H200 transfer from Malaysia into China without a licence on 2026-01-15 is a breach under US-H200-CASE-BY-CASE (presumption of denial)', () => {
    const fs = findingsAt(myToCn('2026-01-15', 'MY-PERMIT-1'), '2026-02-01');
    expect(brief(fs)).toEqual([{ ruleId: 'US-H200-CASE-BY-CASE', severity: 'breach', dataCenterId: 'cn-dc', modelId: M.h200, count: 64 }]);
    expect(fs[0].message).toContain('presumption of denial');
  });
  it('the day before, the same transfer is a US-3A090-LICENCE breach', () => {
    expect(findingsAt(myToCn('2026-01-14', 'MY-PERMIT-1'), '2026-02-01').map((f) => f.ruleId)).toEqual(['US-3A090-LICENCE']);
  });
  it('an export from the US without a licence is a breach, said to be licensable', () => {
    const s = cnOwned().deliver('2026-02-01', 'cn-dc', M.mi325x, 8, { shippedFromCountry: 'US' });
    const [f] = findingsAt(s, '2026-03-01');
    expect(f).toMatchObject({ ruleId: 'US-H200-CASE-BY-CASE', severity: 'breach' });
    expect(f.message).toContain('licensable case by case');
  });
  it('B200 (TPP 36,000) is over the line: still US-3A090-LICENCE', () => {
    expect(findingsAt(cnOwned().deliver('2026-02-01', 'cn-dc', M.b200, 8, { shippedFromCountry: 'US' }), '2026-03-01').map((f) => f.ruleId)).toEqual(['US-3A090-LICENCE']);
  });
});

describe('US-LICENCE-BALANCE', () => {
  const lic = (o: Partial<{ validTo: string; modelIds: string[]; consignee: string; destination: string }> = {}) =>
    cnOwned().licence('2025-01-01', 'L1', {
      consigneeOrganisationId: o.consignee ?? 'cn-co',
      destinationCountry: o.destination ?? 'CN',
      modelIds: o.modelIds ?? [M.h100Sxm],
      authorisedQuantity: 100,
      validTo: o.validTo ?? '2026-01-01',
    });
  it('a delivery of exactly the remaining balance is fine; one more unit is a breach of 1', () => {
    expect(findingsAt(lic().deliver('2025-02-01', 'cn-dc', M.h100Sxm, 100, { licenceId: 'L1' }), '2025-03-01')).toEqual([]);
    expect(brief(findingsAt(lic().deliver('2025-02-01', 'cn-dc', M.h100Sxm, 101, { licenceId: 'L1' }), '2025-03-01'))).toEqual([
      { ruleId: 'US-LICENCE-BALANCE', severity: 'breach', dataCenterId: 'cn-dc', modelId: M.h100Sxm, count: 1 },
    ]);
  });
  it('outside the validity period, for another model, consignee or destination: the whole delivery', () => {
    const cases = [
      lic({ validTo: '2025-01-31' }),
      lic({ modelIds: [M.h200] }),
      lic({ consignee: 'someone-else' }),
      lic({ destination: 'MO' }),
    ];
    for (const s of cases) {
      expect(findingsAt(s.deliver('2025-02-01', 'cn-dc', M.h100Sxm, 10, { licenceId: 'L1' }), '2025-03-01', 'US-LICENCE-BALANCE')[0]?.count).toBe(10);
    }
  });
  it('a suspended licence covers nothing until reinstated', () => {
    const s = lic();
    s.record('2025-01-15', { type: 'ExportLicenceSuspended', data: { licenceId: 'L1', reason: 'r' } });
    s.deliver('2025-02-01', 'cn-dc', M.h100Sxm, 10, { licenceId: 'L1' });
    s.record('2025-02-15', { type: 'ExportLicenceReinstated', data: { licenceId: 'L1', reason: 'r' } });
    s.deliver('2025-03-01', 'cn-dc', M.h100Sxm, 10, { licenceId: 'L1', deliveryId: 'ok' });
    expect(findingsAt(s, '2025-04-01').map((f) => [f.ruleId, f.count, f.message.includes('suspended')])).toEqual([['US-LICENCE-BALANCE', 10, true]]);
  });
  it('an amendment raising the quantity covers deliveries after it', () => {
    const s = lic();
    s.record('2025-01-15', { type: 'ExportLicenceAmended', data: { licenceId: 'L1', changes: { authorisedQuantity: 200 }, reason: 'r' } });
    s.deliver('2025-02-01', 'cn-dc', M.h100Sxm, 150, { licenceId: 'L1' });
    expect(findingsAt(s, '2025-03-01')).toEqual([]);
  });
});

describe('US-ENTITY-LIST', () => {
  const listedOwner = () => scenario().organisation('2020-01-01', 'ae-co', 'AE').dataCenter('2021-01-01', 'ae-dc', 'ae-co', 'AE').listed('2024-01-01', 'ae-co');
  it('a 3A090 delivery to a listed organisation on its listing date is a breach; the day before is not', () => {
    expect(findingsAt(listedOwner().deliver('2024-01-01', 'ae-dc', M.h100Sxm, 5), '2025-01-01').map((f) => f.ruleId)).toEqual(['US-ENTITY-LIST']);
    expect(findingsAt(listedOwner().deliver('2023-12-31', 'ae-dc', M.h100Sxm, 5), '2025-01-01')).toEqual([]);
  });
  it('after delisting, deliveries are no longer judged', () => {
    expect(findingsAt(listedOwner().delisted('2024-06-01', 'ae-co').deliver('2024-07-01', 'ae-dc', M.h100Sxm, 5), '2025-01-01')).toEqual([]);
  });
  it('renting 3A090 capacity to a listed tenant is a breach', () => {
    const s = scenario()
      .organisation('2020-01-01', 'host', 'SG')
      .organisation('2020-01-01', 'tenant', 'AE')
      .dataCenter('2021-01-01', 'sg', 'host', 'SG')
      .listed('2024-01-01', 'tenant')
      .rental('2024-02-01', 'r1', { providerDataCenterId: 'sg', tenantOrganisationId: 'tenant', modelId: M.h100Sxm, chipCount: 16, purpose: 'inference', periodEnd: '2025-01-01' });
    expect(brief(findingsAt(s, '2024-03-01'))).toEqual([{ ruleId: 'US-ENTITY-LIST', severity: 'breach', dataCenterId: 'sg', modelId: M.h100Sxm, count: 16 }]);
  });
});

describe('US-PRC-3A090-USE', () => {
  const s = () => scenario().organisation('2020-01-01', 'x', 'AE').dataCenter('2021-01-01', 'dc', 'x', 'AE').deliver('2025-01-01', 'dc', M.ascend910c, 4).install('2025-01-02', 'dc', M.ascend910c, 4);
  it('is silent on 2025-05-12 and a risk from 2025-05-13, anywhere', () => {
    expect(findingsAt(s(), '2025-05-12T23:59:59.999Z')).toEqual([]);
    expect(brief(findingsAt(s(), '2025-05-13'))).toEqual([{ ruleId: 'US-PRC-3A090-USE', severity: 'risk', dataCenterId: 'dc', modelId: M.ascend910c, count: 4 }]);
  });
  it('closes when the chips are removed', () => {
    expect(findingsAt(s().remove('2025-06-01', 'dc', M.ascend910c, 4, 'decommissioned'), '2025-06-01')).toEqual([]);
  });
});

describe('US-IAAS-TRAINING', () => {
  const rent = (o: { purpose?: 'training' | 'inference'; tenantHq?: string; parentHq?: string; model?: string; start?: string }) =>
    scenario()
      .organisation('2020-01-01', 'host', 'SG')
      .organisation('2020-01-01', 'tenant', o.tenantHq ?? 'CN', o.parentHq ?? o.tenantHq ?? 'CN')
      .dataCenter('2021-01-01', 'sg', 'host', 'SG')
      .rental(o.start ?? '2025-06-01', 'r', { providerDataCenterId: 'sg', tenantOrganisationId: 'tenant', modelId: o.model ?? M.h100Sxm, chipCount: 8, purpose: o.purpose, periodEnd: '2027-01-01' });
  it('is a risk for training by a CN-parented tenant; not for inference; not for a US-parented tenant', () => {
    expect(findingsAt(rent({ tenantHq: 'SG', parentHq: 'CN' }), '2025-07-01').map((f) => f.severity)).toEqual(['risk']);
    expect(findingsAt(rent({ purpose: 'inference' }), '2025-07-01')).toEqual([]);
    expect(findingsAt(rent({ tenantHq: 'SG', parentHq: 'US' }), '2025-07-01')).toEqual([]);
  });
  it('needs 3A090.a capacity (H20 is not)', () => {
    expect(findingsAt(rent({ model: M.h20 }), '2025-07-01')).toEqual([]);
  });
  it('is not in force on 2025-05-12 and is from 2025-05-13', () => {
    const s = rent({ start: '2025-01-01' });
    expect(findingsAt(s, '2025-05-12')).toEqual([]);
    expect(findingsAt(s, '2025-05-13')).toHaveLength(1);
  });
});

describe('US-AI-DIFFUSION', () => {
  it('yields no findings, but the rulebook status explains it and the timeline knows its dates', () => {
    const s = cnOwned().deliver('2025-03-01', 'cn-dc', M.h20, 1);
    expect(findingsAt(s, '2025-03-02').map((f) => f.ruleId)).not.toContain('US-AI-DIFFUSION');
    const status = rulebookStatusAt(RULEBOOK_V1, at('2025-03-01')).find((x) => x.ruleId === 'US-AI-DIFFUSION');
    expect(status).toMatchObject({ status: 'in-force' });
    expect(rulebookStatusAt(RULEBOOK_V1, at('2025-05-13')).find((x) => x.ruleId === 'US-AI-DIFFUSION')?.status).toBe('ended');
    expect(timeChangeInstants(foldComplianceState(s.envelopes), RULEBOOK_V1)).toEqual(expect.arrayContaining([at('2025-01-13'), at('2025-05-13'), at('2025-05-15')]));
  });
});

describe('MY-STRATEGIC-TRADE-PERMIT', () => {
  const out = (when: string, toCountry: string, permit: string | null = null) =>
    scenario()
      .organisation('2020-01-01', 'my-co', 'MY')
      .dataCenter('2021-01-01', 'my-dc', 'my-co', 'MY')
      .dataCenter('2021-01-01', 'other', 'my-co', toCountry)
      .deliver('2024-01-01', 'my-dc', M.h100Sxm, 8, { shippedFromCountry: 'US' })
      .transfer(when, { dataCenterId: 'my-dc', country: 'MY' }, { dataCenterId: 'other', country: toCountry }, M.h100Sxm, 8, { permitReference: permit });
  it('a transfer to Singapore without a permit on 2025-07-14 is a breach; on 2025-07-13 it is not', () => {
    expect(brief(findingsAt(out('2025-07-14', 'SG'), '2025-08-01'))).toEqual([
      { ruleId: 'MY-STRATEGIC-TRADE-PERMIT', severity: 'breach', dataCenterId: 'my-dc', modelId: M.h100Sxm, count: 8 },
    ]);
    expect(findingsAt(out('2025-07-13', 'SG'), '2025-08-01')).toEqual([]);
  });
  it('is satisfied by a recorded permit, and does not apply within Malaysia', () => {
    expect(findingsAt(out('2025-08-01', 'SG', 'STA-1'), '2025-09-01')).toEqual([]);
    expect(findingsAt(out('2025-08-01', 'MY'), '2025-09-01')).toEqual([]);
  });
});

describe('evaluation options and scheduling', () => {
  it('filters by data center', () => {
    const s = cnOwned().organisation('2020-01-01', 'ru', 'RU').dataCenter('2021-01-01', 'ru-dc', 'ru', 'RU').deliver('2024-03-01', 'cn-dc', M.h100Sxm, 1).deliver('2024-03-01', 'ru-dc', M.h100Sxm, 1);
    const state = foldComplianceState(s.envelopes);
    expect(evaluate(state, RULEBOOK_V1, at('2025-01-01'), { dataCenterId: 'ru-dc' }).map((f) => f.dataCenterId)).toEqual(['ru-dc']);
    expect(evaluate(state, RULEBOOK_V1, at('2025-01-01'), { dataCenterId: 'nope' })).toEqual([]);
  });
  it('nextTimeChange gives the end of a remittance window for a projector to schedule', () => {
    const s = cnOwned()
      .licence('2025-08-20', 'L', { consigneeOrganisationId: 'cn-co', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 10, revenueSharePercent: 15 })
      .deliver('2026-02-01', 'cn-dc', M.h20, 1, { licenceId: 'L' });
    expect(nextTimeChange(foldComplianceState(s.envelopes), RULEBOOK_V1, at('2026-02-01'), { dataCenterId: 'cn-dc' })).toBe(at('2026-05-02'));
  });
  it('marks a finding acknowledged by an auditor, without closing it', () => {
    const s = cnOwned().deliver('2024-03-01', 'cn-dc', M.h100Sxm, 1, { deliveryId: 'd' });
    const [f] = findingsAt(s, '2024-04-01');
    s.record('2024-05-01', { type: 'FindingAcknowledged', data: { dataCenterId: 'cn-dc', findingId: f.findingId, comment: 'seen' } });
    expect(findingsAt(s, '2024-04-30')[0].acknowledged).toBe(false);
    expect(findingsAt(s, '2024-05-01')[0].acknowledged).toBe(true);
  });
});
