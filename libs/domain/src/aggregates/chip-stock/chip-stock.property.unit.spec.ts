import fc from 'fast-check';
import type { ChipStockEvent, RemovalReason } from '../../events/ledger-events';
import type { Recorded } from '../../events/recorded';
import { isDomainError } from '../../shared/domain-error';
import { recordDecided } from '../../testing/recorded-events';
import type { DataCenterFacts } from '../decider';
import { foldEvents } from '../decider';
import type { ChipStockCommand, TransferChips } from './chip-stock.commands';
import { chipStockDecider } from './chip-stock.decider';
import { stockArithmeticHolds, stockAt } from './chip-stock.state';
import type { ChipStockState } from './chip-stock.state';
import { withdrawableAt } from './stock-availability';
import { decideTransfer } from './transfer';

/*
 * Properties over random operator sessions on two data centers sharing one chip model. Commands carry
 * random dates within a few days, so facts are often recorded out of `occurredAt` order.
 */

const MODEL = 'nvidia-h100';
const ORDERED_PER_DATA_CENTER = 60;
const DATA_CENTERS: readonly DataCenterFacts[] = [
  { dataCenterId: 'dc-a', registeredAt: '2025-01-01T00:00:00.000Z', country: 'MY', ownerOrganisationId: 'org-a' },
  { dataCenterId: 'dc-b', registeredAt: '2025-01-01T00:00:00.000Z', country: 'CN', ownerOrganisationId: 'org-b' },
];
const REASONS: readonly RemovalReason[] = ['decommissioned', 'failed', 'remediation', 'transferred'];

type Step =
  | { readonly kind: 'deliver' | 'install'; readonly at: number; readonly day: number; readonly quantity: number }
  | { readonly kind: 'remove'; readonly at: number; readonly day: number; readonly quantity: number; readonly reason: RemovalReason }
  | { readonly kind: 'transfer'; readonly at: number; readonly day: number; readonly quantity: number };

