import {
  classify3A090,
  meets3A090Test2022,
  meetsBandwidthLetterTest,
  totalProcessingPerformance,
  unknownFigures,
  type ChipModelSpec,
  type CountryCode,
  type Eccn3A090Class,
  type Eccn3A090Thresholds,
  type Instant,
} from '@chip-ledger/domain';
import {
  inForceAt,
  ruleById,
  type CnStateFundedDomesticRule,
  type MyStrategicTradePermitRule,
  type Rule,
  type Rulebook,
  type Severity,
  type Us3A090LicenceRule,
  type Us3A090_2022Rule,
  type UsEntityListRule,
  type UsH200CaseByCaseRule,
  type UsH20IsInformedRule,
  type UsIaasTrainingRule,
  type UsLicenceBalanceRule,
  type UsPrc3A090UseRule,
} from '../rulebook/rules';
import type { ComplianceState, FactStore, Movement, OrderLineFact } from '../state/compliance-state';
import { ComplianceView, chronological, type DataCenterInfo } from '../state/compliance-view';
import { findingIdOf, type Finding } from './finding';

/**
 * What an evaluation may be restricted to (`EvaluateOptions.parts`): the findings timeline judges a data center at
 * an instant only where a fact of that instant can change something (a movement of a Huawei model: `prc` for that
 * model), so it asks for those findings only.
 * - `acts`: per-movement verdicts (the licence requirements, US-ENTITY-LIST's deliveries and transfers, the Malaysian
 *   permit), which hold from the act on;
 * - `remittance`: US-H20-IS-INFORMED's revenue-share condition; `balance`: US-LICENCE-BALANCE;
 * - `cn`: CN-STATE-FUNDED-DOMESTIC (holdings and orders); `prc`: US-PRC-3A090-USE;
 * - `rentals`: US-IAAS-TRAINING and US-ENTITY-LIST's rentals.
 */
export type EvaluationPart = 'acts' | 'remittance' | 'balance' | 'cn' | 'prc' | 'rentals';
export const EVALUATION_PARTS: readonly EvaluationPart[] = ['acts', 'remittance', 'balance', 'cn', 'prc', 'rentals'];

/** Which part of an evaluation a finding comes from (see `EvaluationPart`). */
export const evaluationPartOf = (f: Pick<Finding, 'ruleId' | 'findingId'>): EvaluationPart => {
  switch (f.ruleId) {
    case 'CN-STATE-FUNDED-DOMESTIC':
      return 'cn';
    case 'US-PRC-3A090-USE':
      return 'prc';
    case 'US-IAAS-TRAINING':
      return 'rentals';
    case 'US-LICENCE-BALANCE':
      return 'balance';
    case 'US-H20-IS-INFORMED':
      return discriminatorOf(f.findingId).startsWith('remittance:') ? 'remittance' : 'acts';
    case 'US-ENTITY-LIST':
      return discriminatorOf(f.findingId).startsWith('rental:') ? 'rentals' : 'acts';
    default:
      return 'acts';
  }
};

/** The last part of `findingIdOf(rule, dc, model, discriminator)`: rule ids, data center and model ids hold no '/'. */
const discriminatorOf = (findingId: string): string => findingId.split('/').slice(3).join('/');

export interface EvaluateOptions {
  /** Only findings about this data center (and only its facts are scanned). */
  readonly dataCenterId?: string;
  /** Only these parts of the rulebook (default: all). */
  readonly parts?: ReadonlySet<EvaluationPart>;
  /** Only these chip models, for the parts judged per model (`cn`, `prc`); default: all. */
  readonly modelIds?: ReadonlySet<string>;
  /** Only these rentals, for the `rentals` part; default: all. */
  readonly rentalIds?: ReadonlySet<string>;
  /**
   * Keeps, across evaluations of one data center (`dataCenterId`), what the per-movement rules said of each
   * inbound movement, so that only movements not judged before are judged. Same findings as without it.
   */
  readonly cache?: EvaluationCache;
}

/** What the per-movement rules said of each judged movement of one data center, and what those verdicts read. */
interface MovementVerdicts {
  readonly store: FactStore;
  readonly rulebook: Rulebook;
  /** Which rules were in force at the evaluation instant. */
  readonly inForce: string;
  /** Version (`FactStore.versions`) of every fact key a cached verdict read, when it was read. */
  readonly deps: Map<string, number>;
  /** Per rule: the findings each judged movement gave (often none). */
  readonly byRule: Map<string, Map<Movement, readonly Finding[]>>;
}

/**
 * Verdicts of the per-movement rules (US-3A090-LICENCE, US-3A090-2022, US-H20-IS-INFORMED's licence requirement,
 * US-H200-CASE-BY-CASE, US-ENTITY-LIST's deliveries and transfers) per data center, kept across evaluations of
 * one growing state (the findings projection evaluates the data centers a batch touched after every batch).
 *
 * Such a verdict reads the movement itself (a fact never changes), when it occurred (rules in force then,
 * licences issued and listings by then) and a few other facts: the data center's and its owner's
 * registrations (and the owner's listings), the other end of a transfer, the cited licence's issue, the
 * purchase order's buyer (and its listings), the catalog and acknowledgements. A cached verdict is used only when:
 * - the state is the newest of the same fact store (the line has only grown since: `state.seq === store.head`);
 * - the evaluation instant is at or after every fact's occurredAt (`store.maxAt`), as it was when the verdicts
 *   were made, so every fact is visible to both and "as of" changes nothing but which rules are in force;
 * - the same rules are in force at the instant, the rulebook is the same object;
 * - none of the facts read has been appended to since (`FactStore.versions` of each key read).
 * Otherwise the data center's verdicts are dropped and it is judged in full, like any evaluation at an earlier
 * instant (ticks). Only new movements are judged, the others emit what they emitted, in the same order.
 */
