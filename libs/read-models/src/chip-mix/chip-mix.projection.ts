import { RULEBOOK_V1, ruleById, type DomesticDefinition, type Rulebook } from '@chip-ledger/compliance';
import { SEED_CHIP_MODELS, type ChipModelSpec } from '@chip-ledger/domain';
import type { Projection, ProjectedEvent, ProjectionChange } from '@chip-ledger/projection';
import type { PoolClient } from 'pg';
import { asLedger } from '../shared/events';
import { asJsonRows } from '../shared/sql';
import { ChipMixBatch, modelRow, type ModelRow } from './chip-mix.evolve';
import { chipMixDdl, chipMixTables } from './chip-mix.table';

export const CHIP_MIX = 'chip-mix';

export interface ChipMixOptions {
  /** Where "domestic" comes from: the CN-STATE-FUNDED-DOMESTIC rule's parameter (vendor HQ in CN by default). */
  readonly rulebook?: Rulebook;
}

/** The "domestic" definition the rulebook gives, so chip mix and findings never disagree on it. */
export const domesticDefinition = (rulebook: Rulebook): DomesticDefinition =>
  ruleById(rulebook, 'CN-STATE-FUNDED-DOMESTIC')?.parameters.domestic ?? { vendorHeadquartersIn: ['CN'], fabIn: null };

/**
 * Per data center and chip model: ordered, cancelled, delivered, installed, in stock, removed, transferred; plus
 * the data center's facts, the catalog (vendor, HQ, 3A090 class, domestic) and the rentals that make
 * "rented out". Stateless in memory: every batch is a handful of multi-row upserts.
 */
export class ChipMixProjection implements Projection {
  readonly name = CHIP_MIX;
  private readonly domestic: DomesticDefinition;

  constructor(options: ChipMixOptions = {}) {
    this.domestic = domesticDefinition(options.rulebook ?? RULEBOOK_V1);
  }

  async migrate(client: PoolClient, schema: string): Promise<void> {
    await client.query(chipMixDdl(schema));
    // The shipped catalog is the base state (compliance starts from it too); catalog events override it.
    await this.upsertModels(client, schema, SEED_CHIP_MODELS.map((m) => modelRow(m, this.domestic)), false);
  }

  async apply(client: PoolClient, schema: string, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const batch = new ChipMixBatch();
    for (const e of events) batch.add(asLedger(e));
    const t = chipMixTables(schema);

    if (batch.organisations.size > 0) {
      await client.query(
        `INSERT INTO ${t.organisations} AS o SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(organisation_id text, name text, headquarters_country text, ultimate_parent_headquarters_country text)
         ON CONFLICT (organisation_id) DO UPDATE SET name = excluded.name, headquarters_country = excluded.headquarters_country,
           ultimate_parent_headquarters_country = excluded.ultimate_parent_headquarters_country`,
        [asJsonRows([...batch.organisations.values()])],
      );
    }
    if (batch.modelsAdded.length > 0 || batch.modelCorrections.length > 0) await this.applyCatalog(client, schema, batch);
    if (batch.dataCenters.size > 0) {
      await client.query(
        `INSERT INTO ${t.dataCenters} AS d SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           data_center_id text, name text, owner_organisation_id text, country text, region text, registered_at timestamptz,
           state_funded boolean, state_funded_at timestamptz, completion_percent numeric, completion_reported_at timestamptz)
         ON CONFLICT (data_center_id) DO UPDATE SET
           name = COALESCE(excluded.name, d.name),
           owner_organisation_id = COALESCE(excluded.owner_organisation_id, d.owner_organisation_id),
           country = COALESCE(excluded.country, d.country),
           region = COALESCE(excluded.region, d.region),
           registered_at = COALESCE(excluded.registered_at, d.registered_at),
           state_funded = d.state_funded OR excluded.state_funded,
           state_funded_at = LEAST(d.state_funded_at, excluded.state_funded_at),
           completion_percent = CASE WHEN excluded.completion_reported_at IS NOT NULL
               AND (d.completion_reported_at IS NULL OR excluded.completion_reported_at >= d.completion_reported_at)
             THEN excluded.completion_percent ELSE d.completion_percent END,
           completion_reported_at = GREATEST(d.completion_reported_at, excluded.completion_reported_at)`,
        [asJsonRows([...batch.dataCenters.values()])],
      );
    }
    if (batch.counts.size > 0) {
      await client.query(
        `INSERT INTO ${t.counts} AS c SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           data_center_id text, model_id text, ordered bigint, cancelled bigint, delivered bigint, installed bigint, in_stock bigint,
           removed bigint, transferred_in bigint, transferred_out bigint, last_event_at timestamptz)
         ON CONFLICT (data_center_id, model_id) DO UPDATE SET
           ordered = c.ordered + excluded.ordered, cancelled = c.cancelled + excluded.cancelled,
           delivered = c.delivered + excluded.delivered, installed = c.installed + excluded.installed,
           in_stock = c.in_stock + excluded.in_stock, removed = c.removed + excluded.removed,
           transferred_in = c.transferred_in + excluded.transferred_in, transferred_out = c.transferred_out + excluded.transferred_out,
           last_event_at = GREATEST(c.last_event_at, excluded.last_event_at)`,
        [asJsonRows([...batch.counts.values()])],
      );
    }
    if (batch.rentals.size > 0) {
      const rows = [...batch.rentals.values()];
      const started = rows.filter((r) => r.data_center_id !== null);
      const later = rows.filter((r) => r.data_center_id === null);
      if (started.length > 0) {
        await client.query(
          `INSERT INTO ${t.rentals} AS r SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
             rental_id text, data_center_id text, model_id text, chip_count bigint, period_start timestamptz, period_end timestamptz, ended_at timestamptz)
           ON CONFLICT (rental_id) DO UPDATE SET period_end = GREATEST(r.period_end, excluded.period_end), ended_at = COALESCE(r.ended_at, excluded.ended_at)`,
          [asJsonRows(started)],
        );
      }
      if (later.length > 0) {
        const updated = await client.query<{ data_center_id: string; model_id: string }>(
          `UPDATE ${t.rentals} AS r SET period_end = GREATEST(r.period_end, x.period_end), ended_at = COALESCE(r.ended_at, x.ended_at)
             FROM jsonb_to_recordset($1::jsonb) AS x(rental_id text, period_end timestamptz, ended_at timestamptz)
            WHERE r.rental_id = x.rental_id
           RETURNING r.data_center_id, r.model_id`,
          [asJsonRows(later.map((r) => ({ rental_id: r.rental_id, period_end: r.period_end, ended_at: r.ended_at })))],
        );
        for (const row of updated.rows) {
          const models = batch.touched.get(row.data_center_id) ?? new Set<string>();
          models.add(row.model_id);
          batch.touched.set(row.data_center_id, models);
        }
      }
    }
    return this.changes(client, schema, batch);
  }

