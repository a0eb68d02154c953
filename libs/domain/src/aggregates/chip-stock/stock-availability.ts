import { DomainError } from '../../shared/domain-error';
import type { DomainErrorCode } from '../../shared/domain-error';
import type { Instant } from '../../shared/values';
import { insertionIndex } from './chip-stock.state';
import type { ChipStockState, StockMovement } from './chip-stock.state';

type Pool = 'installed' | 'inStock';

const deltaOf = (movement: StockMovement, pool: Pool): number =>
  pool === 'installed' ? movement.installedDelta : movement.inStockDelta;

/**
 * How many chips of `pool` can be taken at `occurredAt` without any count going negative, then or at any
 * later-dated movement (which relied on them). `limitedBy` is the later movement that binds, if one does.
 */
export const withdrawableAt = (
  state: ChipStockState,
  occurredAt: Instant,
  pool: Pool,
): { readonly available: number; readonly limitedBy: StockMovement | null } => {
  const { movements } = state;
  const at = insertionIndex(movements, occurredAt);
  // The count just before `at` is today's count less what the later-dated movements changed: only those are read
  // (usually none: facts mostly arrive in time order), not the whole history.
  let later = 0;
  for (let i = at; i < movements.length; i++) later += deltaOf(movements[i], pool);
  let running = (pool === 'installed' ? state.installed : state.inStock) - later;
  let available = running;
  let limitedBy: StockMovement | null = null;
  for (let i = at; i < movements.length; i++) {
    const movement = movements[i];
    running += deltaOf(movement, pool);
    if (running < available) {
      available = running;
      limitedBy = movement;
    }
  }
  return { available: Math.max(available, 0), limitedBy };
};

const POOL_WORDING: Record<Pool, string> = { installed: 'installed', inStock: 'uninstalled in stock' };

/** Refuses taking `quantity` chips from `pool` at `occurredAt` when they were not there (then or later). */
export const requireWithdrawable = (
  state: ChipStockState,
  occurredAt: Instant,
  quantity: number,
  pool: Pool,
  code: Extract<DomainErrorCode, 'STOCK.INSUFFICIENT_IN_STOCK' | 'STOCK.INSUFFICIENT_INSTALLED'>,
  subject: string,
): void => {
  const { available, limitedBy } = withdrawableAt(state, occurredAt, pool);
  if (quantity <= available) return;
  const when =
    limitedBy === null
      ? `at ${occurredAt}`
      : `at ${occurredAt} without breaking a later fact dated ${limitedBy.occurredAt} (event ${limitedBy.eventId})`;
  throw new DomainError(code, `${subject}: ${quantity} requested but only ${available} ${POOL_WORDING[pool]} ${when}`, {
    field: 'quantity',
    details: { requested: quantity, available, asOf: occurredAt, limitedByEventId: limitedBy?.eventId ?? null, ...(limitedBy ? { conflictingEventId: limitedBy.eventId } : {}) },
  });
};
