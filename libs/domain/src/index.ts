export * from './shared/values';
export * from './events/envelope';
export * from './events/ledger-events';
export * from './events/stream-ids';
export * from './catalog/chip-model';
