import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Role } from '@chip-ledger/domain';

type Schema = Record<string, unknown>;

const instant: Schema = { type: 'string', format: 'date-time', example: '2025-11-05T00:00:00.000Z' };
const str = (example: string): Schema => ({ type: 'string', example });
const int = (example: number): Schema => ({ type: 'integer', example });
const counts: Schema = { type: 'object', additionalProperties: { type: 'integer' }, example: { domestic: 100, foreign: 512 } };

/** One recorded event, as every auditors' read returns it. */
export const ENVELOPE_SCHEMA: Schema = {
  type: 'object',
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    context: { type: 'string', enum: ['procurement', 'rental', 'audit'], description: 'The event store (context) that recorded it' },
    streamId: str('chip-stock-dc-gansu-1.nvidia-h20'),
    version: int(3),
    globalPosition: { type: 'integer', description: "Position in its store's global order", example: 1042 },
    type: str('ChipsInstalled'),
    schemaVersion: int(1),
    data: { type: 'object', description: 'The fact, as recorded (at its schemaVersion)' },
    actor: { type: 'object', properties: { id: str('operator@gansu-cloud'), organisation: str('gansu-cloud'), role: str('operator') } },
    occurredAt: { ...instant, description: 'When it happened in the world (given by the client)' },
    recordedAt: { ...instant, description: "When the ledger learned it (the server's clock)" },
    prevHash: str('0'.repeat(64)),
    hash: str('9f2c…'),
    correlationId: str('5b0e3c1e-…'),
    causationId: { type: 'string', nullable: true },
    links: { type: 'object', properties: { self: str('/events/5b0e…'), stream: str('/audit/streams/chip-stock-dc-gansu-1.nvidia-h20/history') } },
  },
};

export const pageOf = (item: Schema): Schema => ({
  type: 'object',
  properties: { items: { type: 'array', items: item }, nextCursor: { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' } },
});

const evidence: Schema = {
  type: 'object',
  properties: { eventId: str('5b0e…'), type: str('ChipsInstalled'), streamId: str('chip-stock-dc-gansu-1.nvidia-h20'), occurredAt: instant, recordedAt: instant, href: str('/events/5b0e…') },
};

const finding: Schema = {
  type: 'object',
  properties: {
    findingId: str('CN-STATE-FUNDED-DOMESTIC/dc-gansu-1/nvidia-h20/holdings'),
    ruleId: str('CN-STATE-FUNDED-DOMESTIC'),
    severity: { type: 'string', enum: ['breach', 'review', 'risk'] },
    certainty: str('reported-guidance'),
    dataCenterId: str('dc-gansu-1'),
    modelId: { type: 'string', nullable: true },
    count: int(512),
    evidence: { type: 'array', items: evidence },
    message: str('State-funded Gansu 1 (CN) was 20% complete …'),
  },
};

export const RULE_SCHEMA: Schema = {
  type: 'object',
  properties: {
    ruleId: str('US-AI-DIFFUSION'),
    title: str('Framework for AI Diffusion (rescinded)'),
    certainty: str('regulation'),
    source: { type: 'object', properties: { citation: str('90 FR 4544'), url: str('https://www.federalregister.gov/…') } },
    inForce: { type: 'object', properties: { from: { ...instant, nullable: true }, to: { ...instant, nullable: true } } },
    status: { type: 'string', enum: ['not-yet-in-force', 'in-force', 'ended', 'announced-not-enforced'] },
    judgesFactsAt: { type: 'boolean', description: 'Whether a fact occurring at the instant is judged by the rule' },
    enforced: { type: 'boolean' },
    explanation: str('US-AI-DIFFUSION was published and its period had begun, but it was not enforced: it yields no findings.'),
  },
};

const chipTotals: Schema = { type: 'object', properties: { installed: int(512), inStock: int(0), onOrder: int(0), rentedOut: int(0) } };

export const DATA_CENTER_AS_OF_SCHEMA: Schema = {
  type: 'object',
  properties: {
    dataCenterId: str('dc-gansu-1'),
    occurredAt: instant,
    knownAt: instant,
    dataCenter: { type: 'object', description: 'Registration and reported facts at the instant' },
    chipMix: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          modelId: str('nvidia-h20'),
          vendor: str('Nvidia'),
          origin: { type: 'string', enum: ['domestic', 'foreign', 'unknown'] },
          eccnClass: str('not-controlled'),
          installed: int(512),
          inStock: int(0),
          onOrder: int(0),
          rentedOut: int(0),
        },
      },
    },
    totals: chipTotals,
    chips: { type: 'object', properties: { byOrigin: counts, byClass: counts, byVendor: counts } },
    rentals: { type: 'array', items: { type: 'object' } },
    licencesInUse: { type: 'array', items: { type: 'object' } },
    findings: { type: 'array', items: finding },
    rulesInForce: { type: 'array', items: RULE_SCHEMA },
    eventsFolded: int(1234),
    unfoldedEvents: { type: 'array', items: { type: 'object' } },
  },
};

