import { randomUUID } from 'node:crypto';
import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import type { ChainedEvent } from '@chip-ledger/event-store';
import { createKafkaClient, encodeEventMessage } from '@chip-ledger/messaging';
import { deploymentGroupPrefix, generationGroupId, KafkaProjectionSource, sharedFeedGroupId, ProjectionEngine, type ProjectedEvent, type RunnerStatus } from '@chip-ledger/projection';
import { createTestDatabase, createTestTopics, requireKafkaBrokers, uniqueTopicName, type TestDatabase } from '@chip-ledger/testing';
import { AssignerProtocol, logLevel, Partitioners, type Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { READ_MODEL_ENTITIES, readModelFactories, READ_MODEL_NAMES } from '../registry';
import { ledger } from '../testing/ledger';
import { FINDINGS } from './findings.projection';

/**
 * The requirement, end to end: two projector instances in one consumer group (per projection and
 * generation) share the partitions and together produce exactly the read models one instance would. Every
 * read model of the registry runs over real Kafka topics (3 contexts × 3 partitions) into two databases side
 * by side: one single-instance deployment, and a pair of instances where the second joins mid-stream and the
 * first stops mid-stream. Findings are exclusive (its compliance state needs every event): one instance owns
 * all its partitions, the other stands by and takes over.
 *
 * The events come in phases, each applied by both deployments before the next is produced (a relay
 * publishing over time). Within a phase every data center's findings depend on one stream only, so they see
 * their events in the same order in both deployments; sub-batches of one event make batch boundaries the same
 * too (a finding's closing instant is its batch's). What differs is
 * only which instance reads which partition, and when: exactly what the test is about.
 */

const PARTITIONS = 3;
const PROJECTIONS = READ_MODEL_NAMES;
const SHARED = PROJECTIONS.filter((name) => name !== FINDINGS);
const schemaOf = (projection: string) => `proj_${projection.replace(/-/g, '_')}_g1`;
/** Volatile columns (the wall clock of the batch that wrote the row, the order rows were journalled in). */
const VOLATILE: Record<string, readonly string[]> = {
  findings: ['updated_at'],
  findings_evaluations: ['evaluated_at'],
};
const ENGINE_TABLES = new Set(['stream_heads', 'consumer_offsets', 'log_checkpoints', 'generation_owner', 'migrations']);

const contextOf = (type: string): 'procurement' | 'rental' | 'audit' =>
  type.startsWith('Rental') ? 'rental' : ['CaseReviewDecided', 'FindingAcknowledged', 'AuditOpened', 'AuditClosed', 'AuditNoteRecorded'].includes(type) ? 'audit' : 'procurement';

/** The partition the producer's default partitioner picks for a key (the relay keys by stream id). */
const partitionOf = (key: string): number =>
  Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata: Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] })),
    message: { key, value: null },
  });

/** US data centers whose chip-stock streams (H100) land on every partition of the procurement topic. */
function fillerDataCenters(): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 1; byPartition.size < PARTITIONS; i++) {
    const id = `us-filler-${i}`;
    const partition = partitionOf(`chip-stock-${id}.${M.h100Sxm}`);
    if (!byPartition.has(partition)) byPartition.set(partition, id);
  }
  return [...byPartition.values()];
}

/**
 * The ledger, phase by phase (each phase is produced once the previous one is applied everywhere): one
 * `Ledger`, so stream versions and delivery ids run on across phases.
 */
