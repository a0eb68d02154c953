import { nestsDeeperThan } from './json-body';

describe('nestsDeeperThan', () => {
  const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

  it('counts each object or array as a level; scalars are none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ changes: { dramBandwidthGBs: { value: 1 } } }, 3)).toBe(false);
    expect(nestsDeeperThan({ changes: { dramBandwidthGBs: { value: [1] } } }, 3)).toBe(true);
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
  });
});