const quantity = fc.integer({ min: -2, max: 40 });
const day = fc.integer({ min: 0, max: 6 });
const at = fc.integer({ min: 0, max: 1 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deliver' as const, 'install' as const), at, day, quantity }),
  fc.record({ kind: fc.constant('remove' as const), at, day, quantity, reason: fc.constantFrom(...REASONS) }),
  fc.record({ kind: fc.constant('transfer' as const), at, day, quantity }),
);

const dateOf = (dayOffset: number): string => new Date(Date.UTC(2025, 5, 1 + dayOffset)).toISOString();

interface World {
  readonly streams: Recorded<ChipStockEvent>[][];
  readonly states: ChipStockState[];
  readonly accepted: number;
}

const toCommand = (step: Step, index: number): ChipStockCommand | TransferChips => {
  const dataCenter = DATA_CENTERS[step.at];
  const occurredAt = dateOf(step.day);
  switch (step.kind) {
    case 'deliver':
      return {
        type: 'DeliverChips',
        deliveryId: `delivery-${index}`,
        dataCenterId: dataCenter.dataCenterId,
        modelId: MODEL,
        quantity: step.quantity,
        purchaseOrderId: `po-${dataCenter.dataCenterId}`,
        licenceId: null,
        shippedFromCountry: 'US',
        occurredAt,
        context: {
          dataCenter,
          chipModelKnown: true,
          purchaseOrder: {
            purchaseOrderId: `po-${dataCenter.dataCenterId}`,
            dataCenterId: dataCenter.dataCenterId,
            placedAt: '2025-05-01T00:00:00.000Z',
            orderedQuantity: ORDERED_PER_DATA_CENTER,
            cancelledQuantity: 0,
          },
        },
      };
    case 'install':
      return { type: 'InstallChips', dataCenterId: dataCenter.dataCenterId, modelId: MODEL, quantity: step.quantity, occurredAt, context: { dataCenter } };
    case 'remove':
      return {
        type: 'RemoveChips',
        dataCenterId: dataCenter.dataCenterId,
        modelId: MODEL,
        quantity: step.quantity,
        reason: step.reason,
        occurredAt,
        context: { dataCenter },
      };
    case 'transfer': {
      const to = DATA_CENTERS[1 - step.at];
      return {
        type: 'TransferChips',
        transferId: `transfer-${index}`,
        modelId: MODEL,
        quantity: step.quantity,
        fromDataCenterId: dataCenter.dataCenterId,
        toDataCenterId: to.dataCenterId,
        permitReference: null,
        licenceId: null,
        occurredAt,
        context: { from: dataCenter, to },
      };
    }
  }
};

/** Runs a session: accepted commands are recorded and folded; refused ones must be DomainErrors and change nothing. */
const play = (steps: readonly Step[]): World => {
  let world: World = { streams: [[], []], states: [chipStockDecider.initialState(), chipStockDecider.initialState()], accepted: 0 };
  const append = (index: number, events: readonly ChipStockEvent[], occurredAt: string, current: World): World => {
    const recorded = recordDecided(events, occurredAt, current.streams[index], `stream-${index}`);
    const streams = current.streams.map((stream, i) => (i === index ? [...stream, ...recorded] : stream));
    const states = current.states.map((state, i) => (i === index ? recorded.reduce(chipStockDecider.evolve, state) : state));
    return { streams, states, accepted: current.accepted };
  };
  steps.forEach((step, index) => {
    const command = toCommand(step, index);
    try {
      if (command.type === 'TransferChips') {
        const from = step.at;
        const decision = decideTransfer(command, world.states[from], world.states[1 - from]);
        world = append(from, decision.source.events, command.occurredAt, world);
        world = append(1 - from, decision.destination.events, command.occurredAt, world);
      } else {
        world = append(step.at, chipStockDecider.decide(command, world.states[step.at]), command.occurredAt, world);
      }
      world = { ...world, accepted: world.accepted + 1 };
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  });
  return world;
};

const sessions = fc.array(stepArbitrary, { minLength: 1, maxLength: 60, size: 'medium' });

describe('chip stock properties', () => {
  it('generates sessions where most kinds of command are accepted (so the properties below are not vacuous)', () => {
    const worlds = fc.sample(sessions, { numRuns: 200, seed: 42 }).map(play);
    const accepted = worlds.reduce((sum, world) => sum + world.accepted, 0);
    const withTransfers = worlds.filter((world) => world.states.some((state) => state.transferredOut > 0)).length;
    const withRemovals = worlds.filter((world) => world.states.some((state) => state.removed > 0)).length;
    expect(accepted).toBeGreaterThan(800);
    expect(withTransfers).toBeGreaterThan(50);
    expect(withRemovals).toBeGreaterThan(15);
  });

  it('any sequence of accepted commands keeps the stock arithmetic true, now and at every instant', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const { states } = play(steps);
        for (const state of states) {
          expect(stockArithmeticHolds(state)).toBe(true);
          expect(state.installed).toBeLessThanOrEqual(state.delivered - state.removed - state.transferredOut + state.transferredIn);
          for (const movement of state.movements) {
            const counts = stockAt(state, movement.occurredAt);
            expect(counts.installed).toBeGreaterThanOrEqual(0);
            expect(counts.inStock).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never delivers beyond the purchase order', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        for (const state of play(steps).states) {
          for (const delivered of Object.values(state.deliveredByPurchaseOrder)) expect(delivered).toBeLessThanOrEqual(ORDERED_PER_DATA_CENTER);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('transfers conserve chips: what one data center sends the other receives', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const [a, b] = play(steps).states;
        expect(a.transferredOut).toBe(b.transferredIn);
        expect(b.transferredOut).toBe(a.transferredIn);
        const onSite = (state: ChipStockState) => state.installed + state.inStock;
        expect(onSite(a) + onSite(b)).toBe(a.delivered + b.delivered - a.removed - b.removed);
      }),
      { numRuns: 200 },
    );
  });

  it('what can be withdrawn at an instant is the lowest count from then on, read from the whole history', () => {
    // The reference: the count at every movement from scratch (withdrawableAt reads only the later-dated ones).
    const reference = (state: ChipStockState, at: string, pool: 'installed' | 'inStock'): number => {
      const delta = (m: ChipStockState['movements'][number]) => (pool === 'installed' ? m.installedDelta : m.inStockDelta);
      const before = state.movements.filter((m) => m.occurredAt <= at);
      let running = before.reduce((sum, m) => sum + delta(m), 0);
      let lowest = running;
      for (const m of state.movements.filter((x) => x.occurredAt > at)) lowest = Math.min(lowest, (running += delta(m)));
      return Math.max(lowest, 0);
    };
    fc.assert(
      fc.property(sessions, (steps) => {
        for (const state of play(steps).states) {
          const instants = [...state.movements.map((m) => m.occurredAt), '2020-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'];
          for (const at of instants) {
            for (const pool of ['installed', 'inStock'] as const) expect(withdrawableAt(state, at, pool).available).toBe(reference(state, at, pool));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('folding is deterministic: the same events folded twice give deep-equal state, equal to the live state', () => {
    fc.assert(
      fc.property(sessions, (steps) => {
        const world = play(steps);
        world.streams.forEach((stream, index) => {
          const once = foldEvents(chipStockDecider, stream);
          const twice = foldEvents(chipStockDecider, structuredClone(stream));
          expect(twice).toEqual(once);
          expect(once).toEqual(world.states[index]);
        });
      }),
      { numRuns: 200 },
    );
  });
});
