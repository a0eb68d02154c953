import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { LedgerEnvelope } from '@chip-ledger/compliance';
import { HISTORY_NOW, randomHistory } from '@chip-ledger/compliance/testing';
import type { ProjectedEvent } from '@chip-ledger/projection';
import { ProjectionHarness } from '../testing/ledger';
import { FindingsProjection } from './findings.projection';

/*
 * Issue 16's property: the findings table (every row, open and closed, with its interval, severity, count and
 * evidence) is a function of the facts. Random ledgers are split over partitions the way the relay does (a topic per
 * context, the stream id's hash picks the partition, a stream's events stay in order), the partitions are interleaved
 * at random as a consumer may read them, cut into batches of random sizes, with the projection restarted (a new
 * instance loading the generation) between random batches; the real findings projection on PostgreSQL must end with
 * the table of one in-order pass.
 */
const PARTITIONS = 3;
const contextOf = (type: string): string => (type.startsWith('Rental') ? 'rental' : type.startsWith('Audit') || type === 'FindingAcknowledged' || type === 'CaseReviewDecided' ? 'audit' : 'procurement');
const partitionOf = (streamId: string): number => createHash('sha256').update(streamId).digest().readUInt32BE(0) % PARTITIONS;

/** The recorded history as the consumer sees it: per context topic and partition, in recorded order. */
const partitions = (recorded: readonly LedgerEnvelope[]): ProjectedEvent[][] => {
  const byPartition = new Map<string, ProjectedEvent[]>();
  for (const e of recorded) {
    const topic = `ledger.${contextOf(e.type)}`;
    const partition = partitionOf(e.streamId);
    const key = `${topic}/${partition}`;
    const list = byPartition.get(key) ?? [];
    list.push({ ...(e as unknown as ProjectedEvent), source: { topic, partition, offset: String(list.length) } });
    byPartition.set(key, list);
  }
  return [...byPartition.values()];
};

/** Interleaves the partitions by the given picks (each keeps its own order). */
const interleave = (parts: readonly ProjectedEvent[][], picks: readonly number[]): ProjectedEvent[] => {
  const cursors = parts.map(() => 0);
  const out: ProjectedEvent[] = [];
  let step = 0;
  while (out.length < parts.reduce((n, p) => n + p.length, 0)) {
    const open = parts.map((p, i) => i).filter((i) => cursors[i] < parts[i].length);
    const i = open[picks[step++ % picks.length] % open.length];
    out.push(parts[i][cursors[i]++]);
  }
  return out;
};

const COLUMNS = `id, finding_id, rule_id, severity, certainty, data_center_id, owner_organisation_id, model_id, count, evidence, message,
  source_citation, source_url, occurred_at, acknowledged, opened_at, closed_at`;

describe('findings are a function of the facts (real findings projection, real PostgreSQL)', () => {
  let h: ProjectionHarness;
  let n = 0;
  beforeAll(async () => {
    h = await ProjectionHarness.start('findings_determinism');
  });
  afterAll(async () => {
    await h.stop();
  });

  const clock = () => new Date(HISTORY_NOW);
  const table = (schema: string) => h.rows(`SELECT ${COLUMNS} FROM "${schema}".findings ORDER BY id`);

  it('whatever the interleaving of partitions, the batch sizes and the restarts, the table equals one in-order pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomHistory({ maxFacts: 30 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        async (recorded, picks, sizes, restarts) => {
          const inOrder = `findings_in_order_${++n}`;
          const single = new FindingsProjection({ clock });
          await h.start(single, inOrder);
          await h.apply(single, inOrder, partitions(recorded).flat().sort((a, b) => Number(a.eventId.slice(4)) - Number(b.eventId.slice(4))));

          const shuffled = `findings_shuffled_${n}`;
          const arrival = interleave(partitions(recorded), picks);
          let projection = new FindingsProjection({ clock });
          await h.start(projection, shuffled);
          for (let i = 0, b = 0; i < arrival.length; b++) {
            if (restarts[b % restarts.length] && b % 3 === 2) {
              // a crash: a new instance loads what the last one committed
              projection = new FindingsProjection({ clock });
              await h.start(projection, shuffled);
            }
            const size = sizes[b % sizes.length];
            await h.apply(projection, shuffled, arrival.slice(i, i + size));
            i += size;
          }
          expect(await table(shuffled)).toEqual(await table(inOrder));
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});
