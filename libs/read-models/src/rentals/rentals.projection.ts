import { jsonRows, tableOf } from '@chip-ledger/persistence';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '@chip-ledger/projection';
import { asLedger } from '../shared/events';
import { RentalProvider, RentalRecord } from './rentals.entities';
import { RentalBatch } from './rentals.evolve';
import { RENTALS_MIGRATIONS } from './rentals.migrations';

export const RENTALS = 'rentals';
export { RENTAL_EVENTS } from './rentals.evolve';

/** Capacity rentals by tenant and by provider data center. */
export class RentalsProjection implements Projection {
  readonly name = RENTALS;
  readonly migrations = RENTALS_MIGRATIONS;
  private sql: { schema: string; upsertProviders: string; upsertRentals: string } | null = null;

  async apply(tx: ProjectionTransaction, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const batch = new RentalBatch();
    for (const event of events) batch.add(asLedger(event));
    const sql = this.statements(tx);
    if (batch.providers.size > 0) await tx.client.query(sql.upsertProviders, [jsonRows([...batch.providers.values()])]);
    if (batch.patches.size === 0) return [];
    const changed = await tx.client.query<{ rental_id: string; provider_data_center_id: string | null; tenant_organisation_id: string | null; owner_organisation_id: string | null; ended_at: Date | null }>(
      sql.upsertRentals,
      [jsonRows([...batch.patches.values()])],
    );
    return changed.rows.map((r) => ({
      projection: RENTALS,
      kind: r.ended_at === null ? 'rental.changed' : 'rental.ended',
      dataCenterId: r.provider_data_center_id,
      organisationId: r.owner_organisation_id,
      payload: { rentalId: r.rental_id, tenantOrganisationId: r.tenant_organisation_id },
    }));
  }

  /**
   * The batch's statements, names from the entities' metadata. A patch says only what its facts said: the rest of the
   * stored row stays; extensions add up; the first end stands.
   */
  private statements({ manager, schema }: ProjectionTransaction): NonNullable<RentalsProjection['sql']> {
    if (this.sql?.schema === schema) return this.sql;
    const rentals = tableOf(manager, RentalRecord, schema);
    const providers = tableOf(manager, RentalProvider, schema);
    const known = (stored: string, incoming: string) => `COALESCE(${incoming}, ${stored})`;
    const upsert = rentals.upsert({
      update: {
        providerDataCenterId: known,
        tenantOrganisationId: known,
        modelId: known,
        chipCount: known,
        purpose: known,
        periodStart: known,
        periodEnd: known,
        startedAt: known,
        extensions: (stored, incoming) => `${stored} + ${incoming}`,
        endedAt: (stored, incoming) => `COALESCE(${stored}, ${incoming})`,
        endReason: known,
        updatedAt: 'incoming',
      },
      returning: ['rentalId', 'providerDataCenterId', 'tenantOrganisationId', 'endedAt'],
    });
    this.sql = {
      schema,
      upsertProviders: providers.upsert({ update: { ownerOrganisationId: 'incoming' } }),
      // The changed rentals with their provider's owner (for the change stream's visibility).
      upsertRentals: `WITH u AS (${upsert})
        SELECT u.*, p.${providers.column('ownerOrganisationId')} AS owner_organisation_id
          FROM u LEFT JOIN ${providers.name} p ON p.${providers.column('dataCenterId')} = u.${rentals.column('providerDataCenterId')}`,
    };
    return this.sql;
  }
}
