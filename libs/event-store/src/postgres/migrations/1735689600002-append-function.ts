import { APPEND_EVENTS_PARAMETERS } from './append-signatures';
import { EventStoreMigration } from './event-store-migration';

/** `append_events`: a whole append in one statement and one round trip. (Recorded as `0002_append_function` by the hand-written migrator before TypeORM's.) */
export class AppendFunction1735689600002 extends EventStoreMigration {
  readonly name = 'AppendFunction1735689600002';
  readonly legacyId = '0002_append_function';
  protected readonly sql = `
-- The whole append in one statement and one round trip: idempotency lookup, version check, hash chain
-- (SHA-256 computed here from the canonical JSON the client prepared around the two values only the
-- database knows: the previous hash and its clock), the multi-row INSERT and the idempotency record.
-- Hash layout (see eventHashParts): prefix || prevHash || '","recordedAt":"' || recordedAt || '",' || suffix.
CREATE FUNCTION {{schema}}.append_events${APPEND_EVENTS_PARAMETERS} RETURNS jsonb LANGUAGE plpgsql AS $$
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
`;
}
