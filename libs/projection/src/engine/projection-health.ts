import type { ProjectionHealth } from './projection-engine';

/** A projection's health verdict: `degraded` names why (each reason a sentence an operator can act on). */
export interface ProjectionVerdict {
  readonly ok: boolean;
  readonly reasons: readonly string[];
  readonly details: Record<string, unknown>;
}

/**
 * Judges one projection of this instance: degraded while its consumer has failed, while it is more than `maxLag`
 * messages (events, on the PostgreSQL log) behind, while partitions with messages it has not applied have no
 * consumer in its group (nobody would ever apply them), or while its lag cannot be measured.
 */
export function judgeProjection(health: ProjectionHealth, maxLag: number): ProjectionVerdict {
  const { status, lag } = health;
  const reasons: string[] = [];
  if (status.state === 'failed') reasons.push(`its consumer failed (${status.lastError ?? 'no error recorded'}); it is being started again`);
  if (health.error !== null) reasons.push(`its lag cannot be measured: ${health.error}`);
  if (lag && lag.lag > maxLag) reasons.push(`${lag.lag} messages behind, more than the limit of ${maxLag}`);
  if (lag?.unownedPartitions) reasons.push(`${lag.unownedPartitions} partition(s) holding ${lag.unownedLag} unapplied message(s) have no consumer`);
  return {
    ok: reasons.length === 0,
    reasons,
    details: {
      generation: health.generation,
      state: status.state,
      lag: lag?.lag ?? null,
      partitions: status.partitions,
      unownedPartitions: lag?.unownedPartitions ?? null,
      applied: status.applied,
      lastCommitAt: status.lastCommitAt,
      lastError: status.lastError,
    },
  };
}
