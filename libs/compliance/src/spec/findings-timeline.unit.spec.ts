import fc from 'fast-check';
import type { Instant } from '@chip-ledger/domain';
import { evaluate } from '../evaluation/evaluate';
import type { Finding } from '../evaluation/finding';
import { RULEBOOK_V1 } from '../rulebook/rules';
import { evolveComplianceState, foldComplianceState, initialComplianceState, type ComplianceState, type LedgerEnvelope } from '../state/compliance-state';
import { findingKey, judgeDataCenterTimeline, newDataCenterTimeline, rewindDataCenterTimeline, type DataCenterTimeline, type TimelineInterval } from '../timeline/findings-timeline';
import { timeChangeInstants } from '../timeline/finding-timeline';
import { affectedDataCenters } from '../timeline/judgement-plan';
import { HISTORY_DATA_CENTERS, HISTORY_NOW, randomHistory } from '../testing/random-history';
import { Scenario } from '../testing/scenario';
import { M } from './helpers';

const iso = (ms: number): Instant => new Date(ms).toISOString();

/**
 * The definition: a data center judged in full at every instant a fact occurred at (any fact) and every instant time
 * alone changes the answer, up to now. An interval opens at the first instant its finding is seen and closes at the
 * first instant it is not, with its content as last seen; an open one has its content at now.
 */
function everyInstant(envelopes: readonly LedgerEnvelope[], dataCenterId: string, now: number): TimelineInterval[] {
  const state = foldComplianceState(envelopes);
  const instants = [...new Set([...envelopes.map((e) => Date.parse(e.occurredAt)), ...timeChangeInstants(state, RULEBOOK_V1).map((x) => Date.parse(x)), now])]
    .filter((t) => t <= now)
    .sort((a, b) => a - b);
  const open = new Map<string, { finding: Finding; openedAt: number }>();
  const out: TimelineInterval[] = [];
  for (const t of instants) {
    const found = new Map(evaluate(state, RULEBOOK_V1, iso(t), { dataCenterId }).map((f) => [findingKey(f), f]));
    for (const [key, o] of open) {
      if (found.has(key)) continue;
      open.delete(key);
      out.push({ finding: o.finding, openedAt: o.openedAt, closedAt: t });
    }
    for (const [key, f] of found) {
      const o = open.get(key);
      if (o) o.finding = f;
      else open.set(key, { finding: f, openedAt: t });
    }
  }
  return [...out, ...[...open.values()].map((o) => ({ ...o, closedAt: null }))];
}

/** What a findings row holds of an interval (wall-clock columns apart). */
const rows = (intervals: readonly TimelineInterval[]) =>
  intervals
    .map((i) => ({
      key: findingKey(i.finding),
      openedAt: iso(i.openedAt),
      closedAt: i.closedAt === null ? null : iso(i.closedAt),
      count: i.finding.count,
      evidence: i.finding.evidence,
      message: i.finding.message,
      acknowledged: i.finding.acknowledged,
      certainty: i.finding.certainty,
    }))
    .sort((a, b) => (a.key + a.openedAt < b.key + b.openedAt ? -1 : 1));

/** The projection's bookkeeping without a database: the rows per data center, rewound when a fact arrives late. */
class InMemoryFindings {
  state: ComplianceState = initialComplianceState();
  readonly timelines = new Map<string, DataCenterTimeline>();
  readonly rows = new Map<string, TimelineInterval[]>();

  async apply(batch: readonly LedgerEnvelope[], now: number): Promise<void> {
    const from = new Map<string, number>();
    for (const e of batch) {
      this.state = evolveComplianceState(this.state, e);
      for (const dc of affectedDataCenters(this.state, e)) from.set(dc, Math.min(from.get(dc) ?? Number.POSITIVE_INFINITY, Date.parse(e.occurredAt)));
    }
    for (const [dc, t0] of [...from].sort()) await this.judge(dc, now, t0);
  }

