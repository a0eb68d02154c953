import { exclusiveBatch, projectionsToRun } from './projection-service.config';

describe('projection-service settings', () => {
  it('PROJECTIONS: all by default, a list, or none', () => {
    expect(projectionsToRun(undefined)).toBeUndefined();
    expect(projectionsToRun(' ')).toBeUndefined();
    expect(projectionsToRun('findings, chip-mix,')).toEqual(['findings', 'chip-mix']);
    expect(projectionsToRun('none')).toEqual([]);
  });

  it('PROJECTION_EXCLUSIVE_BATCH: the runner default when unset, else a positive integer', () => {
    expect(exclusiveBatch(undefined)).toBeUndefined();
    expect(exclusiveBatch('')).toBeUndefined();
    expect(exclusiveBatch('20000')).toBe(20_000);
    for (const bad of ['0', '-5', '1.5', 'lots', '1e400']) {
      expect(() => exclusiveBatch(bad)).toThrow(`PROJECTION_EXCLUSIVE_BATCH must be a positive integer, got ${JSON.stringify(bad)}`);
    }
  });
});
