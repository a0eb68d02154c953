import { openDatabase } from '@chip-ledger/persistence';
import { countingTables, countRows, ledgerEvents, produceEvents, until } from '../testing/ledger-fixtures';
import { countingProjection } from '../testing/counting-projection';
import { projectionTestBed, spawnProjector, type ProjectionTestBed } from '../testing/projection-harness';
import { createTestDatabase, uniqueTopicName, type TestDatabase } from '@chip-ledger/testing';

describe('Kafka projector killed with SIGKILL in the middle of a batch (real Kafka, PostgreSQL, child process)', () => {
  let bed: ProjectionTestBed;

  beforeAll(async () => {
    bed = await projectionTestBed('crash');
  });

  afterAll(async () => {
    await bed.close();
  });

  it('after a restart, its tables equal a projection built from zero in one go', async () => {
    const events = [...ledgerEvents(20, 15, 'dc'), ...ledgerEvents(10, 12, 'rental')];
    await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 300));
    await produceEvents(bed.kafka, bed.topics[1], events.slice(300));
    const env = { DATABASE_URL: bed.database.url, TOPICS: bed.topics.join(','), GROUP_PREFIX: uniqueTopicName('crash-group'), SUB_BATCH: '20' };

    // given a projector whose apply sleeps, so most of its time is spent inside open transactions
    const first = spawnProjector({ ...env, SLEEP_MS: '40' });
    await first.ready;
    const atKill = await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= 60, 30_000, 'a first part applied');
    // when it is killed mid-batch
    first.kill();
    await first.exited;
    expect(atKill).toBeLessThan(events.length);

    // and restarted (without the sleep)
    const second = spawnProjector(env);
    try {
      await second.ready;
      await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 40_000, 'every event after the restart');
    } finally {
      second.kill();
      await second.exited;
    }

    // then it equals a single uninterrupted run into another database
    const reference: TestDatabase = await createTestDatabase('crash_reference');
    const referenceDb = await openDatabase({ url: reference.url });
    try {
      const engine = bed.engine([() => countingProjection()], { database: referenceDb, groupPrefix: uniqueTopicName('reference') });
      await engine.start();
      await until(() => countRows(referenceDb.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'the reference run');
      await engine.stop();
      const crashed = await countingTables(bed.pool, 'proj_counting_g1');
      const expected = await countingTables(referenceDb.pool, 'proj_counting_g1');
      expect(crashed.log).toHaveLength(events.length);
      expect(crashed).toEqual(expected);
      expect(crashed.counts.every((row) => (row as { in_order: boolean }).in_order)).toBe(true);
    } finally {
      await referenceDb.close();
      await reference.drop();
    }
  });
});
