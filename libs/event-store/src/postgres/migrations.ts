/**
 * The event store's schema, one migration per entry, applied in order by `migrateEventStore`.
 * `{{schema}}` is replaced by the quoted schema name. Never edit an applied migration (the migrator checks
 * a checksum): add a new one.
 */
export interface EventStoreMigration {
  readonly id: string;
  readonly sql: string;
}

export const eventStoreMigrations: readonly EventStoreMigration[] = [
  {
    id: '0001_events',
    sql: `
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
`,
  },
  {
    id: '0002_append_function',
    sql: `
-- The whole append in one statement and one round trip: idempotency lookup, version check, hash chain
-- (SHA-256 computed here from the canonical JSON the client prepared around the two values only the
-- database knows: the previous hash and its clock), the multi-row INSERT and the idempotency record.
-- Hash layout (see eventHashParts): prefix || prevHash || '","recordedAt":"' || recordedAt || '",' || suffix.
CREATE FUNCTION {{schema}}.append_events(
  p_streams          text[],
  p_expected         integer[],
  p_stream_of        integer[],     -- per event: its stream's index in p_streams (1-based)
  p_versions         integer[],
  p_event_ids        uuid[],
  p_types            text[],
  p_schema_versions  integer[],
  p_occurred_at      timestamptz[],
  p_actors           jsonb[],
  p_correlation_ids  text[],
  p_causation_ids    text[],
  p_data             jsonb[],
  p_hash_prefixes    text[],
  p_hash_suffixes    text[],
  p_idem_scope       text,
  p_idem_key         text,
  p_idem_hash        text,
  p_streams_result   jsonb
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  -- Truncated to milliseconds: the stored value is exactly the hashed ISO string.
  v_recorded_at   timestamptz := date_trunc('milliseconds', now());
  v_recorded_text text := to_char(v_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  v_heads         text[] := '{}';
  v_prev_hashes   text[] := '{}';
  v_hashes        text[] := '{}';
  v_version       integer;
  v_hash          text;
  v_idem          record;
  v_positions     jsonb;
  s               integer;
  i               integer;
BEGIN
  IF p_idem_scope IS NOT NULL THEN
    SELECT request_hash, result INTO v_idem FROM {{schema}}.idempotency WHERE scope = p_idem_scope AND key = p_idem_key;
    IF FOUND THEN
      RETURN jsonb_build_object('replayed', true, 'requestHash', v_idem.request_hash, 'result', v_idem.result);
    END IF;
  END IF;

  FOR s IN 1 .. array_length(p_streams, 1) LOOP
    SELECT e.version, e.hash INTO v_version, v_hash
      FROM {{schema}}.events e WHERE e.stream_id = p_streams[s] ORDER BY e.version DESC LIMIT 1;
    IF NOT FOUND THEN
      v_version := 0;
      v_hash := repeat('0', 64);
    END IF;
    IF v_version <> p_expected[s] THEN
      RAISE EXCEPTION 'Stream % is at version %, not at the expected version %', p_streams[s], v_version, p_expected[s]
        USING ERRCODE = 'CL409',
              DETAIL = jsonb_build_object('streamId', p_streams[s], 'expectedVersion', p_expected[s], 'currentVersion', v_version)::text;
    END IF;
    v_heads[s] := v_hash;
  END LOOP;

  FOR i IN 1 .. array_length(p_event_ids, 1) LOOP
    s := p_stream_of[i];
    v_prev_hashes[i] := v_heads[s];
    v_hashes[i] := encode(sha256(convert_to(
      p_hash_prefixes[i] || v_heads[s] || '","recordedAt":"' || v_recorded_text || '",' || p_hash_suffixes[i], 'UTF8')), 'hex');
    v_heads[s] := v_hashes[i];
  END LOOP;

  -- A concurrent append that got in first makes this INSERT fail on unique(stream_id, version).
  WITH ins AS (
    INSERT INTO {{schema}}.events (event_id, stream_id, version, type, schema_version, occurred_at, recorded_at,
                                   actor, correlation_id, causation_id, data, prev_hash, hash)
    SELECT u.event_id, p_streams[u.stream_of], u.version, u.type, u.schema_version, u.occurred_at, v_recorded_at,
           u.actor, u.correlation_id, u.causation_id, u.data, u.prev_hash, u.hash
      FROM unnest(p_event_ids, p_stream_of, p_versions, p_types, p_schema_versions, p_occurred_at,
                  p_actors, p_correlation_ids, p_causation_ids, p_data, v_prev_hashes, v_hashes)
        AS u(event_id, stream_of, version, type, schema_version, occurred_at,
             actor, correlation_id, causation_id, data, prev_hash, hash)
     -- Every append takes its (stream_id, version) index entries in the same order, so two appends to the
     -- same streams listed in different orders wait for each other instead of deadlocking.
     ORDER BY p_streams[u.stream_of], u.version
    RETURNING event_id, global_position
  )
  SELECT jsonb_object_agg(event_id::text, global_position) INTO v_positions FROM ins;

  IF p_idem_scope IS NOT NULL THEN
    -- Same statement, same transaction: a concurrent request with the same key fails here or on the events.
    INSERT INTO {{schema}}.idempotency (scope, key, request_hash, result)
    VALUES (p_idem_scope, p_idem_key, p_idem_hash,
            jsonb_build_object('recordedAt', v_recorded_text, 'streams', p_streams_result, 'positions', v_positions));
  END IF;

  RETURN jsonb_build_object('replayed', false, 'recordedAt', v_recorded_text, 'positions', v_positions);
END
$$;
`,
  },
  {
    id: '0003_append_batch_function',
    sql: `
-- Group commit: the appends of several independent commands in one statement, one transaction and one
-- WAL flush. Each command runs append_events in its own sub-transaction (the EXCEPTION block), so a stale
-- expected version or a lost race refuses that command alone and the others still commit. Commands are
-- applied in order, so a later command on a stream an earlier one just wrote sees the new version (and is
-- refused if it decided on the old one), exactly as if they had run one after the other.
-- The per-stream and per-event arrays are the commands' arrays concatenated; p_stream_counts and
-- p_event_counts cut them back into commands. p_stream_of is relative to the command's own streams.
-- Answers a jsonb array, one element per command: append_events' outcome, or {failed, detail, constraint}.
CREATE FUNCTION {{schema}}.append_batch(
  p_stream_counts    integer[],
  p_event_counts     integer[],
  p_streams          text[],
  p_expected         integer[],
  p_stream_of        integer[],
  p_versions         integer[],
  p_event_ids        uuid[],
  p_types            text[],
  p_schema_versions  integer[],
  p_occurred_at      timestamptz[],
  p_actors           jsonb[],
  p_correlation_ids  text[],
  p_causation_ids    text[],
  p_data             jsonb[],
  p_hash_prefixes    text[],
  p_hash_suffixes    text[],
  p_idem_scopes      text[],
  p_idem_keys        text[],
  p_idem_hashes      text[],
  p_streams_results  jsonb[]
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_out        jsonb[] := '{}';
  v_detail     text;
  v_constraint text;
  s0 integer := 1;
  e0 integer := 1;
  s1 integer;
  e1 integer;
  c  integer;
BEGIN
  FOR c IN 1 .. array_length(p_stream_counts, 1) LOOP
    s1 := s0 + p_stream_counts[c] - 1;
    e1 := e0 + p_event_counts[c] - 1;
    BEGIN
      v_out[c] := {{schema}}.append_events(
        p_streams[s0:s1], p_expected[s0:s1], p_stream_of[e0:e1], p_versions[e0:e1], p_event_ids[e0:e1], p_types[e0:e1],
        p_schema_versions[e0:e1], p_occurred_at[e0:e1], p_actors[e0:e1], p_correlation_ids[e0:e1], p_causation_ids[e0:e1],
        p_data[e0:e1], p_hash_prefixes[e0:e1], p_hash_suffixes[e0:e1],
        p_idem_scopes[c], p_idem_keys[c], p_idem_hashes[c], p_streams_results[c]);
    EXCEPTION
      WHEN SQLSTATE 'CL409' THEN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        v_out[c] := jsonb_build_object('failed', 'CL409', 'detail', v_detail);
      WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
        v_out[c] := jsonb_build_object('failed', '23505', 'detail', v_detail, 'constraint', v_constraint);
    END;
    s0 := s1 + 1;
    e0 := e1 + 1;
  END LOOP;
  RETURN to_jsonb(v_out);
END
$$;
`,
  },
  {
    id: '0004_append_batch_locks',
    sql: `
-- 1. Lock waits. A command waits on a row lock only when another transaction inserted the same
-- (stream_id, version) or idempotency key and has not finished. The service's own transactions are short; one
-- held open elsewhere (an operator's session) would hold up the batch, and with it every later append of the
-- instance, for as long as it stays open. So lock waits inside a batch end after 5 s (lock_timeout, local to
-- the statement's transaction): the waiting command alone is refused ('55P03', answered 503: retry), the others
-- commit, and later commands of the batch on a stream found locked are refused at once instead of waiting 5 s
-- each.
--
-- 2. The relay's horizon. Tailing in commit-safe order needs the oldest transaction that may still add events.
-- pg_snapshot_xmin() is the oldest transaction of the whole PostgreSQL cluster, any database, any table: one
-- long transaction elsewhere (a projector catching up in its own database) held every relay back for as long
-- as it ran. So an append announces itself: before its transaction has an id, it takes a shared advisory lock
-- named after this store, and it must be its transaction's first write (checked). relay_horizon() then waits
-- only for transactions in progress at the statement's snapshot that are appending to this store now, or have
-- ended since (they may have been); running transactions that do not hold the lock cannot add events later,
-- because an append that starts after its transaction has an id is refused.
CREATE FUNCTION {{schema}}.relay_horizon() RETURNS xid8 LANGUAGE sql STABLE AS $$
  WITH snap AS (SELECT pg_current_snapshot() AS s),
  in_progress AS (
    SELECT x::text::bigint AS x8 FROM snap, pg_snapshot_xip(snap.s) AS x
  ),
  -- ONE read of the lock table, so both lists below come from the same instant. (Two reads let a transaction
  -- seem running in one and not appending in the other, when it committed in between: it was then skipped.)
  -- An append holds its advisory lock from before its transaction id exists until after that id's lock is
  -- released at commit, so in one consistent read an appender's id never shows without its advisory lock.
  locks AS MATERIALIZED (
    SELECT l.locktype, l.pid, l.mode, l.database, l.classid, l.objid, l.objsubid, l.transactionid FROM pg_locks l
     WHERE l.granted AND l.locktype IN ('advisory', 'transactionid')
  ),
  appenders AS (
    SELECT l.pid FROM locks l
     WHERE l.locktype = 'advisory' AND l.objsubid = 2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = 1128811591::oid AND l.objid = hashtext('{{schema}}')::oid
  ),
  others_running AS (
    SELECT l.transactionid::text::bigint AS x32 FROM locks l
     WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock'
       AND l.pid NOT IN (SELECT pid FROM appenders)
  )
  SELECT coalesce(
    (SELECT min(p.x8) FROM in_progress p WHERE (p.x8 & 4294967295) NOT IN (SELECT x32 FROM others_running)),
    (SELECT pg_snapshot_xmax(snap.s)::text::bigint FROM snap)
  )::text::xid8
$$;

CREATE OR REPLACE FUNCTION {{schema}}.append_batch(
  p_stream_counts    integer[],
  p_event_counts     integer[],
  p_streams          text[],
  p_expected         integer[],
  p_stream_of        integer[],
  p_versions         integer[],
  p_event_ids        uuid[],
  p_types            text[],
  p_schema_versions  integer[],
  p_occurred_at      timestamptz[],
  p_actors           jsonb[],
  p_correlation_ids  text[],
  p_causation_ids    text[],
  p_data             jsonb[],
  p_hash_prefixes    text[],
  p_hash_suffixes    text[],
  p_idem_scopes      text[],
  p_idem_keys        text[],
  p_idem_hashes      text[],
  p_streams_results  jsonb[]
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_out        jsonb[] := '{}';
  v_blocked    text[] := '{}';
  v_detail     text;
  v_constraint text;
  s0 integer := 1;
  e0 integer := 1;
  s1 integer;
  e1 integer;
  c  integer;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_batch must be the first write of its transaction: the relay horizon relies on it';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1128811591, hashtext('{{schema}}'));
  PERFORM set_config('lock_timeout', '5s', true);
  FOR c IN 1 .. array_length(p_stream_counts, 1) LOOP
    s1 := s0 + p_stream_counts[c] - 1;
    e1 := e0 + p_event_counts[c] - 1;
    IF p_streams[s0:s1] && v_blocked THEN
      v_out[c] := jsonb_build_object('failed', '55P03', 'detail', 'an earlier command of this batch found the stream locked');
    ELSE
      BEGIN
        v_out[c] := {{schema}}.append_events(
          p_streams[s0:s1], p_expected[s0:s1], p_stream_of[e0:e1], p_versions[e0:e1], p_event_ids[e0:e1], p_types[e0:e1],
          p_schema_versions[e0:e1], p_occurred_at[e0:e1], p_actors[e0:e1], p_correlation_ids[e0:e1], p_causation_ids[e0:e1],
          p_data[e0:e1], p_hash_prefixes[e0:e1], p_hash_suffixes[e0:e1],
          p_idem_scopes[c], p_idem_keys[c], p_idem_hashes[c], p_streams_results[c]);
      EXCEPTION
        WHEN SQLSTATE 'CL409' THEN
          GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
          v_out[c] := jsonb_build_object('failed', 'CL409', 'detail', v_detail);
        WHEN unique_violation THEN
          GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
          v_out[c] := jsonb_build_object('failed', '23505', 'detail', v_detail, 'constraint', v_constraint);
        WHEN lock_not_available THEN
          v_blocked := v_blocked || p_streams[s0:s1];
          v_out[c] := jsonb_build_object('failed', '55P03', 'detail', 'a lock on the stream or idempotency key is held by another transaction');
      END;
    END IF;
    s0 := s1 + 1;
    e0 := e1 + 1;
  END LOOP;
  RETURN to_jsonb(v_out);
END
$$;
`,
  },
  {
    id: '0005_auditor_read_indexes',
    sql: `
-- The auditors' read side (libs/audit-read) reads history across streams: everything about a data center
-- (most events name it in data.dataCenterId), every use of a licence (data.licenceId), a provider's rentals, the
-- catalog, and the whole ledger in the order it learned things (recorded_at). Without these, each of those reads
-- scans every event of the store. Expression indexes only on the events that carry the key (partial), so the
-- append pays only where the key exists.
CREATE INDEX events_data_center_idx ON {{schema}}.events ((data->>'dataCenterId'), global_position)
  WHERE (data->>'dataCenterId') IS NOT NULL;
CREATE INDEX events_licence_idx ON {{schema}}.events ((data->>'licenceId'), global_position)
  WHERE (data->>'licenceId') IS NOT NULL;
CREATE INDEX events_rental_provider_idx ON {{schema}}.events ((data->>'providerDataCenterId'))
  WHERE type = 'RentalStarted';
CREATE INDEX events_catalog_idx ON {{schema}}.events (global_position)
  WHERE type IN ('ChipModelAdded', 'ChipModelCorrected');
CREATE INDEX events_recorded_order_idx ON {{schema}}.events (recorded_at, global_position);
-- The facts that tie an aggregate to an organisation: its data centers, licences, orders and rentals as tenant.
CREATE INDEX events_organisation_ref_idx ON {{schema}}.events
  ((COALESCE(data->>'ownerOrganisationId', data->>'consigneeOrganisationId', data->>'buyerOrganisationId', data->>'tenantOrganisationId')))
  WHERE type IN ('DataCenterRegistered', 'ExportLicenceIssued', 'PurchaseOrderPlaced', 'RentalStarted');
  `,
  },
  {
    id: '0006_xid_before_position',
    sql: `
-- Watermarks (ADR 0019). A reader of the log proves "every event at or below global position L has been read"
-- from a read whose snapshot saw L as the highest visible position: every lower position was taken before L, by
-- a transaction that then already had its id, so below that snapshot's xmax; once the relay's horizon has passed
-- that xmax, all of them have finished and were read. That needs the transaction id to exist before the first
-- position is taken. The INSERT took the position (the bigserial default of the first column) before the tx_id
-- default assigned the id, a few microseconds in which a snapshot could fall. So append_batch now takes its
-- transaction id right after announcing itself, before anything is inserted. Otherwise unchanged (0004).
CREATE OR REPLACE FUNCTION {{schema}}.append_batch(
  p_stream_counts    integer[],
  p_event_counts     integer[],
  p_streams          text[],
  p_expected         integer[],
  p_stream_of        integer[],
  p_versions         integer[],
  p_event_ids        uuid[],
  p_types            text[],
  p_schema_versions  integer[],
  p_occurred_at      timestamptz[],
  p_actors           jsonb[],
  p_correlation_ids  text[],
  p_causation_ids    text[],
  p_data             jsonb[],
  p_hash_prefixes    text[],
  p_hash_suffixes    text[],
  p_idem_scopes      text[],
  p_idem_keys        text[],
  p_idem_hashes      text[],
  p_streams_results  jsonb[]
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_out        jsonb[] := '{}';
  v_blocked    text[] := '{}';
  v_detail     text;
  v_constraint text;
  s0 integer := 1;
  e0 integer := 1;
  s1 integer;
  e1 integer;
  c  integer;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_batch must be the first write of its transaction: the relay horizon relies on it';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(1128811591, hashtext('{{schema}}'));
  -- The transaction id before any global position (migration 0006): see the comment above.
  PERFORM pg_current_xact_id();
  PERFORM set_config('lock_timeout', '5s', true);
  FOR c IN 1 .. array_length(p_stream_counts, 1) LOOP
    s1 := s0 + p_stream_counts[c] - 1;
    e1 := e0 + p_event_counts[c] - 1;
    IF p_streams[s0:s1] && v_blocked THEN
      v_out[c] := jsonb_build_object('failed', '55P03', 'detail', 'an earlier command of this batch found the stream locked');
    ELSE
      BEGIN
        v_out[c] := {{schema}}.append_events(
          p_streams[s0:s1], p_expected[s0:s1], p_stream_of[e0:e1], p_versions[e0:e1], p_event_ids[e0:e1], p_types[e0:e1],
          p_schema_versions[e0:e1], p_occurred_at[e0:e1], p_actors[e0:e1], p_correlation_ids[e0:e1], p_causation_ids[e0:e1],
          p_data[e0:e1], p_hash_prefixes[e0:e1], p_hash_suffixes[e0:e1],
          p_idem_scopes[c], p_idem_keys[c], p_idem_hashes[c], p_streams_results[c]);
      EXCEPTION
        WHEN SQLSTATE 'CL409' THEN
          GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
          v_out[c] := jsonb_build_object('failed', 'CL409', 'detail', v_detail);
        WHEN unique_violation THEN
          GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
          v_out[c] := jsonb_build_object('failed', '23505', 'detail', v_detail, 'constraint', v_constraint);
        WHEN lock_not_available THEN
          v_blocked := v_blocked || p_streams[s0:s1];
          v_out[c] := jsonb_build_object('failed', '55P03', 'detail', 'a lock on the stream or idempotency key is held by another transaction');
      END;
    END IF;
    s0 := s1 + 1;
    e0 := e1 + 1;
  END LOOP;
  RETURN to_jsonb(v_out);
END
$$;
`,
  },
];
