import { jsonRows, tableOf } from '@chip-ledger/persistence';
import type { Projection, ProjectedEvent, ProjectionChange, ProjectionTransaction } from '@chip-ledger/projection';
import { In } from 'typeorm';
import { asLedger } from '../shared/events';
import { LicenceBalance, LicenceDataCenter, LicenceRemittance, LicenceUsage } from './licence-balances.entities';
import { LicenceBatch } from './licence-balances.evolve';
import { LICENCE_BALANCES_MIGRATIONS } from './licence-balances.migrations';

export const LICENCE_BALANCES = 'licence-balances';

/**
 * Export licences as trade-compliance systems show them: authorised, used (deliveries and transfers-in citing
 * the licence into a data center of its consignee draw it down), remaining, status, usage history and remittances.
 */
export class LicenceBalancesProjection implements Projection {
  readonly name = LICENCE_BALANCES;
  readonly migrations = LICENCE_BALANCES_MIGRATIONS;
  private sql: LicenceStatements | null = null;

  async apply(tx: ProjectionTransaction, events: readonly ProjectedEvent[]): Promise<ProjectionChange[]> {
    const batch = new LicenceBatch();
    for (const e of events) batch.add(asLedger(e));
    const { client } = tx;
    const sql = this.statements(tx);
    if (batch.owners.length > 0) await client.query(sql.upsertOwners, [jsonRows(batch.owners)]);
    if (batch.touched.size === 0) return [];
    if (batch.licences.size > 0) {
      const rows = jsonRows([...batch.licences.values()]);
      // Rows first, then one UPDATE that overwrites only what the batch said (a patch is partial; status has a default).
      await client.query(sql.insertLicences, [rows]);
      await client.query(sql.patchLicences, [rows]);
    }
    if (batch.usages.length > 0) await client.query(sql.insertUsages, [jsonRows(batch.usages)]);
    if (batch.remittances.length > 0) await client.query(sql.insertRemittances, [jsonRows(batch.remittances)]);
    const consignees = await tx.manager.getRepository(LicenceBalance).find({ select: { licenceId: true, consigneeOrganisationId: true }, where: { licenceId: In([...batch.touched]) } });
    const consigneeOf = new Map(consignees.map((r) => [r.licenceId, r.consigneeOrganisationId]));
    return [...batch.touched].map((licenceId) => ({
      projection: LICENCE_BALANCES,
      kind: 'licence.changed',
      dataCenterId: null,
      organisationId: consigneeOf.get(licenceId) ?? null,
      payload: { licenceId },
    }));
  }

  /** The batch's statements, names from the entities' metadata, built once per generation schema. */
  private statements({ manager, schema }: ProjectionTransaction): LicenceStatements {
    if (this.sql?.schema === schema) return this.sql;
    const licences = tableOf(manager, LicenceBalance, schema);
    const known = (stored: string, incoming: string) => `COALESCE(${incoming}, ${stored})`;
    this.sql = {
      schema,
      upsertOwners: tableOf(manager, LicenceDataCenter, schema).upsert({ update: { ownerOrganisationId: 'incoming' } }),
      insertLicences: licences.upsert({ columns: ['licenceId', 'updatedAt'] }),
      patchLicences: licences.update({
        columns: [
          'licenceId',
          'licenceNumber',
          'exporter',
          'consigneeOrganisationId',
          'destinationCountry',
          'modelIds',
          'authorised',
          'validFrom',
          'validTo',
          'revenueSharePercent',
          'status',
          'statusReason',
          'issuedAt',
          'updatedAt',
        ],
        // undefined in JSON = unchanged; the revenue share can be amended to null, hence the flag.
        extra: { revenueShareSet: 'boolean' },
        match: ['licenceId'],
        set: {
          licenceNumber: known,
          exporter: known,
          consigneeOrganisationId: known,
          destinationCountry: known,
          modelIds: known,
          authorised: known,
          validFrom: known,
          validTo: known,
          revenueSharePercent: (stored, incoming, other) => `CASE WHEN ${other('revenueShareSet').incoming} THEN ${incoming} ELSE ${stored} END`,
          status: known,
          statusReason: known,
          issuedAt: known,
          updatedAt: 'incoming',
        },
      }),
      insertUsages: tableOf(manager, LicenceUsage, schema).upsert(),
      insertRemittances: tableOf(manager, LicenceRemittance, schema).upsert(),
    };
    return this.sql;
  }
}

interface LicenceStatements {
  readonly schema: string;
  readonly upsertOwners: string;
  readonly insertLicences: string;
  readonly patchLicences: string;
  readonly insertUsages: string;
  readonly insertRemittances: string;
}
