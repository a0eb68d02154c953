import { RULEBOOK_V1 } from '@chip-ledger/compliance';
import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { dataCenterAsOf } from './data-center-as-of';
import { fleetAsOf } from './fleet-as-of';
import { foldLedger } from './fold';
import { ledgerOrder } from './ledger-entry';
import { rulesAt } from './rules-at';
import { at, LedgerBuilder } from './testing/ledger-builder';

const NOW = '2027-01-01T00:00:00.000Z';
const justBefore = (instant: string): string => new Date(Date.parse(at(instant)) - 1).toISOString();

const asOf = (b: LedgerBuilder, dataCenterId: string, occurredAt: string, knownAt = NOW) => {
  const when = { occurredAt: at(occurredAt), knownAt: at(knownAt) };
  return dataCenterAsOf(foldLedger(b.entries, when), RULEBOOK_V1, when, dataCenterId);
};
const rulesFlagged = (b: LedgerBuilder, dataCenterId: string, occurredAt: string, knownAt = NOW): string[] =>
  (asOf(b, dataCenterId, occurredAt, knownAt)?.findings ?? []).map((f) => `${f.ruleId}:${f.severity}`).sort();

/** DOMAIN.md §5, worked example 2: a state-funded data center in Gansu, 20% complete, 512 H20 installed. */
const gansu = (): LedgerBuilder =>
  new LedgerBuilder()
    .organisation('2024-01-01', 'gansu-cloud', 'CN')
    .dataCenter('2025-01-10', 'dc-gansu', 'gansu-cloud', 'CN')
    .stateFunding('2025-03-01', 'dc-gansu')
    .progress('2025-10-01', 'dc-gansu', 20)
    .order('2025-03-02', 'po-dc-gansu', 'dc-gansu', 'gansu-cloud', [{ modelId: M.h20, quantity: 512 }])
    .deliver('2025-03-05', 'dc-gansu', M.h20, 512)
    .install('2025-09-02', 'dc-gansu', M.h20, 512);

