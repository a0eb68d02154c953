/** Injection token of the Clock: the application reads time through it, tests can fix it. */
export const CLOCK = Symbol.for('chip-ledger.Clock');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
