import type { HttpClient } from '../lib/http-client';

export const BENCH_MODEL = 'nvidia-h20';
/** Enough chips per data center that no measured installation runs out of stock. */
const STOCK_PER_DATA_CENTER = 10_000_000;

export interface SeededWorld {
  readonly organisationId: string;
  readonly dataCenterIds: readonly string[];
  /** Events the seeding recorded (one per command). */
  readonly events: number;
}

/**
 * Seeds through the HTTP API, as an operator would: one organisation, then per data center a registration,
 * a purchase order and one big delivery of one chip model, so the measured command (an installation of one
 * chip) never runs out of stock and each data center's stock stream starts at version 1.
 */
export async function seedProcurement(
  client: HttpClient,
  tokens: { admin: string; operator: string },
  ids: { organisationId: string; dataCenterPrefix: string },
  dataCenters: number,
): Promise<SeededWorld> {
  const { organisationId } = ids;
  await client.create(
    '/organisations',
    { organisationId, name: 'Bench Compute', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2025-01-01' },
    tokens.admin,
  );
  const dataCenterIds = Array.from({ length: dataCenters }, (_, i) => `${ids.dataCenterPrefix}${String(i).padStart(3, '0')}`);
  await inParallel(dataCenterIds, 8, async (dataCenterId, i) => {
    await client.create(
      '/data-centers',
      { dataCenterId, name: `Bench ${i}`, ownerOrganisationId: organisationId, country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' },
      tokens.operator,
    );
    const purchaseOrderId = `${dataCenterId}-po`;
    await client.create(
      '/purchase-orders',
      { purchaseOrderId, buyerOrganisationId: organisationId, dataCenterId, supplier: 'Nvidia', lines: [{ modelId: BENCH_MODEL, quantity: STOCK_PER_DATA_CENTER }], occurredAt: '2025-02-01' },
      tokens.operator,
    );
    await client.create(
      `/data-centers/${dataCenterId}/deliveries`,
      { deliveryId: `${dataCenterId}-del`, modelId: BENCH_MODEL, quantity: STOCK_PER_DATA_CENTER, purchaseOrderId, shippedFromCountry: 'US', occurredAt: '2025-03-01' },
      tokens.operator,
    );
  });
  return { organisationId, dataCenterIds, events: 1 + 3 * dataCenters };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}
