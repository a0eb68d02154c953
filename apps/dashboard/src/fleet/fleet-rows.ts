import type { DataCenter, Finding, FleetAsOf, Severity } from '../api/types';

/** One line of the fleet table: a data center with what the table shows and sorts on. */
export interface FleetRow {
  readonly dataCenterId: string;
  readonly name: string;
  readonly country: string | null;
  readonly region: string | null;
  readonly owner: string;
  readonly stateFunded: boolean;
  readonly stateFundedAt: string | null;
  readonly completionPercent: number | null;
  readonly installed: number;
  readonly inStock: number;
  readonly rentedOut: number;
  /** Domestic share of installed chips, 0..1; null with nothing installed. */
  readonly domesticShare: number | null;
  readonly findings: Readonly<Record<Severity, number>>;
}

export type SeverityCounts = Record<Severity, number>;
const noFindings = (): SeverityCounts => ({ breach: 0, review: 0, risk: 0 });

/** Open findings per data center and severity. */
export function countOpenFindings(findings: readonly Finding[]): Map<string, SeverityCounts> {
  const counts = new Map<string, SeverityCounts>();
  for (const f of findings) {
    if (f.status !== 'open') continue;
    const c = counts.get(f.dataCenterId) ?? noFindings();
    c[f.severity] += 1;
    counts.set(f.dataCenterId, c);
  }
  return counts;
}

export function fleetRows(dataCenters: readonly DataCenter[], openFindings: readonly Finding[]): FleetRow[] {
  const counts = countOpenFindings(openFindings);
  return dataCenters.map((d) => ({
    dataCenterId: d.dataCenterId,
    name: d.name ?? d.dataCenterId,
    country: d.country,
    region: d.region,
    owner: d.ownerName ?? d.ownerOrganisationId ?? '—',
    stateFunded: d.stateFunded,
    stateFundedAt: d.stateFundedAt,
    completionPercent: d.completionPercent,
    installed: d.totals.installed,
    inStock: d.totals.inStock,
    rentedOut: d.totals.rentedOut,
    domesticShare: d.totals.installed > 0 ? d.totals.domesticInstalled / d.totals.installed : null,
    findings: counts.get(d.dataCenterId) ?? noFindings(),
  }));
}

export interface FleetFilter {
  /** Matched against name, id, owner and region, case-insensitively. */
  readonly text: string;
  readonly country: string | null;
  readonly funding: 'any' | 'state-funded' | 'private';
  readonly withFindings: boolean;
}

export const NO_FLEET_FILTER: FleetFilter = { text: '', country: null, funding: 'any', withFindings: false };

export function filterFleet(rows: readonly FleetRow[], filter: FleetFilter): FleetRow[] {
  const text = filter.text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (text === '' || [r.name, r.dataCenterId, r.owner, r.region ?? ''].some((v) => v.toLowerCase().includes(text))) &&
      (filter.country === null || r.country === filter.country) &&
      (filter.funding === 'any' || (filter.funding === 'state-funded') === r.stateFunded) &&
      (!filter.withFindings || r.findings.breach + r.findings.review + r.findings.risk > 0),
  );
}

export type FleetSortKey = 'name' | 'country' | 'owner' | 'stateFunded' | 'completionPercent' | 'installed' | 'rentedOut' | 'domesticShare' | 'findings';
export interface FleetSort {
  readonly key: FleetSortKey;
  readonly direction: 'ascending' | 'descending';
}

/** Findings sort by breaches, then reviews, then risks: the worst site first when descending. */
const findingsWeight = (r: FleetRow): number => r.findings.breach * 1e6 + r.findings.review * 1e3 + r.findings.risk;

const sortValue = (r: FleetRow, key: FleetSortKey): string | number | null => {
  switch (key) {
    case 'findings':
      return findingsWeight(r);
    case 'stateFunded':
      return r.stateFunded ? 1 : 0;
    default:
      return r[key];
  }
};

/** Stable; unknown values (no completion reported, nothing installed) always last. */
export function sortFleet(rows: readonly FleetRow[], sort: FleetSort): FleetRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [sortValue(a, sort.key), sortValue(b, sort.key)];
    if (x === y) return a.name.localeCompare(b.name);
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : x < y ? -1 : 1);
  });
}

export interface FleetTotals {
  readonly dataCenters: number;
  readonly installed: number;
  readonly rentedOut: number;
  readonly domesticShare: number | null;
  readonly findings: SeverityCounts;
}

export function fleetTotals(dataCenters: readonly DataCenter[], openFindings: readonly Finding[]): FleetTotals {
  const installed = dataCenters.reduce((n, d) => n + d.totals.installed, 0);
  const domestic = dataCenters.reduce((n, d) => n + d.totals.domesticInstalled, 0);
  const findings = noFindings();
  for (const f of openFindings) if (f.status === 'open') findings[f.severity] += 1;
  return {
    dataCenters: dataCenters.length,
    installed,
    rentedOut: dataCenters.reduce((n, d) => n + d.totals.rentedOut, 0),
    domesticShare: installed > 0 ? domestic / installed : null,
    findings,
  };
}

const severityCounts = (bySeverity: Readonly<Partial<Record<Severity, number>>>): SeverityCounts => ({
  breach: bySeverity.breach ?? 0,
  review: bySeverity.review ?? 0,
  risk: bySeverity.risk ?? 0,
});

/**
 * The fleet table's rows from the as-of answer: the same columns, counted the same way (installed chips for the
 * domestic share). The answer names owners by id only.
 */
export function fleetRowsAsOf(asOf: FleetAsOf): FleetRow[] {
  return asOf.dataCenters.map((d) => ({
    dataCenterId: d.dataCenterId,
    name: d.dataCenter.name,
    country: d.dataCenter.country,
    region: d.dataCenter.region || null,
    owner: d.dataCenter.ownerOrganisationId,
    stateFunded: d.dataCenter.stateFunded,
    stateFundedAt: d.dataCenter.stateFundedAt,
    completionPercent: d.dataCenter.completionPercent,
    installed: d.totals.installed,
    inStock: d.totals.inStock,
    rentedOut: d.totals.rentedOut,
    domesticShare: d.totals.installed > 0 ? (d.installed.byOrigin['domestic'] ?? 0) / d.totals.installed : null,
    findings: severityCounts(d.openFindings.bySeverity),
  }));
}

export function fleetTotalsAsOf(asOf: FleetAsOf): FleetTotals {
  const installed = asOf.dataCenters.reduce((n, d) => n + d.totals.installed, 0);
  return {
    dataCenters: asOf.dataCenters.length,
    installed,
    rentedOut: asOf.dataCenters.reduce((n, d) => n + d.totals.rentedOut, 0),
    domesticShare: installed > 0 ? (asOf.installed.byOrigin['domestic'] ?? 0) / installed : null,
    findings: severityCounts(asOf.openFindings.bySeverity),
  };
}
