import { randomUUID } from 'node:crypto';
import type { ChainedEvent } from '@chip-ledger/event-store';
import { EVENT_SCHEMA_VERSIONS, SEED_MODEL_IDS, streamIds, type LedgerEvent, type LedgerEventType } from '@chip-ledger/domain';
import type { LedgerContext } from '@chip-ledger/messaging';

/**
 * A deterministic, realistic ledger for the projector bench: a few hundred organisations (CN, US, SG, MY, ...)
 * and data centers, export licences, then a long mix of purchase orders, deliveries (some under licences),
 * installations, removals, transfers between data centers, rentals, construction progress, state funding,
 * remittances, licence amendments and auditors' facts. Almost every event touches a data center, so the
 * findings projection really evaluates compliance for most of them. Streams keep their versions in order
 * (key = stream id); hashes are placeholders (the engine decodes, it does not verify the chain).
 */
export interface GeneratedEvent {
  readonly context: LedgerContext;
  readonly event: ChainedEvent;
}

export interface LedgerMixOptions {
  readonly organisations?: number;
  readonly dataCenters?: number;
  readonly licences?: number;
  /** Run tag: part of every id, so two runs never share a stream. */
  readonly tag: string;
  readonly seed?: number;
}

const START = Date.parse('2024-01-01T00:00:00.000Z');
/** The events' occurredAt spread evenly up to here (before "now", so no fact is dated in the future). */
const END = Date.parse('2026-10-31T00:00:00.000Z');
const DAY = 86_400_000;
const ZERO_HASH = '0'.repeat(64);

const HQ: readonly [string, number][] = [['CN', 35], ['US', 20], ['SG', 10], ['MY', 10], ['AE', 5], ['IN', 5], ['JP', 5], ['DE', 5], ['GB', 5]];
const DC_COUNTRIES = ['CN', 'MY', 'SG', 'US', 'AE', 'IN'] as const;
const MODELS = [
  SEED_MODEL_IDS.h20,
  SEED_MODEL_IDS.h100Sxm,
  SEED_MODEL_IDS.h200,
  SEED_MODEL_IDS.b200,
  SEED_MODEL_IDS.a100,
  SEED_MODEL_IDS.l20,
  SEED_MODEL_IDS.rtxPro6000d,
  SEED_MODEL_IDS.mi308,
  SEED_MODEL_IDS.mi300x,
  SEED_MODEL_IDS.ascend910b,
  SEED_MODEL_IDS.ascend910c,
  SEED_MODEL_IDS.mlu370x8,
] as const;

/** Which context's topic carries a stream (procurement owns everything but rentals and auditors' facts). */
function contextOf(type: LedgerEventType): LedgerContext {
  if (type.startsWith('Rental')) return 'rental';
  if (type.startsWith('Audit') || type === 'FindingAcknowledged' || type === 'CaseReviewDecided') return 'audit';
  return 'procurement';
}

/** mulberry32: fast, seeded, good enough for a workload. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dc {
  id: string;
  owner: string;
  country: string;
  models: string[];
  /** Open purchase orders: id → model → quantity not yet delivered. */
  orders: Map<string, Map<string, number>>;
  /** Per model: chips in stock not installed, and installed. */
  free: Map<string, number>;
  installed: Map<string, number>;
  licences: { id: string; models: string[]; revenueShare: boolean }[];
  completion: number;
  rentals: string[];
}

/**
 * Yields `total` events (exactly) in recorded order. The first few thousand set the world up (organisations,
 * data centers, licences, listings); the rest is the operational mix.
 */
