export * from './unit-of-work';
export * from './command-executor';
export * from './tokens';
export * from './http/command-response';
export * from './http/command-context';
export * from './stream-state-cache';
