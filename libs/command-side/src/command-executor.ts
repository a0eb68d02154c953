import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Actor } from '@chip-ledger/domain';
import { ledgerPositionToken, POSITION_SIGNER, problem, ProblemException, type IdempotencyRequest, type PositionSigner } from '@chip-ledger/http';
import { EVENT_STORE, LEDGER_HEADS, type AppendResult, type EventStore, type IdempotencyKey, type LedgerHeads } from '@chip-ledger/event-store';
import { CLOCK, type Clock } from './tokens';
import { toCommandResponse, type CommandResponse } from './http/command-response';
import { StreamStateCache } from './stream-state-cache';
import { UnitOfWork } from './unit-of-work';

/** A little clock skew between an operator's machine and ours is fine; a fact from the future is not. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface CommandRequest {
  /** Idempotency keys are scoped per service and organisation, so tenants never collide. */
  readonly service: string;
  readonly actor: Actor;
  /** When the fact happened, as the operator says; defaults to now. */
  readonly occurredAt?: string | null;
  readonly idempotency: IdempotencyRequest | null;
  /** If-Match: the version of `streamId` the client decided on. */
  readonly expectedVersion?: { readonly streamId: string; readonly version: number } | null;
  readonly correlationId?: string | null;
}

/** What the HTTP adapter hands every command besides its body. */
export interface CommandMeta {
  readonly actor: Actor;
  readonly idempotency: IdempotencyRequest | null;
  /** If-Match: the version of the command's target stream the client decided on. */
  readonly ifMatch: number | null;
  /** The request's id (X-Request-Id, given or generated): the correlation id of the events the command records. */
  readonly correlationId?: string | null;
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
    /** Signs the read-your-writes token for the writer's organisation (absent: unsigned, e.g. in tests of the executor alone). */
    @Optional() @Inject(POSITION_SIGNER) private readonly signer: PositionSigner | null = null,
    /** The heads of every context store, read after the append for the read-your-writes token (absent: no token). */
    @Optional() @Inject(LEDGER_HEADS) private readonly heads: LedgerHeads | null = null,
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
   * The usual shape of a handler: one target stream (If-Match applies to it), the operator's occurredAt,
   * and the response every write gives.
   */
  async run(
    service: string,
    targetStreamId: string,
    meta: CommandMeta,
    occurredAt: string | null | undefined,
    work: (uow: UnitOfWork) => Promise<void>,
  ): Promise<CommandResponse> {
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
    return toCommandResponse(result, targetStreamId, await this.position(meta.actor.organisation));
  }

  /**
   * The read-your-writes token: every context store's head, read after the append committed (or, for a replayed or
   * empty command, now: the fact is recorded already), so it covers this write and everything recorded before it.
   */
  async position(organisation: string): Promise<string | null> {
    if (!this.heads) return null;
    const heads = await this.heads.read();
    const signer = this.signer;
    return ledgerPositionToken(heads, signer ? (h) => signer.signHeads(organisation, h) : undefined);
  }

  private occurredAt(given: string | null | undefined): string {
    const now = this.clock.now();
    if (!given) return now.toISOString();
    const at = new Date(given);
    if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new ProblemException(
        problem(422, 'OCCURRED_AT.IN_FUTURE', 'The fact is dated in the future', `occurredAt ${given} is later than now (${now.toISOString()}).`, {
          field: 'occurredAt',
        }),
      );
    }
    return at.toISOString();
  }
}