describe('as-of a data center: the world at T as the ledger knew it at K', () => {
  describe('the chip mix, rentals and licences at the instant', () => {
    it('counts like the chip-mix read model, with vendor, origin and 3A090 class per model', () => {
      const b = gansu()
        .deliver('2025-10-01', 'dc-gansu', M.ascend910b, 100, { shippedFromCountry: 'CN' })
        .install('2025-10-02', 'dc-gansu', M.ascend910b, 60)
        .rental('2025-10-03', 'r-1', { providerDataCenterId: 'dc-gansu', tenantOrganisationId: 'gansu-cloud', modelId: M.ascend910b, chipCount: 40, periodEnd: '2026-10-03' });
      const answer = asOf(b, 'dc-gansu', '2025-12-01');
      expect(answer?.chipMix).toEqual([
        expect.objectContaining({ modelId: M.ascend910b, vendor: 'Huawei', origin: 'domestic', installed: 60, inStock: 40, rentedOut: 40, onOrder: 0, delivered: 100 }),
        expect.objectContaining({ modelId: M.h20, vendor: 'Nvidia', origin: 'foreign', eccnClass: 'not-controlled', installed: 512, inStock: 0, onOrder: 0, delivered: 512 }),
      ]);
      expect(answer?.totals).toEqual({ installed: 572, inStock: 40, onOrder: 0, rentedOut: 40 });
      expect(answer?.chips.byOrigin).toEqual({ domestic: 100, foreign: 512 });
      expect(answer?.rentals).toEqual([expect.objectContaining({ rentalId: 'r-1', status: 'active', chipCount: 40 })]);
      expect(answer?.dataCenter).toEqual(expect.objectContaining({ stateFunded: true, completionPercent: 20, ownerOrganisationId: 'gansu-cloud' }));
      // Before the Ascend chips arrived, the mix had none of them.
      expect(asOf(b, 'dc-gansu', '2025-09-30')?.chipMix.map((l) => l.modelId)).toEqual([M.h20]);
    });

    it('lists the licences used there, as they stood at the instant', () => {
      const b = new LedgerBuilder()
        .organisation('2024-01-01', 'sg-co', 'SG')
        .dataCenter('2024-01-02', 'dc-sg', 'sg-co', 'SG')
        .licence('2024-02-01', 'lic-1', 'sg-co', 'SG', [M.h100Sxm], 1000)
        .deliver('2024-03-01', 'dc-sg', M.h100Sxm, 300, { licenceId: 'lic-1' });
      expect(asOf(b, 'dc-sg', '2024-04-01')?.licencesInUse).toEqual([
        expect.objectContaining({ licenceId: 'lic-1', status: 'active', authorisedQuantity: 1000, quantityHere: 300, consigneeOrganisationId: 'sg-co' }),
      ]);
      expect(asOf(b, 'dc-sg', '2024-02-15')?.licencesInUse).toEqual([]);
    });

    it('is null before the data center was registered, or for one the ledger does not know', () => {
      expect(asOf(gansu(), 'dc-gansu', '2025-01-09')).toBeNull();
      expect(asOf(gansu(), 'dc-elsewhere', '2026-01-01')).toBeNull();
    });
  });

  describe('findings, with their evidence events', () => {
    it('worked example 2: a breach from 2025-11-05, each piece of evidence resolvable', () => {
      const answer = asOf(gansu(), 'dc-gansu', '2025-12-01');
      const cn = answer?.findings.find((f) => f.ruleId === 'CN-STATE-FUNDED-DOMESTIC');
      expect(cn).toEqual(expect.objectContaining({ severity: 'breach', count: 512 }));
      expect(cn?.evidence.length).toBeGreaterThan(0);
      for (const e of cn?.evidence ?? []) expect(e).toEqual(expect.objectContaining({ href: `/events/${e.eventId}`, type: expect.any(String), occurredAt: expect.any(String) }));
      expect(answer?.rulesInForce.map((r) => r.ruleId)).toContain('CN-STATE-FUNDED-DOMESTIC');
    });

    it('a removal recorded late: knownAt before its recording still shows the breach, after it the breach is gone', () => {
      const b = gansu().remove('2025-12-01', 'dc-gansu', M.h20, 512, { recordedAt: '2026-02-01' });
      expect(rulesFlagged(b, 'dc-gansu', '2026-01-01', '2026-01-31')).toContain('CN-STATE-FUNDED-DOMESTIC:breach');
      expect(rulesFlagged(b, 'dc-gansu', '2026-01-01', '2026-02-01')).not.toContain('CN-STATE-FUNDED-DOMESTIC:breach');
      // The fact was known from its recording on, and it is dated 2025-12-01: before that the breach stood either way.
      expect(rulesFlagged(b, 'dc-gansu', '2025-11-30', '2026-02-01')).toContain('CN-STATE-FUNDED-DOMESTIC:breach');
      expect(asOf(b, 'dc-gansu', '2026-01-01', '2026-01-31')?.chipMix[0].installed).toBe(512);
      expect(asOf(b, 'dc-gansu', '2026-01-01', '2026-02-01')?.chipMix[0].installed).toBe(0);
    });

    it("an auditor's approval of a review counts from when it occurred", () => {
      const b = gansu().progress('2025-10-15', 'dc-gansu', 45).review('2025-12-10', 'dc-gansu', 'approved');
      expect(rulesFlagged(b, 'dc-gansu', '2025-12-09')).toContain('CN-STATE-FUNDED-DOMESTIC:review');
      expect(rulesFlagged(b, 'dc-gansu', '2025-12-10')).not.toContain('CN-STATE-FUNDED-DOMESTIC:review');
    });
  });

  describe('each dated rule, just before and just after it starts (DOMAIN.md §3)', () => {
    const cn = () => new LedgerBuilder().organisation('2020-01-01', 'cn-co', 'CN').dataCenter('2020-01-02', 'dc-cn', 'cn-co', 'CN');
    /** A delivery occurring at `when` into a data center in China, with no licence. */
    const deliveredAt = (model: string, when: string) => cn().deliver(when, 'dc-cn', model, 8);
    const cases: { rule: string; start: string; build: (when: string) => LedgerBuilder; judgedAt: (start: string) => string; dc: string }[] = [
      // Facts judged by the rule in force when they occurred: the same delivery, a millisecond apart.
      { rule: 'US-3A090-2022', start: '2022-10-07', build: (w) => deliveredAt(M.a100, w), judgedAt: () => '2023-01-01', dc: 'dc-cn' },
      { rule: 'US-3A090-LICENCE', start: '2023-11-17', build: (w) => deliveredAt(M.a800, w), judgedAt: () => '2024-01-01', dc: 'dc-cn' },
      { rule: 'US-H20-IS-INFORMED', start: '2025-04-09', build: (w) => deliveredAt(M.h20, w), judgedAt: () => '2025-06-01', dc: 'dc-cn' },
      { rule: 'US-H200-CASE-BY-CASE', start: '2026-01-15', build: (w) => deliveredAt(M.h200, w), judgedAt: () => '2026-03-01', dc: 'dc-cn' },
      {
        rule: 'MY-STRATEGIC-TRADE-PERMIT',
        start: '2025-07-14',
        build: (w) =>
          new LedgerBuilder()
            .organisation('2020-01-01', 'my-co', 'MY')
            .dataCenter('2020-01-02', 'dc-my', 'my-co', 'MY')
            .dataCenter('2020-01-02', 'dc-sg', 'my-co', 'SG')
            .deliver('2024-01-01', 'dc-my', M.h100Sxm, 8)
            .transfer(w, { dataCenterId: 'dc-my', country: 'MY' }, { dataCenterId: 'dc-sg', country: 'SG' }, M.h100Sxm, 8),
        judgedAt: () => '2025-09-01',
        dc: 'dc-my',
      },
    ];
    for (const c of cases) {
      it(`${c.rule} (from ${c.start}): a fact a millisecond before is not judged by it, one at the start is`, () => {
        expect(rulesFlagged(c.build(justBefore(c.start)), c.dc, c.judgedAt(c.start)).filter((r) => r.startsWith(`${c.rule}:`))).toEqual([]);
        expect(rulesFlagged(c.build(at(c.start)), c.dc, c.judgedAt(c.start)).filter((r) => r.startsWith(`${c.rule}:`))).toHaveLength(1);
      });
    }

    // Standing conditions: the same facts, judged as of a millisecond before and at the start.
    const standing: { rule: string; start: string; build: () => LedgerBuilder; dc: string }[] = [
      { rule: 'CN-STATE-FUNDED-DOMESTIC', start: '2025-11-05', build: gansu, dc: 'dc-gansu' },
      { rule: 'US-PRC-3A090-USE', start: '2025-05-13', build: () => cn().deliver('2025-01-01', 'dc-cn', M.ascend910b, 8, { shippedFromCountry: 'CN' }).install('2025-01-02', 'dc-cn', M.ascend910b, 8), dc: 'dc-cn' },
      {
        rule: 'US-IAAS-TRAINING',
        start: '2025-05-13',
        build: () =>
          new LedgerBuilder()
            .organisation('2020-01-01', 'alibaba', 'CN')
            .organisation('2020-01-01', 'sg-co', 'SG')
            .dataCenter('2020-01-02', 'dc-sg', 'sg-co', 'SG')
            .deliver('2024-01-01', 'dc-sg', M.h100Sxm, 1024)
            .install('2024-01-02', 'dc-sg', M.h100Sxm, 1024)
            .rental('2025-01-01', 'r-ali', { providerDataCenterId: 'dc-sg', tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 1024, periodEnd: '2026-01-01' }),
        dc: 'dc-sg',
      },
    ];
    for (const c of standing) {
      it(`${c.rule} (from ${c.start}): nothing a millisecond before, a finding at the start`, () => {
        expect(rulesFlagged(c.build(), c.dc, justBefore(c.start)).filter((r) => r.startsWith(`${c.rule}:`))).toEqual([]);
        expect(rulesFlagged(c.build(), c.dc, at(c.start)).filter((r) => r.startsWith(`${c.rule}:`))).toHaveLength(1);
      });
    }

    it('US-AI-DIFFUSION is listed with its status and flags nothing while its period runs', () => {
      const during = rulesAt(RULEBOOK_V1, at('2025-03-01')).find((r) => r.ruleId === 'US-AI-DIFFUSION');
      expect(during).toEqual(expect.objectContaining({ status: 'announced-not-enforced', judgesFactsAt: false, enforced: false }));
      expect(rulesAt(RULEBOOK_V1, justBefore('2025-01-13')).find((r) => r.ruleId === 'US-AI-DIFFUSION')?.status).toBe('not-yet-in-force');
      expect(rulesAt(RULEBOOK_V1, at('2025-05-13')).find((r) => r.ruleId === 'US-AI-DIFFUSION')?.status).toBe('ended');
      const b = new LedgerBuilder().organisation('2020-01-01', 'ae-co', 'AE').dataCenter('2020-01-02', 'dc-ae', 'ae-co', 'AE').deliver('2025-03-01', 'dc-ae', M.b200, 50_000);
      expect(rulesFlagged(b, 'dc-ae', '2025-03-02')).toEqual([]);
      expect(asOf(b, 'dc-ae', '2025-03-02')?.rulesInForce.map((r) => r.ruleId)).not.toContain('US-AI-DIFFUSION');
    });

    it('every dated rule: not yet in force a millisecond before its start, in force (or announced) at it', () => {
      for (const rule of RULEBOOK_V1.filter((r) => r.inForce.from !== null)) {
        const from = rule.inForce.from as string;
        expect(rulesAt(RULEBOOK_V1, justBefore(from)).find((r) => r.ruleId === rule.id)?.status).toBe('not-yet-in-force');
        expect(['in-force', 'announced-not-enforced']).toContain(rulesAt(RULEBOOK_V1, from).find((r) => r.ruleId === rule.id)?.status);
      }
    });
  });

  describe('the fold', () => {
    it('folds in occurredAt order whatever order the events were recorded in, and reports what it cannot read', () => {
      const b = gansu();
      const shuffled = [...b.entries].reverse();
      const when = { occurredAt: at('2026-01-01'), knownAt: NOW };
      const a = dataCenterAsOf(foldLedger(b.entries, when), RULEBOOK_V1, when, 'dc-gansu');
      const c = dataCenterAsOf(foldLedger(shuffled, when), RULEBOOK_V1, when, 'dc-gansu');
      expect(c).toEqual(a);
      const withUnknown = [...b.entries, { ...b.entries[0], eventId: 'evt-x', type: 'SomethingNewer', globalPosition: 99 }];
      const folded = foldLedger(withUnknown, when);
      expect(folded.unfolded).toEqual([expect.objectContaining({ eventId: 'evt-x', type: 'SomethingNewer' })]);
      expect(folded.state.seq).toBe(b.entries.length);
    });

    it('orders the ledger by recordedAt, then store, then global position', () => {
      const b = new LedgerBuilder().organisation('2024-01-01', 'o', 'CN').dataCenter('2024-01-02', 'dc', 'o', 'CN').note('2024-01-02', 'dc', 'n');
      const [org, dc, note] = b.entries;
      expect([note, dc, org].sort(ledgerOrder).map((e) => e.eventId)).toEqual([org.eventId, dc.eventId, note.eventId]);
    });
  });
});

