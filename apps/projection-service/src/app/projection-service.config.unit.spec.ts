import { InvalidConfigError } from '@chip-ledger/http';
import { loadProjectionServiceConfig } from './projection-service.config';

const base = { DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: 'k:9092' };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadProjectionServiceConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidConfigError');
};

describe('projection-service settings', () => {
  it('PROJECTIONS: all by default, a list, or none', () => {
    expect(loadProjectionServiceConfig(base).projections).toBeUndefined();
    expect(loadProjectionServiceConfig({ ...base, PROJECTIONS: ' ' }).projections).toBeUndefined();
    expect(loadProjectionServiceConfig({ ...base, PROJECTIONS: 'findings, chip-mix,' }).projections).toEqual(['findings', 'chip-mix']);
    expect(loadProjectionServiceConfig({ ...base, PROJECTIONS: 'none' }).projections).toEqual([]);
  });

  it('PROJECTIONS: an unknown read model stops the start, naming it and the known ones', () => {
    expect(problemsOf({ PROJECTIONS: 'findings,chip-mixx' })).toEqual([
      'PROJECTIONS names a read model that does not exist: chip-mixx (known: chip-mix, findings, licence-balances, rentals, or none)',
    ]);
  });

  it('PROJECTION_EXCLUSIVE_BATCH: the runner default when unset, else a positive integer', () => {
    expect(loadProjectionServiceConfig(base).exclusiveBatch).toBeUndefined();
    expect(loadProjectionServiceConfig({ ...base, PROJECTION_EXCLUSIVE_BATCH: '' }).exclusiveBatch).toBeUndefined();
    expect(loadProjectionServiceConfig({ ...base, PROJECTION_EXCLUSIVE_BATCH: '20000' }).exclusiveBatch).toBe(20_000);
    for (const bad of ['0', '-5', '1.5', 'lots', '1e400']) {
      expect(problemsOf({ PROJECTION_EXCLUSIVE_BATCH: bad })).toEqual([`PROJECTION_EXCLUSIVE_BATCH must be a positive integer (got "${bad}")`]);
    }
  });

  it('is checked with the shared settings, in one line', () => {
    expect(problemsOf({ PORT: 'x', PROJECTION_EXCLUSIVE_BATCH: '0' })).toHaveLength(2);
    expect(loadProjectionServiceConfig(base)).toMatchObject({ service: 'projection-service', port: 3004 });
  });
});