export class EvaluationCache {
  /** @internal */
  readonly dataCenters = new Map<string, MovementVerdicts>();

  clear(): void {
    this.dataCenters.clear();
  }
}

const NO_FINDINGS: readonly Finding[] = [];

const wants = (ctx: { readonly parts: ReadonlySet<EvaluationPart> | null }, part: EvaluationPart): boolean => ctx.parts === null || ctx.parts.has(part);
const wantsModel = (ctx: { readonly modelIds: ReadonlySet<string> | null }, modelId: string): boolean => ctx.modelIds === null || ctx.modelIds.has(modelId);
/** A data center's rentals the evaluation looks at. */
const rentalsOf = (ctx: Ctx, dcId: string): readonly { readonly rentalId: string }[] => {
  if (!wants(ctx, 'rentals')) return [];
  const all = ctx.view.all(ctx.view.record(dcId)?.rentals ?? []);
  return ctx.rentalIds === null ? all : all.filter((r) => ctx.rentalIds?.has(r.rentalId));
};

const inForceKey = (rulebook: Rulebook, asOf: number): string => {
  let key = '';
  for (const rule of rulebook) key += inForceAt(rule, asOf) ? '1' : '0';
  return key;
};

/** The data center's verdicts if they can be used for this evaluation (fresh ones if not), or null when this evaluation must not use any. */
const verdictsFor = (cache: EvaluationCache, state: ComplianceState, rulebook: Rulebook, asOf: number, dataCenterId: string): MovementVerdicts | null => {
  const store = state.store;
  if (state.seq !== store.head || asOf < store.maxAt) return null;
  const inForce = inForceKey(rulebook, asOf);
  const known = cache.dataCenters.get(dataCenterId);
  if (known !== undefined && known.store === store && known.rulebook === rulebook && known.inForce === inForce) {
    let unchanged = true;
    for (const [key, version] of known.deps) {
      if ((store.versions.get(key) ?? 0) !== version) {
        unchanged = false;
        break;
      }
    }
    if (unchanged) return known;
  }
  const fresh: MovementVerdicts = { store, rulebook, inForce, deps: new Map(), byRule: new Map() };
  cache.dataCenters.set(dataCenterId, fresh);
  return fresh;
};

/** Records that a cached verdict read the facts under `key`. */
const dep = (verdicts: MovementVerdicts, key: string): void => {
  if (!verdicts.deps.has(key)) verdicts.deps.set(key, verdicts.store.versions.get(key) ?? 0);
};

const verdictsOf = (verdicts: MovementVerdicts | null, ruleId: string): Map<Movement, readonly Finding[]> | null => {
  if (verdicts === null) return null;
  let byMovement = verdicts.byRule.get(ruleId);
  if (byMovement === undefined) verdicts.byRule.set(ruleId, (byMovement = new Map()));
  return byMovement;
};

/** What a verdict on an inbound movement reads besides the data center and its owner. */
const movementDeps = (verdicts: MovementVerdicts, m: Movement): void => {
  if (m.otherDataCenterId !== null) dep(verdicts, `dc:${m.otherDataCenterId}`);
  if (m.licenceId !== null) dep(verdicts, `licence:${m.licenceId}`);
};

/** The facts every cached verdict on a data center's movements reads. */
const dataCenterDeps = (verdicts: MovementVerdicts, dc: DataCenterInfo): void => {
  dep(verdicts, `dc:${dc.dataCenterId}`);
  dep(verdicts, `org:${dc.ownerOrganisationId}`);
  dep(verdicts, 'catalog');
  dep(verdicts, 'acks');
};

const DAY_MS = 86_400_000;
const iso = (ms: number): Instant => new Date(ms).toISOString();
const date = (ms: number): string => iso(ms).slice(0, 10);
const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

interface Ctx {
  readonly view: ComplianceView;
  readonly rulebook: Rulebook;
  readonly dataCenterIds: readonly string[];
  readonly out: Finding[];
  readonly parts: ReadonlySet<EvaluationPart> | null;
  readonly modelIds: ReadonlySet<string> | null;
  readonly rentalIds: ReadonlySet<string> | null;
  /** The one data center's cached per-movement verdicts (`EvaluateOptions.cache`), or null. */
  readonly verdicts: MovementVerdicts | null;
}

const emit = (
  ctx: Ctx,
  rule: Rule,
  f: {
    dataCenterId: string;
    modelId: string | null;
    discriminator: string;
    severity: Severity;
    count: number;
    evidence: readonly string[];
    occurredAt: number | null;
    message: string;
    certainty?: Finding['certainty'];
  },
): void => {
  const findingId = findingIdOf(rule.id, f.dataCenterId, f.modelId, f.discriminator);
  const acks = ctx.view.state.store.acknowledgements.get(findingId) ?? [];
  ctx.out.push({
    findingId,
    ruleId: rule.id,
    severity: f.severity,
    certainty: f.certainty ?? rule.certainty,
    dataCenterId: f.dataCenterId,
    modelId: f.modelId,
    count: f.count,
    evidence: uniq(f.evidence),
    source: rule.source,
    inForce: rule.inForce,
    occurredAt: f.occurredAt === null ? null : iso(f.occurredAt),
    acknowledged: acks.some(ctx.view.visible),
    message: f.message,
  });
};

