import type { AppendResult } from '../port/event-store.port';
import { DuplicateEventIdError, IdempotencyConflictError, StoreBusyError, WrongExpectedVersionError } from '../port/event-store.errors';

/** How a store's appends went since it was created; read by the metrics endpoint at each scrape. */
export interface AppendStatistics {
  /** Commands whose events were recorded. */
  readonly recorded: number;
  /** Commands answered from the idempotency table (a retry with the same key): nothing recorded again. */
  readonly replayed: number;
  /** Commands the store refused: a stale expected version, a duplicate event id or key, a stream locked too long. */
  readonly refused: number;
  /** Commands that failed otherwise (the database unreachable, an invalid request): nothing recorded. */
  readonly failed: number;
  /** Events recorded by those commands. */
  readonly events: number;
  /** Append statements sent (each carries the commands that arrived together) and the seconds they took. */
  readonly statements: number;
  readonly statementSeconds: number;
}

const REFUSALS = [WrongExpectedVersionError, DuplicateEventIdError, IdempotencyConflictError, StoreBusyError];

/** Plain counters: the store counts, a metrics module reads (no metrics library in the store). */
export class AppendCounters implements AppendStatistics {
  recorded = 0;
  replayed = 0;
  refused = 0;
  failed = 0;
  events = 0;
  statements = 0;
  statementSeconds = 0;

  answered(result: AppendResult): void {
    if (result.replayed) {
      this.replayed++;
      return;
    }
    this.recorded++;
    for (const stream of result.streams) this.events += stream.eventIds.length;
  }

  threw(error: unknown): void {
    if (REFUSALS.some((refusal) => error instanceof refusal)) this.refused++;
    else this.failed++;
  }

  statement(startedAt: bigint): void {
    this.statements++;
    this.statementSeconds += Number(process.hrtime.bigint() - startedAt) / 1e9;
  }

  snapshot(): AppendStatistics {
    const { recorded, replayed, refused, failed, events, statements, statementSeconds } = this;
    return { recorded, replayed, refused, failed, events, statements, statementSeconds };
  }
}
