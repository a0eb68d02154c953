import { EVALUATION_PARTS, type EvaluationPart } from '../evaluation/evaluate';
import type { Rulebook } from '../rulebook/rules';
import type { ComplianceState, DataCenterRecord, Fact, LedgerEnvelope, Movement } from '../state/compliance-state';
import { chronological } from '../state/compliance-view';

const DAY_MS = 86_400_000;

/**
 * What a judgement at one instant must look at: parts of the rulebook, and within the per-model parts (`cn`, `prc`)
 * and the `rentals` part, which models and rentals. `null` means all.
 */
export interface JudgementScope {
  readonly parts: Set<EvaluationPart>;
  modelIds: Set<string> | null;
  rentalIds: Set<string> | null;
}

export interface PlannedJudgement extends JudgementScope {
  readonly at: number;
}

/** Every part, every model, every rental: what a fact whose effects cannot be bounded asks for. */
export const everything = (): JudgementScope => ({ parts: new Set(EVALUATION_PARTS), modelIds: null, rentalIds: null });

/**
 * The instants in `(after, through]` at which a data center's findings can change, each with what can change there:
 * the findings timeline judges the data center at these instants only, and between two of them nothing a judgement
 * would see changes (what the property tests check against a judgement at every instant). For each instant:
 * - facts about the data center itself: its registration (everything); progress, funding and case reviews (`cn`);
 *   order lines (`cn` for their models); a rental's facts and its period's ends (`rentals` for that rental);
 * - a chip movement only where a standing count crosses zero (the running `onSite`, `onSite + on order` for
 *   CN-STATE-FUNDED-DOMESTIC, `installed − removed` for US-PRC-3A090-USE): a movement's own verdicts (`acts`) hold
 *   from the movement on, so the next judgement finds them and dates them by the movement (`Finding.occurredAt`);
 * - what verdicts read besides the data center's own facts: its owner's, its orders' buyers' and its tenants'
 *   registrations and listings, the catalog entries of its models, the other ends of its transfers, the licences its
 *   movements cite (issue: everything; amendments and status: `balance`, `remittance`; remittances: `remittance`),
 *   and other data centers' uses of those licences before its own last use (`balance`);
 * - time: rules starting or ending and their milestones (everything), revenue-share windows closing (`remittance`).
 * Facts dated after `through` (in the future) are left for a later judgement.
 */
