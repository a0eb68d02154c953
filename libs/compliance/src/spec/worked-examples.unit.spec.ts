import { findingTimeline, openAt } from '../timeline/finding-timeline';
import { RULEBOOK_V1 } from '../rulebook/rules';
import { scenario } from '../testing/scenario';
import { brief, findingsAt, M } from './helpers';

describe('worked example 1: a DeepSeek-like operator in Hangzhou, privately funded', () => {
  const s = () =>
    scenario()
      .organisation('2021-01-01', 'deepseek', 'CN')
      .dataCenter('2021-06-01', 'hangzhou', 'deepseek', 'CN')
      .deliver('2022-09-01', 'hangzhou', M.a100, 1000, { deliveryId: 'a100-2022-09' })
      .install('2022-09-10', 'hangzhou', M.a100, 1000)
      .deliver('2023-06-01', 'hangzhou', M.h800, 2000, { deliveryId: 'h800-2023-06' })
      .install('2023-06-10', 'hangzhou', M.h800, 2000)
      .deliver('2025-11-20', 'hangzhou', M.ascend910b, 256, { shippedFromCountry: 'CN' })
      .install('2025-12-01', 'hangzhou', M.ascend910b, 256);

  it('shows no breach in 2026 for the A100 (before the first rule) and H800 (outside the 2022 test) deliveries', () => {
    expect(findingsAt(s(), '2026-03-01').filter((f) => f.severity === 'breach')).toEqual([]);
  });
  it('shows the Ascend 910B installed in 2025-12 as a risk under US-PRC-3A090-USE', () => {
    expect(brief(findingsAt(s(), '2026-03-01'))).toEqual([
      { ruleId: 'US-PRC-3A090-USE', severity: 'risk', dataCenterId: 'hangzhou', modelId: M.ascend910b, count: 256 },
    ]);
  });
  it('shows nothing for the Ascend before it is installed', () => {
    expect(findingsAt(s(), '2025-11-30')).toEqual([]);
  });
});

