import { IdempotencyRecord } from './idempotency-record.entity';
import { RelayCheckpointRecord } from './relay-checkpoint.entity';
import { StoredEventRecord } from './stored-event.entity';

export { IdempotencyRecord, RelayCheckpointRecord, StoredEventRecord };

/** The event store's entities, for a DataSource that reads its tables. */
export const EVENT_STORE_ENTITIES = [StoredEventRecord, IdempotencyRecord, RelayCheckpointRecord] as const;
