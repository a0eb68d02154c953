import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { RULEBOOK_V1, type Rulebook } from '@chip-ledger/compliance';
import { canAccessOrganisation, problem, ProblemException } from '@chip-ledger/http';
import { streamIds, type Actor, type Instant } from '@chip-ledger/domain';
import { dataCenterAsOf, findingsAt, type DataCenterAsOf } from '../as-of/data-center-as-of';
import { fleetAsOf, type FleetAsOf } from '../as-of/fleet-as-of';
import { foldLedger } from '../as-of/fold';
import type { LedgerEntry, LedgerKey } from '../as-of/ledger-entry';
import { rulesAt, type RuleAt } from '../as-of/rules-at';
import { AsOfEventCache } from '../store/as-of-cache';
import { LedgerReader, type HistoryFilter, type HistoryOrder, type HistoryPage, type Selection } from '../store/ledger-reader';
import { canReadStream, notFound, seesEverything } from './access';

/** Injection token of the auditors' read side's options. */
export const AUDIT_READ_OPTIONS = Symbol.for('chip-ledger.AuditReadOptions');

/** The rulebook as-of questions are judged with, and the auditors' "now": from the options, with their defaults. */
export const AUDIT_RULEBOOK = Symbol.for('chip-ledger.AuditRulebook');
export const AUDIT_CLOCK = Symbol.for('chip-ledger.AuditClock');

/** The providers of both, from the module's options. */
export const auditReadOptionProviders = (options: AuditReadOptions) => [
  { provide: AUDIT_READ_OPTIONS, useValue: options },
  { provide: AUDIT_RULEBOOK, useValue: options.rulebook ?? RULEBOOK_V1 },
  { provide: AUDIT_CLOCK, useValue: options.clock ?? ((): Date => new Date()) },
];

export interface AuditReadOptions {
  /** The rulebook as-of questions are judged with (default RULEBOOK_V1, as the projector). */
  readonly rulebook?: Rulebook;
  /** "Now" (tests pin it). */
  readonly clock?: () => Date;
}

/** Whose history: the whole ledger, or what touches one stream, data center, organisation or licence. */
export type HistoryScope =
  | { readonly kind: 'ledger' }
  | { readonly kind: 'stream'; readonly id: string }
  | { readonly kind: 'data-center'; readonly id: string }
  | { readonly kind: 'organisation'; readonly id: string }
  | { readonly kind: 'licence'; readonly id: string };

