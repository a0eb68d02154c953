import { APPEND_BATCH_PARAMETERS, APPEND_COMMAND_C } from './append-signatures';
import { EventStoreMigration } from './event-store-migration';

/** `append_batch` takes its transaction id before any global position (watermarks, ADR 0019). (Recorded as `0006_xid_before_position` by the hand-written migrator before TypeORM's.) */
export class XidBeforePosition1735689600006 extends EventStoreMigration {
  readonly name = 'XidBeforePosition1735689600006';
  readonly legacyId = '0006_xid_before_position';
  protected readonly sql = `
-- Watermarks (ADR 0019). A reader of the log proves "every event at or below global position L has been read"
-- from a read whose snapshot saw L as the highest visible position: every lower position was taken before L, by
-- a transaction that then already had its id, so below that snapshot's xmax; once the relay's horizon has passed
-- that xmax, all of them have finished and were read. That needs the transaction id to exist before the first
-- position is taken. The INSERT took the position (the bigserial default of the first column) before the tx_id
-- default assigned the id, a few microseconds in which a snapshot could fall. So append_batch now takes its
-- transaction id right after announcing itself, before anything is inserted. Otherwise unchanged (0004).
CREATE OR REPLACE FUNCTION {{schema}}.append_batch${APPEND_BATCH_PARAMETERS} RETURNS jsonb LANGUAGE plpgsql AS $$
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
        v_out[c] := ${APPEND_COMMAND_C};
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
`;
}