describe('worked example 2: a state-funded data center in Gansu with 512 H20 installed in 2025-09', () => {
  const base = (completion: number) =>
    scenario()
      .organisation('2025-01-01', 'gansu-compute', 'CN')
      .dataCenter('2025-03-01', 'gansu', 'gansu-compute', 'CN')
      .stateFunding('2025-04-01', 'gansu')
      .progress('2025-10-01', 'gansu', completion)
      .deliver('2025-09-01', 'gansu', M.h20, 512)
      .install('2025-09-05', 'gansu', M.h20, 512);

  describe('when the data center is 20% complete on 2025-11-05', () => {
    it('has no CN-STATE-FUNDED-DOMESTIC finding the day before', () => {
      expect(findingsAt(base(20), '2025-11-04T23:59:59.999Z', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
    });
    it('has a breach for all 512 H20 from 2025-11-05', () => {
      const [f] = findingsAt(base(20), '2025-11-05', 'CN-STATE-FUNDED-DOMESTIC');
      expect(f).toMatchObject({ severity: 'breach', certainty: 'reported-guidance', modelId: M.h20, count: 512 });
      expect(f.message).toContain('20% complete');
      expect(f.evidence.length).toBeGreaterThan(0);
    });
    it('closes the breach when a removal of all 512 is recorded', () => {
      const s = base(20).remove('2026-01-10', 'gansu', M.h20, 512, 'remediation');
      expect(findingsAt(s, '2026-01-09', 'CN-STATE-FUNDED-DOMESTIC')).toHaveLength(1);
      expect(findingsAt(s, '2026-01-10', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
    });
    it('keeps the breach open for the remainder after a partial removal', () => {
      const s = base(20).remove('2026-01-10', 'gansu', M.h20, 500, 'remediation');
      expect(findingsAt(s, '2026-02-01', 'CN-STATE-FUNDED-DOMESTIC')[0].count).toBe(12);
    });
    it('shows the breach interval in the timeline: opened 2025-11-05, closed at the removal', () => {
      const s = base(20).remove('2026-01-10', 'gansu', M.h20, 512, 'remediation');
      const cn = findingTimeline(s.envelopes, RULEBOOK_V1, 'gansu').filter((i) => i.ruleId === 'CN-STATE-FUNDED-DOMESTIC');
      expect(cn).toMatchObject([{ severity: 'breach', openedAt: '2025-11-05T00:00:00.000Z', closedAt: '2026-01-10T00:00:00.000Z', countAtOpen: 512 }]);
    });
  });

  describe('when the data center is 45% complete on 2025-11-05', () => {
    it('has a review for the 512 H20 from 2025-11-05', () => {
      expect(brief(findingsAt(base(45), '2025-11-05', 'CN-STATE-FUNDED-DOMESTIC'))).toEqual([
        { ruleId: 'CN-STATE-FUNDED-DOMESTIC', severity: 'review', dataCenterId: 'gansu', modelId: M.h20, count: 512 },
      ]);
    });
    it("closes the review with an auditor's approval", () => {
      const s = base(45).review('2026-01-10', 'gansu', 'approved');
      expect(findingsAt(s, '2026-01-09', 'CN-STATE-FUNDED-DOMESTIC')).toHaveLength(1);
      expect(findingsAt(s, '2026-01-10', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
    });
    it('turns a refusal into a breach until the chips are removed', () => {
      const s = base(45).review('2026-01-10', 'gansu', 'refused').remove('2026-02-01', 'gansu', M.h20, 512);
      expect(findingsAt(s, '2026-01-10', 'CN-STATE-FUNDED-DOMESTIC')[0].severity).toBe('breach');
      expect(findingsAt(s, '2026-02-01', 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);
      const cn = findingTimeline(s.envelopes, RULEBOOK_V1, 'gansu').filter((i) => i.ruleId === 'CN-STATE-FUNDED-DOMESTIC');
      expect(cn.map((i) => [i.severity, i.openedAt.slice(0, 10), i.closedAt?.slice(0, 10)])).toEqual([
        ['review', '2025-11-05', '2026-01-10'],
        ['breach', '2026-01-10', '2026-02-01'],
      ]);
    });
  });
});

describe('worked example 3: Alibaba rents 1,024 H100 for training in Singapore', () => {
  const base = () =>
    scenario()
      .organisation('2020-01-01', 'alibaba', 'CN')
      .organisation('2020-01-01', 'sg-hosting', 'SG')
      .organisation('2020-01-01', 'alibaba-sg', 'SG', 'CN')
      .dataCenter('2024-01-01', 'sg-dc', 'sg-hosting', 'SG')
      .dataCenter('2024-01-01', 'sg-ali-dc', 'alibaba-sg', 'SG');

  describe('when the data center is owned by a Singapore company', () => {
    const s = () =>
      base()
        .deliver('2025-03-01', 'sg-dc', M.h100Sxm, 1024, { shippedFromCountry: 'US' })
        .install('2025-03-05', 'sg-dc', M.h100Sxm, 1024)
        .rental('2025-06-01', 'qwen-training', { providerDataCenterId: 'sg-dc', tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 1024, periodEnd: '2026-06-01' });
    it('has no breach and a risk under US-IAAS-TRAINING', () => {
      expect(brief(findingsAt(s(), '2025-09-01'))).toEqual([
        { ruleId: 'US-IAAS-TRAINING', severity: 'risk', dataCenterId: 'sg-dc', modelId: M.h100Sxm, count: 1024 },
      ]);
    });
    it('closes the risk when the rental period ends (time alone)', () => {
      expect(findingsAt(s(), '2026-06-01')).toEqual([]);
      const t = findingTimeline(s().envelopes, RULEBOOK_V1, 'sg-dc');
      expect(t).toMatchObject([{ ruleId: 'US-IAAS-TRAINING', openedAt: '2025-06-01T00:00:00.000Z', closedAt: '2026-06-01T00:00:00.000Z' }]);
      expect(openAt(t, '2025-12-01T00:00:00.000Z')).toHaveLength(1);
    });
  });

  describe('when the data center is owned by an Alibaba subsidiary', () => {
    it('has a breach under US-3A090-LICENCE for the H100 delivered without a licence', () => {
      const s = base().deliver('2025-03-01', 'sg-ali-dc', M.h100Sxm, 1024, { shippedFromCountry: 'US' });
      const [f] = findingsAt(s, '2025-09-01');
      expect(f).toMatchObject({ ruleId: 'US-3A090-LICENCE', severity: 'breach', dataCenterId: 'sg-ali-dc', count: 1024 });
      expect(f.message).toContain('ultimate parent is headquartered in CN');
    });
    it('has no breach when a licence to the subsidiary in Singapore covers the delivery', () => {
      const s = base()
        .licence('2025-02-01', 'lic-sg', { consigneeOrganisationId: 'alibaba-sg', destinationCountry: 'SG', modelIds: [M.h100Sxm], authorisedQuantity: 2048 })
        .deliver('2025-03-01', 'sg-ali-dc', M.h100Sxm, 1024, { licenceId: 'lic-sg', shippedFromCountry: 'US' });
      expect(findingsAt(s, '2025-09-01')).toEqual([]);
    });
  });
});

describe('worked example 4: H20 to a Chinese data center', () => {
  const base = () => scenario().organisation('2020-01-01', 'cn-cloud', 'CN').dataCenter('2024-01-01', 'beijing', 'cn-cloud', 'CN');

  it('has a breach for H20 delivered on 2025-05-01 with no licence', () => {
    const s = base().deliver('2025-05-01', 'beijing', M.h20, 100, { deliveryId: 'd0' });
    expect(brief(findingsAt(s, '2025-06-01'))).toEqual([{ ruleId: 'US-H20-IS-INFORMED', severity: 'breach', dataCenterId: 'beijing', modelId: M.h20, count: 100 }]);
  });

  describe('under a licence issued 2025-08-20 for 2,000 units with a 15% revenue share', () => {
    const licensed = () =>
      base()
        .licence('2025-08-20', 'lic-h20', { consigneeOrganisationId: 'cn-cloud', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 2000, revenueSharePercent: 15 })
        .deliver('2025-09-01', 'beijing', M.h20, 1500, { deliveryId: 'd1', licenceId: 'lic-h20', shippedFromCountry: 'US' })
        .deliver('2025-10-01', 'beijing', M.h20, 800, { deliveryId: 'd2', licenceId: 'lic-h20', shippedFromCountry: 'US' });

    it('the second delivery (800) exceeds the balance by 300: a breach under US-LICENCE-BALANCE', () => {
      const fs = findingsAt(licensed(), '2025-10-15');
      expect(brief(fs)).toEqual([{ ruleId: 'US-LICENCE-BALANCE', severity: 'breach', dataCenterId: 'beijing', modelId: M.h20, count: 300 }]);
      expect(fs[0].findingId).toBe(`US-LICENCE-BALANCE/beijing/${M.h20}/d2`);
      expect(fs[0].message).toContain('remaining balance of 500');
    });

    it('opens a licence-condition breach 90 days after a delivery with no remittance (2025-11-30 for d1)', () => {
      const s = licensed();
      expect(findingsAt(s, '2025-11-29T23:59:59.999Z', 'US-H20-IS-INFORMED')).toEqual([]);
      expect(findingsAt(s, '2025-11-30', 'US-H20-IS-INFORMED')).toMatchObject([
        { severity: 'breach', certainty: 'licence-condition', count: 1500, findingId: `US-H20-IS-INFORMED/beijing/${M.h20}/remittance:d1` },
      ]);
    });

    it('has no remittance breach when the remittance is recorded on the 90th day', () => {
      const s = licensed().remit('2025-11-30', 'lic-h20', ['d1']).remit('2025-12-01', 'lic-h20', ['d2']);
      expect(findingsAt(s, '2026-03-01', 'US-H20-IS-INFORMED')).toEqual([]);
    });

    it('keeps the breach for a remittance recorded after the window', () => {
      const s = licensed().remit('2025-12-05', 'lic-h20', ['d1', 'd2']);
      const fs = findingsAt(s, '2026-03-01', 'US-H20-IS-INFORMED');
      expect(fs.map((f) => f.findingId)).toEqual([`US-H20-IS-INFORMED/beijing/${M.h20}/remittance:d1`]);
      expect(fs[0].message).toContain('late remittance');
    });

    it('schedules the re-evaluation: the timeline opens the remittance breach at the end of the window', () => {
      const t = findingTimeline(licensed().envelopes, RULEBOOK_V1, 'beijing').filter((i) => i.ruleId === 'US-H20-IS-INFORMED');
      expect(t.map((i) => [i.findingId.split('/').pop(), i.openedAt.slice(0, 10)])).toEqual([
        ['remittance:d1', '2025-11-30'],
        ['remittance:d2', '2025-12-30'],
      ]);
    });
  });
});
