import { CompletenessTracker, type ReadHorizon } from './event-log.port';

const read = (below: number, snapshotEnd: number, head: number): ReadHorizon => ({ below: String(below), snapshotEnd: String(snapshotEnd), head });

describe('CompletenessTracker: the watermark of a tailing reader', () => {
  describe('when no append was running during a read', () => {
    it('proves the highest visible position at once', () => {
      const tracker = new CompletenessTracker();
      const next = tracker.after(read(100, 100, 42), true);
      expect(next.completeThrough).toBe(42);
      expect(tracker.completeThrough).toBeNull(); // not before the batch was handed on
      next.commit();
      expect(tracker.completeThrough).toBe(42);
    });
  });

  describe('when an append was running during the read (the horizon stopped below the snapshot end)', () => {
    it('proves nothing new until a later read whose horizon passed that snapshot end', () => {
      const tracker = new CompletenessTracker();
      tracker.after(read(90, 100, 42), true).commit(); // transaction 90 was appending: it may hold a position below 42
      expect(tracker.completeThrough).toBeNull();
      tracker.after(read(105, 110, 50), true).commit(); // 90 finished, 105 appending: 42 is proven, 50 not yet
      expect(tracker.completeThrough).toBe(42);
      tracker.after(read(120, 120, 50), true).commit();
      expect(tracker.completeThrough).toBe(50);
    });
  });

  describe('when a read returned a full batch', () => {
    it('proves nothing from it: events below the horizon may be left to read', () => {
      const tracker = new CompletenessTracker();
      tracker.after(read(100, 100, 42), false).commit();
      expect(tracker.completeThrough).toBeNull();
      tracker.after(read(100, 100, 42), true).commit();
      expect(tracker.completeThrough).toBe(42);
    });
  });

  it('never goes back, and a batch that was not acknowledged changes nothing', () => {
    const tracker = new CompletenessTracker();
    tracker.after(read(100, 100, 42), true).commit();
    tracker.after(read(100, 100, 40), true); // delivered, never acknowledged
    expect(tracker.completeThrough).toBe(42);
    tracker.after(read(100, 100, 40), true).commit();
    expect(tracker.completeThrough).toBe(42);
  });

  it('keeps a bounded memory of reads not proven yet, and still proves the latest', () => {
    const tracker = new CompletenessTracker();
    for (let i = 1; i <= 5_000; i++) tracker.after(read(1, 10 + i, i), false).commit();
    tracker.after(read(10_000, 10_000, 5_000), true).commit();
    expect(tracker.completeThrough).toBe(5_000);
  });
});