// ---- shared judgments ----------------------------------------------------------------------------------

const isControlled = (cls: Eccn3A090Class, classes: readonly string[]): boolean => classes.includes(cls);
const cannotClassifyText = (spec: ChipModelSpec | undefined, modelId: string): string =>
  spec === undefined ? `${modelId} is not in the catalog` : `${spec.name}'s ${unknownFigures(spec).join(', ') || 'figures'} unknown`;

/** Why a data center counts as a destination: its country, or its owner's (ultimate parent's) headquarters. */
const destinationReason = (
  view: ComplianceView,
  dc: DataCenterInfo,
  countries: readonly CountryCode[],
  headquarters: readonly CountryCode[] | null,
): { text: string; evidence: string[] } | null => {
  if (countries.includes(dc.country)) return { text: `a data center in ${dc.country}`, evidence: [dc.eventId] };
  if (headquarters === null) return null;
  const owner = view.organisation(dc.ownerOrganisationId);
  if (owner === undefined) return null;
  if (headquarters.includes(owner.headquartersCountry)) {
    return { text: `${dc.country} data center owned by ${owner.name} (headquartered in ${owner.headquartersCountry})`, evidence: [dc.eventId, owner.eventId] };
  }
  if (headquarters.includes(owner.ultimateParentHeadquartersCountry)) {
    return {
      text: `${dc.country} data center owned by ${owner.name}, whose ultimate parent is headquartered in ${owner.ultimateParentHeadquartersCountry}`,
      evidence: [dc.eventId, owner.eventId],
    };
  }
  return null;
};

/** Chips moving between two data centers of the same owner in the same country change no end user: no export. */
const isInternalMove = (view: ComplianceView, m: Movement, dc: DataCenterInfo): boolean => {
  if (m.kind !== 'transferred-in' || m.otherCountry !== dc.country || m.otherDataCenterId === null) return false;
  return view.dataCenter(m.otherDataCenterId)?.ownerOrganisationId === dc.ownerOrganisationId;
};

/**
 * Whether a movement cites a licence that existed when it occurred. The licence-requirement rules are satisfied
 * by that; whether the licence actually fits (balance, validity, model, consignee, destination, status) is
 * US-LICENCE-BALANCE's finding, so one defect yields one finding.
 */
const citesLicence = (view: ComplianceView, m: Movement): boolean => m.licenceId !== null && view.licenceIssuedBy(m.licenceId, m.at);

/** Visible deliveries and transfers-in of each model into the data center. */
const inbound = (view: ComplianceView, dataCenterId: string): readonly Movement[] =>
  view.memo(`inbound:${dataCenterId}`, () => {
    const out: Movement[] = [];
    for (const modelId of view.modelIds(dataCenterId)) {
      for (const m of view.movements(dataCenterId, modelId)) if (m.kind === 'delivered' || m.kind === 'transferred-in') out.push(m);
    }
    return out;
  });

const moveText = (m: Movement, dc: DataCenterInfo): string =>
  m.kind === 'delivered'
    ? `${m.quantity} delivered on ${date(m.at)} (delivery ${m.ref}) to ${dc.name}`
    : `${m.quantity} transferred in on ${date(m.at)} (transfer ${m.ref}) from ${m.otherDataCenterId} (${m.otherCountry}) to ${dc.name}`;

/** Classifications per thresholds object (each rule has its own) and model, once per view. */
const classifications = new WeakMap<ComplianceView, WeakMap<Eccn3A090Thresholds, Map<string, { spec: ChipModelSpec | undefined; cls: Eccn3A090Class | 'cannot-classify' }>>>();

const classified = (view: ComplianceView, modelId: string, thresholds: Eccn3A090Thresholds): { spec: ChipModelSpec | undefined; cls: Eccn3A090Class | 'cannot-classify' } => {
  let byThresholds = classifications.get(view);
  if (byThresholds === undefined) classifications.set(view, (byThresholds = new WeakMap()));
  let byModel = byThresholds.get(thresholds);
  if (byModel === undefined) byThresholds.set(thresholds, (byModel = new Map()));
  let answer = byModel.get(modelId);
  if (answer === undefined) {
    const spec = view.spec(modelId);
    answer = { spec, cls: spec === undefined ? ('cannot-classify' as const) : classify3A090(spec, thresholds) };
    byModel.set(modelId, answer);
  }
  return answer;
};

const h200Claims = (view: ComplianceView, rule: UsH200CaseByCaseRule | undefined, m: Movement, dc: DataCenterInfo): boolean => {
  if (rule === undefined || !inForceAt(rule, m.at) || !rule.parameters.destinationCountries.includes(dc.country)) return false;
  const { spec, cls } = classified(view, m.modelId, rule.parameters.thresholds);
  if (!spec?.usOrigin || !isControlled(cls, rule.parameters.classes)) return false;
  const tpp = totalProcessingPerformance(spec);
  const dram = spec.dramBandwidthGBs.value;
  return tpp !== null && dram !== null && tpp < rule.parameters.tppBelow && dram < rule.parameters.dramGBsBelow;
};

// ---- the rules -----------------------------------------------------------------------------------------

