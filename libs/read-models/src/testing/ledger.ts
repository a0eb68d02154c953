import type { LedgerEnvelope } from '@chip-ledger/compliance';
import { streamIdOf, type Actor, type LedgerEvent, type OrderLine } from '@chip-ledger/domain';
import { openDatabase, runMigrations, withTransaction, type Database } from '@chip-ledger/persistence';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '@chip-ledger/projection';
import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { READ_MODEL_ENTITIES } from '../registry';

/** '2025-11-05' or a full ISO instant → a full ISO instant. */
export const at = (when: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T00:00:00.000Z` : when);


const operator: Actor = { id: 'test-operator', organisation: 'test', role: 'operator' };
const auditor: Actor = { id: 'test-auditor', organisation: 'audit', role: 'auditor' };

/** Builds projected events the way the engine hands them over: envelope + log position. Ids `evt-1`, ... */
export class Ledger {
  readonly events: ProjectedEvent[] = [];
  private readonly versions = new Map<string, number>();
  private n = 0;

  record(when: string, event: LedgerEvent): this {
    const streamId = streamIdOf(event);
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.n += 1;
    const envelope = {
      eventId: `evt-${this.n}`,
      type: event.type,
      schemaVersion: 1,
      streamId,
      version,
      occurredAt: at(when),
      recordedAt: at(when),
      actor: event.type === 'CaseReviewDecided' || event.type === 'FindingAcknowledged' ? auditor : operator,
      correlationId: `corr-${this.n}`,
      causationId: null,
      data: event.data,
    } as LedgerEnvelope;
    // One store in recording order: the origin the engine would give them in one context.
    this.events.push({ ...envelope, source: { topic: 'test', partition: 0, offset: String(this.n - 1) }, origin: { context: 'test', position: this.n } });
    return this;
  }
  organisation(when: string, organisationId: string, headquartersCountry: string, name = organisationId): this {
    return this.record(when, { type: 'OrganisationRegistered', data: { organisationId, name, headquartersCountry, ultimateParentHeadquartersCountry: headquartersCountry } });
  }
  dataCenter(when: string, dataCenterId: string, ownerOrganisationId: string, country: string, region = 'region'): this {
    return this.record(when, { type: 'DataCenterRegistered', data: { dataCenterId, name: dataCenterId, ownerOrganisationId, country, region } });
  }
  progress(when: string, dataCenterId: string, completionPercent: number): this {
    return this.record(when, { type: 'ConstructionProgressReported', data: { dataCenterId, completionPercent } });
  }
  stateFunding(when: string, dataCenterId: string): this {
    return this.record(when, { type: 'StateFundingReported', data: { dataCenterId, funder: 'state', reference: null } });
  }
  order(when: string, purchaseOrderId: string, dataCenterId: string, buyerOrganisationId: string, lines: OrderLine[]): this {
    return this.record(when, { type: 'PurchaseOrderPlaced', data: { purchaseOrderId, buyerOrganisationId, dataCenterId, supplier: 'supplier', lines } });
  }
  cancel(when: string, purchaseOrderId: string, dataCenterId: string, cancelledLines: OrderLine[]): this {
    return this.record(when, { type: 'PurchaseOrderCancelled', data: { purchaseOrderId, dataCenterId, reason: 'cancelled', cancelledLines } });
  }
  deliver(when: string, dataCenterId: string, modelId: string, quantity: number, o: { deliveryId?: string; purchaseOrderId?: string; licenceId?: string | null } = {}): this {
    return this.record(when, {
      type: 'ChipsDelivered',
      data: {
        deliveryId: o.deliveryId ?? `del-${this.n + 1}`,
        dataCenterId,
        modelId,
        quantity,
        purchaseOrderId: o.purchaseOrderId ?? `po-${dataCenterId}`,
        licenceId: o.licenceId ?? null,
        shippedFromCountry: 'US',
      },
    });
  }
  install(when: string, dataCenterId: string, modelId: string, quantity: number): this {
    return this.record(when, { type: 'ChipsInstalled', data: { dataCenterId, modelId, quantity } });
  }
  remove(when: string, dataCenterId: string, modelId: string, quantity: number, reason: 'decommissioned' | 'failed' | 'remediation' | 'transferred' = 'remediation'): this {
    return this.record(when, { type: 'ChipsRemoved', data: { dataCenterId, modelId, quantity, reason } });
  }
  licence(when: string, licenceId: string, t: { consigneeOrganisationId: string; destinationCountry: string; modelIds: string[]; authorisedQuantity: number; revenueSharePercent?: number | null }): this {
    return this.record(when, {
      type: 'ExportLicenceIssued',
      data: {
        licenceId,
        licenceNumber: `L-${licenceId}`,
        exporter: 'exporter',
        consigneeOrganisationId: t.consigneeOrganisationId,
        destinationCountry: t.destinationCountry,
        modelIds: t.modelIds,
        authorisedQuantity: t.authorisedQuantity,
        validFrom: at(when),
        validTo: at('2030-01-01'),
        conditions: { revenueSharePercent: t.revenueSharePercent ?? null },
      },
    });
  }
  remit(when: string, licenceId: string, deliveryIds: string[]): this {
    return this.record(when, { type: 'RevenueShareRemitted', data: { licenceId, deliveryIds, amountUsd: '1000.00', reference: `rem-${this.n + 1}` } });
  }
  rental(when: string, rentalId: string, r: { providerDataCenterId: string; tenantOrganisationId: string; modelId: string; chipCount: number; purpose?: 'training' | 'inference'; periodEnd: string }): this {
    return this.record(when, {
      type: 'RentalStarted',
      data: { rentalId, ...r, purpose: r.purpose ?? 'training', periodStart: at(when), periodEnd: at(r.periodEnd) },
    });
  }
  endRental(when: string, rentalId: string): this {
    return this.record(when, { type: 'RentalEnded', data: { rentalId, reason: 'done' } });
  }
  review(when: string, dataCenterId: string, decision: 'approved' | 'refused'): this {
    return this.record(when, { type: 'CaseReviewDecided', data: { dataCenterId, ruleId: 'CN-STATE-FUNDED-DOMESTIC', decision, reasoning: 'reasons' } });
  }
}

export const ledger = (): Ledger => new Ledger();

/**
 * A fresh database (a DataSource knowing every read model's entities, and its pool), plus helpers running projection
 * calls in a transaction as the engine does: the generation's schema on the search path.
 */
export class ProjectionHarness {
  readonly pool: Pool;

  private constructor(
    readonly database: TestDatabase,
    readonly db: Database,
  ) {
    this.pool = db.pool;
  }

  static async start(label: string): Promise<ProjectionHarness> {
    const database = await createTestDatabase(label);
    // Its clients and pool ignore errors of their own: idle connections may still be closing when the database is dropped.
    const db = await openDatabase({ url: database.url, poolSize: 4, entities: [...READ_MODEL_ENTITIES] });
    return new ProjectionHarness(database, db);
  }

  async inTransaction<T>(schema: string, work: (tx: ProjectionTransaction) => Promise<T>): Promise<T> {
    return withTransaction(this.db.dataSource, ({ manager, client }) => work({ schema, manager, client }), { schema });
  }

  /** A read of the generation in `schema`, as the query API's reader runs it (its search path, one snapshot). */
  async read<T>(schema: string, work: (db: EntityManager) => Promise<T>): Promise<T> {
    return withTransaction(this.db.dataSource, ({ manager }) => work(manager), { schema, isolation: 'REPEATABLE READ' });
  }

  /** The read model's migrations and seed, then load, as the engine does for a new instance. */
  async start(projection: Projection, schema: string): Promise<void> {
    await runMigrations(this.db.dataSource, { schema, migrations: projection.migrations });
    if (projection.seed) await this.inTransaction(schema, (tx) => (projection.seed as NonNullable<Projection['seed']>)(tx));
    if (projection.load) await this.inTransaction(schema, (tx) => (projection.load as NonNullable<Projection['load']>)(tx));
  }

  /** Applies events in batches of `batchSize` (default: all in one), returning every change. */
  async apply(projection: Projection, schema: string, events: readonly ProjectedEvent[], batchSize = events.length): Promise<ProjectionChange[]> {
    const out: ProjectionChange[] = [];
    for (let i = 0; i < events.length; i += Math.max(batchSize, 1)) {
      const batch = events.slice(i, i + Math.max(batchSize, 1));
      out.push(...(await this.inTransaction(schema, (tx) => projection.apply(tx, batch))));
    }
    return out;
  }

  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async stop(): Promise<void> {
    await this.db.close();
    await this.database.drop();
  }
}
