import { APPEND_BATCH_PARAMETERS, APPEND_COMMAND_C } from './append-signatures';
import { EventStoreMigration } from './event-store-migration';

/** `append_batch`: several commands' appends in one round trip, each refused alone. (Recorded as `0003_append_batch_function` by the hand-written migrator before TypeORM's.) */
export class AppendBatchFunction1735689600003 extends EventStoreMigration {
  readonly name = 'AppendBatchFunction1735689600003';
  readonly legacyId = '0003_append_batch_function';
  protected readonly sql = `
-- Group commit: the appends of several independent commands in one statement, one transaction and one
-- WAL flush. Each command runs append_events in its own sub-transaction (the EXCEPTION block), so a stale
-- expected version or a lost race refuses that command alone and the others still commit. Commands are
-- applied in order, so a later command on a stream an earlier one just wrote sees the new version (and is
-- refused if it decided on the old one), exactly as if they had run one after the other.
-- The per-stream and per-event arrays are the commands' arrays concatenated; p_stream_counts and
-- p_event_counts cut them back into commands. p_stream_of is relative to the command's own streams.
-- Answers a jsonb array, one element per command: append_events' outcome, or {failed, detail, constraint}.
CREATE FUNCTION {{schema}}.append_batch${APPEND_BATCH_PARAMETERS} RETURNS jsonb LANGUAGE plpgsql AS $$
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
      v_out[c] := ${APPEND_COMMAND_C};
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
`;
}
