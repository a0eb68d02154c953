import { SEED_MODEL_IDS as M } from '@chip-ledger/domain';
import { ledger, ProjectionHarness, type Ledger } from '../testing/ledger';
import { FindingsProjection } from './findings.projection';

interface Row {
  id: string;
  rule_id: string;
  severity: string;
  certainty: string;
  data_center_id: string;
  model_id: string | null;
  count: string;
  opened_at: Date;
  closed_at: Date | null;
  evidence: string[];
}

const fixedClock = (when: string) => () => new Date(when);

describe('findings projection', () => {
  let h: ProjectionHarness;
  let n = 0;
  const nextSchema = () => `findings_${++n}`;
  beforeAll(async () => {
    h = await ProjectionHarness.start('findings');
  });
  afterAll(async () => {
    await h.stop();
  });

  const findings = (schema: string, ruleId?: string) =>
    h.rows<Row>(`SELECT * FROM "${schema}".findings ${ruleId ? 'WHERE rule_id = $1' : ''} ORDER BY opened_at, id`, ruleId ? [ruleId] : []);

  const gansu = (completion: number): Ledger =>
    ledger()
      .organisation('2025-01-01', 'gansu-compute', 'CN')
      .dataCenter('2025-03-01', 'gansu', 'gansu-compute', 'CN')
      .stateFunding('2025-04-01', 'gansu')
      .progress('2025-10-01', 'gansu', completion)
      .deliver('2025-09-01', 'gansu', M.h20, 512)
      .install('2025-09-05', 'gansu', M.h20, 512);

  describe('when the Gansu data center is 20% complete on 2025-11-05 (worked example 2)', () => {
    it('opens a breach dated 2025-11-05 for the 512 H20 and closes it when all 512 are removed', async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const l = gansu(20);
      const opened = await h.apply(p, schema, l.events);
      const [breach] = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(breach).toMatchObject({ severity: 'breach', certainty: 'reported-guidance', model_id: M.h20, count: '512', closed_at: null });
      expect(breach.opened_at.toISOString()).toBe('2025-11-05T00:00:00.000Z');
      expect(opened.some((c) => c.kind === 'finding.opened' && c.payload['ruleId'] === 'CN-STATE-FUNDED-DOMESTIC' && c.organisationId === 'gansu-compute')).toBe(true);

      const before = l.events.length;
      l.remove('2026-01-10', 'gansu', M.h20, 512);
      const closed = await h.apply(p, schema, l.events.slice(before));
      const [history] = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(history.id).toBe(breach.id);
      expect(history.closed_at?.toISOString()).toBe('2026-01-10T00:00:00.000Z');
      expect(closed.map((c) => c.kind)).toContain('finding.closed');
    });

    it('opens the breach on the tick at 2025-11-05 when the events were projected before it (time alone changes the answer)', async () => {
      const schema = nextSchema();
      let now = new Date('2025-10-15T00:00:00.000Z');
      const p = new FindingsProjection({ clock: () => now });
      await h.start(p, schema);
      await h.apply(p, schema, gansu(20).events);
      expect(await findings(schema, 'CN-STATE-FUNDED-DOMESTIC')).toEqual([]);

      // Instants already past (rule dates of 2022-2025) are ticked through first, with nothing to do.
      let wake = p.nextWakeUp(now);
      while (wake !== null && wake.getTime() <= now.getTime()) {
        await h.inTransaction(schema, (tx) => p.tick(tx, now));
        wake = p.nextWakeUp(now);
      }
      expect(wake?.toISOString()).toBe('2025-11-05T00:00:00.000Z');
      now = wake as Date;
      const changes = await h.inTransaction(schema, (tx) => p.tick(tx, now));
      expect(changes.map((c) => [c.kind, c.payload['ruleId']])).toContainEqual(['finding.opened', 'CN-STATE-FUNDED-DOMESTIC']);
      const [breach] = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(breach.opened_at.toISOString()).toBe('2025-11-05T00:00:00.000Z');
    });
  });

  describe('when the Gansu data center is 45% complete on 2025-11-05', () => {
    it("opens a review from 2025-11-05 that an auditor's approval closes", async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const l = gansu(45);
      await h.apply(p, schema, l.events);
      const [review] = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(review).toMatchObject({ severity: 'review', count: '512', closed_at: null });
      expect(review.opened_at.toISOString()).toBe('2025-11-05T00:00:00.000Z');
      const before = l.events.length;
      l.review('2026-01-10', 'gansu', 'approved');
      await h.apply(p, schema, l.events.slice(before));
      const rows = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(rows).toHaveLength(1);
      expect(rows[0].closed_at?.toISOString()).toBe('2026-01-10T00:00:00.000Z');
    });

    it('turns a refusal into a breach: the review interval closes and a breach interval opens', async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const l = gansu(45);
      await h.apply(p, schema, l.events);
      const before = l.events.length;
      l.review('2026-01-10', 'gansu', 'refused');
      await h.apply(p, schema, l.events.slice(before));
      const rows = await findings(schema, 'CN-STATE-FUNDED-DOMESTIC');
      expect(rows.map((r) => [r.severity, r.closed_at === null])).toEqual([
        ['review', false],
        ['breach', true],
      ]);
    });
  });

  describe('when H20 deliveries of 1,500 then 800 draw on a licence for 2,000 (worked example 4)', () => {
    it('opens a US-LICENCE-BALANCE breach for the second delivery only', async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const l = ledger()
        .organisation('2025-01-01', 'cn-cloud', 'CN')
        .dataCenter('2025-02-01', 'shanghai', 'cn-cloud', 'CN')
        .licence('2025-08-20', 'lic-h20', { consigneeOrganisationId: 'cn-cloud', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 2000, revenueSharePercent: 15 })
        .deliver('2025-09-01', 'shanghai', M.h20, 1500, { deliveryId: 'd1', licenceId: 'lic-h20' })
        .remit('2025-09-15', 'lic-h20', ['d1'])
        .deliver('2025-10-01', 'shanghai', M.h20, 800, { deliveryId: 'd2', licenceId: 'lic-h20' })
        .remit('2025-10-15', 'lic-h20', ['d2']);
      await h.apply(p, schema, l.events, 2);
      const balance = await findings(schema, 'US-LICENCE-BALANCE');
      expect(balance).toHaveLength(1);
      expect(balance[0]).toMatchObject({ severity: 'breach', model_id: M.h20, closed_at: null });
      expect(balance[0].opened_at.toISOString()).toBe('2025-10-01T00:00:00.000Z');
      expect(balance[0].evidence).toContain('evt-6');
    });

    it('shows an H20 delivery with no licence as a breach (US-H20-IS-INFORMED)', async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const l = ledger().organisation('2025-01-01', 'cn-cloud', 'CN').dataCenter('2025-02-01', 'shanghai', 'cn-cloud', 'CN').deliver('2025-05-01', 'shanghai', M.h20, 100);
      await h.apply(p, schema, l.events);
      const rows = await findings(schema, 'US-H20-IS-INFORMED');
      expect(rows).toMatchObject([{ severity: 'breach', count: '100', closed_at: null }]);
      expect(rows[0].opened_at.toISOString()).toBe('2025-05-01T00:00:00.000Z');
    });
  });

  describe('when the projection restarts', () => {
    const history = (): Ledger =>
      gansu(20)
        .organisation('2021-01-01', 'deepseek', 'CN')
        .dataCenter('2021-06-01', 'hangzhou', 'deepseek', 'CN')
        .deliver('2023-06-01', 'hangzhou', M.h800, 2000)
        .install('2023-06-10', 'hangzhou', M.h800, 2000)
        .deliver('2025-11-20', 'hangzhou', M.ascend910b, 256)
        .install('2025-12-01', 'hangzhou', M.ascend910b, 256)
        .remove('2026-01-10', 'gansu', M.h20, 200)
        .remove('2026-01-20', 'gansu', M.h20, 312);

    it('load() restores the state: half applied, new instance loaded, rest applied = all applied in one instance', async () => {
      const clock = fixedClock('2026-03-01T00:00:00.000Z');
      const events = history().events;
      // Same batch boundaries in both runs: a finding's content is what each batch ends with.
      const half = 3 * Math.floor(events.length / 6);

      const one = nextSchema();
      const single = new FindingsProjection({ clock });
      await h.start(single, one);
      await h.apply(single, one, events, 3);

      const two = nextSchema();
      const first = new FindingsProjection({ clock });
      await h.start(first, two);
      await h.apply(first, two, events.slice(0, half), 3);
      const second = new FindingsProjection({ clock });
      await h.start(second, two);
      expect(second.complianceState().seq).toBe(half);
      await h.apply(second, two, events.slice(half), 3);

      const strip = (rows: Row[]) => rows.map((r) => ({ ...r, updated_at: undefined }));
      expect(strip(await findings(two))).toEqual(strip(await findings(one)));
      expect((await findings(one)).length).toBeGreaterThan(1);
      expect(second.nextWakeUp(new Date('2026-03-01'))?.toISOString()).toBe(single.nextWakeUp(new Date('2026-03-01'))?.toISOString());
    });

    it('load() folds a generation journalled a row per event (before batches) first, then its batches', async () => {
      const clock = fixedClock('2026-03-01T00:00:00.000Z');
      const events = history().events;
      const half = Math.floor(events.length / 2);
      const schema = nextSchema();
      const first = new FindingsProjection({ clock });
      await h.start(first, schema);
      await h.apply(first, schema, events.slice(0, half));
      // given the first half as an older version journalled it: a row per event, no batch rows
      await h.rows(`CREATE TABLE "${schema}".findings_journal (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text NOT NULL UNIQUE, occurred_at timestamptz NOT NULL, envelope jsonb NOT NULL)`);
      await h.rows(
        `INSERT INTO "${schema}".findings_journal (event_id, occurred_at, envelope)
         SELECT e->>'eventId', (e->>'occurredAt')::timestamptz, e FROM jsonb_array_elements($1::jsonb) AS e`,
        [JSON.stringify(events.slice(0, half).map(({ source: _source, ...stored }) => stored))],
      );
      await h.rows(`DELETE FROM "${schema}".findings_journal_batches`);
      // (and a version before this one's migration folding that journal into batches)
      await h.rows(`DELETE FROM "${schema}".migrations WHERE name = 'FindingsJournalInBatches1735689600302'`);
      // when an instance of this version loads it and applies the rest, then another loads everything
      const second = new FindingsProjection({ clock });
      await h.start(second, schema);
      expect(second.complianceState().seq).toBe(half);
      await h.apply(second, schema, events.slice(half));
      const third = new FindingsProjection({ clock });
      await h.start(third, schema);
      // then the state holds every event once, in order: the state of one instance that applied them all
      const single = new FindingsProjection({ clock });
      const one = nextSchema();
      await h.start(single, one);
      await h.apply(single, one, events);
      expect(third.complianceState().seq).toBe(events.length);
      expect(third.complianceState()).toEqual(single.complianceState());
    });

    it('ignores an event id it has already applied', async () => {
      const schema = nextSchema();
      const p = new FindingsProjection({ clock: fixedClock('2026-03-01T00:00:00.000Z') });
      await h.start(p, schema);
      const events = gansu(20).events;
      await h.apply(p, schema, events);
      expect(await h.apply(p, schema, events.slice(-2))).toEqual([]);
      expect(p.complianceState().seq).toBe(events.length);
    });
  });
});