export class HistoryQuery extends Query<HistoryPage> {
  constructor(
    readonly actor: Actor,
    readonly scope: HistoryScope,
    readonly filter: HistoryFilter,
    readonly after: LedgerKey | null,
    readonly order: HistoryOrder,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery, HistoryPage> {
  constructor(@Inject(LedgerReader) private readonly reader: LedgerReader) {}

  async execute({ actor, scope, filter, after, order, limit }: HistoryQuery): Promise<HistoryPage> {
    return this.reader.history(await this.selection(actor, scope), filter, after, order, limit);
  }

  /** What the scope reads, once the caller is known to be allowed (else the 404 an unknown id gets). */
  private async selection(actor: Actor, scope: HistoryScope): Promise<Selection | 'all'> {
    switch (scope.kind) {
      case 'ledger':
        if (!seesEverything(actor)) throw new ProblemException(problem(403, 'AUTH.FORBIDDEN', 'Forbidden', 'Only auditors and admins read the whole ledger.'));
        return 'all';
      case 'stream': {
        const first = await this.reader.firstOf(scope.id);
        if (first === null || !(await canReadStream(this.reader, actor, first))) throw notFound('STREAM', scope.id, 'streamId');
        return { streamIds: [scope.id] };
      }
      case 'data-center': {
        const owner = await this.reader.ownerOfDataCenter(scope.id);
        if (owner === null || !canAccessOrganisation(actor, owner)) throw notFound('DATA_CENTER', scope.id, 'dataCenterId');
        return this.reader.dataCenterSelection(scope.id);
      }
      case 'organisation': {
        const first = await this.reader.firstOf(streamIds.organisation(scope.id));
        if (first === null || !canAccessOrganisation(actor, scope.id)) throw notFound('ORGANISATION', scope.id, 'organisationId');
        return this.reader.organisationSelection(scope.id);
      }
      case 'licence': {
        const first = await this.reader.firstOf(streamIds.exportLicence(scope.id));
        if (first === null || !(await canReadStream(this.reader, actor, first))) throw notFound('LICENCE', scope.id, 'licenceId');
        return this.reader.licenceSelection(scope.id);
      }
    }
  }
}

export class EventByIdQuery extends Query<LedgerEntry> {
  constructor(
    readonly actor: Actor,
    readonly eventId: string,
  ) {
    super();
  }
}

@QueryHandler(EventByIdQuery)
export class EventByIdHandler implements IQueryHandler<EventByIdQuery, LedgerEntry> {
  constructor(@Inject(LedgerReader) private readonly reader: LedgerReader) {}

  async execute({ actor, eventId }: EventByIdQuery): Promise<LedgerEntry> {
    const event = await this.reader.byId(eventId);
    if (event === null) throw notFound('EVENT', eventId, 'eventId');
    if (!seesEverything(actor)) {
      const first = await this.reader.firstOf(event.streamId);
      if (first === null || !(await canReadStream(this.reader, actor, first))) throw notFound('EVENT', eventId, 'eventId');
    }
    return event;
  }
}

export class DataCenterAsOfQuery extends Query<DataCenterAsOf> {
  constructor(
    readonly actor: Actor,
    readonly dataCenterId: string,
    readonly at: { readonly occurredAt: Instant; readonly knownAt: Instant },
  ) {
    super();
  }
}

@QueryHandler(DataCenterAsOfQuery)
export class DataCenterAsOfHandler implements IQueryHandler<DataCenterAsOfQuery, DataCenterAsOf> {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(AsOfEventCache) private readonly cache: AsOfEventCache,
    @Inject(AUDIT_RULEBOOK) private readonly rulebook: Rulebook,
  ) {}

  async execute({ actor, dataCenterId, at }: DataCenterAsOfQuery): Promise<DataCenterAsOf> {
    const owner = await this.reader.ownerOfDataCenter(dataCenterId);
    if (owner === null || !canAccessOrganisation(actor, owner)) throw notFound('DATA_CENTER', dataCenterId, 'dataCenterId');
    const answer = dataCenterAsOf(foldLedger(await this.cache.eventsFor(dataCenterId), at), this.rulebook, at, dataCenterId);
    if (answer === null) {
      throw new ProblemException(
        problem(404, 'DATA_CENTER.NOT_YET_KNOWN', 'Not found at that instant', `Data center ${dataCenterId} was not registered by ${at.occurredAt} as the ledger knew it at ${at.knownAt}.`, {
          field: 'occurredAt',
        }),
      );
    }
    return answer;
  }
}

/** A page of the fleet (data centers by id) with the totals over every data center the caller may see. */
export type FleetPage = FleetAsOf & { readonly next: string | null };

export class FleetAsOfQuery extends Query<FleetPage> {
  constructor(
    readonly actor: Actor,
    readonly at: { readonly occurredAt: Instant; readonly knownAt: Instant },
    readonly afterDataCenterId: string | null,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(FleetAsOfQuery)
export class FleetAsOfHandler implements IQueryHandler<FleetAsOfQuery, FleetPage> {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(AUDIT_RULEBOOK) private readonly rulebook: Rulebook,
  ) {}

  async execute({ actor, at, afterDataCenterId, limit }: FleetAsOfQuery): Promise<FleetPage> {
    const fleet = fleetAsOf(foldLedger(await this.reader.allEvents(at), at), this.rulebook, at, (owner) => canAccessOrganisation(actor, owner));
    const rest = afterDataCenterId === null ? fleet.dataCenters : fleet.dataCenters.filter((d) => d.dataCenterId > afterDataCenterId);
    const page = rest.slice(0, limit);
    return { ...fleet, dataCenters: page, next: rest.length > limit ? (page[page.length - 1]?.dataCenterId ?? null) : null };
  }
}

export class RulesAtQuery extends Query<RuleAt[]> {
  constructor(readonly at: Instant) {
    super();
  }
}

@QueryHandler(RulesAtQuery)
export class RulesAtHandler implements IQueryHandler<RulesAtQuery, RuleAt[]> {
  constructor(@Inject(AUDIT_RULEBOOK) private readonly rulebook: Rulebook) {}

