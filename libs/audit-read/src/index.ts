export * from './as-of/ledger-entry';
export * from './as-of/fold';
export * from './as-of/rules-at';
export * from './as-of/data-center-as-of';
export * from './as-of/fleet-as-of';
