import { RULEBOOK_V1, ruleById, type DomesticDefinition, type Rulebook } from '@chip-ledger/compliance';
import { SEED_CHIP_MODELS, type ChipModelSpec } from '@chip-ledger/domain';
import { jsonRows, tableOf } from '@chip-ledger/persistence';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '@chip-ledger/projection';
import { In } from 'typeorm';
import { asLedger } from '../shared/events';
import { ChipMixCount, ChipMixDataCenter, ChipMixModel, ChipMixOrganisation, ChipMixRental } from './chip-mix.entities';
import { ChipMixBatch, modelRow } from './chip-mix.evolve';
import { CHIP_MIX_MIGRATIONS } from './chip-mix.migrations';

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
  readonly migrations = CHIP_MIX_MIGRATIONS;
  private readonly domestic: DomesticDefinition;
  private sql: ChipMixStatements | null = null;

  constructor(options: ChipMixOptions = {}) {
    this.domestic = domesticDefinition(options.rulebook ?? RULEBOOK_V1);
  }

  /** The shipped catalog is the base state (compliance starts from it too); catalog events override it. */
  async seed(tx: ProjectionTransaction): Promise<void> {
    await tx.client.query(this.statements(tx).insertModels, [jsonRows(SEED_CHIP_MODELS.map((m) => modelRow(m, this.domestic)))]);
  }

  async apply(tx: ProjectionTransaction, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const batch = new ChipMixBatch();
    for (const e of events) batch.add(asLedger(e));
    const { client } = tx;
    const sql = this.statements(tx);

    if (batch.organisations.size > 0) await client.query(sql.upsertOrganisations, [jsonRows([...batch.organisations.values()])]);
    if (batch.modelsAdded.length > 0 || batch.modelCorrections.length > 0) await this.applyCatalog(tx, batch);
    if (batch.dataCenters.size > 0) await client.query(sql.upsertDataCenters, [jsonRows([...batch.dataCenters.values()])]);
    if (batch.counts.size > 0) await client.query(sql.addCounts, [jsonRows([...batch.counts.values()])]);
    if (batch.rentals.size > 0) {
      const rows = [...batch.rentals.values()];
      const started = rows.filter((r) => r.dataCenterId !== null);
      const later = rows.filter((r) => r.dataCenterId === null);
      if (started.length > 0) await client.query(sql.upsertRentals, [jsonRows(started)]);
      if (later.length > 0) {
        const updated = await client.query<{ data_center_id: string; model_id: string }>(sql.extendRentals, [
          jsonRows(later.map((r) => ({ rentalId: r.rentalId, periodEnd: r.periodEnd, endedAt: r.endedAt }))),
        ]);
        for (const row of updated.rows) {
          const models = batch.touched.get(row.data_center_id) ?? new Set<string>();
          models.add(row.model_id);
          batch.touched.set(row.data_center_id, models);
        }
      }
    }
    return this.changes(tx, batch);
  }

  private async changes({ manager }: ProjectionTransaction, batch: ChipMixBatch): Promise<ProjectionChange[]> {
    if (batch.touched.size === 0) return [];
    const owners = await manager.getRepository(ChipMixDataCenter).find({ select: { dataCenterId: true, ownerOrganisationId: true }, where: { dataCenterId: In([...batch.touched.keys()]) } });
    const ownerOf = new Map(owners.map((r) => [r.dataCenterId, r.ownerOrganisationId]));
    return [...batch.touched].map(([dataCenterId, models]) => ({
      projection: CHIP_MIX,
      kind: models.size > 0 ? 'chip-mix.changed' : 'data-center.changed',
      dataCenterId,
      organisationId: ownerOf.get(dataCenterId) ?? null,
      payload: { modelIds: [...models].sort() },
    }));
  }

  /** Catalog events are rare: corrections read the current spec, merge, and re-classify. */
  private async applyCatalog(tx: ProjectionTransaction, batch: ChipMixBatch): Promise<void> {
    const specs = new Map<string, ChipModelSpec>();
    const ids = [...new Set(batch.modelCorrections.map((c) => c.modelId))];
    if (ids.length > 0) {
      for (const model of await tx.manager.getRepository(ChipMixModel).findBy({ modelId: In(ids) })) specs.set(model.modelId, model.spec);
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
    if (added + corrected > 0) await tx.client.query(this.statements(tx).replaceModels, [jsonRows([...specs.values()].map((s) => modelRow(s, this.domestic)))]);
  }

  /** The batch's statements, names from the entities' metadata: one per table, built once per generation schema. */
  private statements({ manager, schema }: ProjectionTransaction): ChipMixStatements {
    if (this.sql?.schema === schema) return this.sql;
    const models = tableOf(manager, ChipMixModel, schema);
    const organisations = tableOf(manager, ChipMixOrganisation, schema);
    const dataCenters = tableOf(manager, ChipMixDataCenter, schema);
    const counts = tableOf(manager, ChipMixCount, schema);
    const rentals = tableOf(manager, ChipMixRental, schema);
    const incoming = 'incoming' as const;
    const known = (stored: string, incomingValue: string) => `COALESCE(${incomingValue}, ${stored})`;
    const sum = (stored: string, incomingValue: string) => `${stored} + ${incomingValue}`;
    const replaceModel = { name: incoming, vendor: incoming, vendorHeadquarters: incoming, fabCountry: incoming, usOrigin: incoming, eccnClass: incoming, domestic: incoming, spec: incoming };
    this.sql = {
      schema,
      insertModels: models.upsert(),
      replaceModels: models.upsert({ update: replaceModel }),
      upsertOrganisations: organisations.upsert({ update: { name: incoming, headquartersCountry: incoming, ultimateParentHeadquartersCountry: incoming } }),
      upsertDataCenters: dataCenters.upsert({
        update: {
          name: known,
          ownerOrganisationId: known,
          country: known,
          region: known,
          registeredAt: known,
          stateFunded: (stored, incomingValue) => `${stored} OR ${incomingValue}`,
          stateFundedAt: (stored, incomingValue) => `LEAST(${stored}, ${incomingValue})`,
          // The latest report by occurredAt wins, whatever order late facts arrive in.
          completionPercent: (stored, incomingValue, other) => {
            const reported = other('completionReportedAt');
            return `CASE WHEN ${reported.incoming} IS NOT NULL AND (${reported.stored} IS NULL OR ${reported.incoming} >= ${reported.stored}) THEN ${incomingValue} ELSE ${stored} END`;
          },
          completionReportedAt: (stored, incomingValue) => `GREATEST(${stored}, ${incomingValue})`,
        },
      }),
      addCounts: counts.upsert({
        update: {
          ordered: sum,
          cancelled: sum,
          delivered: sum,
          installed: sum,
          inStock: sum,
          removed: sum,
          transferredIn: sum,
          transferredOut: sum,
          lastEventAt: (stored, incomingValue) => `GREATEST(${stored}, ${incomingValue})`,
        },
      }),
      upsertRentals: rentals.upsert({
        update: { periodEnd: (stored, incomingValue) => `GREATEST(${stored}, ${incomingValue})`, endedAt: (stored, incomingValue) => `COALESCE(${stored}, ${incomingValue})` },
      }),
      // An extension or end in a batch without the rental's start (started in an earlier batch): update, and say where.
      extendRentals: `UPDATE ${rentals.name} AS t SET ${rentals.column('periodEnd')} = GREATEST(t.${rentals.column('periodEnd')}, x."periodEnd"),
           ${rentals.column('endedAt')} = COALESCE(t.${rentals.column('endedAt')}, x."endedAt")
          FROM ${rentals.recordset(['rentalId', 'periodEnd', 'endedAt'])}
         WHERE t.${rentals.column('rentalId')} = x."rentalId"
        RETURNING t.${rentals.column('dataCenterId')} AS data_center_id, t.${rentals.column('modelId')} AS model_id`,
    };
    return this.sql;
  }
}

interface ChipMixStatements {
  readonly schema: string;
  readonly insertModels: string;
  readonly replaceModels: string;
  readonly upsertOrganisations: string;
  readonly upsertDataCenters: string;
  readonly addCounts: string;
  readonly upsertRentals: string;
  readonly extendRentals: string;
}