  async execute({ at }: RulesAtQuery): Promise<RuleAt[]> {
    return rulesAt(this.rulebook, at);
  }
}

/** A finding a late fact changed: open before the ledger learned it and not after, or the reverse, or another count. */
export interface FindingChange {
  readonly findingId: string;
  readonly ruleId: string;
  readonly before: { readonly severity: string; readonly count: number } | null;
  readonly after: { readonly severity: string; readonly count: number } | null;
}

export interface LateFact {
  readonly event: LedgerEntry;
  /** recordedAt − occurredAt, in hours. */
  readonly lateByHours: number;
  /**
   * The findings of its data center, as of when it occurred, that the ledger showed differently just before and just
   * after recording it: what the fact would have changed had it been recorded on time. Empty for a fact about no data
   * center or one that changed no finding.
   */
  readonly changedFindings: readonly FindingChange[];
}

export interface LateFactsPage {
  readonly items: readonly LateFact[];
  readonly next: LedgerKey | null;
}

export class LateFactsQuery extends Query<LateFactsPage> {
  constructor(
    readonly actor: Actor,
    readonly thresholdHours: number,
    readonly since: Instant | undefined,
    readonly after: LedgerKey | null,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(LateFactsQuery)
export class LateFactsHandler implements IQueryHandler<LateFactsQuery, LateFactsPage> {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(AsOfEventCache) private readonly cache: AsOfEventCache,
    @Inject(AUDIT_RULEBOOK) private readonly rulebook: Rulebook,
  ) {}

  async execute({ actor, thresholdHours, since, after, limit }: LateFactsQuery): Promise<LateFactsPage> {
    const dataCenterIds = seesEverything(actor) ? undefined : await this.reader.dataCentersOf(actor.organisation);
    const page = await this.reader.lateFacts({ thresholdMs: thresholdHours * 3_600_000, since, after, limit, dataCenterIds });
    const items: LateFact[] = [];
    for (const event of page.items) {
      const lateByHours = (Date.parse(event.recordedAt) - Date.parse(event.occurredAt)) / 3_600_000;
      items.push({ event, lateByHours: Math.round(lateByHours * 1000) / 1000, changedFindings: await this.changedFindings(event) });
    }
    return { items, next: page.next };
  }

  /** Findings of the fact's data center at its occurredAt, as known a millisecond before its recording and at it. */
  private async changedFindings(event: LedgerEntry): Promise<FindingChange[]> {
    const dataCenterId = (event.data as { dataCenterId?: unknown }).dataCenterId;
    if (typeof dataCenterId !== 'string') return [];
    const occurredAt = event.occurredAt;
    const events = await this.cache.eventsFor(dataCenterId);
    const judge = (knownAt: Instant) => {
      const at = { occurredAt, knownAt };
      const folded = foldLedger(events, at);
      return new Map(findingsAt(folded.state, this.rulebook, occurredAt, dataCenterId).map((f) => [f.findingId, f]));
    };
    const before = judge(new Date(Date.parse(event.recordedAt) - 1).toISOString());
    const after = judge(event.recordedAt);
    const changes: FindingChange[] = [];
    for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(id);
      const a = after.get(id);
      if (b?.severity === a?.severity && b?.count === a?.count) continue;
      changes.push({
        findingId: id,
        ruleId: (a ?? b)?.ruleId ?? '',
        before: b ? { severity: b.severity, count: b.count } : null,
        after: a ? { severity: a.severity, count: a.count } : null,
      });
    }
    return changes;
  }
}

export interface LedgerCounts {
  readonly events: number;
  readonly byStore: Record<string, number>;
}

export class LedgerCountsQuery extends Query<LedgerCounts> {
  constructor(readonly recordedTo: Instant | undefined) {
    super();
  }
}

@QueryHandler(LedgerCountsQuery)
export class LedgerCountsHandler implements IQueryHandler<LedgerCountsQuery, LedgerCounts> {
  constructor(@Inject(LedgerReader) private readonly reader: LedgerReader) {}

  async execute({ recordedTo }: LedgerCountsQuery): Promise<LedgerCounts> {
    const byStore = await this.reader.counts(recordedTo);
    return { events: Object.values(byStore).reduce((a, b) => a + b, 0), byStore };
  }
}

export const AUDIT_QUERY_HANDLERS = [HistoryHandler, EventByIdHandler, DataCenterAsOfHandler, FleetAsOfHandler, RulesAtHandler, LateFactsHandler, LedgerCountsHandler];
