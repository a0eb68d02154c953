export * from './unit-of-work';
export * from './command-executor';
export * from './command-errors';
export * from './tokens';
export * from './stream-state-cache';
