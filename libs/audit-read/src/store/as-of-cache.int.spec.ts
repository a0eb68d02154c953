import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { RULEBOOK_V1 } from '@chip-ledger/compliance';
import { EVENT_SCHEMA_VERSIONS, SEED_MODEL_IDS as M, streamIds, type LedgerEvent } from '@chip-ledger/domain';
import { PostgresEventStore, migrateEventStore } from '@chip-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { dataCenterAsOf } from '../as-of/data-center-as-of';
import { foldLedger } from '../as-of/fold';
import { AsOfEventCache } from './as-of-cache';
import { LedgerReader } from './ledger-reader';

/*
 * The as-of cache on the real PostgreSQL: what it answers must always equal a fresh read, whatever is recorded in
 * between (a late fact about the data center, a use of its licence elsewhere, something unrelated), and it must not
 * re-read when nothing relevant was recorded.
 */
describe('AsOfEventCache', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  let procurement: PostgresEventStore;
  let reader: LedgerReader;
  const versions = new Map<string, number>();
  const actor = { id: 'op', organisation: 'gansu-cloud', role: 'operator' as const };
  const append = async (streamId: string, event: LedgerEvent, occurredAt: string): Promise<void> => {
    const expectedVersion = versions.get(streamId) ?? 0;
    versions.set(streamId, expectedVersion + 1);
    await procurement.append([
      { streamId, expectedVersion, events: [{ eventId: randomUUID(), type: event.type, schemaVersion: EVENT_SCHEMA_VERSIONS[event.type], occurredAt, actor, correlationId: randomUUID(), causationId: null, data: event.data }] },
    ]);
  };
  const dc = 'dc-gansu';

  beforeAll(async () => {
    database = await createTestDatabase('as_of_cache');
    db = await openDatabase({ url: database.url, poolSize: 4 });
    pool = db.pool;
    procurement = new PostgresEventStore(pool, 'procurement');
    for (const store of [procurement, new PostgresEventStore(pool, 'rental'), new PostgresEventStore(pool, 'audit')]) await migrateEventStore(db.dataSource, store.schema);
    reader = new LedgerReader(pool);
    await append(streamIds.organisation('gansu-cloud'), { type: 'OrganisationRegistered', data: { organisationId: 'gansu-cloud', name: 'G', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN' } }, '2024-01-01T00:00:00.000Z');
    await append(streamIds.dataCenter(dc), { type: 'DataCenterRegistered', data: { dataCenterId: dc, name: 'G1', ownerOrganisationId: 'gansu-cloud', country: 'CN', region: 'Gansu' } }, '2025-01-10T00:00:00.000Z');
    await append(streamIds.dataCenter(dc), { type: 'StateFundingReported', data: { dataCenterId: dc, funder: null, reference: null } }, '2025-03-01T00:00:00.000Z');
    await append(streamIds.dataCenter(dc), { type: 'ConstructionProgressReported', data: { dataCenterId: dc, completionPercent: 20 } }, '2025-10-01T00:00:00.000Z');
    await append(streamIds.chipStock(dc, M.h20), { type: 'ChipsDelivered', data: { deliveryId: 'd1', dataCenterId: dc, modelId: M.h20, quantity: 512, purchaseOrderId: 'po', licenceId: 'lic-1', shippedFromCountry: 'US' } }, '2025-09-01T00:00:00.000Z');
    await append(streamIds.chipStock(dc, M.h20), { type: 'ChipsInstalled', data: { dataCenterId: dc, modelId: M.h20, quantity: 512 } }, '2025-09-02T00:00:00.000Z');
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const findings = (events: Parameters<typeof foldLedger>[0], occurredAt: string) => {
    const at = { occurredAt, knownAt: new Date().toISOString() };
    return dataCenterAsOf(foldLedger(events, at), RULEBOOK_V1, at, dc)?.findings.map((f) => `${f.findingId}#${f.severity}#${f.count}`).sort();
  };

  it('answers like a fresh read after each kind of write, and re-reads only when the write could belong to the data center', async () => {
    const cache = new AsOfEventCache(reader);
    const reads = jest.spyOn(reader, 'asOfEvents');
    const same = async (occurredAt = '2026-01-01T00:00:00.000Z') => {
      const fresh = await reader.asOfEvents(dc, { occurredAt: '9999-12-31T23:59:59.999Z', knownAt: '9999-12-31T23:59:59.999Z' });
      const cached = await cache.eventsFor(dc);
      expect(new Set(cached.map((e) => e.eventId))).toEqual(new Set(fresh.map((e) => e.eventId)));
      expect(findings(cached, occurredAt)).toEqual(findings(fresh, occurredAt));
    };
    const cacheReads = () => reads.mock.calls.filter((c) => c[1].knownAt.startsWith('9999')).length;

    await cache.eventsFor(dc);
    let before = cacheReads();
    // Unrelated: another organisation's data center.
    await append(streamIds.dataCenter('dc-elsewhere'), { type: 'DataCenterRegistered', data: { dataCenterId: 'dc-elsewhere', name: 'E', ownerOrganisationId: 'other', country: 'SG', region: 'SG' } }, '2025-01-01T00:00:00.000Z');
    await cache.eventsFor(dc);
    expect(cacheReads()).toBe(before);

    // A fact about the data center recorded late: added to what the cache holds (only the fresh read of same() reads
    // everything), and the breach closes in the answer.
    expect(findings(await cache.eventsFor(dc), '2026-01-01T00:00:00.000Z')).toContain('CN-STATE-FUNDED-DOMESTIC/dc-gansu/nvidia-h20/holdings#breach#512');
    before = cacheReads();
    await append(streamIds.chipStock(dc, M.h20), { type: 'ChipsRemoved', data: { dataCenterId: dc, modelId: M.h20, quantity: 512, reason: 'remediation' } }, '2025-12-01T00:00:00.000Z');
    await same();
    expect(cacheReads()).toBe(before + 1);
    expect(findings(await cache.eventsFor(dc), '2026-01-01T00:00:00.000Z')?.some((f) => f.startsWith('CN-STATE-FUNDED-DOMESTIC'))).toBe(false);

    // The licence it cites issued later, and used at another data center: both belong to its closure.
    await append(streamIds.exportLicence('lic-1'), {
      type: 'ExportLicenceIssued',
      data: { licenceId: 'lic-1', licenceNumber: 'L1', exporter: 'x', consigneeOrganisationId: 'gansu-cloud', destinationCountry: 'CN', modelIds: [M.h20], authorisedQuantity: 600, validFrom: '2025-01-01T00:00:00.000Z', validTo: '2030-01-01T00:00:00.000Z', conditions: { revenueSharePercent: null } },
    }, '2025-08-01T00:00:00.000Z');
    await same();
    // A use of that licence at a data center the closure has not read about: everything is read again.
    before = cacheReads();
    await append(streamIds.chipStock('dc-elsewhere', M.h20), { type: 'ChipsDelivered', data: { deliveryId: 'd2', dataCenterId: 'dc-elsewhere', modelId: M.h20, quantity: 100, purchaseOrderId: 'po2', licenceId: 'lic-1', shippedFromCountry: 'US' } }, '2025-08-15T00:00:00.000Z');
    await same();
    expect(cacheReads()).toBe(before + 2);
    await same('2025-09-05T00:00:00.000Z');
  });
});
