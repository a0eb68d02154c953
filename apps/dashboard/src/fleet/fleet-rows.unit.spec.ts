import type { DataCenter, Finding, FleetAsOf, Severity } from '../api/types';
import { filterFleet, fleetRows, fleetRowsAsOf, fleetTotals, fleetTotalsAsOf, NO_FLEET_FILTER, sortFleet } from './fleet-rows';

const dataCenter = (id: string, o: Partial<DataCenter> & { installed?: number; domestic?: number; rented?: number } = {}): DataCenter => ({
  dataCenterId: id,
  name: o.name ?? id,
  ownerOrganisationId: 'org',
  ownerName: o.ownerName ?? 'Org',
  country: o.country ?? 'CN',
  region: o.region ?? null,
  registeredAt: '2025-01-01T00:00:00.000Z',
  stateFunded: o.stateFunded ?? false,
  stateFundedAt: null,
  completionPercent: o.completionPercent ?? null,
  completionReportedAt: null,
  totals: { installed: o.installed ?? 0, inStock: 0, onOrder: 0, rentedOut: o.rented ?? 0, domesticInstalled: o.domestic ?? 0, foreignInstalled: (o.installed ?? 0) - (o.domestic ?? 0) },
});
const finding = (dataCenterId: string, severity: Severity, status: 'open' | 'closed' = 'open'): Finding =>
  ({ id: `${dataCenterId}-${severity}-${Math.random()}`, dataCenterId, severity, status }) as unknown as Finding;

describe('fleet rows', () => {
  const centers = [
    dataCenter('qingyang', { name: 'Qingyang', stateFunded: true, completionPercent: 20, installed: 512 }),
    dataCenter('lanzhou', { name: 'Lanzhou', stateFunded: true, completionPercent: 45, installed: 1024 }),
    dataCenter('hangzhou', { name: 'Hangzhou', installed: 1792, domestic: 1024, region: 'Zhejiang' }),
    dataCenter('jurong', { name: 'Jurong', country: 'SG', installed: 2048, rented: 1536 }),
    dataCenter('empty', { name: 'Empty site', country: 'MY' }),
  ];
  const findings = [finding('qingyang', 'breach'), finding('qingyang', 'breach'), finding('lanzhou', 'review'), finding('hangzhou', 'risk'), finding('jurong', 'breach', 'closed')];
  const rows = fleetRows(centers, findings);

  it('counts open findings by severity and computes the domestic share of installed chips', () => {
    const byId = Object.fromEntries(rows.map((r) => [r.dataCenterId, r]));
    expect(byId['qingyang'].findings).toEqual({ breach: 2, review: 0, risk: 0 });
    expect(byId['jurong'].findings).toEqual({ breach: 0, review: 0, risk: 0 });
    expect(byId['hangzhou'].domesticShare).toBeCloseTo(1024 / 1792);
    expect(byId['empty'].domesticShare).toBeNull();
  });

  it('sorts the worst sites first by findings, and keeps unknown completion last either way', () => {
    expect(sortFleet(rows, { key: 'findings', direction: 'descending' }).map((r) => r.dataCenterId)).toEqual(['qingyang', 'lanzhou', 'hangzhou', 'empty', 'jurong']);
    expect(sortFleet(rows, { key: 'completionPercent', direction: 'ascending' }).map((r) => r.dataCenterId).slice(0, 2)).toEqual(['qingyang', 'lanzhou']);
    const descending = sortFleet(rows, { key: 'completionPercent', direction: 'descending' }).map((r) => r.dataCenterId);
    expect(descending.slice(0, 2)).toEqual(['lanzhou', 'qingyang']);
    expect(descending.slice(2)).toEqual(['empty', 'hangzhou', 'jurong']);
  });

  it('filters by text (name, owner, region), country, funding and open findings', () => {
    const ids = (filter: Partial<typeof NO_FLEET_FILTER>) => filterFleet(rows, { ...NO_FLEET_FILTER, ...filter }).map((r) => r.dataCenterId);
    expect(ids({ text: 'zhej' })).toEqual(['hangzhou']);
    expect(ids({ country: 'SG' })).toEqual(['jurong']);
    expect(ids({ funding: 'state-funded' })).toEqual(['qingyang', 'lanzhou']);
    expect(ids({ funding: 'private', withFindings: true })).toEqual(['hangzhou']);
  });

  it('totals the fleet', () => {
    expect(fleetTotals(centers, findings)).toEqual({ dataCenters: 5, installed: 5376, rentedOut: 1536, domesticShare: 1024 / 5376, findings: { breach: 2, review: 1, risk: 1 } });
    expect(fleetTotals([], []).domesticShare).toBeNull();
  });
});

describe('fleet rows as of a past day', () => {
  const facts = { ownerOrganisationId: 'hz-ai', country: 'CN', region: '', registeredAt: '2022-01-01T00:00:00.000Z', stateFunded: false, stateFundedAt: null, completionPercent: null, completionReportedAt: null };
  const asOf: FleetAsOf = {
    occurredAt: '2025-12-31T23:59:59.999Z',
    knownAt: '2026-12-05T00:00:00.000Z',
    dataCenters: [
      {
        dataCenterId: 'hangzhou',
        dataCenter: { ...facts, name: 'Hangzhou' },
        // 1,024 Ascend in stock are on site but not installed: the domestic share counts installed chips only.
        totals: { installed: 768, inStock: 1024, onOrder: 0, rentedOut: 0 },
        installed: { byOrigin: { foreign: 768 }, byClass: { '3A090.a': 768 }, byVendor: { Nvidia: 768 } },
        openFindings: { total: 1, bySeverity: { risk: 1 } },
      },
      {
        dataCenterId: 'shenzhen',
        dataCenter: { ...facts, name: 'Shenzhen' },
        totals: { installed: 256, inStock: 0, onOrder: 0, rentedOut: 0 },
        installed: { byOrigin: { domestic: 256 }, byClass: {}, byVendor: { Huawei: 256 } },
        openFindings: { total: 0, bySeverity: {} },
      },
    ],
    installed: { byOrigin: { foreign: 768, domestic: 256 }, byClass: {}, byVendor: {} },
    openFindings: { total: 1, bySeverity: { risk: 1 } },
  };

  it('has the live columns, the domestic share of installed chips, and zero for severities not found', () => {
    const [hangzhou, shenzhen] = fleetRowsAsOf(asOf);
    expect(hangzhou).toMatchObject({ name: 'Hangzhou', owner: 'hz-ai', region: null, installed: 768, domesticShare: 0, findings: { breach: 0, review: 0, risk: 1 } });
    expect(shenzhen.domesticShare).toBe(1);
    expect(fleetTotalsAsOf(asOf)).toEqual({ dataCenters: 2, installed: 1024, rentedOut: 0, domesticShare: 0.25, findings: { breach: 0, review: 0, risk: 1 } });
  });
});