export function judgementPlan(state: ComplianceState, rulebook: Rulebook, dataCenterId: string, after: number, through: number): PlannedJudgement[] {
  const store = state.store;
  const dc = store.dataCenters.get(dataCenterId);
  const plan = new Map<number, JudgementScope>();
  const add = (at: number, parts: readonly EvaluationPart[], model: string | null = null, rental: string | null = null): void => {
    if (!(at > after && at <= through)) return;
    let scope = plan.get(at);
    if (scope === undefined) plan.set(at, (scope = { parts: new Set(), modelIds: new Set(), rentalIds: new Set() }));
    for (const p of parts) scope.parts.add(p);
    if (model === null) scope.modelIds = null;
    else scope.modelIds?.add(model);
    if (rental === null) scope.rentalIds = null;
    else scope.rentalIds?.add(rental);
  };
  const all = (at: number): void => add(at, EVALUATION_PARTS);
  // The state is usually its store's newest: every fact of it is visible, no list needs filtering.
  const visible: <T extends Fact>(xs: readonly T[]) => readonly T[] = state.seq === store.head ? (xs) => xs : (xs) => xs.filter((x) => x.seq <= state.seq);

  for (const rule of rulebook) {
    if (rule.inForce.from !== null) all(Date.parse(rule.inForce.from));
    if (rule.inForce.to !== null) all(Date.parse(rule.inForce.to));
    for (const m of rule.milestones) all(Date.parse(m.at));
  }
  if (dc === undefined) return sorted(plan);

  const owners = new Set<string>();
  for (const r of visible(dc.registrations)) {
    all(r.at);
    owners.add(r.ownerOrganisationId);
  }
  const cn = rulebook.find((r) => r.id === 'CN-STATE-FUNDED-DOMESTIC');
  const cnApplies = cn?.id === 'CN-STATE-FUNDED-DOMESTIC' && visible(dc.registrations).some((r) => cn.parameters.appliesInCountries.includes(r.country));
  if (cnApplies && cn?.id === 'CN-STATE-FUNDED-DOMESTIC') {
    // The rule reads the completion reported on its reference date (or, when none was by then, the first report), the
    // first funding report and the latest review: a progress report after the reference date changes nothing unless
    // it is the first, nor does a second funding report. (The reference is the later of the rule's date and the data
    // center's registration; the last registration bounds it.)
    const reference = Math.max(Date.parse(cn.parameters.completionReferenceDate), ...visible(dc.registrations).map((r) => r.at));
    for (const x of visible(dc.progress)) if (x.at <= reference) add(x.at, ['cn']);
    for (const at of [earliest(visible(dc.progress)), earliest(visible(dc.funding))]) if (at !== null) add(at, ['cn']);
    for (const x of visible(dc.reviews)) add(x.at, ['cn']);
  }

  const buyers = new Set<string>();
  const models = new Set<string>();
  for (const l of visible(dc.orderLines)) {
    if (cnApplies) add(l.at, ['cn'], l.modelId);
    models.add(l.modelId);
    for (const placed of visible(store.purchaseOrders.get(l.purchaseOrderId)?.placed ?? [])) buyers.add(placed.buyerOrganisationId);
  }

  const prc = rulebook.find((r) => r.id === 'US-PRC-3A090-USE');
  const prcModels = new Set(prc?.id === 'US-PRC-3A090-USE' ? prc.parameters.modelIds : []);
  const h20 = rulebook.find((r) => r.id === 'US-H20-IS-INFORMED');
  const window = h20?.id === 'US-H20-IS-INFORMED' ? h20.parameters.remittanceWindowDays * DAY_MS : null;
  const licences = new Map<string, number>();
  const otherDataCenters = new Set<string>();
  for (const [modelId, moves] of dc.stock) {
    models.add(modelId);
    const ordered = inTimeOrder(visible(moves));
    for (const m of ordered) {
      if (m.otherDataCenterId !== null) otherDataCenters.add(m.otherDataCenterId);
      if (m.purchaseOrderId !== null) for (const placed of visible(store.purchaseOrders.get(m.purchaseOrderId)?.placed ?? [])) buyers.add(placed.buyerOrganisationId);
      if (m.licenceId !== null && (m.kind === 'delivered' || m.kind === 'transferred-in')) {
        licences.set(m.licenceId, Math.max(licences.get(m.licenceId) ?? Number.NEGATIVE_INFINITY, m.at));
        if (window !== null) add(m.at + window, ['remittance']);
      }
    }
    if (prcModels.has(modelId)) for (const at of zeroCrossings(ordered, installedDelta)) add(at, ['prc'], modelId);
    if (cnApplies) for (const at of cnHoldingsCrossings(state, dc, modelId, ordered, cn?.inForce.from ?? null)) add(at, ['cn'], modelId);
  }

  const tenants = new Set<string>();
  for (const { rentalId } of visible(dc.rentals)) {
    const r = store.rentals.get(rentalId);
    if (!r) continue;
    for (const s of visible(r.started)) {
      add(s.at, RENTALS, null, rentalId);
      add(s.periodStart, RENTALS, null, rentalId);
      add(s.periodEnd, RENTALS, null, rentalId);
      tenants.add(s.tenantOrganisationId);
      models.add(s.modelId);
    }
    for (const x of visible(r.extensions)) {
      add(x.at, RENTALS, null, rentalId);
      add(x.newPeriodEnd, RENTALS, null, rentalId);
    }
    for (const x of visible(r.ended)) add(x.at, RENTALS, null, rentalId);
  }

  const organisationFacts = (organisationId: string): Fact[] => {
    const org = store.organisations.get(organisationId);
    return org ? [...visible(org.registrations), ...visible(org.listings)] : [];
  };
  for (const o of owners) for (const x of organisationFacts(o)) all(x.at);
  for (const o of buyers) for (const x of organisationFacts(o)) add(x.at, ['acts']);
  for (const o of tenants) for (const x of organisationFacts(o)) add(x.at, ['rentals']);
  for (const other of otherDataCenters) for (const r of visible(store.dataCenters.get(other)?.registrations ?? [])) add(r.at, ['acts']);
  for (const modelId of models) {
    const rec = store.models.get(modelId);
    if (rec) for (const x of [...visible(rec.added), ...visible(rec.corrections)]) all(x.at);
  }
  for (const [licenceId, lastUse] of licences) {
    const rec = store.licences.get(licenceId);
    if (!rec) continue;
    for (const x of visible(rec.issued)) all(x.at);
    for (const x of [...visible(rec.amendments), ...visible(rec.status)]) add(x.at, ['balance', 'remittance']);
    for (const x of visible(rec.remittances)) add(x.at, ['remittance']);
    // Another data center's use draws on the balance this one's later uses see.
    for (const u of visible(rec.uses)) if (u.dataCenterId !== dataCenterId && u.at <= lastUse) add(u.at, ['balance']);
  }
  return sorted(plan);
}