  private async changes(client: PoolClient, schema: string, batch: ChipMixBatch): Promise<ProjectionChange[]> {
    if (batch.touched.size === 0) return [];
    const owners = await client.query<{ data_center_id: string; owner_organisation_id: string | null }>(
      `SELECT data_center_id, owner_organisation_id FROM ${chipMixTables(schema).dataCenters} WHERE data_center_id = ANY($1::text[])`,
      [[...batch.touched.keys()]],
    );
    const ownerOf = new Map(owners.rows.map((r) => [r.data_center_id, r.owner_organisation_id]));
    return [...batch.touched].map(([dataCenterId, models]) => ({
      projection: CHIP_MIX,
      kind: models.size > 0 ? 'chip-mix.changed' : 'data-center.changed',
      dataCenterId,
      organisationId: ownerOf.get(dataCenterId) ?? null,
      payload: { modelIds: [...models].sort() },
    }));
  }

  /** Catalog events are rare: corrections read the current spec, merge, and re-classify. */
  private async applyCatalog(client: PoolClient, schema: string, batch: ChipMixBatch): Promise<void> {
    const specs = new Map<string, ChipModelSpec>();
    const ids = [...new Set(batch.modelCorrections.map((c) => c.modelId))];
    if (ids.length > 0) {
      const current = await client.query<{ model_id: string; spec: ChipModelSpec }>(
        `SELECT model_id, spec FROM ${chipMixTables(schema).models} WHERE model_id = ANY($1::text[])`,
        [ids],
      );
      for (const r of current.rows) specs.set(r.model_id, r.spec);
    }
    // In log order within the batch: an add then a correction of the same model both count.
    let added = 0;
    let corrected = 0;
    const order: ({ kind: 'add'; spec: ChipModelSpec } | { kind: 'correct'; modelId: string; changes: Partial<ChipModelSpec> })[] = [];
    for (const spec of batch.modelsAdded) order.push({ kind: 'add', spec });
    for (const c of batch.modelCorrections) order.push({ kind: 'correct', ...c });
    // Adds are collected before corrections; a correction of a model added in the same batch still finds it.
    for (const step of order) {
      if (step.kind === 'add') {
        specs.set(step.spec.modelId, step.spec);
        added += 1;
      } else {
        const current = specs.get(step.modelId);
        if (current === undefined) continue;
        specs.set(step.modelId, { ...current, ...step.changes, modelId: current.modelId });
        corrected += 1;
      }
    }
    if (added + corrected > 0) await this.upsertModels(client, schema, [...specs.values()].map((s) => modelRow(s, this.domestic)), true);
  }

  private async upsertModels(client: PoolClient, schema: string, rows: readonly ModelRow[], replace: boolean): Promise<void> {
    await client.query(
      `INSERT INTO ${chipMixTables(schema).models} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         model_id text, name text, vendor text, vendor_headquarters text, fab_country text, us_origin boolean, eccn_class text, domestic boolean, spec jsonb)
       ON CONFLICT (model_id) DO ${
         replace
           ? `UPDATE SET name = excluded.name, vendor = excluded.vendor, vendor_headquarters = excluded.vendor_headquarters,
                fab_country = excluded.fab_country, us_origin = excluded.us_origin, eccn_class = excluded.eccn_class,
                domestic = excluded.domestic, spec = excluded.spec`
           : 'NOTHING'
       }`,
      [asJsonRows(rows)],
    );
  }
}
