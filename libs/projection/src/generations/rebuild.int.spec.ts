import { countingProjection } from '../testing/counting-projection';
import { countingTables, countRows, ledgerEvents, produceEvents, until } from '../testing/ledger-fixtures';
import { projectionTestBed, type ProjectionTestBed } from '../testing/projection-harness';
import type { RebuildProgress } from '../engine/projection-engine';
import type { ProjectionChange, ProjectionFactory } from '../projection.port';

describe('Blue/green rebuild over Kafka (real Kafka and PostgreSQL)', () => {
  let bed: ProjectionTestBed;

  beforeAll(async () => {
    bed = await projectionTestBed('rebuild');
  });

  afterAll(async () => {
    await bed.close();
  });

  /** The counting projection, announcing each applied batch as a change (what dashboards get over SSE). */
  const announcing: ProjectionFactory = () => {
    const base = countingProjection({ sleepMs: 15 });
    return {
      ...base,
      apply: async (tx, events) => {
        await base.apply(tx, events);
        return [{ projection: 'counting', kind: 'counted', dataCenterId: null, organisationId: null, payload: { schema: tx.schema, events: events.length } }];
      },
    };
  };

  it('builds generation 2 from offset 0 while generation 1 serves reads, then switches atomically to identical tables', async () => {
    const dc = ledgerEvents(15, 20, 'dc');
    const rental = ledgerEvents(10, 20, 'rental');
    const events = [...dc, ...rental];
    await produceEvents(bed.kafka, bed.topics[0], dc);
    await produceEvents(bed.kafka, bed.topics[1], rental);
    const announced: ProjectionChange[] = [];
    const engine = bed.engine([announcing], { subBatchSize: 25, onChanges: (changes) => announced.push(...changes) });
    await engine.start();
    await until(() => countRows(bed.pool, 'proj_counting_g1.event_log'), (n) => n >= events.length, 30_000, 'generation 1');

    const started = await engine.rebuild('counting');
    expect(started).toMatchObject({ generation: 2, state: 'building', total: events.length });
    const seen: RebuildProgress[] = [];
    const readers: string[] = [];
    const final = await until(
      async () => {
        // Readers keep working through the rebuild: always exactly one active schema, always full tables.
        const schema = await engine.activeSchema('counting');
        readers.push(schema);
        const { rows } = await bed.pool.query<{ n: string }>(`SELECT sum(events)::text AS n FROM ${schema}.stream_counts`);
        expect(Number(rows[0].n)).toBe(events.length);
        const progress = (await engine.progress('counting', 2)) as RebuildProgress;
        seen.push(progress);
        return progress;
      },
      (p) => p.state === 'active',
      40_000,
      'the switch',
    );
    expect(readers[0]).toBe('proj_counting_g1');
    // Once the rebuild says active, readers get the new generation. (Not the loop's last read: the switch can land
    // between its read of the schema and its read of the progress.)
    readers.push(await engine.activeSchema('counting'));
    expect(readers.at(-1)).toBe('proj_counting_g2');
    expect(seen.some((p) => p.state === 'building' && p.done < p.total)).toBe(true);
    expect(final.done).toBe(final.total);
    expect(final.rate).toBeGreaterThan(0);
    expect(final.etaSeconds).toBe(0);

    const generations = await engine.registry.list('counting');
    expect(generations.map((g) => [g.generation, g.state])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    expect(await countingTables(bed.pool, 'proj_counting_g2')).toEqual(await countingTables(bed.pool, 'proj_counting_g1'));
    // Changes went out from the generation serving reads only: replaying history into generation 2 announced nothing.
    expect(announced.filter((c) => c.payload['schema'] === 'proj_counting_g1').length).toBeGreaterThan(0);
    expect(announced.filter((c) => c.payload['schema'] === 'proj_counting_g2')).toEqual([]);
    await until(async () => engine.status().map((s) => s.generation), (g) => g.length === 1 && g[0] === 2, 10_000, 'the old runner to stop');
  });
});