describe('as-of the fleet', () => {
  it('pages nothing itself but totals chips by class and origin and open findings by rule and severity, within what the caller may see', () => {
    const b = gansu()
      .organisation('2024-01-01', 'sg-co', 'SG')
      .dataCenter('2024-01-02', 'dc-sg', 'sg-co', 'SG')
      .deliver('2024-03-01', 'dc-sg', M.h100Sxm, 100);
    const when = { occurredAt: at('2025-12-01'), knownAt: NOW };
    const fleet = fleetAsOf(foldLedger(b.entries, when), RULEBOOK_V1, when);
    expect(fleet.dataCenters.map((d) => d.dataCenterId)).toEqual(['dc-gansu', 'dc-sg']);
    expect(fleet.totals.chips.byOrigin).toEqual({ foreign: 612 });
    expect(fleet.totals.chips.byClass).toEqual({ 'not-controlled': 512, '3A090.a': 100 });
    // The 100 H100 in Singapore were delivered, never installed: on site, not in the installed groups.
    expect(fleet.totals.installed.byClass).toEqual({ 'not-controlled': 512 });
    expect(fleet.dataCenters.map((d) => d.installed.byOrigin)).toEqual([{ foreign: 512 }, {}]);
    expect(fleet.totals.openFindings.byRule['CN-STATE-FUNDED-DOMESTIC']).toEqual({ breach: 1 });
    const own = fleetAsOf(foldLedger(b.entries, when), RULEBOOK_V1, when, (owner) => owner === 'sg-co');
    expect(own.dataCenters.map((d) => d.dataCenterId)).toEqual(['dc-sg']);
    expect(own.totals.openFindings.total).toBe(0);
  });
});