const cnStateFundedDomestic = (ctx: Ctx, rule: CnStateFundedDomesticRule): void => {
  const { view } = ctx;
  const p = rule.parameters;
  if (!wants(ctx, 'cn') || !inForceAt(rule, view.asOf)) return;
  const from = Date.parse(rule.inForce.from ?? p.completionReferenceDate);
  const isForeign = (spec: ChipModelSpec): boolean =>
    !(p.domestic.vendorHeadquartersIn.includes(spec.vendorHeadquarters) && (p.domestic.fabIn === null || (spec.fabCountry !== null && p.domestic.fabIn.includes(spec.fabCountry))));

  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    const rec = view.record(dcId);
    if (!dc || !rec || !p.appliesInCountries.includes(dc.country)) continue;
    const funding = view.all(rec.funding)[0];
    if (funding === undefined) continue;

    const reference = Math.max(Date.parse(p.completionReferenceDate), dc.registeredAt);
    // Completion on the reference date; when nothing was reported by then, the first report after it stands in.
    const progress = view.latest(rec.progress, reference) ?? view.all(rec.progress)[0];
    const early = progress !== undefined && progress.completionPercent < p.completionThresholdPercent;
    const decision = view.latest(rec.reviews.filter((r) => r.ruleId === rule.id));
    const baseEvidence = [dc.eventId, funding.eventId, ...(progress ? [progress.eventId] : [])];
    const completionText =
      progress === undefined
        ? 'completion on the reference date unknown'
        : `${progress.completionPercent}% complete on ${date(progress.at)}`;

    const orderLines = view.all(rec.orderLines);
    const orderedBefore = new Map<string, { quantity: number; evidence: string[] }>();
    // Order lines per model, then per purchase order (first appearance first), each in chronological order.
    const linesByModel = new Map<string, Map<string, { placed: OrderLineFact[]; cancelled: OrderLineFact[] }>>();
    for (const l of orderLines) {
      if (!wantsModel(ctx, l.modelId)) continue;
      let byPo = linesByModel.get(l.modelId);
      if (byPo === undefined) linesByModel.set(l.modelId, (byPo = new Map()));
      let po = byPo.get(l.purchaseOrderId);
      if (po === undefined) byPo.set(l.purchaseOrderId, (po = { placed: [], cancelled: [] }));
      (l.kind === 'placed' ? po.placed : po.cancelled).push(l);
    }
    for (const modelId of uniq([...view.modelIds(dcId), ...linesByModel.keys()]).sort()) {
      if (!wantsModel(ctx, modelId)) continue;
      const spec = view.spec(modelId);
      if (spec === undefined || !isForeign(spec)) continue;
      const stock = view.stock(dcId, modelId);
      const delivered = new Map<string, number>();
      for (const m of view.movements(dcId, modelId)) {
        if (m.kind === 'delivered' && m.purchaseOrderId !== null) delivered.set(m.purchaseOrderId, (delivered.get(m.purchaseOrderId) ?? 0) + m.quantity);
      }
      const deliveredUnder = (po: string): number => delivered.get(po) ?? 0;

      // Orders: those placed before the rule are "on order" holdings; those placed under it are breaches.
      orderedBefore.clear();
      for (const [po, { placed, cancelled }] of linesByModel.get(modelId) ?? []) {
        if (placed.length === 0) continue;
        const ordered = placed.reduce((n, l) => n + l.quantity, 0);
        const cancelledQty = cancelled.reduce((n, l) => n + l.quantity, 0);
        const evidence = [...placed, ...cancelled].map((l) => l.eventId);
        if (placed[0].at < from) {
          orderedBefore.set(po, { quantity: Math.max(0, ordered - cancelledQty - deliveredUnder(po)), evidence });
        } else if (ordered - cancelledQty > 0) {
          emit(ctx, rule, {
            dataCenterId: dcId,
            modelId,
            discriminator: `order:${po}`,
            severity: 'breach',
            count: ordered - cancelledQty,
            evidence: [...baseEvidence, ...evidence],
            occurredAt: placed[0].at,
            message: `Purchase order ${po} for ${ordered - cancelledQty} foreign ${spec.name} (${spec.vendor}, ${spec.vendorHeadquarters}) was placed on ${date(placed[0].at)} for state-funded ${dc.name}, after foreign chips were barred from state-funded data centers.`,
          });
        }
      }
      const onOrder = [...orderedBefore.values()].reduce((n, o) => n + o.quantity, 0);
      const orderEvidence = [...orderedBefore.values()].flatMap((o) => (o.quantity > 0 ? o.evidence : []));

      if (early) {
        const count = stock.onSite + onOrder;
        if (count > 0) {
          emit(ctx, rule, {
            dataCenterId: dcId,
            modelId,
            discriminator: 'holdings',
            severity: 'breach',
            count,
            evidence: [...baseEvidence, ...stock.evidence, ...orderEvidence],
            occurredAt: null,
            message: `State-funded ${dc.name} (${dc.country}) was ${completionText}, under the ${p.completionThresholdPercent}% line: its ${count} foreign ${spec.name} (${stock.installedNow} installed, ${stock.onSite - stock.installedNow} in stock, ${onOrder} on order) must be removed or cancelled.`,
          });
        }
        continue;
      }
      if (stock.onSite === 0 || decision?.decision === 'approved') continue;
      const refused = decision?.decision === 'refused';
      emit(ctx, rule, {
        dataCenterId: dcId,
        modelId,
        discriminator: 'holdings',
        severity: refused ? 'breach' : 'review',
        count: stock.onSite,
        evidence: [...baseEvidence, ...stock.evidence, ...(decision ? [decision.eventId] : [])],
        occurredAt: null,
        message: refused
          ? `The case-by-case review of state-funded ${dc.name} was refused on ${date(decision.at)}: its ${stock.onSite} foreign ${spec.name} must be removed.`
          : `State-funded ${dc.name} (${dc.country}) was ${completionText}: its ${stock.onSite} foreign ${spec.name} await a case-by-case review decision.`,
      });
    }
  }
};

