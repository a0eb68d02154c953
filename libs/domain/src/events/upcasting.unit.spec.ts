import type { EventEnvelope } from './envelope';
import { EVENT_SCHEMA_VERSIONS } from './schema-versions';
import { createUpcasterRegistry, ledgerUpcasters, upcastEvent } from './upcasting';
import type { ChipsTransferredOutV1Data } from './upcasting';
import { isDomainError } from '../shared/domain-error';

const envelope = <T extends string>(type: T, schemaVersion: number, data: unknown): EventEnvelope<T, unknown> => ({
  eventId: 'evt-1',
  type,
  schemaVersion,
  streamId: 'chip-stock-dc-kl.nvidia-h100',
  version: 3,
  occurredAt: '2024-03-01T00:00:00Z',
  recordedAt: '2024-03-02T00:00:00Z',
  actor: { id: 'u1', organisation: 'org-1', role: 'operator' },
  correlationId: 'c1',
  causationId: null,
  data,
});

const v1TransferOut: ChipsTransferredOutV1Data = {
  transferId: 't-1',
  dataCenterId: 'dc-kl',
  modelId: 'nvidia-h100',
  quantity: 8,
  toDataCenterId: 'dc-sz',
  toCountry: 'CN',
  licenceId: null,
};

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('upcasting stored events', () => {
  it('knows the current version of transfers and remittances is 2 and of everything else 1', () => {
    expect(EVENT_SCHEMA_VERSIONS.ChipsTransferredOut).toBe(2);
    expect(EVENT_SCHEMA_VERSIONS.ChipsTransferredIn).toBe(2);
    expect(EVENT_SCHEMA_VERSIONS.RevenueShareRemitted).toBe(2);
    expect(EVENT_SCHEMA_VERSIONS.ChipsInstalled).toBe(1);
  });

  describe('given a v1 RevenueShareRemitted (amountUsd as a JSON number)', () => {
    const v1 = (amountUsd: number) => envelope('RevenueShareRemitted', 1, { licenceId: 'lic-1', deliveryIds: ['d-1'], amountUsd, reference: 'TREAS-1' });

    it.each([
      [1_800_000, '1800000.00'],
      [1250000.5, '1250000.50'],
      [0.07, '0.07'],
      [19.99, '19.99'],
      [123456789012.34, '123456789012.34'],
    ])('brings %p to v2 as the exact decimal %p', (amount, decimal) => {
      expect(upcastEvent(v1(amount))).toMatchObject({ schemaVersion: 2, data: { licenceId: 'lic-1', deliveryIds: ['d-1'], amountUsd: decimal, reference: 'TREAS-1' } });
    });

    it('keeps an amount recorded before the bounds existed, written out in full (1e308 is stored as it was)', () => {
      const { amountUsd } = upcastEvent(v1(1e308)).data as { amountUsd: string };
      expect(amountUsd).toMatch(/^1\d{308}\.00$/);
      expect(Number(amountUsd)).toBe(1e308);
    });
  });

  describe('given a v1 ChipsTransferredOut (before the Malaysian permit rule)', () => {
    const stored = envelope('ChipsTransferredOut', 1, v1TransferOut);

    it('brings it to v2 with permitReference null and the rest untouched', () => {
      const upcast = upcastEvent(stored);
      expect(upcast).toEqual({ ...stored, schemaVersion: 2, data: { ...v1TransferOut, permitReference: null } });
    });

    it('does not mutate the stored envelope', () => {
      const copy = structuredClone(stored);
      upcastEvent(stored);
      expect(stored).toEqual(copy);
    });
  });

  it('brings a v1 ChipsTransferredIn to v2 with permitReference null', () => {
    const data = { transferId: 't-1', dataCenterId: 'dc-sz', modelId: 'nvidia-h100', quantity: 8, fromDataCenterId: 'dc-kl', fromCountry: 'MY', licenceId: null };
    expect(upcastEvent(envelope('ChipsTransferredIn', 1, data)).data).toEqual({ ...data, permitReference: null });
  });

  it('passes an event already at the current version through unchanged (same object)', () => {
    const current = envelope('ChipsTransferredOut', 2, { ...v1TransferOut, permitReference: 'MITI-STP-2025-0042' });
    expect(upcastEvent(current)).toBe(current);
    const installed = envelope('ChipsInstalled', 1, { dataCenterId: 'dc-kl', modelId: 'nvidia-h100', quantity: 1 });
    expect(upcastEvent(installed)).toBe(installed);
  });

  it('refuses a version newer than this reader knows, saying so', () => {
    const error = refusal(() => upcastEvent(envelope('ChipsTransferredOut', 3, {})));
    expect(error.code).toBe('EVENT.UNSUPPORTED_SCHEMA_VERSION');
    expect(error.kind).toBe('validation');
    expect(error.field).toBe('schemaVersion');
    expect(error.message).toMatch(/version 3 is not supported.*1 to 2.*newer release/);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the nonsensical version %p', (version) => {
    expect(refusal(() => upcastEvent(envelope('ChipsInstalled', version, {}))).code).toBe('EVENT.UNSUPPORTED_SCHEMA_VERSION');
  });

  it('refuses an unknown event type', () => {
    const error = refusal(() => upcastEvent(envelope('ChipsTeleported', 1, {})));
    expect(error.code).toBe('EVENT.UNKNOWN_TYPE');
  });

  describe('chains of upcasters', () => {
    const registry = createUpcasterRegistry([
      { type: 'ChipsInstalled', fromVersion: 1, upcast: (data) => ({ ...(data as object), v2: true }) },
      { type: 'ChipsInstalled', fromVersion: 2, upcast: (data) => ({ ...(data as object), v3: true }) },
    ]);

    it('applies every step in order from the stored version to the current one', () => {
      const upcast = upcastEvent(envelope('ChipsInstalled', 1, { quantity: 1 }), { registry, currentVersions: { ChipsInstalled: 3 } });
      expect(upcast.schemaVersion).toBe(3);
      expect(upcast.data).toEqual({ quantity: 1, v2: true, v3: true });
    });

    it('starts the chain at the stored version', () => {
      const upcast = upcastEvent(envelope('ChipsInstalled', 2, { quantity: 1 }), { registry, currentVersions: { ChipsInstalled: 3 } });
      expect(upcast.data).toEqual({ quantity: 1, v3: true });
    });

    it('refuses when a step is missing', () => {
      const error = refusal(() =>
        upcastEvent(envelope('ChipsInstalled', 1, {}), { registry: ledgerUpcasters, currentVersions: { ChipsInstalled: 2 } }),
      );
      expect(error.code).toBe('EVENT.UNSUPPORTED_SCHEMA_VERSION');
      expect(error.details).toMatchObject({ missingStep: 1 });
    });

    it('refuses two upcasters for the same step', () => {
      const step = { type: 'ChipsInstalled' as const, fromVersion: 1, upcast: (data: unknown) => data };
      expect(() => createUpcasterRegistry([step, step])).toThrow(/Two upcasters for ChipsInstalled@v1/);
    });
  });
});
