import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@chip-ledger/domain';
import { EVENT_STORE, type AppendResult, type EventStore, type IdempotencyKey } from '@chip-ledger/event-store';
import { OccurredAtInFutureError } from './command-errors';
import { CLOCK, type Clock } from './tokens';
import { StreamStateCache } from './stream-state-cache';
import { UnitOfWork } from './unit-of-work';

/** A little clock skew between an operator's machine and ours is fine; a fact from the future is not. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What a command needs to be retried safely: the client's key and a fingerprint of the request. */
export interface CommandIdempotency {
  readonly key: string;
  /** A fingerprint of the request: the same key with another request is refused (IdempotencyConflictError). */
  readonly requestHash: string;
}

export interface CommandRequest {
  /** Idempotency keys are scoped per service and organisation, so tenants never collide. */
  readonly service: string;
  readonly actor: Actor;
  /** When the fact happened, as the operator says; defaults to now. */
  readonly occurredAt?: string | null;
  readonly idempotency: CommandIdempotency | null;
  /** If-Match: the version of `streamId` the client decided on. */
  readonly expectedVersion?: { readonly streamId: string; readonly version: number } | null;
  readonly correlationId?: string | null;
}

/** What an adapter (HTTP's CommandContext) hands every command besides its body. */
export interface CommandMeta {
  readonly actor: Actor;
  readonly idempotency: CommandIdempotency | null;
  /** If-Match: the version of the command's target stream the client decided on. */
  readonly ifMatch: number | null;
  /** The request's id (X-Request-Id, given or generated): the correlation id of the events the command records. */
  readonly correlationId?: string | null;
}

/**
 * What a command amounts to: the stream it addressed and what the append recorded (null when the decider found
 * nothing to record). The HTTP edge (`@chip-ledger/command-http`) turns it into the 201 answer.
 */
export interface CommandOutcome {
  readonly targetStreamId: string;
  readonly result: AppendResult | null;
}

/**
 * Runs one command: idempotency short-circuit, load/decide through a unit of work, one atomic append.
 * Handlers are thin shells around it and a decider.
 */
@Injectable()
export class CommandExecutor {
  private readonly cache = new StreamStateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: CommandRequest, work: (uow: UnitOfWork) => Promise<void>): Promise<AppendResult | null> {
    const idempotency: IdempotencyKey | null = request.idempotency
      ? { scope: `${request.service}:${request.actor.organisation}`, ...request.idempotency }
      : null;
    if (idempotency) {
      const first = await this.store.lookupIdempotent(idempotency.scope, idempotency.key, idempotency.requestHash);
      if (first) return first;
    }

    const uow = new UnitOfWork(
      this.store,
      {
        actor: request.actor,
        occurredAt: this.occurredAt(request.occurredAt),
        correlationId: request.correlationId ?? randomUUID(),
        causationId: null,
      },
      randomUUID,
      request.expectedVersion ? new Map([[request.expectedVersion.streamId, request.expectedVersion.version]]) : new Map(),
      this.cache,
    );
    try {
      await work(uow);
      const writes = uow.writes();
      // A decider may find nothing to record (the fact is already there): no append, nothing to answer with.
      if (writes.length === 0) return null;
      return await this.store.append(writes, idempotency ? { idempotency } : {});
    } catch (refusal) {
      if (!idempotency) throw refusal;
      // A retry that overtook its first request: the key was free when looked up above, then the first request
      // committed and this one decided on the moved state (a 409 or 422 of its own). The first answer is its answer.
      const first = await this.store.lookupIdempotent(idempotency.scope, idempotency.key, idempotency.requestHash).catch((error: unknown) => {
        if ((error as Error).name === 'IdempotencyConflictError') throw error;
        return null; // the look-up failed too (database down): the original refusal says more
      });
      if (first) return first;
      throw refusal;
    }
  }

  /**
   * The usual shape of a handler: one target stream (If-Match applies to it) and the operator's occurredAt.
   */
  async run(
    service: string,
    targetStreamId: string,
    meta: CommandMeta,
    occurredAt: string | null | undefined,
    work: (uow: UnitOfWork) => Promise<void>,
  ): Promise<CommandOutcome> {
    const result = await this.execute(
      {
        service,
        actor: meta.actor,
        occurredAt,
        idempotency: meta.idempotency,
        expectedVersion: meta.ifMatch === null ? null : { streamId: targetStreamId, version: meta.ifMatch },
        correlationId: meta.correlationId,
      },
      work,
    );
    return { targetStreamId, result };
  }

  private occurredAt(given: string | null | undefined): string {
    const now = this.clock.now();
    if (!given) return now.toISOString();
    const at = new Date(given);
    if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new OccurredAtInFutureError(given, now.toISOString());
    }
    return at.toISOString();
  }
}