/** The licence requirements share one shape: a controlled chip moved into a listed destination with no licence. */
const licenceRequirement = (
  ctx: Ctx,
  rule: Us3A090LicenceRule | Us3A090_2022Rule | UsH20IsInformedRule | UsH200CaseByCaseRule,
  judge: (m: Movement, dc: DataCenterInfo) => { severity: Severity; destination: { text: string; evidence: string[] }; why: string } | null,
): void => {
  const { view } = ctx;
  if (!wants(ctx, 'acts')) return;
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc) continue;
    const verdicts = ctx.verdicts;
    const known = verdictsOf(verdicts, rule.id);
    if (verdicts !== null) dataCenterDeps(verdicts, dc);
    for (const m of inbound(view, dcId)) {
      const cached = known?.get(m);
      if (cached !== undefined) {
        for (const f of cached) ctx.out.push(f);
        continue;
      }
      const from = ctx.out.length;
      requirementOf(ctx, rule, judge, m, dc);
      if (known !== null && verdicts !== null) {
        known.set(m, ctx.out.length === from ? NO_FINDINGS : ctx.out.slice(from));
        movementDeps(verdicts, m);
      }
    }
  }
};

const requirementOf = (
  ctx: Ctx,
  rule: Us3A090LicenceRule | Us3A090_2022Rule | UsH20IsInformedRule | UsH200CaseByCaseRule,
  judge: (m: Movement, dc: DataCenterInfo) => { severity: Severity; destination: { text: string; evidence: string[] }; why: string } | null,
  m: Movement,
  dc: DataCenterInfo,
): void => {
  const { view } = ctx;
  if (!inForceAt(rule, m.at) || isInternalMove(view, m, dc) || citesLicence(view, m)) return;
  const verdict = judge(m, dc);
  if (verdict === null) return;
  const name = view.spec(m.modelId)?.name ?? m.modelId;
  emit(ctx, rule, {
    dataCenterId: dc.dataCenterId,
    modelId: m.modelId,
    discriminator: m.ref ?? m.eventId,
    severity: verdict.severity,
    count: m.quantity,
    evidence: [...verdict.destination.evidence, m.eventId],
    occurredAt: m.at,
    message:
      verdict.severity === 'review'
        ? `${moveText(m, dc)}, ${verdict.destination.text}, with no licence: cannot classify ${name} (${verdict.why}); classify it to know whether a licence was required.`
        : `${moveText(m, dc)} of ${name}, ${verdict.destination.text}, with no licence: ${verdict.why}.`,
  });
};

const us3A090Licence = (ctx: Ctx, rule: Us3A090LicenceRule): void => {
  const p = rule.parameters;
  const h200 = ruleById(ctx.rulebook, 'US-H200-CASE-BY-CASE');
  licenceRequirement(ctx, rule, (m, dc) => {
    const { spec, cls } = classified(ctx.view, m.modelId, p.thresholds);
    if (spec !== undefined && !spec.usOrigin) return null;
    if (!isControlled(cls, p.classes) && cls !== 'cannot-classify') return null;
    const destination = destinationReason(ctx.view, dc, p.destinationCountries, p.ownerHeadquarterCountries);
    if (destination === null || h200Claims(ctx.view, h200, m, dc)) return null;
    return cls === 'cannot-classify'
      ? { severity: 'review', destination, why: cannotClassifyText(spec, m.modelId) }
      : { severity: 'breach', destination, why: `${cls} needs a licence under 88 FR 73458` };
  });
};

const us3A090_2022 = (ctx: Ctx, rule: Us3A090_2022Rule): void => {
  const p = rule.parameters;
  licenceRequirement(ctx, rule, (m, dc) => {
    const spec = ctx.view.spec(m.modelId);
    if (spec !== undefined && !spec.usOrigin) return null;
    const test = spec === undefined ? 'cannot-classify' : meets3A090Test2022(spec, p.test);
    const destination = destinationReason(ctx.view, dc, p.destinationCountries, null);
    if (test === false || destination === null) return null;
    return test === 'cannot-classify'
      ? { severity: 'review', destination, why: cannotClassifyText(spec, m.modelId) }
      : { severity: 'breach', destination, why: `TPP ≥ ${p.test.tppAtLeast} with chip-to-chip ≥ ${p.test.chipToChipGBsAtLeast} GB/s needed a licence under 87 FR 62186` };
  });
};

