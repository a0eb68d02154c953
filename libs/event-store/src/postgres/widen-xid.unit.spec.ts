import { widenXid } from './postgres-event-store';

describe('widenXid (a pg_locks xid as the xid8 nearest a snapshot xmax)', () => {
  const epoch = (n: bigint) => n << 32n;
  it('keeps ids of the same epoch, ahead of or behind the reference', () => {
    expect(widenXid(170_095n, 170_093n)).toBe(170_095n);
    expect(widenXid(170_000n, 170_093n)).toBe(170_000n);
  });
  it('crosses a wraparound either way', () => {
    expect(widenXid(5n, epoch(3n) + 4_294_967_290n)).toBe(epoch(4n) + 5n);
    expect(widenXid(4_294_967_290n, epoch(3n) + 5n)).toBe(epoch(2n) + 4_294_967_290n);
  });
});
