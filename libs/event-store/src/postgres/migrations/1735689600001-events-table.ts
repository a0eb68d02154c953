import { EventStoreMigration } from './event-store-migration';

/** The events table (the outbox too), its append-only triggers, the idempotency record and the relays' checkpoints. (Recorded as `0001_events` by the hand-written migrator before TypeORM's.) */
export class EventsTable1735689600001 extends EventStoreMigration {
  readonly name = 'EventsTable1735689600001';
  readonly legacyId = '0001_events';
  protected readonly sql = `
CREATE TABLE {{schema}}.events (
  global_position bigserial   PRIMARY KEY,
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  version         integer     NOT NULL CHECK (version >= 1),
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL,
  actor           jsonb       NOT NULL,
  correlation_id  text        NOT NULL,
  causation_id    text,
  data            jsonb       NOT NULL,
  prev_hash       text        NOT NULL,
  hash            text        NOT NULL,
  -- The writing transaction: tailing readers (relay, embedded feed) read in (tx_id, global_position)
  -- order below the oldest running transaction, so rows committed late are never skipped.
  tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  -- Optimistic concurrency: two appends at the same expected version cannot both insert a version.
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, version)
);
CREATE INDEX events_commit_order_idx ON {{schema}}.events (tx_id, global_position);

-- Append-only: the application never updates or deletes events. (A superuser can still bypass this;
-- the hash chain is what makes that visible.)
CREATE FUNCTION {{schema}}.events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON {{schema}}.events
  FOR EACH ROW EXECUTE FUNCTION {{schema}}.events_reject_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON {{schema}}.events
  FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.events_reject_change();

CREATE TABLE {{schema}}.idempotency (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  result       jsonb       NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- "Published" is a checkpoint in commit-safe order per relay: the events table is the outbox.
CREATE TABLE {{schema}}.relay_checkpoints (
  relay_name text        PRIMARY KEY,
  tx_id      xid8        NOT NULL,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
}