const usH20IsInformed = (ctx: Ctx, rule: UsH20IsInformedRule): void => {
  const { view } = ctx;
  const p = rule.parameters;
  licenceRequirement(ctx, rule, (m, dc) => {
    const { spec, cls } = classified(view, m.modelId, p.thresholds);
    if (spec === undefined || !spec.usOrigin || isControlled(cls, ['3A090.a', '3A090.b'])) return null;
    const destination = destinationReason(view, dc, p.destinationCountries, p.ownerHeadquarterCountries);
    if (destination === null) return null;
    if (p.namedModelIds.includes(m.modelId)) return { severity: 'breach', destination, why: `${spec.name} is named in the April-2025 "is informed" letters` };
    const letter = meetsBandwidthLetterTest(spec, p.bandwidth);
    if (letter === true) return { severity: 'breach', destination, why: 'its memory/interconnect bandwidth is over the April-2025 letter’s line' };
    if (letter === 'cannot-classify' && cls === 'not-controlled') return { severity: 'review', destination, why: cannotClassifyText(spec, m.modelId) };
    return null;
  });

  // The revenue-share condition: a finding that opens when time passes (90 days without a remittance).
  const window = p.remittanceWindowDays * DAY_MS;
  if (!wants(ctx, 'remittance')) return;
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc) continue;
    for (const m of inbound(view, dcId)) {
      if (m.licenceId === null || m.ref === null || !inForceAt(rule, m.at)) continue;
      const licence = view.licenceAt(m.licenceId, m.at);
      const share = licence?.terms.conditions.revenueSharePercent ?? null;
      if (!licence || share === null || share <= 0) continue;
      const deadline = m.at + window;
      if (view.asOf < deadline) continue;
      const remittances = view.all(view.state.store.licences.get(m.licenceId)?.remittances ?? []).filter((r) => r.deliveryIds.includes(m.ref as string));
      if (remittances.some((r) => r.at <= deadline)) continue;
      const late = remittances[0];
      emit(ctx, rule, {
        dataCenterId: dcId,
        modelId: m.modelId,
        discriminator: `remittance:${m.ref}`,
        severity: 'breach',
        certainty: 'licence-condition',
        count: m.quantity,
        evidence: [...licence.evidence, m.eventId, ...remittances.map((r) => r.eventId)],
        occurredAt: deadline,
        message:
          `${moveText(m, dc)} under licence ${licence.terms.licenceNumber} (${share}% revenue share): no remittance recorded within ` +
          `${p.remittanceWindowDays} days (by ${date(deadline)})${late ? `; a late remittance was recorded on ${date(late.at)}` : ''}.`,
      });
    }
  }
};

const usH200CaseByCase = (ctx: Ctx, rule: UsH200CaseByCaseRule): void => {
  const p = rule.parameters;
  licenceRequirement(ctx, rule, (m, dc) => {
    if (!h200Claims(ctx.view, rule, m, dc)) return null;
    const fromUs = m.kind === 'delivered' && m.shippedFromCountry === p.licensableFromCountry;
    return {
      severity: 'breach',
      destination: { text: `a data center in ${dc.country}`, evidence: [dc.eventId] },
      why: fromUs
        ? `an export from the US of an H200-class chip is licensable case by case (${p.dutyPercent}% duty), but no licence was recorded`
        : `a re-export or transfer (from ${m.kind === 'delivered' ? m.shippedFromCountry : m.otherCountry}) of an H200-class chip keeps the presumption of denial`,
    };
  });
};

const usLicenceBalance = (ctx: Ctx, rule: UsLicenceBalanceRule): void => {
  const { view } = ctx;
  if (!wants(ctx, 'balance')) return;
  const wanted = new Set(ctx.dataCenterIds);
  const licenceIds = uniq(ctx.dataCenterIds.flatMap((dcId) => inbound(view, dcId).flatMap((m) => (m.licenceId === null ? [] : [m.licenceId])))).sort();
  for (const licenceId of licenceIds) {
    const rec = view.state.store.licences.get(licenceId);
    if (!rec) continue;
    let drawn = 0;
    for (const u of chronological(rec.uses.filter(view.visible))) {
      const licence = view.licenceAt(licenceId, u.at);
      const dc = view.dataCenter(u.dataCenterId);
      if (licence === undefined || dc === undefined) continue; // no licence at all: the requirement rules' finding
      const t = licence.terms;
      const defects: string[] = [];
      if (licence.status !== 'active') defects.push(`the licence was ${licence.status}`);
      if (u.at < Date.parse(t.validFrom) || u.at > Date.parse(t.validTo)) defects.push(`it is outside the licence's validity (${date(Date.parse(t.validFrom))} to ${date(Date.parse(t.validTo))})`);
      if (!t.modelIds.includes(u.modelId)) defects.push(`${u.modelId} is not a licensed model`);
      if (t.consigneeOrganisationId !== dc.ownerOrganisationId) defects.push(`the consignee is ${t.consigneeOrganisationId}, not ${dc.ownerOrganisationId}`);
      if (t.destinationCountry !== dc.country) defects.push(`the destination is ${t.destinationCountry}, not ${dc.country}`);
      let count = u.quantity;
      if (defects.length === 0) {
        const remaining = Math.max(0, t.authorisedQuantity - drawn);
        const take = Math.min(u.quantity, remaining);
        drawn += take;
        count = u.quantity - take;
        if (count > 0) defects.push(`it exceeds the remaining balance of ${remaining} (authorised ${t.authorisedQuantity}) by ${count}`);
      }
      if (count === 0 || !wanted.has(u.dataCenterId)) continue;
      emit(ctx, rule, {
        dataCenterId: u.dataCenterId,
        modelId: u.modelId,
        discriminator: u.ref ?? u.eventId,
        severity: 'breach',
        count,
        evidence: [...licence.evidence, u.eventId],
        occurredAt: u.at,
        message: `${moveText(u, dc)} under licence ${t.licenceNumber}: ${defects.join('; ')}.`,
      });
    }
  }
};