export function* ledgerMix(total: number, options: LedgerMixOptions): Generator<GeneratedEvent> {
  const rnd = prng(options.seed ?? 20_251_105);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const weighted = (xs: readonly [string, number][]): string => {
    let r = rnd() * xs.reduce((n, [, w]) => n + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1][0];
  };
  const tag = options.tag;
  const versions = new Map<string, number>();
  let n = 0;
  const step = (END - START) / Math.max(total, 1);
  const atOf = (i: number): number => START + Math.floor(i * step);

  const make = (event: LedgerEvent, streamId: string): GeneratedEvent => {
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    const occurred = atOf(n++);
    return {
      context: contextOf(event.type),
      event: {
        eventId: randomUUID(),
        type: event.type,
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
        streamId,
        version,
        occurredAt: new Date(occurred).toISOString(),
        recordedAt: new Date(occurred + 1_000).toISOString(),
        actor: { id: 'bench-operator', organisation: 'bench', role: event.type === 'CaseReviewDecided' ? 'auditor' : 'operator' },
        correlationId: randomUUID(),
        causationId: null,
        data: event.data as unknown as Record<string, unknown>,
        prevHash: ZERO_HASH,
        hash: ZERO_HASH,
      } as ChainedEvent,
    };
  };
  const emit = function* (event: LedgerEvent, streamId: string): Generator<GeneratedEvent> {
    if (n < total) yield make(event, streamId);
  };

  // ---- The world -------------------------------------------------------------------------------------
  const orgCount = options.organisations ?? 240;
  const orgs: { id: string; hq: string }[] = [];
  for (let i = 0; i < orgCount && n < total; i++) {
    const id = `${tag}-org-${i}`;
    const hq = weighted(HQ);
    // Some SG/MY subsidiaries of PRC parents (the "headquartered in" rules look at the ultimate parent).
    const parent = (hq === 'SG' || hq === 'MY') && rnd() < 0.3 ? 'CN' : hq;
    orgs.push({ id, hq });
    yield* emit({ type: 'OrganisationRegistered', data: { organisationId: id, name: `Org ${i}`, headquartersCountry: hq, ultimateParentHeadquartersCountry: parent } }, streamIds.organisation(id));
  }
  const dcCount = options.dataCenters ?? 360;
  const dcs: Dc[] = [];
  for (let i = 0; i < dcCount && n < total; i++) {
    const owner = orgs[i % orgs.length];
    const country = rnd() < 0.6 && (DC_COUNTRIES as readonly string[]).includes(owner.hq) ? owner.hq : pick(DC_COUNTRIES);
    const dc: Dc = { id: `${tag}-dc-${i}`, owner: owner.id, country, models: [], orders: new Map(), free: new Map(), installed: new Map(), licences: [], completion: 0, rentals: [] };
    const modelCount = int(2, 4);
    while (dc.models.length < modelCount) {
      const m = pick(MODELS);
      if (!dc.models.includes(m)) dc.models.push(m);
    }
    dcs.push(dc);
    yield* emit({ type: 'DataCenterRegistered', data: { dataCenterId: dc.id, name: `DC ${i}`, ownerOrganisationId: owner.id, country, region: `region-${i % 7}` } }, streamIds.dataCenter(dc.id));
  }
  const licenceCount = options.licences ?? 150;
  for (let i = 0; i < licenceCount && n < total; i++) {
    const dc = dcs[(i * 7) % dcs.length];
    if (dc.country === 'US') continue;
    const id = `${tag}-lic-${i}`;
    const models = dc.models.slice(0, int(1, Math.min(2, dc.models.length)));
    const revenueShare = models.includes(SEED_MODEL_IDS.h20) || models.includes(SEED_MODEL_IDS.mi308) || rnd() < 0.3;
    dc.licences.push({ id, models, revenueShare });
    yield* emit(
      {
        type: 'ExportLicenceIssued',
        data: {
          licenceId: id,
          licenceNumber: `L-${i}`,
          exporter: 'bench-exporter',
          consigneeOrganisationId: dc.owner,
          destinationCountry: dc.country,
          modelIds: models,
          authorisedQuantity: int(2, 40) * 1_000,
          validFrom: new Date(START).toISOString(),
          validTo: new Date(START + int(300, 1_200) * DAY).toISOString(),
          conditions: { revenueSharePercent: revenueShare ? 15 : null },
        },
      },
      streamIds.exportLicence(id),
    );
  }
  for (const org of orgs) {
    if (n >= total) break;
    if (rnd() < 0.03) yield* emit({ type: 'RestrictedPartyListed', data: { organisationId: org.id, list: 'US-ENTITY-LIST', reference: 'FR-2025' } }, streamIds.organisation(org.id));
  }

  // ---- The operational mix ---------------------------------------------------------------------------
  const pendingRemittances = new Map<string, string[]>();
  let po = 0;
  let delivery = 0;
  let transfer = 0;
  let rental = 0;
  const MIX: [string, number][] = [
    ['order', 6],
    ['deliver', 14],
    ['install', 30],
    ['remove', 8],
    ['transfer', 4],
    ['rent', 5],
    ['extend', 2],
    ['end-rental', 3],
    ['progress', 6],
    ['funding', 1],
    ['cancel', 2],
    ['remit', 2],
    ['amend', 1],
    ['audit-note', 4],
    ['review', 1],
  ];
  const placeOrder = function* (dc: Dc): Generator<GeneratedEvent> {
    const id = `${tag}-po-${po++}`;
    const lines = dc.models.slice(0, int(1, dc.models.length)).map((modelId) => ({ modelId, quantity: int(1, 16) * 64 }));
    dc.orders.set(id, new Map(lines.map((l) => [l.modelId, l.quantity])));
    yield* emit({ type: 'PurchaseOrderPlaced', data: { purchaseOrderId: id, buyerOrganisationId: dc.owner, dataCenterId: dc.id, supplier: 'bench-supplier', lines } }, streamIds.purchaseOrder(id));
  };
  const add = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
  const deliver = function* (dc: Dc): Generator<GeneratedEvent> {
    const open = [...dc.orders].find(([, lines]) => [...lines.values()].some((q) => q > 0));
    if (!open) {
      yield* placeOrder(dc);
      return;
    }
    const [purchaseOrderId, lines] = open;
    const [lineModel, left] = [...lines].find(([, q]) => q > 0) as [string, number];
    const quantity = Math.min(left, int(1, 8) * 32);
    lines.set(lineModel, left - quantity);
    if ([...lines.values()].every((q) => q <= 0)) dc.orders.delete(purchaseOrderId);
    const licence = dc.licences.find((l) => l.models.includes(lineModel));
    const licenceId = licence && rnd() < 0.8 ? licence.id : null;
    const deliveryId = `${tag}-del-${delivery++}`;
    if (licenceId && licence?.revenueShare) {
      const pending = pendingRemittances.get(licenceId);
      if (pending) pending.push(deliveryId);
      else pendingRemittances.set(licenceId, [deliveryId]);
    }
    add(dc.free, lineModel, quantity);
    yield* emit(
      { type: 'ChipsDelivered', data: { deliveryId, dataCenterId: dc.id, modelId: lineModel, quantity, purchaseOrderId, licenceId, shippedFromCountry: rnd() < 0.85 ? 'US' : 'TW' } },
      streamIds.chipStock(dc.id, lineModel),
    );
  };

  while (n < total) {
    const dc = pick(dcs);
    const modelId = pick(dc.models);
    const stock = streamIds.chipStock(dc.id, modelId);
    switch (weighted(MIX)) {
      case 'order':
        yield* placeOrder(dc);
        break;
      case 'deliver':
        yield* deliver(dc);
        break;
      case 'install': {
        const free = dc.free.get(modelId) ?? 0;
        if (free <= 0) {
          // Nothing to install yet: the chips are delivered first.
          yield* deliver(dc);
          break;
        }
        const quantity = Math.min(free, int(1, 64));
        add(dc.free, modelId, -quantity);
        add(dc.installed, modelId, quantity);
        yield* emit({ type: 'ChipsInstalled', data: { dataCenterId: dc.id, modelId, quantity } }, stock);
        break;
      }
      case 'remove': {
        const installed = dc.installed.get(modelId) ?? 0;
        if (installed <= 0) break;
        const quantity = Math.min(installed, int(1, 16));
        add(dc.installed, modelId, -quantity);
        const reason = pick(['failed', 'remediation', 'decommissioned'] as const);
        if (reason !== 'decommissioned') add(dc.free, modelId, quantity);
        yield* emit({ type: 'ChipsRemoved', data: { dataCenterId: dc.id, modelId, quantity, reason } }, stock);
        break;
      }
      case 'transfer': {
        const free = dc.free.get(modelId) ?? 0;
        const to = pick(dcs);
        if (free <= 0 || to === dc) break;
        const quantity = Math.min(free, int(1, 8) * 8);
        const transferId = `${tag}-tr-${transfer++}`;
        const permitReference = dc.country === 'MY' && rnd() < 0.5 ? `MY-STP-${transferId}` : null;
        add(dc.free, modelId, -quantity);
        add(to.free, modelId, quantity);
        if (!to.models.includes(modelId)) to.models.push(modelId);
        const common = { transferId, modelId, quantity, permitReference, licenceId: null };
        yield* emit({ type: 'ChipsTransferredOut', data: { ...common, dataCenterId: dc.id, toDataCenterId: to.id, toCountry: to.country } }, stock);
        yield* emit({ type: 'ChipsTransferredIn', data: { ...common, dataCenterId: to.id, fromDataCenterId: dc.id, fromCountry: dc.country } }, streamIds.chipStock(to.id, modelId));
        break;
      }
      case 'rent': {
        const rentalId = `${tag}-rent-${rental++}`;
        dc.rentals.push(rentalId);
        const start = atOf(n);
        yield* emit(
          {
            type: 'RentalStarted',
            data: {
              rentalId,
              providerDataCenterId: dc.id,
              tenantOrganisationId: pick(orgs).id,
              modelId,
              chipCount: int(1, 32) * 8,
              purpose: rnd() < 0.6 ? 'training' : 'inference',
              periodStart: new Date(start).toISOString(),
              periodEnd: new Date(start + int(30, 365) * DAY).toISOString(),
            },
          },
          streamIds.rental(rentalId),
        );
        break;
      }
      case 'extend':
      case 'end-rental': {
        const rentalId = dc.rentals.length > 0 ? pick(dc.rentals) : null;
        if (rentalId === null) break;
        if (n % 2 === 0) {
          yield* emit({ type: 'RentalExtended', data: { rentalId, newPeriodEnd: new Date(atOf(n) + int(60, 400) * DAY).toISOString() } }, streamIds.rental(rentalId));
        } else {
          dc.rentals.splice(dc.rentals.indexOf(rentalId), 1);
          yield* emit({ type: 'RentalEnded', data: { rentalId, reason: 'contract ended' } }, streamIds.rental(rentalId));
        }
        break;
      }
      case 'progress':
        dc.completion = Math.min(100, dc.completion + int(1, 10));
        yield* emit({ type: 'ConstructionProgressReported', data: { dataCenterId: dc.id, completionPercent: dc.completion } }, streamIds.dataCenter(dc.id));
        break;
      case 'funding':
        yield* emit({ type: 'StateFundingReported', data: { dataCenterId: dc.id, funder: 'provincial fund', reference: null } }, streamIds.dataCenter(dc.id));
        break;
      case 'cancel': {
        const open = [...dc.orders].at(-1);
        if (!open) break;
        const [purchaseOrderId, lines] = open;
        dc.orders.delete(purchaseOrderId);
        const cancelledLines = [...lines].filter(([, q]) => q > 0).map(([m, quantity]) => ({ modelId: m, quantity }));
        yield* emit({ type: 'PurchaseOrderCancelled', data: { purchaseOrderId, dataCenterId: dc.id, reason: 'budget', cancelledLines } }, streamIds.purchaseOrder(purchaseOrderId));
        break;
      }
      case 'remit': {
        const licence = dc.licences.find((l) => pendingRemittances.has(l.id));
        if (!licence) break;
        const deliveryIds = pendingRemittances.get(licence.id) ?? [];
        pendingRemittances.delete(licence.id);
        yield* emit({ type: 'RevenueShareRemitted', data: { licenceId: licence.id, deliveryIds, amountUsd: `${10_000 * deliveryIds.length}.00`, reference: `rem-${n}` } }, streamIds.exportLicence(licence.id));
        break;
      }
      case 'amend': {
        const licence = dc.licences.length > 0 ? pick(dc.licences) : null;
        if (!licence) break;
        yield* emit({ type: 'ExportLicenceAmended', data: { licenceId: licence.id, changes: { authorisedQuantity: int(2, 60) * 1_000 }, reason: 'quantity revised' } }, streamIds.exportLicence(licence.id));
        break;
      }
      case 'audit-note':
        yield* emit({ type: 'AuditNoteRecorded', data: { dataCenterId: dc.id, note: 'routine inspection' } }, streamIds.audit(dc.id));
        break;
      case 'review':
        yield* emit(
          { type: 'CaseReviewDecided', data: { dataCenterId: dc.id, ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision: rnd() < 0.7 ? 'approved' : 'refused', reasoning: 'case file reviewed' } },
          streamIds.audit(dc.id),
        );
        break;
    }
  }
}
