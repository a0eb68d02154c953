import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { CompletenessTracker, LOG_START } from '../port/event-log.port';
import { InvalidAppendError, StoreBusyError, WrongExpectedVersionError } from '../port/event-store.errors';
import type { NewEvent } from '../port/event-store.port';
import { eventStoreMigrationScope, migrateEventStore } from './migrations';
import { PostgresEventStore, readStreamsStatement } from './postgres-event-store';
import { useStoreTestBed } from '../testing/store-test-bed';

const MIGRATIONS = eventStoreMigrationScope('procurement').migrations.map((migration) => migration.name as string);

const actor = { id: 'user-1', organisation: 'org-1', role: 'operator' } as const;

function newEvent(data: Record<string, unknown> = {}, type = 'ChipsDelivered'): NewEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, occurredAt: '2025-11-05T08:00:00Z', actor, correlationId: randomUUID(), causationId: null, data };
}

describe('PostgresEventStore (real PostgreSQL)', () => {
  const bed = useStoreTestBed('event_store', { poolSize: 8 });

  describe('migrations', () => {
    it('are recorded once and skipped when run again', async () => {
      const again = await migrateEventStore(bed.db.dataSource, bed.store.schema);
      expect(MIGRATIONS).toEqual([
        'EventsTable1735689600001',
        'AppendFunction1735689600002',
        'AppendBatchFunction1735689600003',
        'AppendBatchLocks1735689600004',
        'AuditorReadIndexes1735689600005',
        'XidBeforePosition1735689600006',
      ]);
      expect(again).toEqual({ schema: 'procurement', applied: [], alreadyApplied: MIGRATIONS });
      const { rows } = await bed.pool.query('SELECT name FROM procurement.migrations ORDER BY id');
      expect(rows).toEqual(MIGRATIONS.map((name) => ({ name })));
    });

    it('keep each service in its own schema', async () => {
      const rental = new PostgresEventStore(bed.pool, 'rental');
      expect((await migrateEventStore(bed.db.dataSource, rental.schema)).applied).toEqual(MIGRATIONS);
      await rental.append([{ streamId: 'rental-r1', expectedVersion: 0, events: [newEvent()] }]);
      expect(await bed.store.streamVersion('rental-r1')).toBe(0);
      expect(await rental.streamVersion('rental-r1')).toBe(1);
    });

    it('refuse a schema name that is not a plain identifier', () => {
      expect(() => new PostgresEventStore(bed.pool, 'x; DROP TABLE y')).toThrow(InvalidAppendError);
    });
  });

  describe('batched stream reads', () => {
    it('look each stream up by its (stream_id, version) index, also in a generic plan over an analysed store', async () => {
      // A plain join of the wanted streams with events became a hash join over every event once ANALYZE had
      // run (a cost growing with the whole store, paid by every command): the plan must stay per stream.
      const plans = new PostgresEventStore(bed.pool, 'plans');
      await migrateEventStore(bed.db.dataSource, plans.schema);
      for (let s = 0; s < 40; s++) {
        await plans.append([{ streamId: `plan-${s}`, expectedVersion: 0, events: Array.from({ length: 50 }, () => newEvent({ s })) }]);
      }
      const client = await bed.pool.connect();
      try {
        await client.query('ANALYZE plans.events');
        await client.query('SET plan_cache_mode = force_generic_plan');
        await client.query(`PREPARE batched_reads(text[], int[]) AS ${readStreamsStatement('plans')}`);
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE batched_reads('{plan-1,plan-2}', '{50,1}')`);
        const plan = JSON.stringify(rows[0]['QUERY PLAN']);
        expect(plan).toContain('events_stream_version_key');
        expect(plan).not.toContain('Seq Scan');
        const answers = await client.query<{ stream_id: string; version: number; request: number }>(`EXECUTE batched_reads('{plan-1,plan-2}', '{50,49}')`);
        expect(answers.rows.map((r) => [r.request, r.stream_id, r.version])).toEqual([
          [1, 'plan-1', 50],
          [2, 'plan-2', 49],
          [2, 'plan-2', 50],
        ]);
      } finally {
        // Only this test's statement: pg remembers which of its named statements each connection has prepared.
        await client.query('DEALLOCATE batched_reads; RESET plan_cache_mode');
        client.release();
      }
    });
  });

  describe('append and read', () => {
    it('stores envelopes with versions, one recordedAt per append, and positions as the read-your-writes token', async () => {
      const first = newEvent({ quantity: 512, model: 'H20' }, 'ChipsPurchased');
      const second = { ...newEvent({ quantity: 8 }), causationId: first.eventId, occurredAt: '2025-11-05T09:15:30.5+08:00' };
      const result = await bed.store.append([{ streamId: 'purchase-order-po1', expectedVersion: 0, events: [first, second] }]);

      expect(result.replayed).toBe(false);
      expect(result.streams).toEqual([
        { streamId: 'purchase-order-po1', version: 2, eventIds: [first.eventId, second.eventId], globalPositions: [expect.any(Number), expect.any(Number)] },
      ]);
      const [p1, p2] = result.streams[0].globalPositions;
      expect(p2).toBeGreaterThan(p1);
      expect(result.position).toBe(p2);

      const events = await bed.store.readStream('purchase-order-po1');
      expect(events).toEqual([
        {
          eventId: first.eventId,
          type: 'ChipsPurchased',
          schemaVersion: 1,
          streamId: 'purchase-order-po1',
          version: 1,
          occurredAt: '2025-11-05T08:00:00.000Z',
          recordedAt: result.recordedAt,
          actor,
          correlationId: first.correlationId,
          causationId: null,
          data: { quantity: 512, model: 'H20' },
          prevHash: '0'.repeat(64),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          globalPosition: p1,
        },
        expect.objectContaining({ version: 2, occurredAt: '2025-11-05T01:15:30.500Z', causationId: first.eventId, prevHash: events[0].hash, globalPosition: p2 }),
      ]);
      expect(Math.abs(Date.parse(result.recordedAt) - Date.now())).toBeLessThan(60_000);
      expect(await bed.store.streamVersion('purchase-order-po1')).toBe(2);
      expect(await bed.store.streamVersion('purchase-order-none')).toBe(0);
      expect(await bed.store.readStream('purchase-order-po1', { fromVersion: 2 })).toEqual([events[1]]);
    });

    it('refuses a stale expected version with the current version, and writes nothing', async () => {
      await bed.store.append([{ streamId: 'data-center-dc1', expectedVersion: 0, events: [newEvent(), newEvent()] }]);
      const stale = bed.store.append([{ streamId: 'data-center-dc1', expectedVersion: 1, events: [newEvent()] }]);
      await expect(stale).rejects.toThrow(WrongExpectedVersionError);
      await expect(stale).rejects.toMatchObject({ streamId: 'data-center-dc1', expectedVersion: 1, currentVersion: 2, code: 'EVENT_STORE.WRONG_EXPECTED_VERSION' });
      await expect(bed.store.append([{ streamId: 'data-center-dc1', expectedVersion: 0, events: [newEvent()] }])).rejects.toMatchObject({ currentVersion: 2 });
      expect(await bed.store.streamVersion('data-center-dc1')).toBe(2);
    });

    it('lets exactly one of two concurrent appends at the same expected version win', async () => {
      // Hold every INSERT for 150 ms before it writes, so both appends have read the same head (and passed
      // the version check) before either inserts: the loser is stopped by unique(stream_id, version).
      // Two store instances (two service instances): their appends are two transactions, not one batch.
      const other = new PostgresEventStore(bed.pool, 'procurement');
      await bed.pool.query(`CREATE FUNCTION procurement.hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.15); RETURN NULL; END $$`);
      await bed.pool.query(`CREATE TRIGGER hold BEFORE INSERT ON procurement.events FOR EACH STATEMENT EXECUTE FUNCTION procurement.hold()`);
      try {
        for (const streamId of ['chip-stock-race.a', 'chip-stock-race.b', 'chip-stock-race.c']) {
          const [a, b] = [newEvent({ writer: 'a' }), newEvent({ writer: 'b' })];
          const outcomes = await Promise.allSettled([
            bed.store.append([{ streamId, expectedVersion: 0, events: [a] }]),
            other.append([{ streamId, expectedVersion: 0, events: [b] }]),
          ]);
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0].reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(lost[0].reason).toMatchObject({ streamId, expectedVersion: 0, currentVersion: 1 });
          const events = await bed.store.readStream(streamId);
          expect(events).toHaveLength(1);
          expect(events[0].version).toBe(1);
        }
      } finally {
        await bed.pool.query('DROP TRIGGER hold ON procurement.events; DROP FUNCTION procurement.hold()');
      }
    });

    it('does not deadlock when two transfers list the same streams in opposite orders', async () => {
      await bed.store.append([{ streamId: 'chip-stock-x.H20', expectedVersion: 0, events: [newEvent()] }]);
      await bed.store.append([{ streamId: 'chip-stock-y.H20', expectedVersion: 0, events: [newEvent()] }]);
      // Both pass the version check, then insert row by row, slowly: unordered, each would hold one stream's
      // index entry and wait for the other's (a deadlock, 40P01); ordered, the second waits, then loses cleanly.
      // Two store instances, so the two appends are two concurrent transactions rather than one batch.
      const other = new PostgresEventStore(bed.pool, 'procurement');
      await bed.pool.query(`CREATE FUNCTION procurement.hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.1); RETURN NEW; END $$`);
      await bed.pool.query(`CREATE TRIGGER hold BEFORE INSERT ON procurement.events FOR EACH ROW EXECUTE FUNCTION procurement.hold()`);
      try {
        const outcomes = await Promise.allSettled([
          bed.store.append([
            { streamId: 'chip-stock-x.H20', expectedVersion: 1, events: [newEvent()] },
            { streamId: 'chip-stock-y.H20', expectedVersion: 1, events: [newEvent()] },
          ]),
          other.append([
            { streamId: 'chip-stock-y.H20', expectedVersion: 1, events: [newEvent()] },
            { streamId: 'chip-stock-x.H20', expectedVersion: 1, events: [newEvent()] },
          ]),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason).toBeInstanceOf(WrongExpectedVersionError);
        expect([await bed.store.streamVersion('chip-stock-x.H20'), await bed.store.streamVersion('chip-stock-y.H20')]).toEqual([2, 2]);
      } finally {
        await bed.pool.query('DROP TRIGGER hold ON procurement.events; DROP FUNCTION procurement.hold()');
      }
    });

    it('appends to several streams atomically: a conflict on the second writes nothing on the first', async () => {
      await bed.store.append([{ streamId: 'chip-stock-dc2.H20', expectedVersion: 0, events: [newEvent({ quantity: 100 })] }]);
      await bed.store.append([{ streamId: 'chip-stock-dc3.H20', expectedVersion: 0, events: [newEvent({ quantity: 5 })] }]);

      const transfer = bed.store.append([
        { streamId: 'chip-stock-dc2.H20', expectedVersion: 1, events: [newEvent({ quantity: -10 }, 'ChipsTransferredOut')] },
        { streamId: 'chip-stock-dc3.H20', expectedVersion: 0, events: [newEvent({ quantity: 10 }, 'ChipsTransferredIn')] },
      ]);
      await expect(transfer).rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: 'chip-stock-dc3.H20', currentVersion: 1 });
      expect(await bed.store.streamVersion('chip-stock-dc2.H20')).toBe(1);

      const ok = await bed.store.append([
        { streamId: 'chip-stock-dc2.H20', expectedVersion: 1, events: [newEvent({ quantity: -10 }, 'ChipsTransferredOut')] },
        { streamId: 'chip-stock-dc3.H20', expectedVersion: 1, events: [newEvent({ quantity: 10 }, 'ChipsTransferredIn')] },
      ]);
      expect(ok.streams.map((s) => [s.streamId, s.version])).toEqual([['chip-stock-dc2.H20', 2], ['chip-stock-dc3.H20', 2]]);
      expect(ok.position).toBe(Math.max(...ok.streams.flatMap((s) => s.globalPositions)));
    });

    describe('group commit (concurrent appends share one statement)', () => {
      it('commits concurrent commands in one transaction and refuses only the stale one', async () => {
        await bed.store.append([{ streamId: 'group-stale', expectedVersion: 0, events: [newEvent()] }]);
        const fresh = Array.from({ length: 20 }, (_, i) => bed.store.append([{ streamId: `group-${i}`, expectedVersion: 0, events: [newEvent({ i })] }]));
        const stale = bed.store.append([{ streamId: 'group-stale', expectedVersion: 0, events: [newEvent({ stale: true })] }]);
        const results = await Promise.all(fresh);
        await expect(stale).rejects.toMatchObject({ name: 'WrongExpectedVersionError', streamId: 'group-stale', expectedVersion: 0, currentVersion: 1 });
        // One transaction: one database clock reading and one transaction id for all twenty.
        expect(new Set(results.map((result) => result.recordedAt)).size).toBe(1);
        const { rows } = await bed.pool.query<{ transactions: string }>(`SELECT count(DISTINCT tx_id)::text AS transactions FROM procurement.events WHERE stream_id LIKE 'group-%' AND stream_id <> 'group-stale'`);
        expect(rows[0].transactions).toBe('1');
        expect(await bed.store.readStream('group-stale')).toHaveLength(1);
        for (const [i, result] of results.entries()) {
          expect(result.streams).toEqual([expect.objectContaining({ streamId: `group-${i}`, version: 1 })]);
          expect((await bed.store.readStream(`group-${i}`))[0].data).toEqual({ i });
        }
      });

      it('applies the commands of one batch in order: a second decision on the same version is refused', async () => {
        const [first, second] = await Promise.allSettled([
          bed.store.append([{ streamId: 'group-same', expectedVersion: 0, events: [newEvent({ n: 1 })] }]),
          bed.store.append([{ streamId: 'group-same', expectedVersion: 0, events: [newEvent({ n: 2 })] }]),
        ]);
        expect(first.status).toBe('fulfilled');
        expect(second).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', currentVersion: 1 } });
        const events = await bed.store.readStream('group-same');
        expect(events.map((event) => event.data)).toEqual([{ n: 1 }]);
        // The chain still links: the batch's inserts see each other's hashes.
        expect((await bed.store.verifyStream('group-same')).ok).toBe(true);
      });

      it('retries each command alone when the batch statement itself fails, so only the faulty one fails', async () => {
        await bed.pool.query(`CREATE FUNCTION procurement.explode() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.data ? 'explode' THEN RAISE EXCEPTION 'boom' USING ERRCODE = 'P0001'; END IF; RETURN NEW; END $$`);
        await bed.pool.query(`CREATE TRIGGER explode BEFORE INSERT ON procurement.events FOR EACH ROW EXECUTE FUNCTION procurement.explode()`);
        try {
          const outcomes = await Promise.allSettled([
            bed.store.append([{ streamId: 'group-ok-1', expectedVersion: 0, events: [newEvent()] }]),
            bed.store.append([{ streamId: 'group-bad', expectedVersion: 0, events: [newEvent({ explode: true })] }]),
            bed.store.append([{ streamId: 'group-ok-2', expectedVersion: 0, events: [newEvent()] }]),
          ]);
          expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
          expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'boom' });
          expect([await bed.store.streamVersion('group-ok-1'), await bed.store.streamVersion('group-bad'), await bed.store.streamVersion('group-ok-2')]).toEqual([1, 0, 1]);
        } finally {
          await bed.pool.query('DROP TRIGGER explode ON procurement.events; DROP FUNCTION procurement.explode()');
        }
      });

      it('turns a deadlock between two instances into clean refusals, never an error', async () => {
        // Instance A batches two commands (Y, then X); instance B appends one transfer over both (its rows
        // go in stream order: X, then Y). A slow per-row trigger makes each hold its first row while it asks
        // for the other's, and PostgreSQL aborts one of them (40P01). Whichever it is tries again alone and
        // finds the streams taken: 409s, and the other side's events are all there is. A's rows are slower,
        // so B waits first and is the one aborted: the path of a lone command retried after a deadlock.
        const [a, b] = [new PostgresEventStore(bed.pool, 'procurement'), new PostgresEventStore(bed.pool, 'procurement')];
        await bed.pool.query(`CREATE FUNCTION procurement.hold() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_sleep(CASE WHEN NEW.data->>'by' = 'a' THEN 0.3 ELSE 0.2 END); RETURN NEW; END $$`);
        await bed.pool.query(`CREATE TRIGGER hold BEFORE INSERT ON procurement.events FOR EACH ROW EXECUTE FUNCTION procurement.hold()`);
        try {
          const outcomes = await Promise.allSettled([
            a.append([{ streamId: 'group-cross-y', expectedVersion: 0, events: [newEvent({ by: 'a' })] }]),
            a.append([{ streamId: 'group-cross-x', expectedVersion: 0, events: [newEvent({ by: 'a' })] }]),
            b.append([
              { streamId: 'group-cross-x', expectedVersion: 0, events: [newEvent({ by: 'b' })] },
              { streamId: 'group-cross-y', expectedVersion: 0, events: [newEvent({ by: 'b' })] },
            ]),
          ]);
          const statuses = outcomes.map((o) => o.status);
          expect([
            ['fulfilled', 'fulfilled', 'rejected'],
            ['rejected', 'rejected', 'fulfilled'],
          ]).toContainEqual(statuses);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
          }
          const winner = statuses[0] === 'fulfilled' ? 'a' : 'b';
          expect((await bed.store.readStream('group-cross-x')).map((event) => event.data)).toEqual([{ by: winner }]);
          expect((await bed.store.readStream('group-cross-y')).map((event) => event.data)).toEqual([{ by: winner }]);
        } finally {
          await bed.pool.query('DROP TRIGGER hold ON procurement.events; DROP FUNCTION procurement.hold()');
        }
      });

      it('answers commands whose answer was lost after they committed with their own events, not a refusal', async () => {
        // The statement commits, then its answer is lost (what a dropped connection does). Each command is
        // tried again alone, is refused (its stream moved: by itself), and must then be answered as written.
        let lose = 1;
        const lossy = new Proxy(bed.pool, {
          get(target, property) {
            if (property !== 'query') return Reflect.get(target, property);
            return async (...args: Parameters<Pool['query']>) => {
              const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
              const config = args[0] as { name?: string };
              if (lose > 0 && config.name?.startsWith('es_append_batch')) {
                lose--;
                throw new Error('Connection terminated unexpectedly');
              }
              return result;
            };
          },
        });
        const unlucky = new PostgresEventStore(lossy, 'procurement');
        const [one, two] = [newEvent({ n: 1 }), newEvent({ n: 2 })];
        const results = await Promise.all([
          unlucky.append([{ streamId: 'lost-answer-1', expectedVersion: 0, events: [one] }]),
          unlucky.append([{ streamId: 'lost-answer-2', expectedVersion: 0, events: [two] }]),
        ]);
        const stored = [...(await bed.store.readStream('lost-answer-1')), ...(await bed.store.readStream('lost-answer-2'))];
        expect(stored.map((event) => event.eventId)).toEqual([one.eventId, two.eventId]);
        expect(results.map((result) => result.streams)).toEqual(
          stored.map((event) => [{ streamId: event.streamId, version: 1, eventIds: [event.eventId], globalPositions: [event.globalPosition] }]),
        );
        expect(results.map((result) => result.recordedAt)).toEqual(stored.map((event) => event.recordedAt));
      });

      it('refuses, after the lock timeout, only the commands that wait on a lock held elsewhere', async () => {
        // Another session inserts the stream's next version and keeps its transaction open: an append to that
        // stream waits on the unique index. After 5 s it is refused as busy; the others of its batch commit.
        const holder = await bed.pool.connect();
        try {
          await holder.query('BEGIN');
          await holder.query(
            `INSERT INTO procurement.events (event_id, stream_id, version, type, schema_version, occurred_at, recorded_at, actor, correlation_id, data, prev_hash, hash)
             VALUES ($1, 'locked-stream', 1, 'ChipsDelivered', 1, now(), now(), '{}', 'c', '{}', repeat('0', 64), repeat('1', 64))`,
            [randomUUID()],
          );
          const outcomes = await Promise.allSettled([
            bed.store.append([{ streamId: 'locked-stream', expectedVersion: 0, events: [newEvent()] }]),
            bed.store.append([{ streamId: 'beside-locked-1', expectedVersion: 0, events: [newEvent()] }]),
            bed.store.append([{ streamId: 'locked-stream', expectedVersion: 0, events: [newEvent()] }]),
            bed.store.append([{ streamId: 'beside-locked-2', expectedVersion: 0, events: [newEvent()] }]),
          ]);
          expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
          expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreBusyError);
          expect((outcomes[0] as PromiseRejectedResult).reason.message).toMatch(/held by another transaction/);
          // The batch waited once: the second command on the locked stream was refused without waiting again.
          expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(StoreBusyError);
          expect((outcomes[2] as PromiseRejectedResult).reason.message).toMatch(/earlier command of this batch/);
        } finally {
          await holder.query('ROLLBACK');
          holder.release();
        }
        expect(await bed.store.streamVersion('locked-stream')).toBe(0);
        expect([await bed.store.streamVersion('beside-locked-1'), await bed.store.streamVersion('beside-locked-2')]).toEqual([1, 1]);
        await bed.store.append([{ streamId: 'locked-stream', expectedVersion: 0, events: [newEvent()] }]);
      }, 20_000);

      it('answers each read of a batch on its own when one of them fails', async () => {
        await bed.store.append([{ streamId: 'group-read-ok', expectedVersion: 0, events: [newEvent({ ok: true })] }]);
        const [good, bad, missing] = await Promise.allSettled([
          bed.store.readStream('group-read-ok'),
          bed.store.readStream('bad\u0000id'), // PostgreSQL refuses U+0000 in text (22021)
          bed.store.readStream('group-read-none'),
        ]);
        expect(good).toMatchObject({ status: 'fulfilled', value: [expect.objectContaining({ data: { ok: true } })] });
        expect(bad).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '22021' }) });
        expect(missing).toEqual({ status: 'fulfilled', value: [] });
      });

      it('answers concurrent stream reads from one statement, each from its own version', async () => {
        await bed.store.append([{ streamId: 'group-read-a', expectedVersion: 0, events: [newEvent({ a: 1 }), newEvent({ a: 2 }), newEvent({ a: 3 })] }]);
        await bed.store.append([{ streamId: 'group-read-b', expectedVersion: 0, events: [newEvent({ b: 1 })] }]);
        const [allA, tailA, allB, none] = await Promise.all([
          bed.store.readStream('group-read-a'),
          bed.store.readStream('group-read-a', { fromVersion: 3 }),
          bed.store.readStream('group-read-b'),
          bed.store.readStream('group-read-missing'),
        ]);
        expect(allA.map((event) => event.data)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
        expect(tailA.map((event) => [event.version, event.data])).toEqual([[3, { a: 3 }]]);
        expect(allB.map((event) => event.data)).toEqual([{ b: 1 }]);
        expect(none).toEqual([]);
      });
    });

    it('rejects a malformed append before touching the database', async () => {
      await expect(bed.store.append([])).rejects.toThrow(InvalidAppendError);
      await expect(bed.store.append([{ streamId: 's', expectedVersion: 0, events: [{ ...newEvent(), eventId: 'nope' }] }])).rejects.toThrow(/UUID/);
      await expect(bed.store.append([{ streamId: 's', expectedVersion: 0, events: [newEvent({ n: Number.NaN })] }])).rejects.toThrow(/not storable JSON/);
      // jsonb stores neither: refused here, so one such command cannot fail a whole group-commit statement.
      await expect(bed.store.append([{ streamId: 's', expectedVersion: 0, events: [newEvent({ note: 'a\u0000b' })] }])).rejects.toThrow(/U\+0000/);
      await expect(bed.store.append([{ streamId: 's', expectedVersion: 0, events: [newEvent({ note: '\ud800' })] }])).rejects.toThrow(/unpaired/);
      const escaped = await bed.store.append([{ streamId: 'escaped-text', expectedVersion: 0, events: [newEvent({ note: 'C:\\u0000 \ud83d\ude80' })] }]);
      expect((await bed.store.readStream('escaped-text'))[0].data).toEqual({ note: 'C:\\u0000 \ud83d\ude80' });
      expect(escaped.streams[0].version).toBe(1);
      const dup = newEvent();
      await expect(bed.store.append([{ streamId: 's', expectedVersion: 0, events: [dup, dup] }])).rejects.toThrow(/twice/);
    });

    it('refuses an event id that is already stored', async () => {
      const event = newEvent();
      await bed.store.append([{ streamId: 'organisation-o1', expectedVersion: 0, events: [event] }]);
      await expect(bed.store.append([{ streamId: 'organisation-o2', expectedVersion: 0, events: [{ ...event, eventId: event.eventId.toUpperCase() }] }])).rejects.toMatchObject({
        code: 'EVENT_STORE.DUPLICATE_EVENT_ID',
        eventId: event.eventId,
      });
    });

    it('is append-only for the application', async () => {
      await expect(bed.pool.query(`UPDATE procurement.events SET data = '{}'`)).rejects.toThrow(/append-only/);
      await expect(bed.pool.query(`DELETE FROM procurement.events`)).rejects.toThrow(/append-only/);
    });
  });

  describe('readAll', () => {
    it('pages through every stream in global order and filters on recordedAt', async () => {
      const all = await bed.store.readAll({ limit: 10_000 });
      expect(all.map((e) => e.globalPosition)).toEqual([...all.map((e) => e.globalPosition)].sort((a, b) => a - b));
      const page1 = await bed.store.readAll({ limit: 3 });
      const page2 = await bed.store.readAll({ afterPosition: page1[2].globalPosition, limit: 3 });
      expect([...page1, ...page2]).toEqual(all.slice(0, 6));

      const cut = all[3].recordedAt;
      const before = await bed.store.readAll({ recordedBefore: cut });
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((e) => e.recordedAt < cut)).toBe(true);
      expect(before).toEqual(all.filter((e) => e.recordedAt < cut));
    });
  });

  describe('readCommitted (commit-safe tailing)', () => {
    it('orders by transaction id as a number (transaction 10 after 9, not before)', async () => {
      const other = new PostgresEventStore(bed.pool, 'ordering');
      await migrateEventStore(bed.db.dataSource, other.schema);
      // Finished transactions with ids of different lengths, inserted against their position order.
      for (const [txId, streamId] of [['10', 'b'], ['9', 'a'], ['100', 'c']]) {
        await bed.pool.query(
          `INSERT INTO ordering.events (event_id, stream_id, version, type, schema_version, occurred_at, recorded_at, actor, correlation_id, data, prev_hash, hash, tx_id)
           VALUES ($1, $2, 1, 'T', 1, now(), now(), '{}', 'c', '{}', $3, 'h', $4::xid8)`,
          [randomUUID(), streamId, '0'.repeat(64), txId],
        );
      }
      const all = await other.readCommitted(LOG_START, 10);
      expect(all.positions.map((p) => p.txId)).toEqual(['9', '10', '100']);
      expect(all.events.map((e) => e.streamId)).toEqual(['a', 'b', 'c']);
      const rest = await other.readCommitted(all.positions[0], 10);
      expect(rest.positions.map((p) => p.txId)).toEqual(['10', '100']);
    });

    it('holds back events committed after a transaction that is still open, then delivers them all; its watermark claims none of them meanwhile', async () => {
      const start = await bed.store.readCommitted(LOG_START, 10_000);
      const tracker = new CompletenessTracker();
      tracker.after(start.horizon, true).commit();
      // A writer whose transaction stays open after its insert took a global position. Appends announce
      // themselves with the store's shared advisory lock before their transaction has an id (migration 0004).
      const slow = new Client({ connectionString: bed.database.url });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        await slow.query(`SELECT pg_advisory_xact_lock_shared(1128811591, hashtext('"procurement"'))`);
        await slow.query(
          `INSERT INTO procurement.events (event_id, stream_id, version, type, schema_version, occurred_at, recorded_at, actor, correlation_id, data, prev_hash, hash)
           VALUES ($1, 'slow-stream', 1, 'T', 1, now(), now(), '{}', 'c', '{}', $2, 'h')`,
          [randomUUID(), '0'.repeat(64)],
        );
        const fast = await bed.store.append([{ streamId: 'fast-stream', expectedVersion: 0, events: [newEvent()] }]);
        // The fast append committed, but it is newer than the open transaction: not readable yet.
        const during = await bed.store.readCommitted(start.next, 100);
        expect(during.events).toEqual([]);
        expect(during.next).toEqual(start.next);
        // The read saw the fast append (its head), and knew a transaction below its snapshot's end was still appending.
        expect(during.horizon?.head).toBe(fast.position);
        expect(BigInt(during.horizon?.below ?? 0)).toBeLessThan(BigInt(during.horizon?.snapshotEnd ?? 0));
        tracker.after(during.horizon, true).commit();
        const claimedDuring = tracker.completeThrough ?? 0;

        await slow.query('COMMIT');
        // Another append of this store may still be running a moment (parallel tests share the schema name in
        // other databases, not this one): wait for the two events rather than expecting them at once.
        let after = await bed.store.readCommitted(start.next, 100);
        for (let i = 0; i < 100 && after.events.length < 2; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          after = await bed.store.readCommitted(start.next, 100);
        }
        expect(after.events.map((e) => e.streamId)).toEqual(['slow-stream', 'fast-stream']);
        expect(after.events[1].globalPosition).toBe(fast.position);
        expect(after.events[0].globalPosition).toBeLessThan(fast.position);
        expect(claimedDuring).toBeLessThan(after.events[0].globalPosition);
        expect(after.positions.map((p) => p.position)).toEqual(after.events.map((e) => e.globalPosition));
        expect(after.next).toEqual(after.positions[1]);
        expect(await bed.store.readCommitted(after.next, 100)).toMatchObject({ events: [], positions: [], next: after.next });
        tracker.after(after.horizon, true).commit();
        const quiet = await bed.store.readCommitted(after.next, 100);
        tracker.after(quiet.horizon, true).commit();
        expect(tracker.completeThrough).toBeGreaterThanOrEqual(fast.position);
      } finally {
        await slow.end();
      }
    });

    it('is not held back by a long transaction that is not appending to this store', async () => {
      // Start after every event already stored. The horizon may hold the newest back a moment (a transaction of
      // another test file, in another database, that ended between the snapshot and the lock read counts as a
      // possible appender until the next read), so read until the last stored position is behind `start`.
      const stored = await bed.pool.query<{ last: string }>('SELECT coalesce(max(global_position), 0)::text AS last FROM procurement.events');
      const last = Number(stored.rows[0].last);
      // (Read order is commit-safe order, not position order: the highest position read need not come last.)
      const highest = (read: { events: readonly { globalPosition: number }[] }): number => Math.max(0, ...read.events.map((e) => Number(e.globalPosition)));
      let start = await bed.store.readCommitted(LOG_START, 10_000);
      for (let i = 0; i < 50 && highest(start) < last; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        start = await bed.store.readCommitted(LOG_START, 10_000);
      }
      expect(highest(start)).toBe(last);
      // A transaction with an id, open for as long as the test runs: a projector catching up, elsewhere.
      const elsewhere = new Client({ connectionString: bed.database.url });
      await elsewhere.connect();
      try {
        await elsewhere.query('BEGIN');
        await elsewhere.query('SELECT pg_current_xact_id()');
        const appended = await bed.store.append([{ streamId: 'beside-long-tx', expectedVersion: 0, events: [newEvent()] }]);
        let read = await bed.store.readCommitted(start.next, 100);
        // Other test files' appends (other databases, other stores) may be in flight a moment: poll briefly.
        for (let i = 0; i < 50 && read.events.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          read = await bed.store.readCommitted(start.next, 100);
        }
        expect(read.events.map((e) => e.globalPosition)).toEqual([appended.position]);
        // That transaction cannot start appending now: its events could land behind what the relay has read.
        await expect(elsewhere.query(`SELECT procurement.append_batch('{1}', '{1}', '{s}', '{0}', '{1}', '{1}', $1::uuid[], '{T}', '{1}',
          '{2025-01-01}', '{"{}"}', '{c}', '{NULL}', '{"{}"}', '{p}', '{s}', '{NULL}', '{NULL}', '{NULL}', '{"[]"}')`, [[randomUUID()]])).rejects.toThrow(
          /first write of its transaction/,
        );
      } finally {
        await elsewhere.query('ROLLBACK').catch(() => undefined);
        await elsewhere.end();
      }
    });
  });
});
