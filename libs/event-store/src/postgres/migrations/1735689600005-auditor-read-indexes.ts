import { EventStoreMigration } from './event-store-migration';

/** Indexes for the auditors' reads across streams (libs/audit-read). (Recorded as `0005_auditor_read_indexes` by the hand-written migrator before TypeORM's.) */
export class AuditorReadIndexes1735689600005 extends EventStoreMigration {
  readonly name = 'AuditorReadIndexes1735689600005';
  readonly legacyId = '0005_auditor_read_indexes';
  protected readonly sql = `
-- The auditors' read side (libs/audit-read) reads history across streams: everything about a data center
-- (most events name it in data.dataCenterId), every use of a licence (data.licenceId), a provider's rentals, the
-- catalog, and the whole ledger in the order it learned things (recorded_at). Without these, each of those reads
-- scans every event of the store. Expression indexes only on the events that carry the key (partial), so the
-- append pays only where the key exists.
CREATE INDEX events_data_center_idx ON {{schema}}.events ((data->>'dataCenterId'), global_position)
  WHERE (data->>'dataCenterId') IS NOT NULL;
CREATE INDEX events_licence_idx ON {{schema}}.events ((data->>'licenceId'), global_position)
  WHERE (data->>'licenceId') IS NOT NULL;
CREATE INDEX events_rental_provider_idx ON {{schema}}.events ((data->>'providerDataCenterId'))
  WHERE type = 'RentalStarted';
CREATE INDEX events_catalog_idx ON {{schema}}.events (global_position)
  WHERE type IN ('ChipModelAdded', 'ChipModelCorrected');
CREATE INDEX events_recorded_order_idx ON {{schema}}.events (recorded_at, global_position);
-- The facts that tie an aggregate to an organisation: its data centers, licences, orders and rentals as tenant.
CREATE INDEX events_organisation_ref_idx ON {{schema}}.events
  ((COALESCE(data->>'ownerOrganisationId', data->>'consigneeOrganisationId', data->>'buyerOrganisationId', data->>'tenantOrganisationId')))
  WHERE type IN ('DataCenterRegistered', 'ExportLicenceIssued', 'PurchaseOrderPlaced', 'RentalStarted');
  `;
}