function phases(): ProjectedEvent[][] {
  const fillers = fillerDataCenters();
  const l = ledger();
  const cuts: number[] = [];
  const cut = () => cuts.push(l.events.length);
  // 0: organisations (an owner's headquarters country judges its data centers' deliveries)
  l.organisation('2021-01-01', 'deepseek', 'CN')
    .organisation('2024-01-01', 'gansu-compute', 'CN')
    .organisation('2024-06-01', 'cn-cloud', 'CN')
    .organisation('2020-01-01', 'us-hyperscaler', 'US');
  cut();
  // 1: data centers, a licence. Worked example 2: a state-funded CN data center, 20% complete.
  l.dataCenter('2025-03-01', 'gansu', 'gansu-compute', 'CN')
    .stateFunding('2025-04-01', 'gansu')
    .progress('2025-10-01', 'gansu', 20)
    .dataCenter('2021-06-01', 'hangzhou', 'deepseek', 'CN')
    .dataCenter('2025-02-01', 'shanghai', 'cn-cloud', 'CN')
    .dataCenter('2024-02-01', 'oregon', 'us-hyperscaler', 'US')
    .dataCenter('2024-03-01', 'virginia', 'us-hyperscaler', 'US')
    .licence('2025-08-20', 'lic-h20', { consigneeOrganisationId: 'cn-cloud', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 2000, revenueSharePercent: 15 });
  for (const id of fillers) l.dataCenter('2024-04-01', id, 'us-hyperscaler', 'US');
  cut();
  // 2: chips arrive. 512 H20 installed in Gansu before 2025-11-05; worked example 4 (1,500 then 800 H20 on 2,000).
  l.deliver('2025-09-01', 'gansu', M.h20, 512)
    .install('2025-09-05', 'gansu', M.h20, 512)
    .deliver('2023-06-01', 'hangzhou', M.h800, 2000)
    .install('2023-06-10', 'hangzhou', M.h800, 2000)
    .deliver('2025-09-01', 'shanghai', M.h20, 1500, { deliveryId: 'd1', licenceId: 'lic-h20' })
    .deliver('2025-10-01', 'shanghai', M.h20, 800, { deliveryId: 'd2', licenceId: 'lic-h20' })
    .order('2025-01-10', 'po-oregon', 'oregon', 'us-hyperscaler', [{ modelId: M.b200, quantity: 1000 }])
    .cancel('2025-02-10', 'po-oregon', 'oregon', [{ modelId: M.b200, quantity: 200 }])
    .deliver('2025-05-01', 'virginia', M.h100Sxm, 400)
    .install('2025-05-03', 'virginia', M.h100Sxm, 400);
  for (const id of fillers) l.deliver('2025-06-01', id, M.h100Sxm, 64).install('2025-06-02', id, M.h100Sxm, 64);
  cut();
  // 3: remittance, more chips, a rental to a CN tenant, a partial removal in Gansu
  l.remit('2025-09-15', 'lic-h20', ['d1'])
    .deliver('2025-11-20', 'hangzhou', M.ascend910b, 256)
    .install('2025-12-01', 'hangzhou', M.ascend910b, 256)
    .deliver('2025-04-01', 'oregon', M.b200, 800, { purchaseOrderId: 'po-oregon' })
    .install('2025-04-10', 'oregon', M.b200, 500)
    .rental('2025-07-01', 'rent-1', { providerDataCenterId: 'virginia', tenantOrganisationId: 'deepseek', modelId: M.h100Sxm, chipCount: 128, periodEnd: '2027-07-01' })
    .remove('2026-01-10', 'gansu', M.h20, 200);
  cut();
  // 4: facts on other partitions that judge deliveries here: a catalog correction, an entity listing
  l.record('2026-02-01', { type: 'ChipModelCorrected', data: { modelId: M.h20, changes: { name: 'H20 (corrected)' }, reason: 'datasheet' } }).record('2026-02-02', {
    type: 'RestrictedPartyListed',
    data: { organisationId: 'deepseek', list: 'US-ENTITY-LIST', reference: 'FR-2026-1' },
  });
  cut();
  // 5: the rest of Gansu's H20 removed (the breach closes), the rental ends
  l.remove('2026-03-01', 'gansu', M.h20, 312).endRental('2026-03-02', 'rent-1');
  cut();
  return cuts.map((end, i) => l.events.slice(i === 0 ? 0 : cuts[i - 1], end));
}

/** As the relay publishes it: a UUID event id (the engine dedupes on it), the hash chain fields, the context's topic. */
function toMessages(events: readonly ProjectedEvent[]): { context: ReturnType<typeof contextOf>; event: ChainedEvent }[] {
  return events.map(({ source: _source, ...envelope }) => ({
    context: contextOf(envelope.type),
    event: { ...envelope, eventId: randomUUID(), prevHash: '0'.repeat(64), hash: '0'.repeat(64) } as ChainedEvent,
  }));
}

/** Connections and pool that ignore their own errors (openDatabase): the database drop must not crash the run. */
const quietDatabase = (url: string, poolSize: number): Promise<Database> => openDatabase({ url, poolSize, entities: [...READ_MODEL_ENTITIES] });

