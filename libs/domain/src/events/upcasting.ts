import { DomainError } from '../shared/domain-error';
import type { EventEnvelope } from './envelope';
import { usdAmountFromNumber } from '../shared/money';
import type { ChipsTransferredIn, ChipsTransferredOut, LedgerEventType, RevenueShareRemitted } from './ledger-events';
import type { RecordedLedgerEvent } from './recorded';
import { EVENT_SCHEMA_VERSIONS } from './schema-versions';

/**
 * Brings an event's data from `fromVersion` to `fromVersion + 1`. Pure: it may only reshape the data
 * (and read the envelope, e.g. its `occurredAt`), never look anything up.
 */
export interface Upcaster {
  readonly type: LedgerEventType;
  readonly fromVersion: number;
  readonly upcast: (data: unknown, envelope: EventEnvelope) => unknown;
}

/** Upcasters keyed by `(type, fromVersion)`; build it with `createUpcasterRegistry`. */
export type UpcasterRegistry = ReadonlyMap<string, Upcaster>;

const keyOf = (type: string, fromVersion: number): string => `${type}@v${fromVersion}`;

/** Builds a registry, refusing two upcasters for the same step (which one would win would be an accident). */
export const createUpcasterRegistry = (upcasters: readonly Upcaster[]): UpcasterRegistry => {
  const registry = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const key = keyOf(upcaster.type, upcaster.fromVersion);
    if (registry.has(key)) throw new Error(`Two upcasters for ${key}`);
    registry.set(key, upcaster);
  }
  return registry;
};

// ---- The ledger's upcasters ---------------------------------------------------------------------------

/** ChipsTransferredOut before v2: no `permitReference` (the Malaysian permit rule came on 2025-07-14). */
export type ChipsTransferredOutV1Data = Omit<ChipsTransferredOut['data'], 'permitReference'>;
/** ChipsTransferredIn before v2: no `permitReference`. */
export type ChipsTransferredInV1Data = Omit<ChipsTransferredIn['data'], 'permitReference'>;

/**
 * v1 transfers recorded no permit, so the honest v2 value is `null` ("none recorded"): the MY rule then
 * judges them exactly as it would a v2 transfer without a permit.
 */
const addNullPermitReference = (data: unknown): unknown => ({ ...(data as object), permitReference: null });

/** RevenueShareRemitted before v2: `amountUsd` as a JSON number. */
export type RevenueShareRemittedV1Data = Omit<RevenueShareRemitted['data'], 'amountUsd'> & { amountUsd: number };

/**
 * v1 amounts were JSON numbers of at most two fraction digits: their exact decimal is recoverable. A stored
 * amount beyond today's bounds (v1 had none) is kept as recorded: the ledger never rewrites a fact.
 */
const amountAsDecimal = (data: unknown): unknown => {
  const v1 = data as RevenueShareRemittedV1Data;
  return { ...v1, amountUsd: typeof v1.amountUsd === 'number' ? usdAmountFromNumber(v1.amountUsd) : v1.amountUsd };
};

export const LEDGER_UPCASTERS: readonly Upcaster[] = [
  { type: 'ChipsTransferredOut', fromVersion: 1, upcast: addNullPermitReference },
  { type: 'ChipsTransferredIn', fromVersion: 1, upcast: addNullPermitReference },
  { type: 'RevenueShareRemitted', fromVersion: 1, upcast: amountAsDecimal },
];

/** The registry every reader of the store or of Kafka should use. */
export const ledgerUpcasters: UpcasterRegistry = createUpcasterRegistry(LEDGER_UPCASTERS);

export interface UpcastOptions {
  readonly registry?: UpcasterRegistry;
  /** Target version per type; defaults to EVENT_SCHEMA_VERSIONS. */
  readonly currentVersions?: Readonly<Record<string, number>>;
}

/**
 * Brings a stored or received envelope to the current schema version of its type by applying upcasters
 * in a chain (v1 → v2 → ... → current). An envelope already current is returned as is (same object).
 * Refuses with a DomainError an unknown type (`EVENT.UNKNOWN_TYPE`) and a version it cannot bring up:
 * newer than this code knows (written by a newer release: upgrade the reader), not a positive integer, or
 * with a missing step (`EVENT.UNSUPPORTED_SCHEMA_VERSION`). Never mutates its input.
 */
export const upcastEvent = (envelope: EventEnvelope<string, unknown>, options: UpcastOptions = {}): RecordedLedgerEvent => {
  const registry = options.registry ?? ledgerUpcasters;
  const currentVersions: Readonly<Record<string, number>> = options.currentVersions ?? EVENT_SCHEMA_VERSIONS;
  const { type, schemaVersion } = envelope;
  const current = Object.hasOwn(currentVersions, type) ? currentVersions[type] : undefined;
  if (current === undefined) {
    throw new DomainError('EVENT.UNKNOWN_TYPE', `Unknown event type ${type} (event ${envelope.eventId})`, {
      field: 'type',
      details: { type, eventId: envelope.eventId },
    });
  }
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
    throw new DomainError(
      'EVENT.UNSUPPORTED_SCHEMA_VERSION',
      `${type} schema version ${String(schemaVersion)} is not supported: this reader knows versions 1 to ${current}` +
        (schemaVersion > current ? ' (written by a newer release? upgrade this reader)' : ''),
      { field: 'schemaVersion', details: { type, schemaVersion, currentVersion: current, eventId: envelope.eventId } },
    );
  }
  let data = envelope.data;
  for (let version = schemaVersion; version < current; version++) {
    const upcaster = registry.get(keyOf(type, version));
    if (upcaster === undefined) {
      throw new DomainError('EVENT.UNSUPPORTED_SCHEMA_VERSION', `No upcaster for ${type} from version ${version} to ${version + 1}`, {
        field: 'schemaVersion',
        details: { type, schemaVersion, missingStep: version, currentVersion: current, eventId: envelope.eventId },
      });
    }
    data = upcaster.upcast(data, envelope);
  }
  return (schemaVersion === current ? envelope : { ...envelope, schemaVersion: current, data }) as RecordedLedgerEvent;
};