const usEntityList = (ctx: Ctx, rule: UsEntityListRule): void => {
  const { view } = ctx;
  const p = rule.parameters;
  const judgeModel = (modelId: string): { severity: Severity; name: string } | null => {
    const { spec, cls } = classified(view, modelId, p.thresholds);
    if (spec !== undefined && !spec.usOrigin) return null;
    if (isControlled(cls, p.classes)) return { severity: 'breach', name: spec?.name ?? modelId };
    return cls === 'cannot-classify' ? { severity: 'review', name: spec?.name ?? modelId } : null;
  };
  const judgeMovement = (m: Movement, dc: DataCenterInfo): void => {
    if (!inForceAt(rule, m.at) || isInternalMove(view, m, dc) || citesLicence(view, m)) return;
    const judged = judgeModel(m.modelId);
    if (judged === null) return;
    const buyer = m.purchaseOrderId === null ? undefined : view.latest(view.state.store.purchaseOrders.get(m.purchaseOrderId)?.placed ?? []);
    const parties = uniq([dc.ownerOrganisationId, ...(buyer ? [buyer.buyerOrganisationId] : [])]);
    const listed = parties.map((o) => ({ o, l: view.listingAt(o, p.list, m.at) })).find((x) => x.l !== undefined);
    if (!listed?.l) return;
    emit(ctx, rule, {
      dataCenterId: dc.dataCenterId,
      modelId: m.modelId,
      discriminator: m.ref ?? m.eventId,
      severity: judged.severity,
      count: m.quantity,
      evidence: [listed.l.eventId, m.eventId],
      occurredAt: m.at,
      message: `${moveText(m, dc)} of ${judged.name}: ${listed.o} was on the ${p.list} at that date${judged.severity === 'review' ? ' (the model cannot be classified; review)' : ''}.`,
    });
  };
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc || !inForceAt(rule, view.asOf)) continue;
    const verdicts = ctx.verdicts;
    const known = verdictsOf(verdicts, rule.id);
    if (verdicts !== null) dataCenterDeps(verdicts, dc);
    for (const m of wants(ctx, 'acts') ? inbound(view, dcId) : []) {
      const cached = known?.get(m);
      if (cached !== undefined) {
        for (const f of cached) ctx.out.push(f);
        continue;
      }
      const from = ctx.out.length;
      judgeMovement(m, dc);
      if (known !== null && verdicts !== null) {
        known.set(m, ctx.out.length === from ? NO_FINDINGS : ctx.out.slice(from));
        movementDeps(verdicts, m);
        // The buyer named by the purchase order, and its listings.
        if (m.purchaseOrderId !== null) {
          dep(verdicts, `po:${m.purchaseOrderId}`);
          for (const placed of view.state.store.purchaseOrders.get(m.purchaseOrderId)?.placed ?? []) dep(verdicts, `org:${placed.buyerOrganisationId}`);
        }
      }
    }
    for (const { rentalId } of rentalsOf(ctx, dcId)) {
      const r = view.rental(rentalId);
      const start = r && view.latest(r.started);
      if (!r || !start) continue;
      const judged = judgeModel(start.modelId);
      if (judged === null) continue;
      const acts = [start, ...view.all(r.extensions)];
      const hit = acts.map((a) => ({ a, l: view.listingAt(start.tenantOrganisationId, p.list, a.at) })).find((x) => x.l !== undefined);
      if (!hit?.l) continue;
      emit(ctx, rule, {
        dataCenterId: dcId,
        modelId: start.modelId,
        discriminator: `rental:${rentalId}`,
        severity: judged.severity,
        count: start.chipCount,
        evidence: [hit.l.eventId, hit.a.eventId],
        occurredAt: hit.a.at,
        message: `Rental ${rentalId} of ${start.chipCount} ${judged.name} at ${dc.name} to ${start.tenantOrganisationId}, on the ${p.list} when it was ${hit.a === start ? 'started' : 'extended'} (${date(hit.a.at)}).`,
      });
    }
  }
};

const usPrc3A090Use = (ctx: Ctx, rule: UsPrc3A090UseRule): void => {
  const { view } = ctx;
  if (!wants(ctx, 'prc') || !inForceAt(rule, view.asOf)) return;
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc) continue;
    for (const modelId of view.modelIds(dcId).filter((id) => rule.parameters.modelIds.includes(id) && wantsModel(ctx, id))) {
      const stock = view.stock(dcId, modelId);
      if (stock.installedNow === 0) continue;
      const name = view.spec(modelId)?.name ?? modelId;
      emit(ctx, rule, {
        dataCenterId: dcId,
        modelId,
        discriminator: 'installed',
        severity: 'risk',
        count: stock.installedNow,
        evidence: stock.evidence,
        occurredAt: null,
        message: `${stock.installedNow} Huawei ${name} installed at ${dc.name} (${dc.country}): BIS guidance says using them anywhere may violate General Prohibition 10.`,
      });
    }
  }
};

