import type { RunnerStatus } from '../runner/projection-runner.port';
import type { ProjectionHealth } from './projection-engine';
import { judgeProjection } from './projection-health';

const running: RunnerStatus = {
  projection: 'chip-mix',
  generation: 1,
  schema: 'proj_chip_mix_g1',
  driver: 'kafka',
  state: 'running',
  batches: 10,
  applied: 1000,
  duplicates: 0,
  deadLettered: 0,
  lastError: null,
  lastCommitAt: '2026-12-05T10:00:00.000Z',
  partitions: 18,
  groupId: 'chipledger.projection.feed.chip-mix.g1',
};

const health = (status: Partial<RunnerStatus>, lag: ProjectionHealth['lag'], error: string | null = null): ProjectionHealth => ({
  projection: 'chip-mix',
  generation: 1,
  status: { ...running, ...status },
  lag,
  error,
});

describe('judgeProjection', () => {
  describe('when the consumer runs and is caught up', () => {
    it('is ok', () => {
      expect(judgeProjection(health({}, { lag: 3, unownedLag: 0, unownedPartitions: 0 }), 10_000)).toMatchObject({ ok: true, reasons: [], details: { lag: 3, partitions: 18 } });
    });
  });

  describe('when it is further behind than the limit', () => {
    it('is degraded and says by how much', () => {
      const verdict = judgeProjection(health({}, { lag: 12_345, unownedLag: 0, unownedPartitions: 0 }), 10_000);
      expect(verdict.ok).toBe(false);
      expect(verdict.reasons).toEqual(['12345 messages behind, more than the limit of 10000']);
    });
  });

  describe('when partitions with unapplied messages have no consumer', () => {
    it('is degraded even below the limit (nobody would ever apply them)', () => {
      const verdict = judgeProjection(health({ partitions: 0 }, { lag: 40, unownedLag: 40, unownedPartitions: 2 }), 10_000);
      expect(verdict).toMatchObject({ ok: false, reasons: ['2 partition(s) holding 40 unapplied message(s) have no consumer'] });
    });

    it('is ok when this instance holds none but another member does (more instances than partitions)', () => {
      expect(judgeProjection(health({ partitions: 0 }, { lag: 40, unownedLag: 0, unownedPartitions: 0 }), 10_000).ok).toBe(true);
    });
  });

  describe('when the consumer failed or the lag cannot be measured', () => {
    it('is degraded and says why', () => {
      expect(judgeProjection(health({ state: 'failed', lastError: 'KafkaJSNonRetriableError' }, { lag: 0, unownedLag: 0, unownedPartitions: 0 }), 10_000).reasons).toEqual([
        'its consumer failed (KafkaJSNonRetriableError); it is being started again',
      ]);
      expect(judgeProjection(health({}, null, 'connect ECONNREFUSED 127.0.0.1:5432'), 10_000).reasons).toEqual(['its lag cannot be measured: connect ECONNREFUSED 127.0.0.1:5432']);
    });
  });
});
