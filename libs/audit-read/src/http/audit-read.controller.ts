import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, ValidationProblem } from '@chip-ledger/http';
import type { Actor, Role } from '@chip-ledger/domain';
import type { LedgerEntry } from '../as-of/ledger-entry';
import {
  AUDIT_CLOCK,
  DataCenterAsOfQuery,
  EventByIdQuery,
  FleetAsOfQuery,
  HistoryQuery,
  LateFactsQuery,
  LedgerCountsQuery,
  RulesAtQuery,
  type HistoryScope,
} from '../queries/audit-read.handlers';
import { bitemporal, normalise, range } from '../queries/instants';
import { AsOfQueryDto, FleetAsOfQueryDto, HistoryQueryDto, LateFactsQueryDto, RulesQueryDto } from './audit-read.dto';
import { decodeLedgerCursor, decodeTextCursor, encodeLedgerCursor, encodeTextCursor, type Page } from './ledger-cursor';
import {
  AuditOperation,
  DATA_CENTER_AS_OF_SCHEMA,
  ENVELOPE_SCHEMA,
  FLEET_AS_OF_SCHEMA,
  LATE_FACT_SCHEMA,
  pageOf,
  RULE_SCHEMA,
} from './openapi-schemas';

const EVERYONE: Role[] = ['viewer', 'operator', 'auditor', 'admin'];
const AUDITORS: Role[] = ['auditor', 'admin'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,250}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that cannot name anything is a 400 naming it, before any lookup. */
const checked = (name: string, value: string, pattern: RegExp, what: string): string => {
  if (!pattern.test(value)) throw new ValidationProblem([{ field: name, reason: `${name} must be ${what}` }]);
  return value;
};
const idParam = (name: string, value: string): string => checked(name, value, ID, '1-100 letters, digits or . _ : - (starting with a letter or digit)');

/** The envelope with links: itself, and its stream's history. */
export const withLinks = (e: LedgerEntry) => ({ ...e, links: { self: `/events/${e.eventId}`, stream: `/audit/streams/${encodeURIComponent(e.streamId)}/history` } });

/**
 * The auditors' read side over HTTP: histories in the ledger's order, as-of questions (bitemporal), the rulebook's
 * timeline and facts recorded late. Each route validates, asks the QueryBus, and shapes the page; the handlers decide
 * who may see what (another organisation's data answers 404).
 */
