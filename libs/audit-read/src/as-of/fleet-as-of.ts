import { ComplianceView, type Finding, type Rulebook } from '@chip-ledger/compliance';
import type { Instant } from '@chip-ledger/domain';
import {
  chipMixAt,
  dataCenterFactsAt,
  domesticDefinitionOf,
  findingsAt,
  groupChips,
  installedOnly,
  rentalsAt,
  totalsOf,
  type ChipGroups,
  type ChipTotals,
  type DataCenterFactsAsOf,
} from './data-center-as-of';
import type { FoldedLedger, UnfoldedEvent } from './fold';
import { rulesInForceAt, type RuleAt } from './rules-at';

/** One data center of the fleet at the instant: its facts, chip totals and open findings by severity. */
export interface FleetDataCenterAsOf {
  readonly dataCenterId: string;
  readonly dataCenter: DataCenterFactsAsOf;
  readonly totals: ChipTotals;
  /** On site (installed and in stock). */
  readonly chips: ChipGroups;
  /** Installed only: the dashboard's domestic share and fleet mix count these, as the read models do. */
  readonly installed: ChipGroups;
  readonly openFindings: { readonly total: number; readonly bySeverity: Record<string, number>; readonly byRule: Record<string, number> };
}

export interface FleetTotals {
  readonly dataCenters: number;
  readonly chips: ChipTotals & ChipGroups;
  /** Installed chips by origin, class and vendor. */
  readonly installed: ChipGroups;
  /** Open findings by rule, then severity: `{ 'US-3A090-LICENCE': { breach: 3 } }`. */
  readonly openFindings: { readonly total: number; readonly byRule: Record<string, Record<string, number>>; readonly bySeverity: Record<string, number> };
}

export interface FleetAsOf {
  readonly occurredAt: Instant;
  readonly knownAt: Instant;
  /** Every visible data center, ordered by id (the caller pages it). */
  readonly dataCenters: readonly FleetDataCenterAsOf[];
  readonly totals: FleetTotals;
  readonly rulesInForce: readonly RuleAt[];
  readonly eventsFolded: number;
  readonly unfoldedEvents: readonly UnfoldedEvent[];
}

const inc = (into: Record<string, number>, key: string, n = 1): void => {
  into[key] = (into[key] ?? 0) + n;
};

/**
 * The whole fleet at `occurredAt` as the ledger knew it at `knownAt`: every registered data center's chips and open
 * findings, and totals over them. `visible` limits it to the data centers a caller may see (totals included).
 * Compliance is evaluated once for the fleet, with the same function the projector calls.
 */
export const fleetAsOf = (
  folded: FoldedLedger,
  rulebook: Rulebook,
  at: { occurredAt: Instant; knownAt: Instant },
  visible: (ownerOrganisationId: string) => boolean = () => true,
): FleetAsOf => {
  const view = new ComplianceView(folded.state, Date.parse(at.occurredAt));
  const domestic = domesticDefinitionOf(rulebook);
  const findingsByDc = new Map<string, Finding[]>();
  for (const f of findingsAt(folded.state, rulebook, at.occurredAt)) {
    const list = findingsByDc.get(f.dataCenterId) ?? [];
    list.push(f);
    findingsByDc.set(f.dataCenterId, list);
  }
  const sums = { installed: 0, inStock: 0, onOrder: 0, rentedOut: 0 };
  const groups: ChipGroups = { byOrigin: {}, byClass: {}, byVendor: {} };
  const installed: ChipGroups = { byOrigin: {}, byClass: {}, byVendor: {} };
  const openFindings = { total: 0, byRule: {} as Record<string, Record<string, number>>, bySeverity: {} as Record<string, number> };
  const dataCenters: FleetDataCenterAsOf[] = [];
  for (const dataCenterId of view.dataCenterIds()) {
    const facts = dataCenterFactsAt(view, dataCenterId);
    if (facts === null || !visible(facts.ownerOrganisationId)) continue;
    const lines = chipMixAt(view, dataCenterId, domestic, rentalsAt(view, dataCenterId));
    const totals = totalsOf(lines);
    groupChips(lines, groups);
    groupChips(lines, installed, installedOnly);
    sums.installed += totals.installed;
    sums.inStock += totals.inStock;
    sums.onOrder += totals.onOrder;
    sums.rentedOut += totals.rentedOut;
    const own = { total: 0, bySeverity: {} as Record<string, number>, byRule: {} as Record<string, number> };
    for (const f of findingsByDc.get(dataCenterId) ?? []) {
      own.total++;
      inc(own.bySeverity, f.severity);
      inc(own.byRule, f.ruleId);
      openFindings.total++;
      inc(openFindings.bySeverity, f.severity);
      inc((openFindings.byRule[f.ruleId] ??= {}), f.severity);
    }
    dataCenters.push({ dataCenterId, dataCenter: facts, totals, chips: groupChips(lines), installed: groupChips(lines, undefined, installedOnly), openFindings: own });
  }
  return {
    occurredAt: at.occurredAt,
    knownAt: at.knownAt,
    dataCenters,
    totals: { dataCenters: dataCenters.length, chips: { ...sums, ...groups }, installed, openFindings },
    rulesInForce: rulesInForceAt(rulebook, at.occurredAt),
    eventsFolded: folded.state.seq,
    unfoldedEvents: folded.unfolded,
  };
};