/**
 * The data centers whose findings an event can change, and from which instant: the facts `judgementPlan` reads,
 * seen from the other side. A fact folded after its data centers were judged past its instant (it arrived late)
 * makes them judged again from there (`FindingsTimeline`), so this must name every data center the plan would have
 * looked at it for. Call it with the state that already holds the event.
 */
export function affectedDataCenters(state: ComplianceState, e: LedgerEnvelope): string[] {
  const store = state.store;
  const out = new Set<string>();
  // Owned, bought for, or rented from: the data centers that read the organisation's registrations and listings.
  const byOrganisation = (organisationId: string): void => {
    for (const id of store.dataCentersByOrganisation.get(organisationId) ?? []) out.add(id);
  };
  const byLicence = (licenceId: string): void => {
    for (const u of store.licences.get(licenceId)?.uses ?? []) out.add(u.dataCenterId);
  };
  switch (e.type) {
    case 'OrganisationRegistered':
    case 'RestrictedPartyListed':
    case 'RestrictedPartyDelisted':
      byOrganisation(e.data.organisationId);
      break;
    case 'ChipModelAdded':
    case 'ChipModelCorrected': {
      const modelId = e.type === 'ChipModelAdded' ? e.data.model.modelId : e.data.modelId;
      for (const [id, rec] of store.dataCenters) if (rec.stock.has(modelId) || rec.orderLines.some((l) => l.modelId === modelId)) out.add(id);
      for (const r of store.rentals.values()) for (const s of r.started) if (s.modelId === modelId) out.add(s.providerDataCenterId);
      break;
    }
    case 'DataCenterRegistered': {
      out.add(e.data.dataCenterId);
      // the other ends of its transfers judge whether a move was internal by its owner
      for (const [id, rec] of store.dataCenters) for (const moves of rec.stock.values()) if (moves.some((m) => m.otherDataCenterId === e.data.dataCenterId)) out.add(id);
      break;
    }
    case 'PurchaseOrderPlaced':
    case 'PurchaseOrderCancelled':
      out.add(e.data.dataCenterId);
      break;
    case 'ChipsDelivered':
    case 'ChipsInstalled':
    case 'ChipsRemoved':
      out.add(e.data.dataCenterId);
      if (e.type === 'ChipsDelivered' && e.data.licenceId !== null) byLicence(e.data.licenceId);
      break;
    case 'ChipsTransferredOut':
      out.add(e.data.dataCenterId).add(e.data.toDataCenterId);
      break;
    case 'ChipsTransferredIn':
      out.add(e.data.dataCenterId).add(e.data.fromDataCenterId);
      if (e.data.licenceId !== null) byLicence(e.data.licenceId);
      break;
    case 'RentalStarted':
      out.add(e.data.providerDataCenterId);
      break;
    case 'RentalExtended':
    case 'RentalEnded':
      for (const s of store.rentals.get(e.data.rentalId)?.started ?? []) out.add(s.providerDataCenterId);
      break;
    case 'ExportLicenceIssued':
    case 'ExportLicenceAmended':
    case 'ExportLicenceSuspended':
    case 'ExportLicenceReinstated':
    case 'ExportLicenceRevoked':
    case 'RevenueShareRemitted':
      byLicence(e.data.licenceId);
      break;
    case 'ConstructionProgressReported':
    case 'StateFundingReported':
    case 'CaseReviewDecided':
    case 'FindingAcknowledged':
      out.add(e.data.dataCenterId);
      break;
    case 'AuditOpened':
    case 'AuditClosed':
    case 'AuditNoteRecorded':
      break;
    default: {
      const _unhandled: never = e;
      break;
    }
  }
  return [...out];
}

/** The next instant after `after` at which time alone (or a fact dated in the future) asks to judge the data center. */
export function nextJudgement(state: ComplianceState, rulebook: Rulebook, dataCenterId: string, after: number): number | null {
  const plan = judgementPlan(state, rulebook, dataCenterId, after, Number.POSITIVE_INFINITY);
  return plan.length > 0 ? plan[0].at : null;
}

const RENTALS: readonly EvaluationPart[] = ['rentals'];