export const FLEET_AS_OF_SCHEMA: Schema = {
  type: 'object',
  properties: {
    occurredAt: instant,
    knownAt: instant,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          dataCenterId: str('dc-gansu-1'),
          dataCenter: { type: 'object', description: 'its registration and reported facts at occurredAt' },
          totals: chipTotals,
          chips: { type: 'object', description: 'on-site chips (installed and in stock)', properties: { byOrigin: counts, byClass: counts, byVendor: counts } },
          installed: { type: 'object', description: 'installed chips', properties: { byOrigin: counts, byClass: counts, byVendor: counts } },
          openFindings: { type: 'object', example: { total: 1, bySeverity: { breach: 1 }, byRule: { 'CN-STATE-FUNDED-DOMESTIC': 1 } } },
        },
      },
    },
    nextCursor: { type: 'string', nullable: true },
    totals: {
      type: 'object',
      properties: {
        dataCenters: int(12),
        chips: { type: 'object', description: 'installed, inStock, onOrder, rentedOut and on-site chips byOrigin, byClass, byVendor' },
        installed: { type: 'object', description: 'installed chips', properties: { byOrigin: counts, byClass: counts, byVendor: counts } },
        openFindings: { type: 'object', example: { total: 3, byRule: { 'CN-STATE-FUNDED-DOMESTIC': { breach: 1 } }, bySeverity: { breach: 1 } } },
      },
    },
    rulesInForce: { type: 'array', items: RULE_SCHEMA },
  },
};

export const LATE_FACT_SCHEMA: Schema = {
  type: 'object',
  properties: {
    event: ENVELOPE_SCHEMA,
    lateByHours: { type: 'number', example: 1488 },
    changedFindings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          findingId: str('CN-STATE-FUNDED-DOMESTIC/dc-gansu-1/nvidia-h20/holdings'),
          ruleId: str('CN-STATE-FUNDED-DOMESTIC'),
          before: { type: 'object', nullable: true, example: { severity: 'breach', count: 512 } },
          after: { type: 'object', nullable: true, example: null },
        },
      },
    },
  },
};

/** A client generator's method name per handler (the document's `operationId`s are camelCase verbs). */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  ledger: 'getLedgerHistory',
  counts: 'getLedgerCounts',
  stream: 'getStreamHistory',
  dataCenter: 'getDataCenterHistory',
  organisation: 'getOrganisationHistory',
  licence: 'getLicenceHistory',
  dataCenterAsOf: 'getDataCenterAsOf',
  fleetAsOf: 'getFleetAsOf',
  lateFacts: 'listLateFacts',
  byId: 'getEvent',
  list: 'listRules',
};

/** Summary, the roles that may call the operation, its 200 schema and the problems it answers. */
export const AuditOperation = (summary: string, roles: readonly Role[], schema: Schema, description = ''): MethodDecorator => (target, key, descriptor) =>
  applyDecorators(
    ApiOperation({ operationId: OPERATION_IDS[String(key)] ?? String(key), summary, description: `${description}${description ? '\n\n' : ''}Roles: ${roles.join(', ')}.` }),
    ApiOkResponse({ schema }),
    ApiBadRequestResponse({ description: 'A malformed or reversed instant, a bad cursor or limit: problem+json naming the parameter' }),
    ApiNotFoundResponse({ description: 'Unknown, or belonging to another organisation (operators and viewers)' }),
    ApiForbiddenResponse({ description: 'The role may not call this operation' }),
  )(target, key, descriptor);
