import { Inject, Injectable } from '@nestjs/common';
import { canAccessOrganisation, formatPositionPart, isStorableText, MAX_POSITION_LENGTH, parsePositionToken, POSITION_SIGNER, problem, ProblemException, ValidationProblem, type PositionSigner } from '@chip-ledger/http';
import type { Actor } from '@chip-ledger/domain';
import { withTransaction } from '@chip-ledger/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { ACTIVE_SCHEMAS, READ_YOUR_WRITES, QUERY_API_OPTIONS, type ActiveSchemas, type QueryApiOptions, type ReadYourWrites } from './tokens';

/** Who asks, and the position a read must include when they sent one (`?after=` or X-Ledger-Position). */
export interface ReadContext {
  readonly actor: Actor;
  readonly position?: string;
}

/**
 * What every query handler needs: a read of a read model's live generation (after read-your-writes), now, and the
 * caller's scope. Reads go through the app's TypeORM DataSource (its one pool).
 */
@Injectable()
export class ReadModelReader {
  readonly timeoutMs: number;
  private readonly clock: () => Date;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ACTIVE_SCHEMAS) private readonly schemas: ActiveSchemas,
    @Inject(READ_YOUR_WRITES) private readonly consistency: ReadYourWrites,
    @Inject(QUERY_API_OPTIONS) options: QueryApiOptions,
    @Inject(POSITION_SIGNER) private readonly signer: PositionSigner,
  ) {
    this.timeoutMs = options.readYourWritesTimeoutMs ?? 5_000;
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Runs `work` on the live generation of `projection`, once it includes the context's position: in one read
   * transaction whose search path is that generation's schema, so the read model's entities (which name no schema)
   * resolve to its tables. REPEATABLE READ: every statement of one query sees the same snapshot (a licence with its
   * usages and remittances, a page of data centers with their counts). The position is waited for before the
   * transaction opens, so no connection is held while waiting.
   */
  async read<T>(projection: string, context: ReadContext, work: (db: EntityManager) => Promise<T>): Promise<T> {
    const schema = await this.schema(projection, context.position, context.actor);
    return withTransaction(this.dataSource, ({ manager }) => work(manager), { schema, isolation: 'REPEATABLE READ' });
  }

  /** The same, without waiting for any position (public, non-scoped reads). */
  async readLatest<T>(projection: string, work: (db: EntityManager) => Promise<T>): Promise<T> {
    const schema = await this.schemas.schemaOf(projection);
    return withTransaction(this.dataSource, ({ manager }) => work(manager), { schema, isolation: 'REPEATABLE READ' });
  }

  /**
   * The active schema of `projection`, once the read models include `position` (when the client sent one).
   * A position not reached in time is a 503 problem (READ_MODEL.NOT_CAUGHT_UP), never stale data passed off as fresh.
   */
  private async schema(projection: string, position: string | undefined, actor: Actor): Promise<string> {
    if (position === undefined || position === '') return this.schemas.schemaOf(projection);
    const awaited = this.awaitable(position, actor);
    if (awaited === null) return this.schemas.schemaOf(projection);
    position = awaited;
    // The wait checks the generation active while it runs; if a rebuild switched generations meanwhile, the one
    // to read from may not have the write yet: wait again, on it, within the same time limit.
    const deadline = Date.now() + this.timeoutMs;
    for (let before = await this.schemas.schemaOf(projection); ; ) {
      const reached = await this.consistency.waitFor(position, Math.max(0, deadline - Date.now()), projection);
      if (!reached) {
        throw new ProblemException(
          problem(503, 'READ_MODEL.NOT_CAUGHT_UP', 'The read models have not caught up yet', `The read models did not reach position ${position} within ${this.timeoutMs} ms; retry shortly.`, {
            field: 'after',
            retryAfterSeconds: 1,
          }),
        );
      }
      const after = await this.schemas.schemaOf(projection);
      if (after === before) return after;
      before = after;
    }
  }

  /**
   * The part of a position the caller may wait on, or null for none. A malformed position is a 400: waiting 5 s
   * and answering "not caught up, retry" would have the client retry for ever. Waiting is itself an answer (at once
   * if the read models got that far, after the timeout if not), so viewers and operators wait only on parts signed
   * for their organisation (their organisation's own writes); other parts (an admin's write, another organisation's)
   * are not waited on, which tells nothing. Auditors and admins, who may read everything, wait on every part, signed
   * or plain. `?after=` and the header are checked alike here (the header never passes the validation pipe).
   */
  private awaitable(position: string, actor: Actor): string | null {
    const parts = position.length <= MAX_POSITION_LENGTH && isStorableText(position) ? parsePositionToken(position) : null;
    if (!parts) {
      throw new ValidationProblem([
        {
          field: 'after',
          reason: `after (or X-Ledger-Position) must be a position a write answered: p:<n>.r:<n>.a:<n>~<signature> (tokens of several writes comma-separated), at most ${MAX_POSITION_LENGTH} characters`,
        },
      ]);
    }
    if (actor.role === 'auditor' || actor.role === 'admin') return position;
    const own = parts.filter((part) => this.signer.verify(actor.organisation, part));
    return own.length > 0 ? own.map(formatPositionPart).join(',') : null;
  }

  now(): Date {
    return this.clock();
  }

  /** The organisation a caller is limited to: theirs for viewers and operators, none for auditors and admins. */
  scopeOf(actor: Actor): string | undefined {
    return actor.role === 'admin' || actor.role === 'auditor' ? undefined : actor.organisation;
  }

  /** 404, the same whether the thing does not exist or belongs to another organisation. */
  notFound(what: 'DATA_CENTER' | 'FINDING' | 'LICENCE', id: string): ProblemException {
    const noun = what === 'DATA_CENTER' ? 'Data center' : what === 'FINDING' ? 'Finding' : 'Export licence';
    return new ProblemException(problem(404, `${what}.NOT_FOUND`, 'Not found', `${noun} ${id} does not exist.`));
  }

  assertVisible(actor: Actor, ownerOrganisationId: string | null, what: 'DATA_CENTER' | 'FINDING' | 'LICENCE', id: string): void {
    if (ownerOrganisationId === null || !canAccessOrganisation(actor, ownerOrganisationId)) throw this.notFound(what, id);
  }
}

/** `?after=` wins over the `X-Ledger-Position` header. */
export const positionOf = (after: string | undefined, header: string | undefined): string | undefined => after ?? header;
