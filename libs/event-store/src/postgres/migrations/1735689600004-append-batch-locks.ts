import { APPEND_BATCH_PARAMETERS, APPEND_COMMAND_C } from './append-signatures';
import { EventStoreMigration } from './event-store-migration';

/** `append_batch` takes the store's shared lock and a lock timeout, so a command on a locked stream is refused alone. (Recorded as `0004_append_batch_locks` by the hand-written migrator before TypeORM's.) */
export class AppendBatchLocks1735689600004 extends EventStoreMigration {
  readonly name = 'AppendBatchLocks1735689600004';
  readonly legacyId = '0004_append_batch_locks';
  protected readonly sql = `
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