@ApiTags('audit')
@Controller('audit')
export class AuditReadController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(AUDIT_CLOCK) private readonly clock: () => Date,
  ) {}

  private async history(actor: Actor, scope: HistoryScope, q: HistoryQueryDto): Promise<Page<ReturnType<typeof withLinks>>> {
    const occurred = range('occurredFrom', q.occurredFrom, 'occurredTo', q.occurredTo);
    const recorded = range('recordedFrom', q.recordedFrom, 'recordedTo', q.recordedTo);
    const page = await this.queries.execute(
      new HistoryQuery(
        actor,
        scope,
        { types: q.type, actorId: q.actor, occurredFrom: occurred.from, occurredTo: occurred.to, recordedFrom: recorded.from, recordedTo: recorded.to },
        decodeLedgerCursor(q.cursor),
        q.order ?? 'newest',
        q.limit ?? 100,
      ),
    );
    return { items: page.items.map(withLinks), nextCursor: page.next ? encodeLedgerCursor(page.next) : null };
  }

  @Get('history')
  @Roles(...AUDITORS)
  @AuditOperation('The whole ledger’s history, in the ledger order', AUDITORS, pageOf(ENVELOPE_SCHEMA), 'Every event of every store, newest or oldest first, with the filters below.')
  ledger(@CurrentActor() actor: Actor, @Query() q: HistoryQueryDto) {
    return this.history(actor, { kind: 'ledger' }, q);
  }

  @Get('counts')
  @Roles(...AUDITORS)
  @AuditOperation(
    'How many events the ledger holds, per store',
    AUDITORS,
    { type: 'object', properties: { events: { type: 'integer', example: 1000000 }, byStore: { type: 'object', example: { procurement: 950000, rental: 30000, audit: 20000 } } } },
    'What a full replay reads (recordedTo: as the ledger stood then).',
  )
  counts(@Query() q: RulesQueryDto) {
    return this.queries.execute(new LedgerCountsQuery(q.at === undefined ? undefined : normalise(q.at)));
  }

  @Get('streams/:streamId/history')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'streamId', example: 'chip-stock-dc-gansu-1.nvidia-h20' })
  @AuditOperation('One stream’s history', EVERYONE, pageOf(ENVELOPE_SCHEMA), 'Operators and viewers read the streams of their own organisation (and the catalog).')
  stream(@CurrentActor() actor: Actor, @Param('streamId') streamId: string, @Query() q: HistoryQueryDto) {
    return this.history(actor, { kind: 'stream', id: checked('streamId', streamId, STREAM_ID, 'a stream id (letters, digits, . _ : -)') }, q);
  }

  @Get('data-centers/:dataCenterId/history')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'dataCenterId', example: 'dc-gansu-1' })
  @AuditOperation(
    'Everything that touched a data center',
    EVERYONE,
    pageOf(ENVELOPE_SCHEMA),
    'Its registration and reports, orders placed for it, its stock, the rentals it provides, the licences used there (their own events), and auditors’ facts about it, across contexts.',
  )
  dataCenter(@CurrentActor() actor: Actor, @Param('dataCenterId') dataCenterId: string, @Query() q: HistoryQueryDto) {
    return this.history(actor, { kind: 'data-center', id: idParam('dataCenterId', dataCenterId) }, q);
  }

  @Get('organisations/:organisationId/history')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'organisationId', example: 'gansu-cloud' })
  @AuditOperation(
    'Everything that touched an organisation',
    EVERYONE,
    pageOf(ENVELOPE_SCHEMA),
    'Its own stream, the histories of the data centers it owns, licences consigned to it, orders it placed and rentals it took.',
  )
  organisation(@CurrentActor() actor: Actor, @Param('organisationId') organisationId: string, @Query() q: HistoryQueryDto) {
    return this.history(actor, { kind: 'organisation', id: idParam('organisationId', organisationId) }, q);
  }

  @Get('licences/:licenceId/history')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'licenceId', example: 'lic-h20-2025' })
  @AuditOperation('A licence’s history: its own events and every delivery or transfer citing it', EVERYONE, pageOf(ENVELOPE_SCHEMA))
  licence(@CurrentActor() actor: Actor, @Param('licenceId') licenceId: string, @Query() q: HistoryQueryDto) {
    return this.history(actor, { kind: 'licence', id: idParam('licenceId', licenceId) }, q);
  }

  @Get('data-centers/:dataCenterId/as-of')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'dataCenterId', example: 'dc-gansu-1' })
  @AuditOperation(
    'A data center as the world was at occurredAt, according to what the ledger had recorded by knownAt',
    EVERYONE,
    DATA_CENTER_AS_OF_SCHEMA,
    'Folds the events recorded by knownAt that occurred by occurredAt, in occurredAt order, with the projector’s own pure functions, and evaluates the rulebook at occurredAt.',
  )
  dataCenterAsOf(@CurrentActor() actor: Actor, @Param('dataCenterId') dataCenterId: string, @Query() q: AsOfQueryDto) {
    return this.queries.execute(new DataCenterAsOfQuery(actor, idParam('dataCenterId', dataCenterId), bitemporal(q.occurredAt, q.knownAt, this.clock())));
  }

  @Get('fleet/as-of')
  @Roles(...EVERYONE)
  @AuditOperation(
    'The fleet as the world was at occurredAt, according to what the ledger had recorded by knownAt',
    EVERYONE,
    FLEET_AS_OF_SCHEMA,
    'Data centers by id, paged, with totals over all of them (operators and viewers: their organisation’s).',
  )
  async fleetAsOf(@CurrentActor() actor: Actor, @Query() q: FleetAsOfQueryDto) {
    const at = bitemporal(q.occurredAt, q.knownAt, this.clock());
    const { dataCenters, next, ...rest } = await this.queries.execute(new FleetAsOfQuery(actor, at, decodeTextCursor(q.cursor), q.limit ?? 100));
    return { ...rest, items: dataCenters, nextCursor: next === null ? null : encodeTextCursor(next) };
  }

  @Get('late-facts')
  @Roles(...EVERYONE)
  @AuditOperation(
    'Facts recorded late, newest recording first',
    EVERYONE,
    pageOf(LATE_FACT_SCHEMA),
    'Events whose recordedAt − occurredAt exceeds the threshold, each with the findings of its data center (at its occurredAt) it changed: shown before its recording, not after, or the reverse. Operators and viewers: their organisation’s data centers.',
  )
  async lateFacts(@CurrentActor() actor: Actor, @Query() q: LateFactsQueryDto) {
    const page = await this.queries.execute(
      new LateFactsQuery(actor, q.thresholdHours ?? 24, q.since === undefined ? undefined : normalise(q.since), decodeLedgerCursor(q.cursor), q.limit ?? 50),
    );
    return { items: page.items.map((i) => ({ ...i, event: withLinks(i.event) })), nextCursor: page.next ? encodeLedgerCursor(page.next) : null };
  }
}

@ApiTags('audit')
@Controller('events')
export class EventByIdController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get(':eventId')
  @Roles(...EVERYONE)
  @ApiParam({ name: 'eventId', format: 'uuid', example: '5b0e3c1e-8d7a-4a57-9e36-2a4f4c8d1f00' })
  @AuditOperation('One recorded event by id (every finding’s evidence resolves here)', EVERYONE, ENVELOPE_SCHEMA)
  async byId(@CurrentActor() actor: Actor, @Param('eventId') eventId: string) {
    return withLinks(await this.queries.execute(new EventByIdQuery(actor, checked('eventId', eventId, UUID, 'an event id (a UUID)'))));
  }
}

@ApiTags('audit')
@Controller('rules')
export class RulesController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(AUDIT_CLOCK) private readonly clock: () => Date,
  ) {}

  @Get()
  @Roles(...EVERYONE)
  @AuditOperation(
    'The rulebook’s timeline: every rule with its standing at an instant',
    EVERYONE,
    { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, items: { type: 'array', items: RULE_SCHEMA } } },
    'Rules not yet in force, in force, ended, or announced but not enforced (US-AI-DIFFUSION): why nothing was flagged on a date.',
  )
  async list(@Query() q: RulesQueryDto) {
    const at = q.at === undefined ? this.clock().toISOString() : normalise(q.at);
    return { at, items: await this.queries.execute(new RulesAtQuery(at)) };
  }
}