  async judge(dataCenterId: string, now: number, from = Number.POSITIVE_INFINITY): Promise<void> {
    let timeline = this.timelines.get(dataCenterId);
    if (!timeline) this.timelines.set(dataCenterId, (timeline = newDataCenterTimeline(dataCenterId)));
    const kept = this.rows.get(dataCenterId) ?? [];
    if (from <= timeline.judgedThrough) {
      rewindDataCenterTimeline(timeline, from, kept.filter((r) => r.openedAt < from && (r.closedAt === null || r.closedAt >= from)));
      this.rows.set(dataCenterId, kept.filter((r) => r.closedAt !== null && r.closedAt < from));
    } else {
      this.rows.set(dataCenterId, kept.filter((r) => r.closedAt !== null));
    }
    const { intervals } = await judgeDataCenterTimeline(this.state, RULEBOOK_V1, timeline, now);
    this.rows.get(dataCenterId)?.push(...intervals);
  }
}

describe('the findings timeline of a data center', () => {
  it('judged once from nothing, equals judging it in full at every instant', async () => {
    await fc.assert(
      fc.asyncProperty(randomHistory({ maxFacts: Number(process.env["FC_MAX_FACTS"] ?? 40) }), async (envelopes) => {
        const state = foldComplianceState(envelopes);
        for (const { dataCenterId } of HISTORY_DATA_CENTERS) {
          const judged = await judgeDataCenterTimeline(state, RULEBOOK_V1, newDataCenterTimeline(dataCenterId), HISTORY_NOW);
          expect(rows(judged.intervals)).toEqual(rows(everyInstant(envelopes, dataCenterId, HISTORY_NOW)));
        }
      }),
      { numRuns: Number(process.env["FC_RUNS"] ?? 200), ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]), path: process.env["FC_PATH"] } : {}) },
    );
  });

  it('judges CN-STATE-FUNDED-DOMESTIC wherever a progress or funding report can change it (the plan skips the rest)', async () => {
    // Around the rule's reference date (2025-11-05): a registration before or after it, progress reports before and
    // after it or only after it, several funding reports, foreign chips delivered.
    const DAY = 86_400_000;
    const base = Date.parse('2025-01-01T00:00:00.000Z');
    const day = (d: number): string => iso(base + d * DAY);
    const now = base + 1_000 * DAY;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 100 })), { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 900 }), { maxLength: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 900 }), fc.constantFrom(M.h100Sxm, M.h20, M.ascend910b)), { minLength: 1, maxLength: 3 }),
        async (registered, progress, funding, deliveries) => {
          const s = new Scenario().organisation('2020-01-01', 'cn-co', 'CN').dataCenter(day(registered), 'cn-dc', 'cn-co', 'CN');
          for (const [d, percent] of progress) s.progress(day(d), 'cn-dc', percent);
          for (const d of funding) s.stateFunding(day(d), 'cn-dc');
          for (const [d, modelId] of deliveries) s.deliver(day(d), 'cn-dc', modelId, 8);
          const judged = await judgeDataCenterTimeline(foldComplianceState(s.envelopes), RULEBOOK_V1, newDataCenterTimeline('cn-dc'), now);
          expect(rows(judged.intervals)).toEqual(rows(everyInstant(s.envelopes, 'cn-dc', now)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is the same whatever order the facts arrive in, however they are cut into batches, and as the clock moves', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomHistory({ maxFacts: Number(process.env["FC_MAX_FACTS"] ?? 40) }).chain((envelopes) =>
          fc.tuple(
            fc.constant(envelopes),
            fc.shuffledSubarray(envelopes, { minLength: envelopes.length, maxLength: envelopes.length }),
            fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 }),
            fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 20 }),
          ),
        ),
        async ([recorded, arrival, cuts, clock]) => {
          const findings = new InMemoryFindings();
          let i = 0;
          let step = 0;
          let now = HISTORY_NOW - 900 * 86_400_000;
          while (i < arrival.length) {
            const size = cuts[step % cuts.length];
            now = Math.min(HISTORY_NOW, now + clock[step % clock.length] * 86_400_000);
            await findings.apply(arrival.slice(i, i + size), now);
            i += size;
            step += 1;
          }
          // and time passes to now (a tick)
          for (const { dataCenterId } of HISTORY_DATA_CENTERS) await findings.judge(dataCenterId, HISTORY_NOW);
          for (const { dataCenterId } of HISTORY_DATA_CENTERS) {
            expect(rows(findings.rows.get(dataCenterId) ?? [])).toEqual(rows(everyInstant(recorded, dataCenterId, HISTORY_NOW)));
          }
        },
      ),
      { numRuns: Number(process.env["FC_RUNS"] ?? 200), ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]), path: process.env["FC_PATH"] } : {}) },
    );
  });
});
