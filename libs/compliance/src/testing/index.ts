/**
 * Test support of the compliance library (`@chip-ledger/compliance/testing`): ledgers built by hand (`Scenario`) and
 * random ones (`randomHistory`, fast-check). For tests only: it pulls in fast-check.
 */
export * from './scenario';
export * from './random-history';
