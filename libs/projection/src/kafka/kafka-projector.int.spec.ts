import { openDatabase } from '@chip-ledger/persistence';
import { encodeEventMessage } from '@chip-ledger/messaging';
import { createTestDatabase, createTestTopics, uniqueTopicName } from '@chip-ledger/testing';
import { KafkaDeadLetterPublisher } from '../engine/dead-letters';
import { deploymentGroupPrefix } from '../engine/sql-names';
import { countingProjection } from '../testing/counting-projection';
import { countingTables, countRows, ledgerEvents, produceEvents, produceMessages, until } from '../testing/ledger-fixtures';
import { projectionTestBed, type ProjectionTestBed } from '../testing/projection-harness';
import { groupIds, groupState } from '../testing/consumer-groups';
import { topicMessages } from '../testing/topic-messages';
import type { Projection } from '../projection.port';

describe('Kafka projector (real Kafka and PostgreSQL)', () => {
  let bed: ProjectionTestBed;

  beforeEach(async () => {
    bed = await projectionTestBed('projector');
  });

  afterEach(async () => {
    await bed.close();
  });

  describe('when every event is delivered twice', () => {
    it('applies each exactly once, in stream order', async () => {
      // A stream lives on one topic and partition (its context's topic, keyed by stream id), copies too.
      const events = [...ledgerEvents(8, 10, 'dc'), ...ledgerEvents(4, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 80));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(80));
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 60));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(80, 110));
      const engine = bed.engine([() => countingProjection()], { subBatchSize: 25 });
      await engine.start();
      await until(async () => engine.status()[0].duplicates, (n) => n >= 90, 20_000, 'the duplicates to be read');
      await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 20_000, 'every event');
      const tables = await countingTables(bed.pool, 'proj_counting_g1');
      expect(tables.log).toHaveLength(events.length);
      expect(tables.counts).toHaveLength(12);
      expect(tables.counts.every((row) => (row as { events: number; in_order: boolean }).events === 10 && (row as { in_order: boolean }).in_order)).toBe(true);
      // read-your-writes: the last version of a stream is applied, a future one times out
      expect(await engine.waitFor({ streamId: 'dc-3', version: 10 })).toBe(true);
      expect(await engine.waitFor({ streamId: 'dc-3', version: 11 }, { timeoutMs: 200 })).toBe(false);
    });
  });

  describe('when it starts behind the log', () => {
    it('reports its lag in messages (every partition of every topic) until it has caught up', async () => {
      const events = [...ledgerEvents(4, 10, 'dc'), ...ledgerEvents(2, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 40));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(40));
      const engine = bed.engine([() => countingProjection({ sleepMs: 200 })], { subBatchSize: 5 });
      await engine.start();
      const [first] = await engine.lag();
      expect(first).toMatchObject({ projection: 'counting', generation: 1, state: 'active' });
      expect(first.behind).toBeGreaterThan(0);
      expect(first.behind).toBeLessThanOrEqual(events.length);
      await until(async () => (await engine.lag())[0].behind, (behind) => behind === 0, 30_000, 'no lag');
      expect(engine.status()[0].applied).toBe(events.length);
    });
  });

  describe('when an instance runs several read models', () => {
    it('feeds them from one consumer (one group, each message fetched once), each to the same tables as alone', async () => {
      const events = [...ledgerEvents(6, 10, 'dc'), ...ledgerEvents(3, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 60));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(60));
      const groupPrefix = `shared-${Date.now()}`;
      const engine = bed.engine([() => countingProjection({ name: 'alpha' }), () => countingProjection({ name: 'beta' })], { groupPrefix, subBatchSize: 20 });
      await engine.start();
      const groups = deploymentGroupPrefix(engine.deploymentId as string, groupPrefix);
      await until(() => countRows(bed.pool, 'proj_alpha_g1.event_log'), (n) => n >= events.length, 20_000, 'every event in alpha');
      await until(() => countRows(bed.pool, 'proj_beta_g1.event_log'), (n) => n >= events.length, 20_000, 'every event in beta');
      expect(await countingTables(bed.pool, 'proj_alpha_g1')).toEqual(await countingTables(bed.pool, 'proj_beta_g1'));
      expect(engine.status().map((s) => [s.projection, s.applied])).toEqual([
        ['alpha', events.length],
        ['beta', events.length],
      ]);
      expect(await groupIds(bed.kafka, groupPrefix)).toEqual([`${groups}.feed.alpha.g1+beta.g1`]);
      // Read-your-writes answers per read model, from its own stream heads.
      expect(await engine.waitFor({ streamId: 'rental-2', version: 10 }, { projection: 'beta' })).toBe(true);

      // A rebuilt generation reads from 0 on its own, then joins the feed when it takes over.
      await engine.rebuild('alpha');
      await until(async () => (await engine.progress('alpha'))?.state, (state) => state === 'active', 30_000, 'the rebuild of alpha to switch');
      const more = ledgerEvents(2, 5, 'late-dc');
      await produceEvents(bed.kafka, bed.topics[0], more);
      await until(() => countRows(bed.pool, 'proj_alpha_g2.event_log'), (n) => n >= events.length + more.length, 20_000, 'every event in alpha g2');
      await until(() => countRows(bed.pool, 'proj_beta_g1.event_log'), (n) => n >= events.length + more.length, 20_000, 'every event in beta');
      expect(await countingTables(bed.pool, 'proj_alpha_g2')).toEqual(await countingTables(bed.pool, 'proj_beta_g1'));
      await until(() => groupState(bed.kafka, `${groups}.feed.alpha.g2+beta.g1`), (state) => state === 'Stable', 20_000, 'the feed with alpha g2');
    });
  });

  describe('when a read model is deployed next to one that has read the whole log', () => {
    it('reads on its own consumer until it is close, then joins the shared one', async () => {
      const events = [...ledgerEvents(10, 10, 'dc'), ...ledgerEvents(5, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 100));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(100));
      const groupPrefix = `late-${Date.now()}`;
      const alpha = () => countingProjection({ name: 'alpha' });
      const first = bed.engine([alpha], { groupPrefix });
      await first.start();
      await until(() => countRows(bed.pool, 'proj_alpha_g1.event_log'), (n) => n >= events.length, 20_000, 'every event in alpha');
      await first.stop();

      // beta starts from 0 next to alpha, which is 150 messages further than the limit allows
      const second = bed.engine([alpha, () => countingProjection({ name: 'beta', sleepMs: 20 })], { groupPrefix, subBatchSize: 10, sharedLagLimit: 40 });
      await second.start();
      const groups = deploymentGroupPrefix(second.deploymentId as string, groupPrefix);
      const feed = `${groups}.feed.alpha.g1+beta.g1`;
      // alpha alone on its feed (a feed of one keeps the generation's group, so it is never sought back for beta),
      // beta on its own group
      await until(() => groupIds(bed.kafka, groupPrefix), (ids) => ids.includes(`${groups}.beta.g1`), 20_000, "beta's own group");
      expect(await groupState(bed.kafka, feed)).toBe('Dead');
      await until(() => countRows(bed.pool, 'proj_beta_g1.event_log'), (n) => n >= events.length, 30_000, 'every event in beta');
      await until(() => groupState(bed.kafka, feed), (state) => state === 'Stable', 20_000, 'beta to join the feed');
      // and both read models end with the same tables, and both go on together
      expect(await countingTables(bed.pool, 'proj_beta_g1')).toEqual(await countingTables(bed.pool, 'proj_alpha_g1'));
      const more = ledgerEvents(2, 5, 'late-dc');
      await produceEvents(bed.kafka, bed.topics[0], more);
      await until(() => countRows(bed.pool, 'proj_beta_g1.event_log'), (n) => n >= events.length + more.length, 20_000, 'the later events in beta');
      await until(() => countRows(bed.pool, 'proj_alpha_g1.event_log'), (n) => n >= events.length + more.length, 20_000, 'the later events in alpha');
    });
  });

  describe('when a partition holds a poison message and an event whose apply always fails', () => {
    it('dead-letters both to the topic and the table, and applies the events after them', async () => {
      const deadLetterTopic = uniqueTopicName('dead-letter');
      await createTestTopics([deadLetterTopic], 1);
      const publisher = new KafkaDeadLetterPublisher(bed.kafka, deadLetterTopic);
      await publisher.start();
      const before = ledgerEvents(1, 3, 'dc');
      const poisoned = { ...ledgerEvents(1, 1, 'dc')[0], version: 4, data: { poison: true } };
      const after = ledgerEvents(1, 6, 'dc').slice(4);
      await produceMessages(bed.kafka, bed.topics[0], [
        ...before.map(encodeEventMessage),
        { key: 'dc-0', value: '{not json' },
        encodeEventMessage(poisoned),
        ...after.map(encodeEventMessage),
      ]);
      const engine = bed.engine([() => countingProjection({ failOnPoison: true })], { deadLetters: publisher });
      try {
        await engine.start();
        await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= 5, 20_000, 'the events around the poison');
        const letters = await engine.listDeadLetters({ projection: 'counting' });
        expect(letters.map((l) => [l.offset, l.eventId])).toEqual([
          ['4', poisoned.eventId],
          ['3', null],
        ]);
        expect(letters[0].error).toMatch(/apply failed 3 times: Error: poisoned event/);
        expect(letters[1].error).toMatch(/INVALID_EVENT_MESSAGE/);
        expect(letters[1].payload).toBe('{not json');
        const published = await topicMessages(bed.kafka, deadLetterTopic);
        expect(published.map((m) => JSON.parse(String(m.value)).offset).sort()).toEqual(['3', '4']);
        const { log } = await countingTables(bed.pool, 'proj_counting_g1');
        expect((log as { version: number }[]).map((row) => row.version)).toEqual([1, 2, 3, 5, 6]);
      } finally {
        await engine.stop();
        await publisher.stop();
      }
    });
  });

  describe('when a poison message holds bytes PostgreSQL text refuses (U+0000)', () => {
    it('still dead-letters it, and the events after it are applied', async () => {
      const [first, second] = ledgerEvents(1, 2, 'dc');
      const nulStream = { ...ledgerEvents(1, 1, 'dc')[0], streamId: 'dc-\u0000' };
      await produceMessages(bed.kafka, bed.topics[0], [
        encodeEventMessage(first),
        { key: 'dc-0', value: '{not json \u0000' },
        { ...encodeEventMessage(nulStream), key: 'dc-0' },
        encodeEventMessage(second),
      ]);
      const engine = bed.engine([() => countingProjection()]);
      try {
        await engine.start();
        await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= 2, 20_000, 'the events around the poison');
        const letters = await engine.listDeadLetters({ projection: 'counting' });
        expect(letters.map((l) => l.offset).sort()).toEqual(['1', '2']);
        expect(letters.find((l) => l.offset === '1')?.payload).toBe('{not json \uFFFD');
        expect(letters.find((l) => l.offset === '2')?.error).toMatch(/U\+0000/);
      } finally {
        await engine.stop();
      }
    });
  });

  describe('when the database fails a batch for reasons of its own (disk full)', () => {
    it('retries the batch instead of dead-lettering healthy events', async () => {
      const events = ledgerEvents(2, 3, 'dc');
      await produceMessages(bed.kafka, bed.topics[0], events.map(encodeEventMessage));
      // More failures than the per-event attempts (3): dead-lettering would have given up on the first event.
      let failures = 4;
      const flaky = (): Projection => {
        const base = countingProjection();
        return {
          ...base,
          apply: async (client, schema, batch) => {
            if (failures-- > 0) throw Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });
            return base.apply(client, schema, batch);
          },
        };
      };
      const engine = bed.engine([flaky]);
      try {
        await engine.start();
        await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'every event, after the retries');
        expect(await engine.listDeadLetters({ projection: 'counting' })).toEqual([]);
        expect(failures).toBeLessThan(0);
      } finally {
        await engine.stop();
      }
    });
  });

  describe('when a second instance joins the group mid-stream and the first leaves', () => {
    it('shares the partitions and ends with the tables of a single-instance run', async () => {
      const dc = ledgerEvents(20, 10, 'dc');
      const rental = ledgerEvents(10, 10, 'rental');
      const events = [...dc, ...rental];
      await produceEvents(bed.kafka, bed.topics[0], dc.slice(0, 150));
      const first = bed.engine([() => countingProjection({ sleepMs: 10 })], { subBatchSize: 10 });
      await first.start();
      await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= 30, 20_000, 'a first part');
      const second = bed.engine([() => countingProjection({ sleepMs: 10 })], { subBatchSize: 10 });
      await second.start();
      await produceEvents(bed.kafka, bed.topics[0], dc.slice(150));
      await produceEvents(bed.kafka, bed.topics[1], rental);
      await until(async () => second.status()[0].batches, (n) => n > 0, 20_000, 'the second instance to take partitions');
      await first.stop();
      await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'every event');

      const reference = await createTestDatabase('rebalance_reference');
      const referenceDb = await openDatabase({ url: reference.url });
      try {
        const single = bed.engine([() => countingProjection()], { database: referenceDb, groupPrefix: uniqueTopicName('single') });
        await single.start();
        await until(() => countRows(referenceDb.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 20_000, 'the single-instance run');
        await single.stop();
        const shared = await countingTables(bed.pool, 'proj_counting_g1');
        expect(shared.log).toHaveLength(events.length);
        expect(shared).toEqual(await countingTables(referenceDb.pool, 'proj_counting_g1'));
      } finally {
        await referenceDb.close();
        await reference.drop();
      }
    });
  });

  describe('when two deployments (two read-model stores) read the same topics with the same settings', () => {
    it('each gets consumer groups of its own and builds the whole read model; neither takes partitions from the other', async () => {
      const events = [...ledgerEvents(8, 10, 'dc'), ...ledgerEvents(4, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 80));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(80));
      const other = await createTestDatabase('other_deployment');
      const otherDb = await openDatabase({ url: other.url });
      otherDb.pool.on('error', () => undefined);
      try {
        // The same group prefix (the same KAFKA_TOPIC_PREFIX), as a staging projection-service next to production's.
        const groupPrefix = uniqueTopicName('same-settings');
        const production = bed.engine([() => countingProjection({ sleepMs: 5 })], { groupPrefix, subBatchSize: 10 });
        const staging = bed.engine([() => countingProjection({ sleepMs: 5 })], { groupPrefix, subBatchSize: 10, database: otherDb });
        await Promise.all([production.start(), staging.start()]);
        expect(production.deploymentId).toMatch(/^[a-z0-9]{12}$/);
        expect(staging.deploymentId).not.toBe(production.deploymentId);
        await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'every event in production');
        await until(() => countRows(otherDb.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'every event in staging');
        expect(await countingTables(otherDb.pool, 'proj_counting_g1')).toEqual(await countingTables(bed.pool, 'proj_counting_g1'));
        // one group per deployment, each holding every partition
        const ids = await groupIds(bed.kafka, groupPrefix);
        expect(ids).toEqual(
          [production, staging].map((engine) => `${deploymentGroupPrefix(engine.deploymentId as string, groupPrefix)}.counting.g1`).sort(),
        );
        await Promise.all([production.stop(), staging.stop()]);
        // and a deployment keeps its identity across restarts: a restarted instance rejoins its own group
        const again = bed.engine([() => countingProjection()], { groupPrefix });
        await again.start();
        expect(again.deploymentId).toBe(production.deploymentId);
        await again.stop();
      } finally {
        await otherDb.close();
        await other.drop();
      }
    });
  });

  describe('when two instances each run only some of the projections (`run`)', () => {
    it('each consumes its own, both answer for every projection, and the tables are complete', async () => {
      const events = [...ledgerEvents(6, 10, 'dc'), ...ledgerEvents(3, 10, 'rental')];
      await produceEvents(bed.kafka, bed.topics[0], events.slice(0, 60));
      await produceEvents(bed.kafka, bed.topics[1], events.slice(60));
      const both = [() => countingProjection({ name: 'cheap' }), () => countingProjection({ name: 'costly', exclusive: true })];
      const cheap = bed.engine(both, { run: ['cheap'] });
      const costly = bed.engine(both, { run: ['costly'] });
      await cheap.start();
      await costly.start();
      await until(() => countRows(bed.pool, 'proj_cheap_g1.event_log'), (n) => n >= events.length, 20_000, 'every event in cheap');
      await until(() => countRows(bed.pool, 'proj_costly_g1.event_log'), (n) => n >= events.length, 20_000, 'every event in costly');
      expect(cheap.status().map((s) => s.projection)).toEqual(['cheap']);
      expect(costly.status().map((s) => s.projection)).toEqual(['costly']);
      expect(await countingTables(bed.pool, 'proj_cheap_g1')).toEqual(await countingTables(bed.pool, 'proj_costly_g1'));
      // Either instance answers for a projection it does not run: the registry and the tables are shared.
      expect(await cheap.activeSchema('costly')).toBe('proj_costly_g1');
      expect(await cheap.waitFor({ streamId: 'dc-2', version: 10 }, { projection: 'costly' })).toBe(true);
      expect(await costly.waitFor({ streamId: 'rental-1', version: 10 })).toBe(true);
      expect(() => bed.engine(both, { run: ['unknown'] })).toThrow(/unknown projection unknown/);
      // A query instance consumes nothing and still answers for both.
      const query = bed.engine(both, { run: [] });
      await query.start();
      expect(query.status()).toEqual([]);
      expect(await query.activeSchema('cheap')).toBe('proj_cheap_g1');
      expect(await query.waitFor({ streamId: 'dc-2', version: 10 })).toBe(true);
    });
  });
});