/** When the first of the facts occurred; null when there are none. */
const earliest = (xs: readonly Fact[]): number | null => {
  let first: number | null = null;
  for (const x of xs) if (first === null || x.at < first) first = x.at;
  return first;
};

/** The list itself when it is already in time order (the usual case), else a sorted copy. */
const inTimeOrder = <T extends Fact>(xs: readonly T[]): readonly T[] => {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1].at > xs[i].at) return chronological(xs);
  return xs;
};

const sorted = (plan: Map<number, JudgementScope>): PlannedJudgement[] => [...plan].sort(([a], [b]) => a - b).map(([at, scope]) => ({ at, ...scope }));

/** Instants at which the running sum of `delta` over the movements (in time order) moves onto or off zero. */
function zeroCrossings(moves: readonly Movement[], delta: (m: Movement) => number): number[] {
  const out: number[] = [];
  let value = 0;
  for (let i = 0; i < moves.length; ) {
    const at = moves[i].at;
    const before = value;
    for (; i < moves.length && moves[i].at === at; i++) value += delta(moves[i]);
    if ((before > 0) !== (value > 0)) out.push(at);
  }
  return out;
}

const installedDelta = (m: Movement): number => (m.kind === 'installed' ? m.quantity : m.kind === 'removed' ? -m.quantity : 0);

/** Chips physically at the site: arrived (delivered or transferred in) less those that left (see `ComplianceView.stock`). */
const onSiteDelta = (m: Movement): number =>
  m.kind === 'delivered' || m.kind === 'transferred-in' ? m.quantity : m.kind === 'transferred-out' || (m.kind === 'removed' && m.removalReason !== 'transferred') ? -m.quantity : 0;

/**
 * Where CN-STATE-FUNDED-DOMESTIC's holdings of one model can appear or vanish: the chips on site (`onSite`), and on site
 * plus still on order under purchase orders placed before the rule (what early projects must remove or cancel), each
 * moving onto or off zero. Orders placed under the rule are judged at their own lines (the plan adds them).
 */
function cnHoldingsCrossings(state: ComplianceState, dc: DataCenterRecord, modelId: string, moves: readonly Movement[], ruleFrom: string | null): number[] {
  const from = ruleFrom === null ? Number.NEGATIVE_INFINITY : Date.parse(ruleFrom);
  const lines = inTimeOrder(dc.orderLines.filter((l) => l.seq <= state.seq && l.modelId === modelId));
  const placedAt = new Map<string, number>();
  for (const l of lines) if (l.kind === 'placed') placedAt.set(l.purchaseOrderId, Math.min(placedAt.get(l.purchaseOrderId) ?? Number.POSITIVE_INFINITY, l.at));
  type Step = { at: number; onSite: number; order: { po: string; ordered: number; delivered: number } | null };
  const steps: Step[] = [];
  for (const m of moves) {
    const po = m.kind === 'delivered' ? m.purchaseOrderId : null;
    steps.push({ at: m.at, onSite: onSiteDelta(m), order: po !== null && (placedAt.get(po) ?? Number.POSITIVE_INFINITY) < from ? { po, ordered: 0, delivered: m.quantity } : null });
  }
  for (const l of lines) {
    if ((placedAt.get(l.purchaseOrderId) ?? Number.POSITIVE_INFINITY) >= from) continue;
    steps.push({ at: l.at, onSite: 0, order: { po: l.purchaseOrderId, ordered: l.kind === 'placed' ? l.quantity : -l.quantity, delivered: 0 } });
  }
  steps.sort((a, b) => a.at - b.at);
  const orders = new Map<string, { ordered: number; delivered: number }>();
  const open = (o: { ordered: number; delivered: number }): number => Math.max(0, o.ordered - o.delivered);
  let onSite = 0;
  let onOrder = 0;
  const out: number[] = [];
  for (let i = 0; i < steps.length; ) {
    const at = steps[i].at;
    const before = [onSite > 0, onSite + onOrder > 0];
    for (; i < steps.length && steps[i].at === at; i++) {
      const s = steps[i];
      onSite += s.onSite;
      if (s.order) {
        const o = orders.get(s.order.po) ?? { ordered: 0, delivered: 0 };
        onOrder -= open(o);
        o.ordered += s.order.ordered;
        o.delivered += s.order.delivered;
        onOrder += open(o);
        orders.set(s.order.po, o);
      }
    }
    if (before[0] !== onSite > 0 || before[1] !== onSite + onOrder > 0) out.push(at);
  }
  return out;
}
