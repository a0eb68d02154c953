import { DEVELOPMENT_JWT_SECRET, mintAccessToken } from '@chip-ledger/http';

export const ORGANISATION = 'chaos-compute';
export const H20 = 'nvidia-h20';
export const ASCEND = 'huawei-ascend-910b';
/** Stock per data center and model: no installation of the run ever runs out. */
const STOCK = 1_000_000;

export const tokens = {
  admin: `Bearer ${mintAccessToken({ sub: 'chaos-admin', org: 'chip-ledger', role: 'admin' }, DEVELOPMENT_JWT_SECRET)}`,
  operator: `Bearer ${mintAccessToken({ sub: 'chaos-operator', org: ORGANISATION, role: 'operator' }, DEVELOPMENT_JWT_SECRET)}`,
};

/** One command of the load: where it goes, its body, and its Idempotency-Key. */
export interface Command {
  readonly key: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly dataCenterId: string;
  readonly kind: 'install-h20' | 'install-ascend' | 'remove-h20';
}

export const dataCenterIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `chaos-dc-${String(i).padStart(3, '0')}`);

/**
 * Seeds through the HTTP API, as an operator would: an organisation, and per data center its registration, 20%
 * construction by 2025-06-01, state funding for every other one (so the Beijing mandate applies: foreign chips are
 * a breach, Ascend installations a US risk), a purchase order and deliveries of H20 and Ascend 910B stock. Every
 * command carries an Idempotency-Key and is retried until it is answered (a fault may be under way).
 */
export async function seed(baseUrl: string, dataCenters: readonly string[]): Promise<number> {
  let events = 0;
  const send = async (path: string, body: Record<string, unknown>, token: string, key: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status === 201) {
          events++;
          return;
        }
        const text = await res.text();
        if (res.status < 500 || attempt > 60) throw new Error(`seeding ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      } catch (error) {
        if (attempt > 60 || (error as Error).message.startsWith('seeding')) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  await send('/organisations', { organisationId: ORGANISATION, name: 'Chaos Compute', headquartersCountry: 'CN', ultimateParentHeadquartersCountry: 'CN', occurredAt: '2025-01-01' }, tokens.admin, 'seed-org');
  await Promise.all(
    dataCenters.map(async (dc, i) => {
      const op = tokens.operator;
      await send('/data-centers', { dataCenterId: dc, name: `Chaos ${i}`, ownerOrganisationId: ORGANISATION, country: 'CN', region: 'Gansu', occurredAt: '2025-01-10' }, op, `seed-${dc}-reg`);
      await send(`/data-centers/${dc}/construction-progress`, { completionPercent: 20, occurredAt: '2025-06-01' }, op, `seed-${dc}-progress`);
      if (i % 2 === 0) await send(`/data-centers/${dc}/state-funding`, { funder: 'Gansu provincial fund', occurredAt: '2025-10-01' }, op, `seed-${dc}-funding`);
      const po = `${dc}-po`;
      await send(
        '/purchase-orders',
        { purchaseOrderId: po, buyerOrganisationId: ORGANISATION, dataCenterId: dc, supplier: 'Mixed', lines: [{ modelId: H20, quantity: STOCK }, { modelId: ASCEND, quantity: STOCK }], occurredAt: '2025-02-01' },
        op,
        `seed-${dc}-po`,
      );
      for (const model of [H20, ASCEND]) {
        await send(`/data-centers/${dc}/deliveries`, { deliveryId: `${dc}-del-${model}`, modelId: model, quantity: STOCK, purchaseOrderId: po, shippedFromCountry: model === H20 ? 'US' : 'CN', occurredAt: '2025-03-01' }, op, `seed-${dc}-del-${model}`);
      }
    }),
  );
  return events;
}

/**
 * The commands one worker sends, in order, on data centers of its own (no two commands in flight on one stream,
 * so no 409 muddies the figures): mostly H20 installations, some Ascend ones, and removals of what it installed.
 */
export function* commandsOf(worker: number, runId: string, dataCenters: readonly string[], workers: number): Generator<Command, never> {
  const mine = dataCenters.filter((_, i) => i % workers === worker);
  const installed = new Map<string, number>();
  for (let seq = 0; ; seq++) {
    const dc = mine[seq % mine.length];
    const key = `${runId}-w${worker}-${seq}`;
    const roll = seq % 10;
    if (roll === 9 && (installed.get(dc) ?? 0) > 0) {
      installed.set(dc, (installed.get(dc) ?? 0) - 1);
      yield { key, dataCenterId: dc, kind: 'remove-h20', path: `/data-centers/${dc}/removals`, body: { modelId: H20, quantity: 1, reason: 'decommissioned' } };
    } else if (roll === 3 || roll === 7) {
      yield { key, dataCenterId: dc, kind: 'install-ascend', path: `/data-centers/${dc}/installations`, body: { modelId: ASCEND, quantity: 1 } };
    } else {
      installed.set(dc, (installed.get(dc) ?? 0) + 1);
      yield { key, dataCenterId: dc, kind: 'install-h20', path: `/data-centers/${dc}/installations`, body: { modelId: H20, quantity: 1 } };
    }
  }
}
