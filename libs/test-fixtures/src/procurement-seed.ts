import { randomUUID } from 'node:crypto';
import { openDatabase } from '@chip-ledger/persistence';
import { EVENT_SCHEMA_VERSIONS, SEED_CHIP_MODELS, streamIds, type Actor, type LedgerEvent } from '@chip-ledger/domain';
import { PostgresEventStore, migrateEventStore } from '@chip-ledger/event-store';

const SEED_ACTOR: Actor = { id: 'test-seed', organisation: 'chip-ledger', role: 'admin' };

/**
 * Records straight into the procurement schema a data center with installed chips (and its owner, order
 * and delivery): the common "given" of the rental and audit tests, whose services read procurement's
 * streams but cannot call its API.
 */
export async function seedDataCenterWithChips(
  databaseUrl: string,
  site: { organisationId: string; headquarters: string; dataCenterId: string; country: string; modelId: string; installed: number; at?: string },
  extraOrganisations: { organisationId: string; headquarters: string }[] = [],
): Promise<void> {
  const at = new Date(site.at ?? '2025-01-10').toISOString();
  const db = await openDatabase({ url: databaseUrl, poolSize: 2 });
  const pool = db.pool;
  const store = new PostgresEventStore(pool, 'procurement');
  try {
    await migrateEventStore(db.dataSource, store.schema);
    const po = `po-${site.dataCenterId}`;
    const organisation = (organisationId: string, headquarters: string): [string, LedgerEvent[]] => [
      streamIds.organisation(organisationId),
      [{ type: 'OrganisationRegistered', data: { organisationId, name: organisationId, headquartersCountry: headquarters, ultimateParentHeadquartersCountry: headquarters } }],
    ];
    const model = SEED_CHIP_MODELS.find((m) => m.modelId === site.modelId);
    if (!model) throw new Error(`${site.modelId} is not a seed chip model`);
    const streams: [string, LedgerEvent[]][] = [
      [streamIds.chipModel(site.modelId), [{ type: 'ChipModelAdded', data: { model } }]],
      organisation(site.organisationId, site.headquarters),
      ...extraOrganisations.map((o) => organisation(o.organisationId, o.headquarters)),
      [streamIds.dataCenter(site.dataCenterId), [{ type: 'DataCenterRegistered', data: { dataCenterId: site.dataCenterId, name: site.dataCenterId, ownerOrganisationId: site.organisationId, country: site.country, region: 'test' } }]],
      [
        streamIds.purchaseOrder(po),
        [{ type: 'PurchaseOrderPlaced', data: { purchaseOrderId: po, buyerOrganisationId: site.organisationId, dataCenterId: site.dataCenterId, supplier: 'vendor', lines: [{ modelId: site.modelId, quantity: site.installed }] } }],
      ],
      [
        streamIds.chipStock(site.dataCenterId, site.modelId),
        [
          {
            type: 'ChipsDelivered',
            data: { deliveryId: `del-${site.dataCenterId}`, dataCenterId: site.dataCenterId, modelId: site.modelId, quantity: site.installed, purchaseOrderId: po, licenceId: null, shippedFromCountry: 'US' },
          },
          { type: 'ChipsInstalled', data: { dataCenterId: site.dataCenterId, modelId: site.modelId, quantity: site.installed } },
        ],
      ],
    ];
    await store.append(
      streams.map(([streamId, events]) => ({
        streamId,
        expectedVersion: 0,
        events: events.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
          occurredAt: at,
          actor: SEED_ACTOR,
          correlationId: 'test-seed',
          causationId: null,
          data: event.data,
        })),
      })),
    );
  } finally {
    await db.close();
  }
}
