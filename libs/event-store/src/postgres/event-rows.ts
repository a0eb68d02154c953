import type { Actor } from '@chip-ledger/domain';
import type { StoredEvent } from '../port/event-store.port';

/** The columns every read selects, in the shape `toStoredEvent` maps. */
export const EVENT_COLUMNS = `global_position, event_id::text AS event_id, stream_id, version, type, schema_version,
  occurred_at, recorded_at, actor, correlation_id, causation_id, data, prev_hash, hash`;

export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  actor: Actor;
  correlation_id: string;
  causation_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

/** Times come back as ISO strings with milliseconds, exactly as they were hashed. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
    // bigint arrives as a string; positions stay far below 2^53.
    globalPosition: Number(row.global_position),
  };
}