const usIaasTraining = (ctx: Ctx, rule: UsIaasTrainingRule): void => {
  const { view } = ctx;
  const p = rule.parameters;
  if (!wants(ctx, 'rentals') || !inForceAt(rule, view.asOf)) return;
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc) continue;
    for (const { rentalId } of rentalsOf(ctx, dcId)) {
      const r = view.rental(rentalId);
      const start = r && view.latest(r.started);
      if (!r || !start || !p.purposes.includes(start.purpose)) continue;
      const end = Math.max(start.periodEnd, ...view.all(r.extensions).map((x) => x.newPeriodEnd));
      if (view.asOf < start.periodStart || view.asOf >= end || view.all(r.ended).length > 0) continue;
      const tenant = view.organisation(start.tenantOrganisationId);
      if (!tenant) continue;
      const hq = [tenant.headquartersCountry, tenant.ultimateParentHeadquartersCountry].find((c) => p.tenantHeadquarterCountries.includes(c));
      if (hq === undefined) continue;
      const { spec, cls } = classified(view, start.modelId, p.thresholds);
      if (spec !== undefined && !spec.usOrigin) continue;
      const severity: Severity | null = isControlled(cls, p.classes) ? 'risk' : cls === 'cannot-classify' ? 'review' : null;
      if (severity === null) continue;
      emit(ctx, rule, {
        dataCenterId: dcId,
        modelId: start.modelId,
        discriminator: `rental:${rentalId}`,
        severity,
        count: start.chipCount,
        evidence: [start.eventId, tenant.eventId, ...view.all(r.extensions).map((x) => x.eventId)],
        occurredAt: null,
        message:
          `${tenant.name} (headquartered or parented in ${hq}) rents ${start.chipCount} ${spec?.name ?? start.modelId} for ${start.purpose} at ${dc.name} (${dc.country}) ` +
          `until ${date(end)}: a red flag under BIS guidance on IaaS training${severity === 'review' ? ' (the model cannot be classified; review)' : ''}.`,
      });
    }
  }
};

const myStrategicTradePermit = (ctx: Ctx, rule: MyStrategicTradePermitRule): void => {
  const { view } = ctx;
  const p = rule.parameters;
  if (!wants(ctx, 'acts')) return;
  for (const dcId of ctx.dataCenterIds) {
    const dc = view.dataCenter(dcId);
    if (!dc || !p.exportingCountries.includes(dc.country)) continue;
    for (const modelId of view.modelIds(dcId)) {
      for (const m of view.movements(dcId, modelId)) {
        if (m.kind !== 'transferred-out' || !inForceAt(rule, m.at) || m.otherCountry === dc.country || m.permitReference !== null) continue;
        const { spec, cls } = classified(view, modelId, p.thresholds);
        if (spec !== undefined && !spec.usOrigin) continue;
        const severity: Severity | null = isControlled(cls, p.classes) ? 'breach' : cls === 'cannot-classify' ? 'review' : null;
        if (severity === null) continue;
        emit(ctx, rule, {
          dataCenterId: dcId,
          modelId,
          discriminator: m.ref ?? m.eventId,
          severity,
          count: m.quantity,
          evidence: [dc.eventId, m.eventId],
          occurredAt: m.at,
          message: `${m.quantity} ${spec?.name ?? modelId} transferred on ${date(m.at)} from ${dc.name} (${dc.country}) to ${m.otherDataCenterId} (${m.otherCountry}) with no Strategic Trade permit recorded${severity === 'review' ? ' (the model cannot be classified; review)' : ''}.`,
        });
      }
    }
  }
};

/**
 * Judges the state as it stood at `asOf` (facts with occurredAt ≤ asOf) with the rulebook. Each fact is judged
 * by the rules in force when it occurred; standing conditions (what is installed, active rentals) by the rules
 * in force at `asOf`. Findings are sorted by id.
 */
export const evaluate = (state: ComplianceState, rulebook: Rulebook, asOf: Instant, options: EvaluateOptions = {}): Finding[] => {
  const view = new ComplianceView(state, Date.parse(asOf));
  const dataCenterIds = options.dataCenterId === undefined ? view.dataCenterIds() : view.dataCenter(options.dataCenterId) ? [options.dataCenterId] : [];
  // A restricted evaluation neither uses nor feeds the cache: its verdicts would be a partial answer.
  const restricted = options.parts !== undefined || options.modelIds !== undefined || options.rentalIds !== undefined;
  const verdicts =
    options.cache !== undefined && !restricted && options.dataCenterId !== undefined && dataCenterIds.length === 1
      ? verdictsFor(options.cache, state, rulebook, view.asOf, options.dataCenterId)
      : null;
  const ctx: Ctx = {
    view,
    rulebook,
    dataCenterIds,
    out: [],
    verdicts,
    parts: options.parts ?? null,
    modelIds: options.modelIds ?? null,
    rentalIds: options.rentalIds ?? null,
  };
  for (const rule of rulebook) {
    switch (rule.id) {
      case 'CN-STATE-FUNDED-DOMESTIC':
        cnStateFundedDomestic(ctx, rule);
        break;
      case 'US-3A090-LICENCE':
        us3A090Licence(ctx, rule);
        break;
      case 'US-3A090-2022':
        us3A090_2022(ctx, rule);
        break;
      case 'US-H20-IS-INFORMED':
        usH20IsInformed(ctx, rule);
        break;
      case 'US-H200-CASE-BY-CASE':
        usH200CaseByCase(ctx, rule);
        break;
      case 'US-LICENCE-BALANCE':
        usLicenceBalance(ctx, rule);
        break;
      case 'US-ENTITY-LIST':
        usEntityList(ctx, rule);
        break;
      case 'US-PRC-3A090-USE':
        usPrc3A090Use(ctx, rule);
        break;
      case 'US-IAAS-TRAINING':
        usIaasTraining(ctx, rule);
        break;
      case 'US-AI-DIFFUSION':
        // Rescinded before its compliance date: in the rulebook for the timeline, never a finding.
        break;
      case 'MY-STRATEGIC-TRADE-PERMIT':
        myStrategicTradePermit(ctx, rule);
        break;
      default: {
        const unhandled: never = rule;
        throw new Error(`No evaluator for rule ${JSON.stringify((unhandled as Rule).id)}`);
      }
    }
  }
  return ctx.out.sort((a, b) => (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0));
};
