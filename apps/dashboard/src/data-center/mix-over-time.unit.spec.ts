import { mapLimited, sampleDays, seriesOf, type MixSample } from './mix-over-time';

describe('chip mix over time', () => {
  describe('the days asked about', () => {
    it('are the registration, each day chips moved, and today, once each, in order', () => {
      const moves = [{ occurredAt: '2023-06-10T00:00:00.000Z' }, { occurredAt: '2022-09-15T08:00:00.000Z' }, { occurredAt: '2022-09-15T17:00:00.000Z' }];
      expect(sampleDays('2022-08-01T00:00:00.000Z', moves, '2026-12-05')).toEqual(['2022-08-01', '2022-09-15', '2023-06-10', '2026-12-05']);
    });

    it('thin out evenly past the limit, keeping the first and last day', () => {
      const moves = Array.from({ length: 200 }, (_, i) => ({ occurredAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() }));
      const days = sampleDays('2024-01-01T00:00:00.000Z', moves, '2025-01-01', 10);
      expect(days).toHaveLength(10);
      expect(days[0]).toBe('2024-01-01');
      expect(days[9]).toBe('2025-01-01');
      expect([...days].sort()).toEqual(days);
    });
  });

  it('gives every series a point for every sample, in the order asked, so the stack lines up', () => {
    const samples: MixSample[] = [
      { day: '2022-09-15', chips: { byOrigin: { foreign: 256 }, byClass: { '3A090.a': 256 }, byVendor: {} } },
      { day: '2025-11-25', chips: { byOrigin: { foreign: 768, domestic: 1024 }, byClass: { '3A090.a': 1792 }, byVendor: {} } },
    ];
    expect(seriesOf(samples, 'byOrigin', ['domestic', 'foreign', 'unknown'])).toEqual([
      { key: 'domestic', points: [['2022-09-15', 0], ['2025-11-25', 1024]] },
      { key: 'foreign', points: [['2022-09-15', 256], ['2025-11-25', 768]] },
    ]);
  });

  it('asks at most `limit` questions at once and keeps the answers in order', async () => {
    let running = 0;
    let most = 0;
    const answers = await mapLimited([5, 1, 3, 2, 4], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(answers).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
  });
});
