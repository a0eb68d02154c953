import type { Instant } from './values';

/*
 * What a number or an instant in a fact may be. JSON numbers are IEEE doubles: past 2^53 they silently stop
 * being the integers they were written as, and a date like 9999-12-31 is well-formed yet no fact of this ledger.
 * Every entry point (the HTTP DTOs first, the deciders again) holds facts to these bounds.
 */

/**
 * The most chips one fact may count (an order line, a delivery, an installation, a transfer, a rental, a
 * licence's authorised quantity). The largest reported fleets and licences are in the hundreds of thousands of
 * accelerators; ten million is an order of magnitude above any single fact seen, and keeps sums of up to
 * 900 million such facts exact in a double (and any one fact far inside PostgreSQL's bigint).
 */
export const MAX_CHIPS_PER_FACT = 10_000_000;

/** The earliest instant a fact may carry: before the first AI accelerator, and before any rule the ledger knows. */
export const EARLIEST_INSTANT: Instant = '1990-01-01T00:00:00.000Z';
/** Instants must be before this one: a licence, a rental or a fact dated past it is a typo or a probe. */
export const INSTANT_LIMIT: Instant = '2100-01-01T00:00:00.000Z';

const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LIMIT_MS = Date.parse(INSTANT_LIMIT);

/** True when the instant (already known to parse) lies in [EARLIEST_INSTANT, INSTANT_LIMIT). */
export const isInstantInRange = (value: Instant): boolean => {
  const ms = Date.parse(value);
  return ms >= EARLIEST_MS && ms < LIMIT_MS;
};