interface Deployment {
  readonly label: string;
  readonly database: TestDatabase;
  readonly pool: Pool;
  readonly engines: ProjectionEngine[];
  /** Each instance's own database connections (the deployment's `pool` is a reader's). */
  readonly databases: Database[];
  readonly groupPrefix: string;
}

/** The consumer groups of a deployment's instances: its prefix and the id its read-model store drew. */
const groupsOf = (d: Deployment): string => deploymentGroupPrefix(d.engines[0].deploymentId as string, d.groupPrefix);

describe('read models with two projector instances in one group (real Kafka and PostgreSQL)', () => {
  let brokers: string[];
  let admin: ReturnType<Kafka['admin']>;
  const topics = { procurement: '', rental: '', audit: '' };
  const deployments: Deployment[] = [];

  beforeAll(async () => {
    brokers = requireKafkaBrokers();
    for (const context of ['procurement', 'rental', 'audit'] as const) topics[context] = uniqueTopicName(`read-models.${context}`);
    await createTestTopics(Object.values(topics), PARTITIONS, brokers);
    admin = kafkaClient('admin').admin();
    await admin.connect();
  });

  afterAll(async () => {
    for (const d of deployments) {
      await Promise.allSettled(d.engines.map((engine) => engine.stop()));
      await Promise.allSettled(d.databases.map((db) => db.close()));
      await d.database.drop();
    }
    await admin?.disconnect();
  });

  const kafkaClient = (clientId: string): Kafka => createKafkaClient({ brokers, clientId, logLevel: logLevel.NOTHING });

  async function deployment(label: string): Promise<Deployment> {
    const database = await createTestDatabase(`read_models_${label}`);
    const reader = await quietDatabase(database.url, 4);
    const d: Deployment = { label, database, pool: reader.pool, engines: [], databases: [reader], groupPrefix: uniqueTopicName(`read-models.${label}`) };
    deployments.push(d);
    return d;
  }

  /** One projector instance: its own kafkajs client and pool, every read model of the registry (wall clock). */
  async function startInstance(d: Deployment): Promise<ProjectionEngine> {
    const db = await quietDatabase(d.database.url, 10);
    d.databases.push(db);
    const engine = new ProjectionEngine({
      dataSource: db.dataSource,
      source: new KafkaProjectionSource({ kafka: kafkaClient(`${d.label}-${d.engines.length + 1}`), topics: Object.values(topics), groupPrefix: d.groupPrefix, subBatchSize: 1, sessionTimeoutMs: 6_000 }),
      projections: readModelFactories(),
      reconcileIntervalMs: 200,
      exclusive: { pollMs: 200, heartbeatMs: 500 },
    });
    d.engines.push(engine);
    await engine.start();
    return engine;
  }

  async function produce(events: readonly ProjectedEvent[]): Promise<void> {
    const producer = kafkaClient('relay').producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const messages = toMessages(events);
      for (const context of ['procurement', 'rental', 'audit'] as const) {
        const batch = messages.filter((m) => m.context === context).map((m) => encodeEventMessage(m.event));
        if (batch.length > 0) await producer.send({ topic: topics[context], acks: -1, messages: batch });
      }
    } finally {
      await producer.disconnect();
    }
  }

  async function appliedEverywhere(expected: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let counts: number[] = [];
    for (;;) {
      counts = [];
      for (const d of deployments) {
        for (const projection of PROJECTIONS) {
          const { rows } = await d.pool.query<{ n: string }>(`SELECT COALESCE(sum(version), 0)::text AS n FROM ${schemaOf(projection)}.stream_heads`).catch(() => ({ rows: [{ n: '-1' }] }));
          counts.push(Number(rows[0].n));
        }
      }
      if (counts.every((n) => n === expected)) return;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${expected} events in every projection of every deployment (have ${counts.join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Members of a consumer group and the partitions each holds, once the group is stable. */
  async function stableGroup(groupId: string, members: number, timeoutMs = 20_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      if (group.state === 'Stable' && group.members.length === members) {
        return group.members.map((member) => {
          const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
          return Object.values(assignment).reduce((n, partitions) => n + partitions.length, 0);
        });
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${groupId} to be stable with ${members} member(s) (${group.state}, ${group.members.length})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every read model table of a deployment, rows sorted, volatile columns dropped. */
  async function dump(d: Deployment): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const projection of PROJECTIONS) {
      const schema = schemaOf(projection);
      const { rows: tables } = await d.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
      for (const { table_name: table } of tables.filter((t) => !ENGINE_TABLES.has(t.table_name))) {
        const { rows } = await d.pool.query<Record<string, unknown>>(`SELECT * FROM ${schema}."${table}"`);
        if (table === 'findings_journal_batches') {
          // Batch boundaries differ between deployments; what was journalled must not.
          out[`${projection}.${table}`] = rows.flatMap((row) => (JSON.parse(row['envelopes'] as string) as object[]).map((e) => JSON.stringify(e))).sort();
          continue;
        }
        out[`${projection}.${table}`] = rows
          .map((row) => {
            for (const column of VOLATILE[table] ?? []) delete row[column];
            return JSON.stringify(row, Object.keys(row).sort());
          })
          .sort();
      }
    }
    return out;
  }

  const statusOf = (engine: ProjectionEngine, projection: string): RunnerStatus => {
    const status = engine.status().find((s) => s.projection === projection);
    if (!status) throw new Error(`no runner for ${projection}`);
    return status;
  };

  it('the second joining and the first leaving mid-stream end with the tables of a single instance; findings stay on one instance and move to the standby', async () => {
    const [p0, p1, p2, p3, p4, p5] = phases();
    const single = await deployment('single');
    const pair = await deployment('pair');
    await startInstance(single);
    const first = await startInstance(pair);
    let produced = 0;
    const publish = async (phase: readonly ProjectedEvent[]) => {
      await produce(phase);
      await appliedEverywhere((produced += phase.length));
    };
    await publish(p0);
    await publish(p1);

    // given a second instance joining mid-stream
    const second = await startInstance(pair);
    // the shared read models ride on one consumer per instance: one group, whose partitions the two split
    const feed = sharedFeedGroupId(
      SHARED.map((projection) => ({ projection, generation: 1 })),
      groupsOf(pair),
    );
    expect((await stableGroup(feed, 2)).every((partitions) => partitions > 0)).toBe(true);
    // the findings group keeps one member, holding every partition of every context topic; the second stands by
    expect(await stableGroup(generationGroupId(FINDINGS, 1, groupsOf(pair)), 1)).toEqual([3 * PARTITIONS]);
    expect(statusOf(second, FINDINGS).state).toBe('standby');
    // events whose findings depend on other partitions' events (licence remittances, a rental to a CN tenant, a
    // catalog correction, an entity listing) while the two instances share the other projections' partitions
    await publish(p2);
    await publish(p3);
    await publish(p4);
    expect(SHARED.map((projection) => statusOf(second, projection).applied).every((n) => n > 0)).toBe(true);
    expect(statusOf(second, FINDINGS)).toMatchObject({ state: 'standby', applied: 0 });
    expect(statusOf(first, FINDINGS).applied).toBe(produced);

    // when the first stops mid-stream, the standby takes the findings over (and the rest of the partitions)
    await first.stop();
    await publish(p5);
    expect(statusOf(second, FINDINGS)).toMatchObject({ state: 'running', applied: p5.length });
    expect(await stableGroup(generationGroupId(FINDINGS, 1, groupsOf(pair)), 1)).toEqual([3 * PARTITIONS]);

    // then every read model equals the single instance's, row for row
    const expected = await dump(single);
    const actual = await dump(pair);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const table of Object.keys(expected)) expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    // and the run is the worked example: Gansu's 512 H20 breach from 2025-11-05 until the last of them left
    const gansu = await pair.pool.query<{ severity: string; opened_at: Date; closed_at: Date | null }>(
      `SELECT severity, opened_at, closed_at FROM ${schemaOf(FINDINGS)}.findings
        WHERE data_center_id = 'gansu' AND rule_id = 'CN-STATE-FUNDED-DOMESTIC' ORDER BY opened_at, id`,
    );
    expect(gansu.rows.map((r) => [r.severity, r.opened_at.toISOString(), r.closed_at?.toISOString()])).toEqual([['breach', '2025-11-05T00:00:00.000Z', '2026-03-01T00:00:00.000Z']]);
    expect(expected['findings.findings'].length).toBeGreaterThan(3);
    expect(expected['chip-mix.chip_mix_counts'].length).toBeGreaterThan(8);
  });
});
